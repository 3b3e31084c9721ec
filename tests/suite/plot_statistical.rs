//! Statistical diagrams fitted on the shipped example data, checked for what a journal needs:
//! every coefficient label on its own arrow and clear of every box, every other line and every
//! other label (label boxes tested against all segments); arrows ending at separate points on
//! a box; no arrow through a box; text of at least 8 pt when the figure is printed at a text
//! width of 6.5 inches; a categorical predictor's coded columns in one frame; logistic equations
//! marked as log-odds. Every PROCESS model, the main job (`cipa example`'s model) with both
//! coefficient styles, a categorical X and a logistic Y.
#![cfg(feature = "plot")]

use cipa::analysis::{analyse, Analysis, AnalysisOptions};
use cipa::data::{read_path, Dataset, ReadOptions};
use cipa::plot::diagram::{self, CoefStyle, Diagram, DiagramFigure, Rect, Target};
use cipa::plot::{to_svg, Labels, Theme};
use cipa::spec::template::template;
use cipa::spec::{syntax, ModelSpec, Roles, SpecSource};

use crate::common::process_models::MODERATED_PATHS;

/// A journal's text width, in points.
const TEXT_WIDTH: f64 = 6.5 * 72.0;

fn data(file: &str) -> Dataset {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    read_path(
        root.join("datasets").join(file),
        &ReadOptions {
            missing_codes: vec![-99.0],
            ..ReadOptions::default()
        },
    )
    .unwrap()
}

fn fit(data: &Dataset, spec: &ModelSpec) -> Analysis {
    let opts = AnalysisOptions {
        boot: 0,
        threads: 1,
        ..AnalysisOptions::default()
    };
    analyse(data, spec, &opts).unwrap_or_else(|e| panic!("{:?}: {e}", spec.source))
}

/// The main job's model (models/framework/combined.cipa), as `cipa example` fits it.
pub fn main_job_spec() -> ModelSpec {
    let text = cipa::spec::framework::model("combined").unwrap();
    let parsed = syntax::parse_syntax("combined", text).unwrap();
    let (x, y, mediators) = syntax::infer_roles_with(&parsed, Some("network_ties"), None).unwrap();
    let moderators = syntax::infer_moderators(
        &parsed,
        &x,
        &mediators,
        &y,
        &["log_employees".to_string(), "family_owned".to_string()],
    );
    ModelSpec {
        source: SpecSource::Syntax,
        x,
        y,
        mediators,
        moderators,
        covariates: Vec::new(),
        equations: parsed.equations,
        defined: parsed.defined,
    }
}

/// Everything this file checks, on one diagram; problems as text. Labels crossed by another
/// arrow are listed apart (the second list).
fn problems(name: &str, d: &Diagram) -> Vec<String> {
    let (mut bad, crossed) = checks(name, d);
    bad.extend(crossed);
    bad
}

fn checks(name: &str, d: &Diagram) -> (Vec<String>, Vec<String>) {
    let mut crossed_labels = Vec::new();
    let mut bad = Vec::new();
    let segments: Vec<((f64, f64), (f64, f64))> =
        (0..d.edges.len()).map(|i| d.segment(i).unwrap()).collect();
    let printed = d.font_pt.min(d.label_pt) * (TEXT_WIDTH / d.width).min(1.0);
    if printed < 8.0 - 1e-9 {
        bad.push(format!(
            "{name}: text prints at {printed:.2} pt at 6.5 in ({} pt wide)",
            d.width
        ));
    }
    // The same read off the drawn SVG (boxes, coefficients, group names and the note).
    let fig = DiagramFigure {
        diagram: d,
        theme: Theme::default(),
    };
    let drawn = crate::plot_print::smallest_printed_pt(&to_svg(&fig).unwrap());
    if drawn < 8.0 - 1e-9 {
        bad.push(format!(
            "{name}: the SVG's text prints at {drawn:.2} pt at 6.5 in"
        ));
    }
    for (i, e) in d.edges.iter().enumerate() {
        let (a, b) = segments[i];
        for n in &d.nodes {
            let to = matches!(&e.to, Target::Node(t) if *t == n.id);
            let mut r = n.rect();
            r.w -= 1.0;
            r.h -= 1.0;
            if n.id != e.from && !to && r.crosses(a, b) {
                bad.push(format!(
                    "{name}: {} -> {:?} crosses box {}",
                    e.from, e.to, n.id
                ));
            }
        }
        let Some(r) = e.label_rect else {
            if e.label.is_some() {
                bad.push(format!(
                    "{name}: label of {} -> {:?} not placed",
                    e.from, e.to
                ));
            }
            continue;
        };
        let what = format!("{name}: label {:?} of {} -> {:?}", e.label, e.from, e.to);
        // On its own arrow: the arrow runs through the label's centre.
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let cross = ((r.x - a.0) * dy - (r.y - a.1) * dx).abs() / dx.hypot(dy);
        if cross > 0.5 {
            bad.push(format!("{what}: {cross:.1} pt off its arrow"));
        }
        for n in &d.nodes {
            if r.overlaps(&n.rect()) {
                bad.push(format!("{what}: covers box {}", n.id));
            }
        }
        for (j, (c, q)) in segments.iter().enumerate() {
            if j != i && r.crosses(*c, *q) {
                crossed_labels.push(format!(
                    "{what}: crossed by arrow {} -> {:?}",
                    d.edges[j].from, d.edges[j].to
                ));
            }
        }
        for o in d.edges[i + 1..].iter().filter_map(|o| o.label_rect) {
            if r.overlaps(&o) {
                bad.push(format!("{what}: overlaps another label"));
            }
        }
        for g in &d.groups {
            if r.overlaps(&diagram::group_name_rect(&g.rect, &g.label, d.label_pt)) {
                bad.push(format!("{what}: covers the name of group {}", g.label));
            }
        }
        if r.x - r.w / 2.0 < 0.0 || r.x + r.w / 2.0 > d.width || r.y - r.h / 2.0 < 0.0 {
            bad.push(format!("{what}: outside the drawing"));
        }
    }
    // Arrows into a box end at separate points.
    for n in &d.nodes {
        let ends: Vec<(f64, f64)> = d
            .edges
            .iter()
            .enumerate()
            .filter(|(_, e)| matches!(&e.to, Target::Node(t) if *t == n.id))
            .map(|(i, _)| segments[i].1)
            .collect();
        for (k, p) in ends.iter().enumerate() {
            for q in &ends[k + 1..] {
                if (p.0 - q.0).hypot(p.1 - q.1) < 6.0 {
                    bad.push(format!(
                        "{name}: two arrows end within 6 pt on box {}",
                        n.id
                    ));
                }
            }
        }
    }
    (bad, crossed_labels)
}

fn example_roles(model: u32) -> Roles {
    let t = template(model).unwrap();
    let k = t.mediators.bounds().map_or(0, |(lo, _)| lo);
    let m = [
        "intl_experience",
        "collab",
        "log_employees",
        "psychic_distance",
    ];
    Roles {
        x: "network_ties".into(),
        y: "export_intensity".into(),
        m: m[..k].iter().map(|s| s.to_string()).collect(),
        w: t.uses_role("W").then(|| "employees".into()),
        z: t.uses_role("Z").then(|| "family_owned".into()),
        cov: vec!["exporter".into()],
        ..Roles::default()
    }
}

/// Every model, with stars and with intervals: no arrow through a box, arrows ending apart,
/// text at 8 pt or more at 6.5 in, labels on their own arrows, over no box and no other label;
/// and every label clear of every other arrow (label boxes checked against all segments),
/// except the labels of [`STILL_CROSSED`].
#[test]
fn statistical_diagrams_of_every_model_are_legible() {
    let d = data("sme_example.csv");
    let mut bad = Vec::new();
    let mut crossed_now = Vec::new();
    for &(model, _) in MODERATED_PATHS {
        let spec = template(model)
            .unwrap()
            .instantiate(&example_roles(model))
            .unwrap();
        let a = fit(&d, &spec);
        for (style, name) in [
            (CoefStyle::Stars, format!("model {model}")),
            (CoefStyle::Ci, format!("model {model} with intervals")),
        ] {
            let dia = diagram::statistical(&a, &Labels::default(), style, 3);
            let (hard, crossed) = checks(&name, &dia);
            bad.extend(hard);
            let labels: std::collections::BTreeSet<&str> = crossed
                .iter()
                .map(|c| c.split(": crossed").next().unwrap_or(c))
                .collect();
            let allowed = STILL_CROSSED
                .iter()
                .find(|(m, s, _)| *m == model && *s == style)
                .map_or(0, |c| c.2);
            if !labels.is_empty() {
                crossed_now.push((model, style, labels.len()));
            }
            if labels.len() > allowed {
                bad.extend(crossed);
            }
        }
    }
    eprintln!("crossed labels now: {crossed_now:?}");
    assert!(
        bad.is_empty(),
        "{bad:#?}\ncrossed labels now: {crossed_now:?}"
    );
}

/// Labels still crossed by another arrow (model, style, how many labels; 42 labels in 23 of the
/// 112 diagrams, where there were 67 in 31 before the gaps between columns were made uneven):
/// steep fans of arrows from many boxes stacked in one column into a box at the column's top
/// (models 61-73 with intervals), and the serial-parallel models 80-92, whose four columns
/// leave narrow gaps at 6.5 in. Issue 13 is not closed until this list is empty; a layout
/// change may only shorten it (the test fails when a listed diagram gets worse or an unlisted
/// one gets a crossed label).
const STILL_CROSSED: &[(u32, CoefStyle, usize)] = &[
    (61, CoefStyle::Ci, 1),
    (64, CoefStyle::Ci, 2),
    (66, CoefStyle::Ci, 1),
    (70, CoefStyle::Ci, 2),
    (71, CoefStyle::Ci, 1),
    (72, CoefStyle::Ci, 1),
    (73, CoefStyle::Ci, 5),
    (80, CoefStyle::Stars, 2),
    (80, CoefStyle::Ci, 1),
    (81, CoefStyle::Ci, 1),
    (82, CoefStyle::Stars, 1),
    (82, CoefStyle::Ci, 6),
    (83, CoefStyle::Ci, 1),
    (84, CoefStyle::Ci, 1),
    (85, CoefStyle::Ci, 1),
    (86, CoefStyle::Ci, 1),
    (87, CoefStyle::Ci, 1),
    (88, CoefStyle::Ci, 3),
    (89, CoefStyle::Stars, 1),
    (89, CoefStyle::Ci, 2),
    (90, CoefStyle::Ci, 2),
    (92, CoefStyle::Stars, 2),
    (92, CoefStyle::Ci, 3),
];

/// The showcase: the main job's diagram passes every check with stars and with confidence
/// intervals (three-line labels at a true 8.5 pt where two lines find no clear place).
#[test]
fn the_main_jobs_statistical_diagram_is_legible() {
    let d = data("sme_survey.csv");
    let a = fit(&d, &main_job_spec());
    for style in [CoefStyle::Stars, CoefStyle::Ci] {
        let dia = diagram::statistical(&a, &Labels::default(), style, 3);
        assert_eq!(dia.edges.len(), 14, "one arrow per coefficient");
        let bad = problems(&format!("main job {style:?}"), &dia);
        assert!(bad.is_empty(), "{bad:#?}");
    }
}

#[test]
fn a_categorical_x_is_one_framed_group() {
    let d = data("sme_example.csv");
    let spec = template(7)
        .unwrap()
        .instantiate(&Roles {
            x: "size_class".into(),
            y: "export_intensity".into(),
            m: vec!["collab".into()],
            w: Some("psychic_distance".into()),
            ..Roles::default()
        })
        .unwrap();
    let a = fit(&d, &spec);
    let dia = diagram::statistical(&a, &Labels::default(), CoefStyle::Stars, 3);
    let bad = problems("categorical X", &dia);
    assert!(bad.is_empty(), "{bad:#?}");
    assert!(
        dia.node("size_class").is_none(),
        "no box for X itself, only its columns"
    );
    assert_eq!(dia.groups.len(), 2, "{:?}", dia.groups);
    let coding = &a.equations[0].0.coding[0];
    let reference = &coding.levels[0];
    for g in &dia.groups {
        assert!(
            g.label.contains(&format!("(ref. {reference})")),
            "{}",
            g.label
        );
        assert_eq!(g.members.len(), coding.columns.len());
        for m in &g.members {
            let n = dia.node(m).unwrap();
            let inside = |r: &Rect| {
                r.x - r.w / 2.0 <= n.x - n.w / 2.0
                    && r.x + r.w / 2.0 >= n.x + n.w / 2.0
                    && r.y - r.h / 2.0 <= n.y - n.h / 2.0
                    && r.y + r.h / 2.0 >= n.y + n.h / 2.0
            };
            assert!(inside(&g.rect), "{m} outside its group's frame");
        }
        for n in dia.nodes.iter().filter(|n| !g.members.contains(&n.id)) {
            assert!(
                !g.rect.overlaps(&n.rect()),
                "the frame of {} covers {}",
                g.label,
                n.id
            );
        }
    }
}

#[test]
fn a_logistic_equation_says_log_odds() {
    let d = data("sme_example.csv");
    let spec = template(4)
        .unwrap()
        .instantiate(&Roles {
            x: "network_ties".into(),
            y: "exporter".into(),
            m: vec!["collab".into()],
            ..Roles::default()
        })
        .unwrap();
    let a = fit(&d, &spec);
    let dia = diagram::statistical(&a, &Labels::default(), CoefStyle::Stars, 3);
    assert!(problems("logistic", &dia).is_empty());
    assert!(dia
        .node("exporter")
        .unwrap()
        .lines
        .iter()
        .any(|l| l.contains("log-odds")));
    assert!(!dia
        .node("collab")
        .unwrap()
        .lines
        .iter()
        .any(|l| l.contains("log-odds")));
    let caption = dia.caption.unwrap();
    assert!(
        caption.contains("Arrows into exporter are logistic regression coefficients (log-odds)"),
        "{caption}"
    );
}
