//! Plots as a journal prints them: no text under 8 pt (as written in the SVG, after plotters'
//! own scaling of font sizes, scaled to a 6.5 in text width), legends outside the data region without stretching the y axis,
//! probe values with the digits they need, Johnson-Neyman points printed alike in plot and
//! caption with the label inside the plot, greyscale hatching for the region of significance,
//! observed cases sampled and jittered for large and Likert data, a fit of 1,000,000 rows
//! writing all its figures, and `--no-captions`.
#![cfg(feature = "plot")]

use cipa::analysis::{analyse, Analysis, AnalysisOptions};
use cipa::data::{Dataset, Variable};
use cipa::plot::interaction::{self, InteractionPlot, Line};
use cipa::plot::jn::jn_plots_with;
use cipa::plot::{render_described, to_svg, Labels, PlotOptions, Theme};
use cipa::spec::template::template;
use cipa::spec::Roles;

/// Pixels per point in the SVG files (96 dpi).
const PX_PER_PT: f64 = 96.0 / 72.0;

/// A fixed pseudo-random number in [0, 1) for row `i`, stream `k`.
fn u(i: usize, k: u64) -> f64 {
    let mut z = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (k << 40);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
}

/// `n` rows: x continuous, w on a 1-7 Likert scale, y = 1 + 0.5x + 0.3w - 0.2xw + noise.
fn data(n: usize) -> Dataset {
    let x: Vec<f64> = (0..n).map(|i| 4.0 * u(i, 1)).collect();
    let w: Vec<f64> = (0..n).map(|i| 1.0 + (7.0 * u(i, 2)).floor()).collect();
    let y: Vec<f64> = (0..n)
        .map(|i| 1.0 + 0.5 * x[i] + 0.3 * w[i] - 0.2 * x[i] * w[i] + 2.0 * (u(i, 3) - 0.5))
        .collect();
    Dataset::new(
        "test",
        vec![
            Variable::numeric("x", x),
            Variable::numeric("w", w),
            Variable::numeric("y", y),
        ],
    )
    .unwrap()
}

fn model1(d: &Dataset) -> Analysis {
    let spec = template(1)
        .unwrap()
        .instantiate(&Roles {
            x: "x".into(),
            y: "y".into(),
            w: Some("w".into()),
            ..Roles::default()
        })
        .unwrap();
    let opts = AnalysisOptions {
        boot: 0,
        threads: 1,
        jn: true,
        ..AnalysisOptions::default()
    };
    analyse(d, &spec, &opts).unwrap()
}

/// Every `font-size` of an SVG, in points.
fn font_sizes_pt(svg: &str) -> Vec<f64> {
    svg.split("font-size=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].parse::<f64>().unwrap() / PX_PER_PT)
        .collect()
}

/// A journal's text width, in points (6.5 in).
const TEXT_WIDTH_PT: f64 = 6.5 * 72.0;

/// The smallest text of an SVG as printed at a journal's text width: scaled down to 6.5 in
/// when wider, at its own size when narrower.
pub fn smallest_printed_pt(svg: &str) -> f64 {
    smallest_pt(svg, true)
}

/// The smallest text of an SVG in points: at the SVG's own size, or (`at_text_width`) as
/// printed at a journal's text width.
pub fn smallest_pt(svg: &str, at_text_width: bool) -> f64 {
    let k = svg.find("<svg width=\"").expect("an svg element") + 12;
    let width_px: f64 = svg[k..k + svg[k..].find('"').unwrap()].parse().unwrap();
    let shrink = if at_text_width {
        (TEXT_WIDTH_PT * PX_PER_PT / width_px).min(1.0)
    } else {
        1.0
    };
    let sizes = font_sizes_pt(svg);
    assert!(!sizes.is_empty(), "an svg without text");
    sizes.iter().copied().fold(f64::MAX, f64::min) * shrink
}

/// (x, y, anchor, text) of every text element of an SVG.
fn texts(svg: &str) -> Vec<(f64, f64, String, String)> {
    let attr = |tag: &str, name: &str| -> Option<String> {
        let k = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(tag[k..k + tag[k..].find('"')?].to_string())
    };
    svg.split("<text")
        .skip(1)
        .map(|s| {
            let (tag, rest) = s.split_once('>').unwrap();
            let body = rest[..rest.find("</text>").unwrap()].trim().to_string();
            (
                attr(tag, "x").unwrap().parse().unwrap(),
                attr(tag, "y").unwrap().parse().unwrap(),
                attr(tag, "text-anchor").unwrap_or_default(),
                body,
            )
        })
        .collect()
}

/// The data region of a chart: the extent of its light grid lines (x0, y0, x1, y1) in pixels.
fn grid(svg: &str) -> (f64, f64, f64, f64) {
    let mut r = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for l in svg.split("<line").skip(1).filter(|l| l.contains("#E8E8E8")) {
        let v = |n: &str| -> f64 {
            let k = l.find(&format!(" {n}=\"")).unwrap() + n.len() + 3;
            l[k..k + l[k..].find('"').unwrap()].parse().unwrap()
        };
        r = (
            r.0.min(v("x1").min(v("x2"))),
            r.1.min(v("y1").min(v("y2"))),
            r.2.max(v("x1").max(v("x2"))),
            r.3.max(v("y1").max(v("y2"))),
        );
    }
    r
}

#[test]
fn no_text_under_8_pt_and_legends_below_the_data() {
    let d = data(400);
    let a = model1(&d);
    let r = render_described(&a, Some(&d), &PlotOptions::default()).unwrap();
    let svgs: Vec<_> = r
        .artifacts
        .iter()
        .filter(|f| f.file_name.ends_with(".svg"))
        .collect();
    assert_eq!(svgs.len(), 4, "diagrams, interaction and JN plots");
    // The plots and both path diagrams, as printed at 6.5 in.
    for f in &svgs {
        let svg = String::from_utf8(f.bytes.clone()).unwrap();
        let min = smallest_printed_pt(&svg);
        assert!(min >= 8.0 - 1e-9, "{}: text at {min:.2} pt", f.file_name);
    }
    let svg = String::from_utf8(
        svgs.iter()
            .find(|f| f.file_name.starts_with("interaction"))
            .unwrap()
            .bytes
            .clone(),
    )
    .unwrap();
    let (_, _, _, bottom) = grid(&svg);
    let keys: Vec<_> = texts(&svg)
        .into_iter()
        .filter(|t| t.3.starts_with("w = "))
        .collect();
    assert_eq!(keys.len(), 3, "one legend entry per probe value");
    for k in &keys {
        assert!(
            k.1 > bottom,
            "legend entry {k:?} below the data region ({bottom})"
        );
        // Probe values with the digits they need: a Likert moderator's are whole or short.
        assert!(!k.3.ends_with('0') || k.3.ends_with(" 0"), "{k:?}");
    }
}

fn plot_with_lines(n: usize) -> InteractionPlot {
    let x = vec![0.0, 1.0, 2.0];
    InteractionPlot {
        title: "t".into(),
        x_label: "x".into(),
        y_label: "y".into(),
        x: x.clone(),
        levels: None,
        lines: (0..n)
            .map(|k| Line {
                label: format!("w = {k}"),
                fit: vec![1.0, 2.0, 3.0],
                lower: vec![0.5, 1.5, 2.5],
                upper: vec![1.5, 2.5, 3.5],
            })
            .collect(),
        caption: "c".into(),
        theme: Theme::default(),
        points: Vec::new(),
        source: None,
    }
}

#[test]
fn more_lines_do_not_stretch_the_y_axis() {
    let ticks = |n: usize| -> Vec<String> {
        let svg = to_svg(&plot_with_lines(n)).unwrap();
        texts(&svg)
            .into_iter()
            .filter(|t| t.2 == "end")
            .map(|t| t.3)
            .collect()
    };
    assert_eq!(ticks(1), ticks(6));
    assert!(!ticks(1).is_empty());
}

#[test]
fn probe_values_print_with_the_digits_they_need() {
    assert_eq!(interaction::probe_text("1.0000"), "1");
    assert_eq!(interaction::probe_text("0.0000"), "0");
    assert_eq!(interaction::probe_text("-0.0000"), "0");
    assert_eq!(interaction::probe_text("1.2500"), "1.25");
    assert_eq!(interaction::probe_text("3.0712"), "3.0712");
    assert_eq!(interaction::probe_text("12"), "12");
    assert_eq!(interaction::probe_text("Family firm"), "Family firm");
}

#[test]
fn johnson_neyman_points_print_alike_in_plot_and_caption() {
    let d = data(400);
    let a = model1(&d);
    assert!(!a.johnson_neyman.is_empty());
    for decimals in [2, 4] {
        let plots = jn_plots_with(&a, &Labels::default(), Theme::default(), decimals);
        let (_, p) = &plots[0];
        assert!(!p.points.is_empty(), "the test data cross zero");
        let svg = to_svg(p).unwrap();
        let (_, _, right, _) = grid(&svg);
        for (v, label) in p.points.iter().zip(&p.point_labels) {
            assert_eq!(*label, format!("{v:.decimals$}"));
            assert!(p.caption.contains(label.as_str()), "{}", p.caption);
            let t = texts(&svg)
                .into_iter()
                .find(|t| t.3 == *label)
                .unwrap_or_else(|| panic!("{label} drawn"));
            // Anchored so the label runs away from the right edge when it is near it.
            if t.2 != "end" {
                assert!(t.0 < right - 20.0, "{t:?} inside the plot ({right})");
            }
        }
    }
}

#[test]
fn greyscale_hatches_the_region_of_significance() {
    let d = data(400);
    let a = model1(&d);
    let grey = Theme {
        greyscale: true,
        ..Theme::default()
    };
    let (_, p) = &jn_plots_with(&a, &Labels::default(), grey, 3)[0];
    let svg = to_svg(p).unwrap();
    assert!(p.caption.contains("hatched"), "{}", p.caption);
    assert!(svg.matches("#969696").count() > 10, "hatch lines");
    let (_, p) = &jn_plots_with(&a, &Labels::default(), Theme::default(), 3)[0];
    let svg = to_svg(p).unwrap();
    assert!(svg.contains("#DDEEF8") && !svg.contains("#969696"));
    assert!(p.caption.contains("shaded"));
}

#[test]
fn likert_cases_are_jittered_and_many_cases_sampled() {
    let d = data(500);
    let a = model1(&d);
    let mut p = interaction::interaction_plots(&a, &Labels::default(), Theme::default())
        .unwrap()
        .remove(0)
        .1;
    // y is continuous, x too: nothing to jitter.
    assert!(interaction::add_observed(&mut p, &d, false));
    assert_eq!(p.points.len(), 500);
    assert!(!p.caption.contains("jittered"));
    // A Likert outcome: jittered vertically, within a third of its step, the same every run.
    let likert: Vec<f64> = (0..500).map(|i| 1.0 + (5.0 * u(i, 7)).floor()).collect();
    let mut vars = d.variables().to_vec();
    vars[2] = Variable::numeric("y", likert.clone());
    let d2 = Dataset::new("likert", vars).unwrap();
    let mut q = p.clone();
    q.caption = String::new();
    assert!(interaction::add_observed(&mut q, &d2, false));
    assert!(q.caption.contains("jittered vertically"), "{}", q.caption);
    let moved = q
        .points
        .iter()
        .zip(&likert)
        .filter(|(pt, y)| (pt.1 - **y).abs() > 1e-12)
        .count();
    assert!(moved > 450);
    assert!(q
        .points
        .iter()
        .zip(&likert)
        .all(|(pt, y)| (pt.1 - y).abs() <= 0.34));
    let mut again = p.clone();
    interaction::add_observed(&mut again, &d2, false);
    assert_eq!(again.points, q.points);
}

/// A fit of 1,000,000 rows writes every figure, each with a sample of the observed cases (the
/// SVG and PDF of a million dots were hundreds of megabytes).
#[test]
fn a_million_rows_write_all_figures() {
    let d = data(1_000_000);
    let a = model1(&d);
    let r = render_described(&a, Some(&d), &PlotOptions::default()).unwrap();
    assert_eq!(r.figures.len(), 4);
    let inter = r
        .figures
        .iter()
        .find(|f| f.stem.starts_with("interaction"))
        .unwrap();
    assert!(
        inter
            .caption
            .contains("3,000 of the 1,000,000 observed cases"),
        "{}",
        inter.caption
    );
    for f in &r.artifacts {
        assert!(
            f.bytes.len() < 5_000_000,
            "{}: {} bytes",
            f.file_name,
            f.bytes.len()
        );
    }
}

#[test]
fn no_captions_leaves_captions_out_of_the_drawings_only() {
    let d = data(300);
    let a = model1(&d);
    let with = render_described(&a, Some(&d), &PlotOptions::default()).unwrap();
    let without = render_described(
        &a,
        Some(&d),
        &PlotOptions {
            captions: false,
            ..PlotOptions::default()
        },
    )
    .unwrap();
    assert_eq!(with.figures.len(), without.figures.len());
    for (a, b) in with.figures.iter().zip(&without.figures) {
        assert_eq!(a.caption, b.caption, "figures.json keeps the caption");
        let svg = |r: &cipa::plot::Rendered, stem: &str| {
            let f = r
                .artifacts
                .iter()
                .find(|f| f.file_name == format!("{stem}.svg"))
                .unwrap();
            String::from_utf8(f.bytes.clone()).unwrap()
        };
        let first_words: String = a
            .caption
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ");
        if !first_words.is_empty() {
            assert!(svg(&with, &a.stem).contains(&first_words), "{}", a.stem);
            assert!(!svg(&without, &b.stem).contains(&first_words), "{}", b.stem);
        }
    }
}
