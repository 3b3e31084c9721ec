//! Every renderer on fixed models fitted on the shipped example data: text outputs (DOT, TikZ,
//! SVG) as snapshots, PNGs decoded and checked for size and resolution, every output identical
//! when rendered twice, and the statistical diagrams' coefficient labels clear of every box and
//! of each other.
#![cfg(feature = "plot")]

use cipa::analysis::{analyse, Analysis, AnalysisOptions};
use cipa::plot::diagram::{self, CoefStyle, DiagramFigure};
use cipa::plot::indirect::{IndirectCurve, IndirectPlot};
use cipa::plot::{
    render_all, render_all_with_data, render_indirect, to_png, to_svg, Labels, PlotOptions, Theme,
};
use cipa::spec::{template::template, Roles};

fn fitted(model: u32, m: &[&str], w: Option<&str>, cov: &[&str], boot: usize) -> Analysis {
    let data = crate::common::sme_example();
    let x = if model == 1 { "collab" } else { "network_ties" };
    let spec = template(model)
        .unwrap()
        .instantiate(&Roles {
            x: x.into(),
            y: "export_intensity".into(),
            m: m.iter().map(|s| s.to_string()).collect(),
            w: w.map(str::to_string),
            cov: cov.iter().map(|s| s.to_string()).collect(),
            ..Roles::default()
        })
        .unwrap();
    let opts = AnalysisOptions {
        jn: true,
        boot,
        seed: 7,
        threads: 1,
        ..AnalysisOptions::default()
    };
    analyse(&data, &spec, &opts).unwrap()
}

fn model7() -> Analysis {
    fitted(
        7,
        &["collab"],
        Some("psychic_distance"),
        &["family_owned"],
        500,
    )
}

fn png_info(bytes: &[u8]) -> (u32, u32, u32) {
    let dec = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = dec.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size()];
    reader.next_frame(&mut buf).expect("decodable pixels");
    let info = reader.info();
    let dpi = info
        .pixel_dims
        .map_or(0, |d| (d.xppu as f64 * 0.0254).round() as u32);
    (info.width, info.height, dpi)
}

#[test]
fn diagram_text_outputs() {
    let a = model7();
    let labels = Labels::default();
    let c = diagram::conceptual(&a.spec, &labels);
    let s = diagram::statistical(&a, &labels, CoefStyle::Stars, 3);
    insta::assert_snapshot!("model7_conceptual_dot", diagram::to_dot(&c));
    insta::assert_snapshot!("model7_conceptual_tikz", diagram::to_tikz(&c));
    insta::assert_snapshot!("model7_statistical_dot", diagram::to_dot(&s));
    insta::assert_snapshot!("model7_statistical_tikz", diagram::to_tikz(&s));
    let ci = diagram::statistical(&a, &labels, CoefStyle::Ci, 2);
    insta::assert_snapshot!("model7_statistical_ci_tikz", diagram::to_tikz(&ci));
    let fig = DiagramFigure {
        diagram: &c,
        theme: Theme::default(),
    };
    insta::assert_snapshot!("model7_conceptual_svg", to_svg(&fig).unwrap());
    for (name, d) in [
        ("model7_statistical_svg", &s),
        ("model7_statistical_ci_svg", &ci),
    ] {
        let fig = DiagramFigure {
            diagram: d,
            theme: Theme::default(),
        };
        insta::assert_snapshot!(name, to_svg(&fig).unwrap());
    }
}

#[test]
fn every_artifact_renders_and_is_deterministic() {
    let a = model7();
    let opts = PlotOptions::default();
    let first = render_all(&a, &opts).unwrap();
    let names: Vec<&str> = first.iter().map(|x| x.file_name.as_str()).collect();
    insta::assert_snapshot!("model7_artifacts", names.join("\n"));
    for kind in ["diagram_conceptual", "diagram_statistical"] {
        for ext in ["svg", "png", "pdf", "dot", "tex"] {
            assert!(
                names.contains(&format!("{kind}.{ext}").as_str()),
                "{kind}.{ext}"
            );
        }
    }
    for prefix in ["interaction_", "jn_", "indirect_", "bootstrap_indirect_"] {
        assert!(
            names
                .iter()
                .any(|n| n.starts_with(prefix) && n.ends_with(".png")),
            "{prefix}"
        );
        assert!(
            names
                .iter()
                .any(|n| n.starts_with(prefix) && n.ends_with(".svg")),
            "{prefix}"
        );
    }
    for art in &first {
        if art.file_name.ends_with(".png") {
            let (w, h, dpi) = png_info(&art.bytes);
            assert_eq!(dpi, 300, "{}", art.file_name);
            if !art.file_name.starts_with("diagram") {
                assert_eq!(
                    (w, h),
                    (1800, 1200),
                    "{}: 6 x 4 inches at 300 dpi",
                    art.file_name
                );
            }
        } else if art.file_name.ends_with(".pdf") {
            assert!(art.bytes.starts_with(b"%PDF-"), "{}", art.file_name);
            let name = art.file_name.trim_end_matches(".pdf");
            assert!(
                names.contains(&format!("{name}.svg").as_str()),
                "{name}: a PDF next to each SVG"
            );
        } else {
            let text = std::str::from_utf8(&art.bytes).expect("text outputs are UTF-8");
            if art.file_name.ends_with(".svg") {
                assert!(text.starts_with("<svg") && text.trim_end().ends_with("</svg>"));
            }
        }
    }
    // Determinism, at a low resolution to keep the test quick in debug builds.
    let small = PlotOptions {
        dpi: 40.0,
        ..PlotOptions::default()
    };
    let (one, two) = (
        render_all(&a, &small).unwrap(),
        render_all(&a, &small).unwrap(),
    );
    for (a, b) in one.iter().zip(&two) {
        // Names only: a byte dump of every figure would drown the failure.
        assert!(
            a == b,
            "{}: the same input gives the same bytes",
            a.file_name
        );
    }
    assert_eq!(one.len(), two.len());
    let text = |arts: &[cipa::plot::Artifact]| -> Vec<cipa::plot::Artifact> {
        arts.iter()
            .filter(|x| !x.file_name.ends_with(".png"))
            .cloned()
            .collect()
    };
    assert_eq!(
        text(&first),
        text(&one),
        "SVG, PDF, DOT and TikZ do not depend on the PNG resolution"
    );
}

#[test]
fn plot_svgs() {
    let a = model7();
    // SVGs do not depend on the PNG resolution; a low one keeps the test quick.
    let opts = PlotOptions {
        dpi: 20.0,
        ..PlotOptions::default()
    };
    let all = render_all(&a, &opts).unwrap();
    for art in all
        .iter()
        .filter(|x| x.file_name.ends_with(".svg") && !x.file_name.starts_with("diagram"))
    {
        let stem = art.file_name.trim_end_matches(".svg").to_string();
        if stem.starts_with("bootstrap_indirect_") && stem != "bootstrap_indirect_01" {
            continue;
        }
        insta::assert_snapshot!(
            format!("model7_{stem}"),
            String::from_utf8(art.bytes.clone()).unwrap()
        );
    }
}

#[test]
fn greyscale_and_labels_change_the_output() {
    let a = fitted(1, &[], Some("psychic_distance"), &[], 0);
    let plain = render_all(&a, &PlotOptions::default()).unwrap();
    let grey = render_all(
        &a,
        &PlotOptions {
            theme: Theme {
                greyscale: true,
                ..Theme::default()
            },
            labels: cipa::plot::parse_labels("collab=Collaboration").unwrap(),
            ..PlotOptions::default()
        },
    )
    .unwrap();
    let svg = |arts: &[cipa::plot::Artifact], prefix: &str| {
        let a = arts
            .iter()
            .find(|x| x.file_name.starts_with(prefix) && x.file_name.ends_with(".svg"))
            .unwrap();
        String::from_utf8(a.bytes.clone()).unwrap()
    };
    let (p, g) = (svg(&plain, "interaction_"), svg(&grey, "interaction_"));
    assert!(
        p.contains("#0072B2") || p.contains("#0072b2"),
        "Okabe-Ito blue in colour"
    );
    assert!(
        !g.contains("#0072B2") && !g.contains("#0072b2"),
        "no colour in greyscale"
    );
    assert!(g.contains("Collaboration") && !p.contains("Collaboration"));
    // Model 1 has no bootstrap: no histograms, no indirect effects.
    assert!(!plain
        .iter()
        .any(|x| x.file_name.starts_with("bootstrap_") || x.file_name.starts_with("indirect_")));
}

/// Model number, mediators, W and covariates.
type Case = (
    u32,
    &'static [&'static str],
    Option<&'static str>,
    &'static [&'static str],
);

#[test]
fn coefficient_labels_never_cover_boxes_or_each_other() {
    let cases: [Case; 6] = [
        (1, &[], Some("psychic_distance"), &[]),
        (4, &["collab"], None, &["family_owned"]),
        (6, &["intl_experience", "collab"], None, &[]),
        (7, &["collab"], Some("psychic_distance"), &["family_owned"]),
        (14, &["collab"], Some("psychic_distance"), &["family_owned"]),
        (58, &["collab"], Some("psychic_distance"), &[]),
    ];
    for (model, m, w, cov) in cases {
        let a = fitted(model, m, w, cov, 0);
        for style in [CoefStyle::Stars, CoefStyle::Ci] {
            let d = diagram::statistical(&a, &Labels::default(), style, 3);
            let labels: Vec<_> = d.edges.iter().filter_map(|e| e.label_rect).collect();
            assert_eq!(
                labels.len(),
                d.edges.len(),
                "model {model}: every arrow labelled"
            );
            for (i, r) in labels.iter().enumerate() {
                for n in &d.nodes {
                    assert!(
                        !r.overlaps(&n.rect()),
                        "model {model} {style:?}: a label covers box {}",
                        n.id
                    );
                }
                for o in &labels[i + 1..] {
                    assert!(
                        !r.overlaps(o),
                        "model {model} {style:?}: two labels overlap"
                    );
                }
                assert!(
                    r.x - r.w / 2.0 >= 0.0 && r.x + r.w / 2.0 <= d.width,
                    "model {model}: label outside"
                );
            }
        }
    }
}

#[test]
fn indirect_curve_from_a_hand_built_curve() {
    let grid: Vec<f64> = (0..=20).map(|i| 1.0 + i as f64 * 0.2).collect();
    let curve = IndirectCurve {
        path: vec!["x".into(), "m".into(), "y".into()],
        moderator: "w".into(),
        estimate: grid.iter().map(|w| 0.1 + 0.05 * w).collect(),
        lower: grid.iter().map(|w| 0.02 + 0.04 * w).collect(),
        upper: grid.iter().map(|w| 0.18 + 0.06 * w).collect(),
        grid,
        index: Some((0.05, 0.01, 0.09)),
        observed_range: (1.0, 5.0),
        conf: 95.0,
        fixed: Vec::new(),
    };
    let plot = IndirectPlot::new(curve.clone(), &Labels::default(), Theme::default(), 3).unwrap();
    assert!(plot
        .caption
        .contains("Index of moderated mediation: 0.050, 95% CI [0.010, 0.090]"));
    insta::assert_snapshot!("hand_built_indirect_svg", to_svg(&plot).unwrap());
    let (w, h, dpi) = png_info(&to_png(&plot, 300.0).unwrap());
    assert_eq!((w, h, dpi), (1800, 1200, 300));
    let arts = render_indirect(&curve, &PlotOptions::default()).unwrap();
    let names: Vec<_> = arts.iter().map(|a| a.file_name.as_str()).collect();
    assert_eq!(
        names,
        [
            "indirect_x-m-y_by_w.svg",
            "indirect_x-m-y_by_w.png",
            "indirect_x-m-y_by_w.pdf"
        ]
    );
}

#[test]
fn indirect_curves_agree_with_the_probed_effects() {
    // The plot draws the analysis' own curves (tests/suite/curves.rs ties those to the probed effects).
    let a = fitted(58, &["collab"], Some("psychic_distance"), &[], 400);
    let curves = cipa::plot::indirect::indirect_curves(&a);
    assert_eq!(curves.len(), 1);
    let c = &curves[0];
    let own = &a.indirect_curves[0];
    assert_eq!(c.path, own.def.path);
    assert_eq!((&c.grid, &c.estimate), (&own.grid, &own.estimate));
    assert_eq!((&c.lower, &c.upper), (&own.lower, &own.upper));
    // Over the observed range.
    assert_eq!(c.grid.first().copied(), Some(c.observed_range.0));
    assert_eq!(c.grid.last().copied(), Some(c.observed_range.1));
    assert!(c.index.is_none(), "model 58 has no single index");
    assert!(c.lower.iter().zip(&c.upper).all(|(l, u)| l <= u));
    // Model 7: linear in W, with the index of moderated mediation.
    let a = model7();
    let c = &cipa::plot::indirect::indirect_curves(&a)[0];
    let idx = a
        .effects
        .iter()
        .find(|e| e.def.kind == cipa::effects::EffectKind::IndexOfModeratedMediation)
        .unwrap();
    assert_eq!(c.index, Some((idx.effect, idx.ci_lower, idx.ci_upper)));
    let slope =
        (c.estimate[c.grid.len() - 1] - c.estimate[0]) / (c.observed_range.1 - c.observed_range.0);
    assert!(
        (slope - idx.effect).abs() < 1e-10,
        "a straight line with the index as slope"
    );
}

fn model1_with(x: &str, w: &str) -> Analysis {
    model1_opts(
        x,
        w,
        &AnalysisOptions {
            boot: 0,
            ..AnalysisOptions::default()
        },
    )
}

fn model1_opts(x: &str, w: &str, opts: &AnalysisOptions) -> Analysis {
    let data = crate::common::sme_example();
    let spec = template(1)
        .unwrap()
        .instantiate(&Roles {
            x: x.into(),
            y: "export_intensity".into(),
            w: Some(w.into()),
            ..Roles::default()
        })
        .unwrap();
    analyse(&data, &spec, opts).unwrap()
}

#[test]
fn interaction_plots_for_categorical_x_and_w() {
    // Categorical X: one plot with the levels on the x axis, one line per probe value of W; the
    // predictions at each level are the fitted equation at that level's codes.
    let a = model1_with("region", "psychic_distance");
    let plots =
        cipa::plot::interaction::interaction_plots(&a, &Labels::default(), Theme::default())
            .unwrap();
    assert_eq!(plots.len(), 1, "all coded columns of X in one plot");
    let (stem, p) = &plots[0];
    assert_eq!(stem, "interaction_region_on_export_intensity");
    let levels = p.levels.as_ref().expect("categorical x axis");
    assert_eq!(levels.len(), 4);
    assert_eq!(p.lines.len(), 3, "three probe values of W");
    let fit = &a.equations[0].0;
    let info = fit.coding.iter().find(|c| c.variable == "region").unwrap();
    let (_, points) = a
        .probes
        .iter()
        .find(|(n, _)| n == "psychic_distance")
        .unwrap();
    for (k, line) in p.lines.iter().enumerate() {
        let w = points[k].value;
        for (i, got) in line.fit.iter().enumerate() {
            let mut want = fit.coefficient("constant").unwrap().estimate
                + fit.coefficient("psychic_distance").unwrap().estimate * w;
            for col in &info.columns {
                let code = col.values[i];
                want += fit.coefficient(&col.name).unwrap().estimate * code;
                let inter = format!("{}:psychic_distance", col.name);
                want += fit.coefficient(&inter).unwrap().estimate * code * w;
            }
            assert!(
                (got - want).abs() < 1e-9,
                "level {i}, w {w}: {got} vs {want}"
            );
            assert!(line.lower[i] < *got && *got < line.upper[i]);
        }
    }
    let png = to_png(p, 72.0).unwrap();
    assert_eq!(png_info(&png), (432, 288, 72));
    // Categorical W: one line per level.
    let a = model1_with("collab", "region");
    let plots =
        cipa::plot::interaction::interaction_plots(&a, &Labels::default(), Theme::default())
            .unwrap();
    assert_eq!(plots.len(), 1);
    let p = &plots[0].1;
    assert!(p.levels.is_none());
    let names: Vec<&str> = p.lines.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(names.len(), 4, "{names:?}");
    assert!(
        names.iter().all(|n| n.starts_with("region = ")),
        "{names:?}"
    );
    // Lines are straight in X with the conditional slopes the analysis reports.
    let ce = &a.conditional[0];
    for (line, row) in p.lines.iter().zip(&ce.rows) {
        let n = p.x.len() - 1;
        let slope = (line.fit[n] - line.fit[0]) / (p.x[n] - p.x[0]);
        assert!(
            (slope - row.test.effect).abs() < 1e-9,
            "{slope} vs {}",
            row.test.effect
        );
    }
}

#[test]
fn observed_cases_on_interaction_plots() {
    let data = crate::common::sme_example();
    let a = model1_with("collab", "psychic_distance");
    let (_, mut p) =
        cipa::plot::interaction::interaction_plots(&a, &Labels::default(), Theme::default())
            .unwrap()
            .remove(0);
    assert!(cipa::plot::interaction::add_observed(&mut p, &data, false));
    assert_eq!(
        p.points.len(),
        a.n,
        "every complete case of the model, once"
    );
    let (_, points) = &a.probes[0];
    let w = data.numeric("psychic_distance").unwrap();
    let x = data.numeric("collab").unwrap();
    // Each case goes with its nearest probe value.
    let mut k = 0;
    for (i, xi) in x.iter().enumerate() {
        let y = data.numeric("export_intensity").unwrap()[i];
        if !(xi.is_finite() && w[i].is_finite() && y.is_finite()) {
            continue;
        }
        let nearest = (0..points.len())
            .min_by(|&a, &b| {
                (points[a].value - w[i])
                    .abs()
                    .total_cmp(&(points[b].value - w[i]).abs())
            })
            .unwrap();
        assert_eq!(p.points[k], (*xi, y, nearest));
        k += 1;
    }
    assert!(
        !cipa::plot::interaction::add_observed(&mut p.clone(), &data, true),
        "not on centred scales"
    );
    let with = render_all_with_data(
        &a,
        &data,
        &PlotOptions {
            dpi: 20.0,
            ..PlotOptions::default()
        },
    )
    .unwrap();
    let svg = with
        .iter()
        .find(|x| x.file_name.starts_with("interaction_") && x.file_name.ends_with(".svg"))
        .unwrap();
    let circles = String::from_utf8(svg.bytes.clone())
        .unwrap()
        .matches("<circle")
        .count();
    assert!(circles >= a.n, "{circles} circles for {} cases", a.n);
}

/// The x of the SVG text element holding `needle`.
fn text_x(svg: &str, needle: &str) -> f64 {
    let at = svg.find(needle).expect("the text is drawn");
    let open = svg[..at]
        .rfind("<text x=\"")
        .expect("inside a text element")
        + 9;
    let end = open + svg[open..].find('"').unwrap();
    svg[open..end].parse().unwrap()
}

#[test]
fn jn_lines_do_not_strike_through_the_observed_range_label() {
    let w: Vec<f64> = (0..=100).map(|i| i as f64 / 10.0).collect();
    // The effect crosses significance at w = 5, the middle of the observed range, where the
    // label used to sit.
    let effect: Vec<f64> = w.iter().map(|v| 1.0 - 0.1 * v).collect();
    let plot = cipa::plot::jn::JnPlot {
        title: "Conditional effect of x on y".into(),
        x_label: "w".into(),
        y_label: "Effect of x".into(),
        lower: effect.iter().map(|e| e - 0.5).collect(),
        upper: effect.iter().map(|e| e + 0.5).collect(),
        effect,
        w,
        points: vec![5.0],
        point_labels: vec!["5".into()],
        heading: "Johnson-Neyman plot".into(),
        observed: (0.0, 10.0),
        caption: "JN point 5.".into(),
        theme: Theme::default(),
    };
    let svg = to_svg(&plot).unwrap();
    let label = "observed range of w";
    let lx = text_x(&svg, label);
    let jx = text_x(&svg, " 5\n");
    // Half the label's width in SVG pixels, at a low estimate of DejaVu Sans (0.5 em a letter).
    let half = 0.5 * 8.0 * label.len() as f64 * 96.0 / 72.0 / 2.0;
    assert!((lx - jx).abs() > half, "label at {lx}, JN line at {jx}");
}

/// The figures draw what the report prints: the simple slopes' bands and the Johnson-Neyman
/// curve use the critical value of the printed intervals. Under PROCESS's approximated critical
/// value (`process_t`) and under the exact one, every band's half-width changes by the same
/// factor as the printed intervals of the conditional effects and the Johnson-Neyman table.
#[test]
fn figures_use_the_reports_critical_value() {
    let run = |process_t: bool| {
        let opts = AnalysisOptions {
            boot: 0,
            jn: true,
            process_t,
            ..AnalysisOptions::default()
        };
        model1_opts("collab", "psychic_distance", &opts)
    };
    let (approx, exact) = (run(true), run(false));
    let half = |lo: f64, hi: f64| (hi - lo) / 2.0;
    let row = |a: &Analysis| {
        let t = &a.conditional[0].rows[0].test;
        half(t.ci_lower, t.ci_upper)
    };
    let ratio = row(&approx) / row(&exact);
    // At df = 390 PROCESS's approximation is close to the exact quantile, but not equal; the
    // bands must follow it to 1e-12.
    assert!(
        (ratio - 1.0).abs() > 1e-10,
        "the two critical values differ: {ratio}"
    );
    let (sa, se) = (&approx.simple_slopes[0], &exact.simple_slopes[0]);
    assert_eq!(sa.lines.len(), 3);
    for (la, le) in sa.lines.iter().zip(&se.lines) {
        for i in 0..sa.x.len() {
            let r = half(la.lower[i], la.upper[i]) / half(le.lower[i], le.upper[i]);
            assert!((r - ratio).abs() < 1e-12, "band {i}: {r} vs {ratio}");
            assert_eq!(la.fit[i], le.fit[i]);
        }
    }
    let (ja, je) = (&approx.johnson_neyman[0], &exact.johnson_neyman[0]);
    let t = &ja.table[0].test;
    let c = &ja.curve;
    assert_eq!((c.w[0], c.effect[0]), (ja.table[0].value, t.effect));
    assert!((c.upper[0] - t.ci_upper).abs() < 1e-12 * t.ci_upper.abs().max(1.0));
    for i in 0..c.w.len() {
        let r = half(c.lower[i], c.upper[i]) / half(je.curve.lower[i], je.curve.upper[i]);
        assert!((r - ratio).abs() < 1e-12, "JN curve {i}: {r} vs {ratio}");
    }
    // The plots draw these numbers.
    let (_, p) = &cipa::plot::jn::jn_plots(&approx, &Labels::default(), Theme::default())[0];
    assert_eq!((&p.lower, &p.upper), (&c.lower, &c.upper));
    let plots =
        cipa::plot::interaction::interaction_plots(&approx, &Labels::default(), Theme::default())
            .unwrap();
    assert_eq!(plots[0].1.lines[2].upper, sa.lines[2].upper);
}
