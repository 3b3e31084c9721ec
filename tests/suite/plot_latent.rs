//! Path diagrams of latent-variable models drawn from `cipa::sem` fits on lavaan's example data
//! (../shared/datasets/lavaan_pkg; skipped with a message when absent): the Holzinger-Swineford
//! three-factor CFA, the PoliticalDemocracy tutorial SEM and a parallel mediation of four
//! latents. The layout is checked on the diagram itself (no boxes or labels overlapping, no line
//! through a box, indicators where AMOS and semPlot put them, one line per parameter); the SVG
//! is a snapshot; every format renders.
#![cfg(feature = "plot")]

use std::collections::BTreeSet;

use cipa::plot::diagram::{
    self, polyline, CoefStyle, Diagram, DiagramFigure, LatentOptions, LatentValues, NodeKind, Rect,
    Route, Target,
};
use cipa::plot::{render_latent, to_svg, Labels, PlotOptions, Theme};
use cipa::sem::{self, SemFit, SemOptions};

const HS_CFA: &str = "visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9";

const POLDEM: &str = "ind60 =~ x1 + x2 + x3
dem60 =~ y1 + a*y2 + b*y3 + c*y4
dem65 =~ y5 + a*y6 + b*y7 + c*y8
dem60 ~ ind60
dem65 ~ ind60 + dem60
y1 ~~ y5
y2 ~~ y4 + y6
y3 ~~ y7
y4 ~~ y8
y6 ~~ y8";

/// Industrialisation's effect on democracy in 1965 through two aspects of democracy in 1960.
const MEDIATION4: &str = "ind60 =~ x1 + x2 + x3
press60 =~ y1 + y2
vote60 =~ y3 + y4
dem65 =~ y5 + y6 + y7 + y8
press60 ~ a1*ind60
vote60 ~ a2*ind60
dem65 ~ b1*press60 + b2*vote60 + c*ind60
press60 ~~ vote60
y5 ~~ y7
y3 ~~ y7
ind1 := a1*b1
ind2 := a2*b2";

fn fit(file: &str, model: &str) -> Option<SemFit> {
    let path = crate::common::shared_or_skip_file(&format!("datasets/lavaan_pkg/{file}"))?;
    let data = crate::common::read_data(&path);
    let flat = cipa::spec::syntax::parse_flat(file, model).unwrap_or_else(|e| panic!("{e}"));
    Some(sem::fit(&flat, &data, &SemOptions::default()).unwrap_or_else(|e| panic!("{file}: {e}")))
}

fn cases() -> Vec<(&'static str, SemFit)> {
    [
        ("hs_cfa", "HolzingerSwineford1939.csv", HS_CFA),
        ("poldem", "PoliticalDemocracy.csv", POLDEM),
        ("mediation4", "PoliticalDemocracy.csv", MEDIATION4),
    ]
    .into_iter()
    .filter_map(|(name, file, model)| fit(file, model).map(|f| (name, f)))
    .collect()
}

fn inside(d: &Diagram, r: &Rect) -> bool {
    r.x - r.w / 2.0 >= 0.0
        && r.y - r.h / 2.0 >= 0.0
        && r.x + r.w / 2.0 <= d.width
        && r.y + r.h / 2.0 <= d.height
}

/// The straight pieces a line is drawn as (its segment, or its curve in short pieces).
fn pieces(d: &Diagram, i: usize) -> Vec<((f64, f64), (f64, f64))> {
    if let Some(s) = d.segment(i) {
        return vec![s];
    }
    let c = d
        .curve(i)
        .unwrap_or_else(|| panic!("line {i} has no geometry"));
    polyline(&c, 64).windows(2).map(|w| (w[0], w[1])).collect()
}

/// No two boxes or labels overlap, each label is clear of every box, everything lies inside
/// the drawing and no line passes through a box other than its ends.
fn check_layout(name: &str, d: &Diagram) {
    let ids: BTreeSet<&str> = d.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids.len(), d.nodes.len(), "{name}: duplicate boxes");
    let labels: Vec<(usize, Rect)> = d
        .edges
        .iter()
        .enumerate()
        .filter_map(|(i, e)| e.label_rect.map(|r| (i, r)))
        .collect();
    for (k, a) in d.nodes.iter().enumerate() {
        assert!(inside(d, &a.rect()), "{name}: {} outside the drawing", a.id);
        for b in &d.nodes[k + 1..] {
            assert!(
                !a.rect().overlaps(&b.rect()),
                "{name}: {} and {} overlap",
                a.id,
                b.id
            );
        }
        for (i, r) in &labels {
            assert!(
                !a.rect().overlaps(r),
                "{name}: the label of {} -> {:?} covers {}",
                d.edges[*i].from,
                d.edges[*i].to,
                a.id
            );
        }
    }
    for (k, (i, a)) in labels.iter().enumerate() {
        assert!(inside(d, a), "{name}: label {i} outside the drawing");
        for (j, b) in &labels[k + 1..] {
            assert!(!a.overlaps(b), "{name}: labels {i} and {j} overlap");
        }
    }
    for (i, e) in d.edges.iter().enumerate() {
        let Target::Node(to) = &e.to else {
            panic!("{name}: an arrow onto an arrow")
        };
        assert!(ids.contains(e.from.as_str()) && ids.contains(to.as_str()));
        assert!(e.label_rect.is_some(), "{name}: line {i} has no label");
        for (a, b) in pieces(d, i) {
            for n in d.nodes.iter().filter(|n| n.id != e.from && &n.id != to) {
                assert!(
                    !n.rect().crosses(a, b),
                    "{name}: {} -> {to} passes through {}",
                    e.from,
                    n.id
                );
            }
        }
    }
}

/// One drawn line per loading, regression and free (co)variance of the parameter table.
fn check_parameters(name: &str, fit: &SemFit, d: &Diagram, residuals: bool) {
    let drawn = |from: &str, to: &str, two_headed: bool| {
        d.edges.iter().any(|e| {
            let two = matches!(e.route, Route::Curve(c) if c.two_headed);
            let fwd = e.from == from && e.to == Target::Node(to.to_string());
            let back = e.from == to && e.to == Target::Node(from.to_string());
            two == two_headed && (fwd || (two_headed && back))
        })
    };
    let mut expected = 0;
    for r in &fit.parameters {
        let ok = match r.op.as_str() {
            "=~" => drawn(&r.lhs, &r.rhs, false),
            "~" => drawn(&r.rhs, &r.lhs, false),
            "~~" if r.free > 0 && (r.lhs != r.rhs || residuals) => drawn(&r.lhs, &r.rhs, true),
            _ => continue,
        };
        assert!(ok, "{name}: {} {} {} not drawn", r.lhs, r.op, r.rhs);
        expected += 1;
    }
    assert_eq!(d.edges.len(), expected, "{name}: lines for nothing");
}

/// With a key beneath, every line carries either a fixed value or a symbol, and each symbol
/// names exactly one line and one row of the key, whose numbers are the style's (an estimate
/// with its SE and stars, or with its interval).
fn check_key(tag: &str, d: &Diagram, style: CoefStyle) {
    let Some(key) = &d.key else { return };
    let on_lines: Vec<&str> = d
        .edges
        .iter()
        .filter_map(|e| e.label.as_deref())
        .filter(|l| l.parse::<f64>().is_err())
        .collect();
    let in_key: Vec<&str> = key.rows.iter().map(|r| r[0].as_str()).collect();
    let mut unique = in_key.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        in_key.len(),
        "{tag}: a symbol twice in the key"
    );
    let mut drawn = on_lines.clone();
    drawn.sort();
    assert_eq!(drawn, unique, "{tag}: the lines' symbols are the key's");
    for r in &key.rows {
        assert!(r[1].parse::<f64>().is_ok(), "{tag}: {r:?}");
        match style {
            CoefStyle::Ci => assert!(r[2].starts_with('[') && r[2].contains(", "), "{tag}"),
            CoefStyle::Stars => assert!(r[2].parse::<f64>().is_ok() && r.len() == 4, "{tag}"),
        }
    }
}

/// The smallest text of the drawn SVG prints at 8 pt or more at a 6.5 in text width.
fn assert_prints_at_8pt(tag: &str, d: &Diagram) {
    let fig = DiagramFigure {
        diagram: d,
        theme: Theme::default(),
    };
    let pt = crate::plot_print::smallest_printed_pt(&to_svg(&fig).unwrap());
    assert!(pt >= 8.0 - 1e-9, "{tag}: prints at {pt:.2} pt at 6.5 in");
}

fn node<'a>(d: &'a Diagram, id: &str) -> &'a diagram::Node {
    d.node(id).unwrap_or_else(|| panic!("no box {id}"))
}

/// The three styles every latent diagram test draws: the default (unstandardized with stars),
/// std.all with residual variances, and unstandardized with intervals.
fn drawn_styles() -> [LatentOptions; 3] {
    [
        (CoefStyle::Stars, LatentValues::Unstandardized, false),
        (CoefStyle::Stars, LatentValues::StdAll, true),
        (CoefStyle::Ci, LatentValues::Unstandardized, false),
    ]
    .map(|(style, values, residuals)| LatentOptions {
        values,
        style,
        residuals,
        ..LatentOptions::default()
    })
}

#[test]
fn latent_diagrams_are_laid_out_cleanly() {
    for (name, fit) in cases() {
        for opts in drawn_styles() {
            let (style, values, residuals) = (opts.style, opts.values, opts.residuals);
            let d = diagram::latent(&fit, &Labels::default(), &opts);
            let tag = format!("{name} {style:?} {values:?} residuals {residuals}");
            check_layout(&tag, &d);
            check_parameters(&tag, &fit, &d, residuals);
            // At a journal's text width (6.5 in) the smallest text, read off the drawn SVG,
            // prints at 8 pt or more in every style: the CFA and the structural models alike
            // (the latter's intervals and std.all values with residual variances in a key
            // beneath, their lines carrying parameter symbols).
            assert_prints_at_8pt(&tag, &d);
            check_key(&tag, &d, style);
        }
    }
}

/// The framework's latent mediation (models/framework/latent_mediation.lav on the shipped
/// survey, as `cipa sem --data example:sme --model framework:latent_mediation --diagram`
/// draws it): too wide for a text width in three columns (5.6 pt at 6.5 in with the outcome's
/// indicators stacked on its right), it is drawn in the portrait arrangement: the exogenous
/// latents on the left with their indicators fanned out on their left, collaboration above
/// performance on the right with their indicators stacked on their right, ln employees above
/// collaboration and family ownership below performance. The diagram is clean (no overlaps, no
/// line through a box, one line per parameter) and prints at 8 pt or more at 6.5 in in every
/// style (standardized values with residual variances and intervals with their key beneath).
#[test]
fn the_framework_latent_mediation_diagram_is_clean() {
    let path = crate::common::crate_root().join("datasets/sme_survey.csv");
    let data = crate::common::read_data(&path);
    let text = cipa::spec::framework::model("latent_mediation").unwrap();
    let flat = cipa::spec::syntax::parse_flat("latent_mediation", text).unwrap();
    let fit = sem::fit(&flat, &data, &SemOptions::default()).unwrap();
    for opts in drawn_styles() {
        let (style, values, residuals) = (opts.style, opts.values, opts.residuals);
        let d = diagram::latent(&fit, &Labels::default(), &opts);
        let tag = format!("latent_mediation {style:?} {values:?} residuals {residuals}");
        check_layout(&tag, &d);
        check_parameters(&tag, &fit, &d, residuals);
        if opts == LatentOptions::default() {
            let right_of = |items: &[&str], latent: &str| {
                for i in items {
                    let (i, l) = (node(&d, i), node(&d, latent));
                    assert!(
                        i.x - i.w / 2.0 > l.x + l.w / 2.0,
                        "{tag}: {} right of {latent}",
                        i.id
                    );
                }
            };
            right_of(&["expf_1", "expf_2", "expf_3", "expf_4"], "perf");
            right_of(
                &["collab_1", "collab_2", "collab_3", "collab_4"],
                "collab_act",
            );
            // Causes left of or above their effects; the covariates above and below the
            // latents they explain.
            let (ties, collab, perf) = (node(&d, "ties"), node(&d, "collab_act"), node(&d, "perf"));
            assert!(ties.x < collab.x && collab.y < perf.y, "{tag}: portrait");
            assert!(
                node(&d, "log_employees").y < collab.y,
                "{tag}: ln employees above"
            );
            assert!(
                node(&d, "family_owned").y > perf.y,
                "{tag}: family ownership below"
            );
        }
        assert_prints_at_8pt(&tag, &d);
        check_key(&tag, &d, style);
    }
}

#[test]
fn indicators_sit_where_amos_puts_them() {
    for (name, fit) in cases() {
        let d = diagram::latent(&fit, &Labels::default(), &LatentOptions::default());
        let latents: BTreeSet<&str> = fit
            .parameters
            .iter()
            .filter(|r| r.op == "=~")
            .map(|r| r.lhs.as_str())
            .collect();
        let endogenous: BTreeSet<&str> = fit
            .parameters
            .iter()
            .filter(|r| r.op == "~")
            .map(|r| r.lhs.as_str())
            .collect();
        for r in fit.parameters.iter().filter(|r| r.op == "=~") {
            let (l, i) = (node(&d, &r.lhs), node(&d, &r.rhs));
            assert_eq!(l.kind, NodeKind::Latent, "{name}: {} an ellipse", l.id);
            assert_eq!(i.kind, NodeKind::Indicator, "{name}: {} a box", i.id);
            if endogenous.contains(r.lhs.as_str()) {
                // Above or below; or, in the narrower layout, stacked on the right.
                let right = i.x - i.w / 2.0 > l.x + l.w / 2.0;
                assert!(
                    right || (i.y - l.y).abs() > (i.h + l.h) / 2.0,
                    "{name}: {} above, below or right of {}",
                    i.id,
                    l.id
                );
            } else {
                assert!(
                    i.x + i.w / 2.0 < l.x - l.w / 2.0,
                    "{name}: {} left of {}",
                    i.id,
                    l.id
                );
            }
        }
        // Causes left of their effects.
        for r in fit.parameters.iter().filter(|r| r.op == "~") {
            if latents.contains(r.lhs.as_str()) && latents.contains(r.rhs.as_str()) {
                assert!(node(&d, &r.rhs).x < node(&d, &r.lhs).x, "{name}: {r:?}");
            }
        }
    }
}

#[test]
fn latent_diagram_svg_snapshot() {
    for (name, fit) in cases() {
        let d = diagram::latent(&fit, &Labels::default(), &LatentOptions::default());
        let fig = DiagramFigure {
            diagram: &d,
            theme: Theme::default(),
        };
        let svg = to_svg(&fig).unwrap();
        // Text drawn at its named size (8.5 pt and up). Not yet fitted to a 6.5 in text width:
        // PoliticalDemocracy's diagram is wider and prints smaller there.
        let natural = crate::plot_print::smallest_pt(&svg, false);
        assert!(natural >= 8.5 - 1e-9, "{name}: text at {natural:.2} pt");
        insta::assert_snapshot!(format!("latent_{name}_svg"), svg);
    }
}

#[test]
fn latent_diagram_renders_in_every_format() {
    let Some((_, fit)) = cases().into_iter().find(|(n, _)| *n == "poldem") else {
        return;
    };
    let out = render_latent(&fit, &LatentOptions::default(), &PlotOptions::default()).unwrap();
    let names: Vec<&str> = out.artifacts.iter().map(|a| a.file_name.as_str()).collect();
    for ext in ["svg", "png", "pdf", "dot", "tex"] {
        assert!(
            names.contains(&format!("diagram_sem.{ext}").as_str()),
            "{ext}"
        );
    }
    assert_eq!(out.figures.len(), 1);
    assert!(out.figures[0].caption.contains("N = 75"));
    for a in &out.artifacts {
        let b = &a.bytes;
        match a.file_name.rsplit('.').next() {
            Some("png") => {
                let dec = png::Decoder::new(std::io::Cursor::new(b));
                let mut reader = dec.read_info().expect("a PNG");
                let mut buf = vec![0; reader.output_buffer_size()];
                reader.next_frame(&mut buf).expect("decodable pixels");
                assert!(reader.info().width > 1000, "300 dpi");
            }
            Some("pdf") => assert!(b.starts_with(b"%PDF-")),
            Some("dot") => {
                let t = String::from_utf8(b.clone()).unwrap();
                assert!(t.contains("shape=ellipse") && t.contains("dir=both"), "{t}");
                assert!(t.contains("\"dem60\" -> \"dem65\""), "{t}");
            }
            Some("tex") => {
                let t = String::from_utf8(b.clone()).unwrap();
                assert!(t.contains("ellipse") && t.contains(".. controls"), "{t}");
            }
            Some("svg") => {
                let t = String::from_utf8(b.clone()).unwrap();
                assert!(t.contains("dem65") && t.contains("y8"));
            }
            other => panic!("unexpected file {other:?}"),
        }
    }
    // Rendered twice, byte for byte the same.
    let again = render_latent(&fit, &LatentOptions::default(), &PlotOptions::default()).unwrap();
    assert_eq!(out.artifacts, again.artifacts);
}

#[test]
fn cipa_sem_writes_the_diagram_and_puts_it_in_the_results_folder() {
    use crate::common::cli::{cipa, ok, usage_error};
    let Some(data) =
        crate::common::shared_or_skip_file("datasets/lavaan_pkg/PoliticalDemocracy.csv")
    else {
        return;
    };
    let data = data.display().to_string();
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("poldem.svg");
    let out = dir.path().join("results");
    ok(&cipa(&[
        "sem",
        "--data",
        &data,
        "--syntax",
        POLDEM,
        "--diagram",
        &svg.display().to_string(),
        "--out",
        &out.display().to_string(),
    ]));
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg") && text.contains("dem65"), "{text}");
    for ext in ["svg", "png", "pdf", "dot", "tex"] {
        assert!(
            out.join(format!("plots/diagram_sem.{ext}")).is_file(),
            "{ext}"
        );
    }
    let figures = std::fs::read_to_string(out.join("figures.json")).unwrap();
    assert!(figures.contains("plots/diagram_sem.svg"), "{figures}");
    assert!(
        figures.contains("Path diagram of the latent-variable model"),
        "{figures}"
    );
    let page = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(page.contains("plots/diagram_sem.svg"));

    // An extension cipa cannot draw is refused before anything is fitted or written.
    let jpg = dir.path().join("d.jpg");
    let err = usage_error(&cipa(&[
        "sem",
        "--data",
        &data,
        "--syntax",
        POLDEM,
        "--diagram",
        &jpg.display().to_string(),
    ]));
    assert!(err.contains("--diagram") && err.contains(".svg"), "{err}");
    assert!(!jpg.exists());
}

/// A chain of three HS factors with an observed covariate into each endogenous one, too wide
/// for a text width in columns (rows of indicators under both endogenous factors), folds into
/// the portrait: visual on the left, textual above speed on the right with their indicators
/// stacked on their right, age above textual and grade below speed. Clean in every style, and
/// at 8 pt or more at 6.5 in.
#[test]
fn a_chain_with_covariates_folds_into_a_portrait() {
    let model = "visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9
textual ~ visual + ageyr
speed ~ textual + visual + grade";
    let Some(fit) = fit("HolzingerSwineford1939.csv", model) else {
        return;
    };
    for opts in drawn_styles() {
        let (style, values, residuals) = (opts.style, opts.values, opts.residuals);
        let d = diagram::latent(&fit, &Labels::default(), &opts);
        let tag = format!("hs chain {style:?} {values:?} residuals {residuals}");
        check_layout(&tag, &d);
        check_parameters(&tag, &fit, &d, residuals);
        assert_prints_at_8pt(&tag, &d);
        check_key(&tag, &d, style);
        if opts != LatentOptions::default() {
            continue;
        }
        let (visual, textual, speed) = (node(&d, "visual"), node(&d, "textual"), node(&d, "speed"));
        assert!(
            visual.x < textual.x && textual.y < speed.y,
            "{tag}: portrait"
        );
        assert!(
            (textual.x - speed.x).abs() < 1e-9,
            "{tag}: one right-hand column"
        );
        for (items, latent) in [(["x4", "x5", "x6"], textual), (["x7", "x8", "x9"], speed)] {
            for i in items {
                let i = node(&d, i);
                assert!(
                    i.x - i.w / 2.0 > latent.x + latent.w / 2.0,
                    "{tag}: {} right",
                    i.id
                );
            }
        }
        assert!(node(&d, "ageyr").y < textual.y, "{tag}: age above textual");
        assert!(node(&d, "grade").y > speed.y, "{tag}: grade below speed");
    }
}
