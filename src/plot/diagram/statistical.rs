//! The statistical diagram: every term of every equation a box with an arrow to the outcome it
//! predicts, labelled with its coefficient when drawn from an [`Analysis`]. The coded columns of
//! a categorical predictor sit together in one frame named after the variable; the outcome of
//! a logistic equation says that the arrows into it are log-odds. Laid out for a journal's text
//! width: when a coefficient label finds no place clear of every box, line and other label, the
//! layout is tried again with more room between columns and rows, with arrow ends spread
//! wider along the boxes' sides, and with the room between columns shared unevenly (more for
//! the gap a wide fan of arrows into one box crosses); confidence intervals that find no clear
//! place on two lines are tried on three (narrower). When no layout within the width finds every
//! coefficient a clear place, the arrows carry path symbols and the coefficients go in a key
//! beneath the drawing.

use super::build::{base, new_node, new_node_lines, Roles};
use super::coef_labels::{group_lines, group_name_h, place_labels, Clashes};
use super::ir::{Diagram, DiagramKind, Edge, Group, Node, Rect, Target, SPREAD_MIN};
use super::layered;
use super::layout::{self, arrow, box_lines, Pending, Spacing};
use crate::analysis::Analysis;
use crate::estimation::{Method, CONSTANT};
use crate::plot::labels::{split_factors, Labels};
use crate::spec::ModelSpec;

/// How coefficients are written on a statistical diagram's arrows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CoefStyle {
    /// `0.412***` (* p < .05, ** p < .01, *** p < .001).
    #[default]
    Stars,
    /// `0.412` over `[0.21, 0.61]`.
    Ci,
}

/// Significance stars.
pub fn stars(p: f64) -> &'static str {
    if p < 0.001 {
        "***"
    } else if p < 0.01 {
        "**"
    } else if p < 0.05 {
        "*"
    } else {
        ""
    }
}

/// One equation for the statistical diagram: outcome and (term, arrow label) pairs.
struct StatEq {
    outcome: String,
    terms: Vec<(String, Option<String>)>,
    logistic: bool,
}

/// What the layout draws besides the equations.
struct Extras {
    note: Option<String>,
    /// Reference level of each categorical predictor.
    references: Vec<(String, String)>,
}

/// The statistical diagram of a spec's structure: every term a box with an arrow to each
/// outcome it predicts, without coefficients.
pub fn statistical_from_spec(spec: &ModelSpec, labels: &Labels) -> Diagram {
    let eqs = spec
        .equations
        .iter()
        .map(|e| StatEq {
            outcome: e.outcome.clone(),
            terms: e.terms.iter().map(|t| (t.name(), None)).collect(),
            logistic: false,
        })
        .collect::<Vec<_>>();
    let extras = Extras {
        note: None,
        references: Vec::new(),
    };
    statistical_layout(spec, &eqs, labels, &extras, Reach::Wider).0
}

/// The statistical diagram of an analysis, each arrow labelled with its coefficient. `decimals`
/// digits after the point. When the coefficients find no place clear of every box, line and
/// other label within a journal's text width, each arrow is labelled with its path symbol
/// instead (`a1`, `d21`, `c'`, [`super::symbols`]) and the coefficients go in a key beneath
/// the drawing, as Hayes (2022) pairs the statistical diagrams of complex models with a table
/// of their coefficients: short labels fit the narrow gaps of serial-parallel models and the
/// steep fans of arrows into one box where a number with its interval does not, and no number
/// is lost or printed smaller than 8 pt.
pub fn statistical(
    analysis: &Analysis,
    labels: &Labels,
    style: CoefStyle,
    decimals: usize,
) -> Diagram {
    let eqs = |ci_lines: usize| coefficient_equations(analysis, style, decimals, ci_lines);
    let logistic: Vec<String> = eqs(2)
        .iter()
        .filter(|e| e.logistic)
        .map(|e| labels.var(&e.outcome))
        .collect();
    let conf = analysis.options.conf;
    let mut extras = Extras {
        note: Some(note(style, conf, false, &logistic)),
        references: references(analysis),
    };
    let spec = &analysis.spec;
    let full = full_labels(spec, &eqs, labels, &extras, style);
    if full.1.none() {
        return full.0;
    }
    // Gaps wider than the columns' estimate allows: kept when every label is clear and the
    // diagram still prints at 8 pt at the text width.
    let lines = if style == CoefStyle::Ci { 3 } else { 2 };
    let wider = statistical_layout(spec, &eqs(lines), labels, &extras, Reach::Beyond);
    if wider.1.none() && prints_legibly(&wider.0) {
        return wider.0;
    }
    extras.note = Some(note(style, conf, true, &logistic));
    let (sym_eqs, key) = keyed_equations(analysis, style, decimals);
    let mut keyed = statistical_layout(spec, &sym_eqs, labels, &extras, Reach::Within);
    if keyed.1 <= full.1 || full.1.covering == 0 {
        let avail = TEXT_WIDTH * keyed.0.label_pt.min(keyed.0.font_pt) / MIN_PRINT_PT
            - 2.0 * keyed.0.margin;
        let key = super::key::build(key.0, key.1, avail, keyed.0.label_pt);
        layout::add_key(&mut keyed.0, key);
        return keyed.0;
    }
    // Even path symbols cover a box or another label: the full labels with the fewest clashes,
    // wider than the text width if need be (smaller print beats overprinted numbers).
    if wider.1 < full.1 {
        wider.0
    } else {
        full.0
    }
}

/// True when the diagram's smallest text prints at [`MIN_PRINT_PT`] or more at [`TEXT_WIDTH`].
fn prints_legibly(d: &Diagram) -> bool {
    d.font_pt.min(d.label_pt) * (TEXT_WIDTH / d.width).min(1.0) >= MIN_PRINT_PT - 1e-9
}

/// The diagram with coefficients on its arrows laid out within a journal's text width, and its
/// clashes. Intervals on two lines; where they find no clear place, on three (the interval
/// broken after its comma: narrower labels for narrow gaps).
fn full_labels(
    spec: &ModelSpec,
    eqs: &dyn Fn(usize) -> Vec<StatEq>,
    labels: &Labels,
    extras: &Extras,
    style: CoefStyle,
) -> (Diagram, Clashes) {
    let two = statistical_layout(spec, &eqs(2), labels, extras, Reach::Within);
    if two.1.none() || style == CoefStyle::Stars {
        return two;
    }
    let three = statistical_layout(spec, &eqs(3), labels, extras, Reach::Within);
    if three.1 < two.1 {
        three
    } else {
        two
    }
}

/// The note under the diagram: what the numbers are (on the arrows, or in the key when the
/// arrows carry path symbols) and which arrows are log-odds.
fn note(style: CoefStyle, conf: f64, keyed: bool, logistic: &[String]) -> String {
    let mut note = match (style, keyed) {
        (CoefStyle::Stars, false) => {
            "Unstandardized coefficients; * p < .05, ** p < .01, *** p < .001.".to_string()
        }
        (CoefStyle::Ci, false) => {
            format!("Unstandardized coefficients with {conf}% confidence intervals.")
        }
        (CoefStyle::Stars, true) => "Each arrow carries its path symbol; the key gives its \
            unstandardized coefficient and standard error; * p < .05, ** p < .01, *** p < .001."
            .to_string(),
        (CoefStyle::Ci, true) => format!(
            "Each arrow carries its path symbol; the key gives its unstandardized coefficient \
             with its {conf}% confidence interval."
        ),
    };
    for y in logistic {
        note.push_str(&format!(
            " Arrows into {y} are logistic regression coefficients (log-odds)."
        ));
    }
    note
}

/// The reference level of each categorical predictor.
fn references(analysis: &Analysis) -> Vec<(String, String)> {
    let mut references: Vec<(String, String)> = Vec::new();
    for (fit, _) in &analysis.equations {
        for c in &fit.coding {
            if let Some(r) = c.levels.first() {
                if !references.iter().any(|(v, _)| v == &c.variable) {
                    references.push((c.variable.clone(), r.clone()));
                }
            }
        }
    }
    references
}

/// Where a symbol goes among its equation's rows: X's path (a, c'; b without mediators) first,
/// then the mediators' (d, b), then the covariates' (f, g); within a path by number.
fn key_order(sym: &str) -> (u8, usize, String) {
    let path = match sym.chars().next() {
        Some('d' | 'b') => 1,
        Some('f' | 'g') => 2,
        _ => 0,
    };
    (path, sym.len(), sym.to_string())
}

/// A key's column heads and rows.
type KeyTable = (Vec<String>, Vec<Vec<String>>);

/// The equations with each arrow labelled with its path symbol, and the key's heads and rows:
/// each symbol with its coefficient and its SE and stars, or its interval.
fn keyed_equations(
    analysis: &Analysis,
    style: CoefStyle,
    decimals: usize,
) -> (Vec<StatEq>, KeyTable) {
    let coefs: Vec<(String, Vec<&crate::estimation::Coefficient>)> = analysis
        .equations
        .iter()
        .map(|(fit, _)| {
            let cs = fit.coefficients.iter().filter(|c| c.term != CONSTANT);
            (fit.outcome.clone(), cs.collect())
        })
        .collect();
    let terms: Vec<(String, Vec<String>)> = coefs
        .iter()
        .map(|(y, cs)| (y.clone(), cs.iter().map(|c| c.term.clone()).collect()))
        .collect();
    let symbols = super::symbols::path_symbols(&analysis.spec, &terms);
    let f = |v: f64| format!("{v:.decimals$}");
    let mut rows = Vec::new();
    for ((_, cs), syms) in coefs.iter().zip(&symbols) {
        // Each equation's rows path by path (a1, a2, ..., then d, then covariates), as Hayes
        // lists them, rather than in the order the terms entered.
        let mut eq: Vec<_> = cs.iter().zip(syms).collect();
        eq.sort_by_key(|(_, sym)| key_order(sym));
        for (c, sym) in eq {
            rows.push(match style {
                CoefStyle::Stars => vec![sym.clone(), f(c.estimate), f(c.se), stars(c.p).into()],
                CoefStyle::Ci => vec![
                    sym.clone(),
                    f(c.estimate),
                    format!("[{}, {}]", f(c.ci_lower), f(c.ci_upper)),
                ],
            });
        }
    }
    let head = match style {
        CoefStyle::Stars => vec!["Path".into(), "Coeff.".into(), "SE".into(), String::new()],
        CoefStyle::Ci => vec![
            "Path".into(),
            "Coeff.".into(),
            format!("{}% CI", analysis.options.conf),
        ],
    };
    let eqs = analysis
        .equations
        .iter()
        .zip(symbols)
        .zip(&terms)
        .map(|(((fit, _), syms), (_, ts))| StatEq {
            outcome: fit.outcome.clone(),
            terms: ts.iter().cloned().zip(syms.into_iter().map(Some)).collect(),
            logistic: fit.method == Method::Logistic,
        })
        .collect();
    (eqs, (head, rows))
}

/// The equations of an analysis with each coefficient's label: with stars, or with its
/// interval on `ci_lines` lines (2: estimate over interval; 3: the interval broken after its
/// comma).
fn coefficient_equations(
    analysis: &Analysis,
    style: CoefStyle,
    decimals: usize,
    ci_lines: usize,
) -> Vec<StatEq> {
    let ci_break = if ci_lines >= 3 { ",\n" } else { ", " };
    analysis
        .equations
        .iter()
        .map(|(fit, _)| StatEq {
            outcome: fit.outcome.clone(),
            terms: fit
                .coefficients
                .iter()
                .filter(|c| c.term != CONSTANT)
                .map(|c| {
                    let text = match style {
                        CoefStyle::Stars => format!("{:.*}{}", decimals, c.estimate, stars(c.p)),
                        CoefStyle::Ci => format!(
                            "{:.*}\n[{:.*}{ci_break}{:.*}]",
                            decimals, c.estimate, decimals, c.ci_lower, decimals, c.ci_upper
                        ),
                    };
                    (c.term.clone(), Some(text))
                })
                .collect(),
            logistic: fit.method == Method::Logistic,
        })
        .collect()
}

/// The group a term's box belongs to: its factors with each coded column replaced by its
/// variable (`g[2]:w` -> `g:w`); None for a term with no coded column.
fn group_key(term: &str) -> Option<String> {
    let fs = split_factors(term);
    fs.iter().any(|f| f.contains('[')).then(|| {
        fs.iter()
            .map(|f| base(f).to_string())
            .collect::<Vec<_>>()
            .join(":")
    })
}

/// How many times the layout may open its rows to find every label a clear place.
const TRIES: usize = 6;

/// How many layouts [`tries`] gives within a journal's text width.
const WITHIN: usize = TRIES + 9 + SKEWED.len();

/// The layouts tried ([`Try`]), from `gap` up to the `widest` gap the text width allows:
/// gentler slopes (wider gaps) and more room between rows; rows opened further (tall labels,
/// intervals, between rows of boxes); arrow ends spread wider along the boxes' sides (a fan of
/// arrows into one box runs closer to parallel, leaving room for labels between its arrows);
/// uneven gaps ([`SKEWED`]); then, as `reach` allows, gaps wider than the width allows with
/// rows opened alike (a diagram's natural width is often narrower than the columns' estimate,
/// so some of these still print at 8 pt; the caller checks).
fn tries(gap: f64, widest: f64, reach: Reach) -> impl Iterator<Item = Try> {
    let opening = (0..TRIES).map(move |k| {
        let g = (gap * (1.0 + 0.15 * k as f64)).min(widest);
        (g, 1.0 + 0.1 * k as f64, SPREAD_MIN, 0.0)
    });
    let taller = [1.8, 2.2, 2.6].map(|f| (widest, f, SPREAD_MIN, 0.0));
    let spread = [
        (1.0, 12.0),
        (1.4, 12.0),
        (1.4, 18.0),
        (1.0, 24.0),
        (1.4, 30.0),
        (1.0, 36.0),
    ]
    .map(|(f, e)| (widest, f, e, 0.0));
    let uneven = SKEWED.map(|(k, f, e)| (widest, f, e, k));
    let beyond = [1.3, 1.6, 2.0]
        .map(|f| (widest * f, f, SPREAD_MIN, 0.0))
        .into_iter()
        .filter(move |_| reach != Reach::Within);
    opening
        .chain(taller)
        .chain(spread)
        .chain(uneven)
        .filter(move |_| reach != Reach::Beyond)
        .chain(beyond)
}

/// Which layouts of [`tries`] are tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// Within the gaps a journal's text width allows.
    Within,
    /// Those, then wider.
    Wider,
    /// Only the wider ones.
    Beyond,
}

/// A layout tried: gap between columns (on average), factor on the room between rows, distance
/// between arrow ends on a box's side, and how unevenly the gaps share the room
/// ([`Spacing::fan_skew`]).
type Try = (f64, f64, f64, f64);

/// The uneven gaps tried (after even ones), as (skew, factor on the room between rows, distance
/// between arrow ends): the gap a wide fan of arrows into one box crosses widened at the
/// others' expense (a mediator fed by a column of moderators and products, models 12 and
/// 61-73; the first gap of the serial-parallel models 80-92).
const SKEWED: [(f64, f64, f64); 14] = [
    (0.5, 1.0, SPREAD_MIN),
    (1.0, 1.0, SPREAD_MIN),
    (1.5, 1.0, SPREAD_MIN),
    (0.5, 1.4, SPREAD_MIN),
    (1.0, 1.4, SPREAD_MIN),
    (1.0, 1.0, 24.0),
    (0.5, 1.0, 24.0),
    (1.0, 1.4, 18.0),
    (1.5, 1.4, 24.0),
    (2.0, 1.0, SPREAD_MIN),
    (2.0, 1.4, 24.0),
    (1.0, 1.8, SPREAD_MIN),
    (0.5, 1.8, 12.0),
    (1.0, 2.2, 12.0),
];

/// The diagram laid out for the fewest label clashes, and its clashes, with the spacings of
/// `reach` (after those within a journal's text width, wider ones only when a label would
/// otherwise cover a box or another label). Each spacing of [`tries`] is laid out with the arrows sharing a box's
/// side ordered by slope, then by the height of their other ends (each leaves some fans
/// without a clear place for a label that the other clears).
fn statistical_layout(
    spec: &ModelSpec,
    eqs: &[StatEq],
    labels: &Labels,
    extras: &Extras,
    reach: Reach,
) -> (Diagram, Clashes) {
    let Fitted {
        s,
        pending,
        edges,
        max_gap,
    } = fit_width(spec, eqs, labels, &extras.references);
    let mut best: Option<(Clashes, Diagram)> = None;
    let widest = max_gap.max(s.col_gap);
    let each_order = tries(s.col_gap, widest, reach)
        .flat_map(|t| [true, false].map(move |by_slope| (t, by_slope)));
    for (k, ((gap, rows, end_step, skew), by_slope)) in each_order.enumerate() {
        if k >= 2 * WITHIN && best.as_ref().is_some_and(|(c, _)| c.covering == 0) {
            break;
        }
        let mut t = s;
        t.col_gap = gap;
        t.row_gap *= rows;
        t.passage *= rows;
        t.end_step = end_step;
        t.ends_by_slope = by_slope;
        t.fan_skew = skew;
        let mut p = pending.clone();
        let mut d = arrange(&mut p, &edges, eqs, labels, extras, &t);
        let mut clashes = place_labels(&mut d);
        layout::finish(&mut d, &t);
        // An arrow through a box misreads worse than any label (counted where there are
        // labels: a diagram without coefficients keeps its first layout, as fast as before).
        if d.edges.iter().any(|e| e.label.is_some()) {
            clashes.covering += ARROW_THROUGH_BOX * arrows_through_boxes(&d);
        }
        if clashes.none() {
            return (d, clashes);
        }
        if best.as_ref().is_none_or(|(c, _)| clashes < *c) {
            best = Some((clashes, d));
        }
    }
    best.map(|(c, d)| (d, c)).unwrap_or_else(|| {
        (
            layout::blank(DiagramKind::Statistical, &s),
            Clashes::default(),
        )
    })
}

/// A journal's text width, in points (6.5 inches).
pub const TEXT_WIDTH: f64 = 6.5 * 72.0;
/// The smallest type journals print, in points.
pub const MIN_PRINT_PT: f64 = 8.0;

/// The boxes of a statistical diagram with the spacing that fits them to the text width, and
/// the widest gap between columns that width allows.
struct Fitted {
    s: Spacing,
    pending: Vec<Pending>,
    edges: Vec<Edge>,
    max_gap: f64,
}

/// The narrowest gap between columns, in points.
const MIN_GAP: f64 = 30.0;

/// Box labels wrap at this many times the font size, widest first, until the diagram fits.
const WRAPS: [f64; 4] = [9.5, 8.0, 6.5, 5.0];

/// The spacing and boxes that keep the diagram narrow enough for its smallest text to print at
/// [`MIN_PRINT_PT`] at [`TEXT_WIDTH`]: the widest label wrap whose columns leave the usual gap
/// (room for the widest coefficient label), else the wrap leaving the widest gap; the gap the
/// usual one, or what the width allows (at least [`MIN_GAP`]).
/// Also returns the widest gap the width allows.
fn fit_width(
    spec: &ModelSpec,
    eqs: &[StatEq],
    labels: &Labels,
    references: &[(String, String)],
) -> Fitted {
    let mut s = Spacing::for_kind(DiagramKind::Statistical);
    let widest = eqs
        .iter()
        .flat_map(|e| e.terms.iter().filter_map(|(_, l)| l.as_deref()))
        .map(|l| super::coef_labels::label_size(l, s.label_pt).0)
        .fold(0.0, f64::max);
    let max_width = TEXT_WIDTH * s.label_pt.min(s.font_pt) / MIN_PRINT_PT;
    let want_gap = s.col_gap.max(1.3 * widest + 2.0 * s.label_pt);
    let tallest = eqs
        .iter()
        .flat_map(|e| e.terms.iter().filter_map(|(_, l)| l.as_deref()))
        .map(|l| super::coef_labels::label_size(l, s.label_pt).1)
        .fold(0.0, f64::max);
    s.passage = s.passage.max(tallest + 8.0);
    // The widest wrap that leaves the usual gap; failing that, the one leaving the widest gap.
    let mut best: Option<Fitted> = None;
    for wrap in WRAPS {
        s.wrap_w = wrap * s.font_pt;
        let (pending, edges) = boxes_and_arrows(spec, eqs, labels, references, &s);
        let mut widths: std::collections::BTreeMap<i32, f64> = Default::default();
        for p in &pending {
            let c = p.cell.map_or(0, |c| c.0);
            let w = widths.entry(c).or_insert(0.0);
            *w = w.max(p.node.w);
        }
        let gaps = widths.len().saturating_sub(1).max(1) as f64;
        let room = (max_width - 2.0 * s.margin - widths.values().sum::<f64>()) / gaps;
        // Never wider than the width allows: legible text comes first.
        s.col_gap = room.min(want_gap).max(MIN_GAP);
        let done = room >= want_gap;
        if best.as_ref().is_none_or(|b| room > b.max_gap) || done {
            best = Some(Fitted {
                s,
                pending,
                edges,
                max_gap: room,
            });
        }
        if done {
            break;
        }
    }
    best.expect("at least one wrap width")
}

/// Lays out the boxes and builds the diagram (without arrow labels placed). Boxes grow to give
/// the arrows on their sides room, which can change the layout, so it is done twice.
fn arrange(
    pending: &mut [Pending],
    edges: &[Edge],
    eqs: &[StatEq],
    labels: &Labels,
    extras: &Extras,
    s: &Spacing,
) -> Diagram {
    let blocks: Vec<Option<usize>> = {
        let keys: Vec<Option<String>> = pending.iter().map(|p| group_key(&p.node.id)).collect();
        keys.iter()
            .map(|k| {
                let n = keys.iter().filter(|o| k.is_some() && *o == k).count();
                k.as_ref()
                    .filter(|_| n > 1)
                    .and_then(|_| keys.iter().position(|o| o == k))
            })
            .collect()
    };
    let mut extra = vec![0.0; edges.len()];
    let build = |pending: &mut [Pending], extra: &[f64]| {
        layered::place(pending, &blocks, edges, GROUP_INNER, extra, s);
        Diagram {
            nodes: pending.iter().map(|p| p.node.clone()).collect(),
            edges: edges.to_vec(),
            caption: extras.note.clone(),
            ..layout::blank(DiagramKind::Statistical, s)
        }
    };
    let mut d = build(pending, &extra);
    for _ in 0..4 {
        let mut changed = false;
        for p in pending.iter_mut() {
            let need = d.min_height_for(&p.node.id, s.end_step).ceil();
            if need > p.node.h {
                p.node.h = need;
                changed = true;
            }
        }
        // An arrow through a box asks for more room where it passes.
        for (i, e) in d.edges.iter().enumerate() {
            let Some((a, b)) = d.segment(i) else { continue };
            let hit = d.nodes.iter().any(|n| {
                let mut r = n.rect();
                r.w -= 1.0;
                r.h -= 1.0;
                n.id != e.from && e.to != Target::Node(n.id.clone()) && r.crosses(a, b)
            });
            if hit {
                extra[i] += PASSAGE_STEP;
                changed = true;
            }
        }
        if !changed {
            break;
        }
        d = build(pending, &extra);
    }
    d.groups = groups(&d, eqs, labels, &extras.references, s);
    d
}

/// An arrow through a box counts as this many labels covering a box.
const ARROW_THROUGH_BOX: usize = 100;

/// The arrows running through a box other than their own two.
fn arrows_through_boxes(d: &Diagram) -> usize {
    d.edges
        .iter()
        .enumerate()
        .filter(|&(i, e)| {
            let Some((a, b)) = d.segment(i) else {
                return false;
            };
            d.nodes.iter().any(|n| {
                let mut r = n.rect();
                r.w -= 1.0;
                r.h -= 1.0;
                n.id != e.from && e.to != Target::Node(n.id.clone()) && r.crosses(a, b)
            })
        })
        .count()
}

/// More room for an arrow that ran through a box, per try.
const PASSAGE_STEP: f64 = 12.0;

/// Space between the boxes of one group.
const GROUP_INNER: f64 = 8.0;

/// The boxes with their grid cells, and one arrow per coefficient. X, the mediators and Y take
/// their places in the core; every other term goes in the column before the first outcome it
/// predicts, below the X -> Y line, the coded columns of one variable next to each other. A
/// categorical X is drawn as its coded columns in X's place.
fn boxes_and_arrows(
    spec: &ModelSpec,
    eqs: &[StatEq],
    labels: &Labels,
    references: &[(String, String)],
    s: &Spacing,
) -> (Vec<Pending>, Vec<Edge>) {
    let roles = Roles { spec };
    let is_term = |id: &str| eqs.iter().any(|e| e.terms.iter().any(|(t, _)| t == id));
    let coded_x = !is_term(&spec.x)
        && eqs.iter().any(|e| {
            e.terms
                .iter()
                .any(|(t, _)| base(t) == spec.x && t.contains('['))
        });
    let mut pending: Vec<Pending> = roles
        .core()
        .into_iter()
        .filter(|(id, _)| !(coded_x && id == &spec.x))
        .map(|(id, cell)| {
            let logistic = eqs.iter().any(|e| e.outcome == id && e.logistic);
            Pending::at(outcome_node(&id, labels, &roles, logistic, s), cell)
        })
        .collect();
    // Terms in order of first appearance, each group's members together.
    let mut seen: Vec<String> = Vec::new();
    for e in eqs {
        for (t, _) in &e.terms {
            if !seen.contains(t) {
                seen.push(t.clone());
            }
        }
    }
    let first = |t: &String| {
        let key = group_key(t);
        seen.iter()
            .position(|u| key.is_some() && group_key(u) == key)
            .unwrap_or_else(|| seen.iter().position(|u| u == t).unwrap_or(0))
    };
    let col_of = |pending: &[Pending], id: &str| {
        pending
            .iter()
            .find(|p| p.node.id == id)
            .and_then(|p| p.cell)
            .map(|c| c.0)
    };
    let mut extra: Vec<(i32, usize, &String)> = Vec::new();
    for t in &seen {
        if col_of(&pending, t).is_some() {
            continue;
        }
        let target_col = eqs
            .iter()
            .filter(|e| e.terms.iter().any(|(u, _)| u == t))
            .filter_map(|e| col_of(&pending, &e.outcome))
            .min()
            .unwrap_or(1);
        // X's coded columns first, in X's place.
        let col = if coded_x && base(t) == spec.x && split_factors(t).len() == 1 {
            -1
        } else {
            (target_col - 1).max(0)
        };
        extra.push((col, first(t), t));
    }
    extra.sort_by_key(|(c, f, _)| (*c, *f));
    stagger(&mut extra);
    place_extra(&mut pending, &extra, labels, references, &roles, s);
    let edges = eqs
        .iter()
        .flat_map(|e| {
            e.terms
                .iter()
                .map(|(t, label)| arrow(t, &e.outcome, label.clone()))
        })
        .collect();
    (pending, edges)
}

/// Fewest boxes in a column, besides its core boxes, before its outermost move a column left.
const CROWDED: usize = 4;

/// Moves the first and the last of the extra boxes of a crowded column (past the first) one
/// column to the left. Stacked in one column, the outermost of them send the steepest arrows, all
/// nearly parallel, into one box, and leave their coefficients no clear place; from a column
/// further left their arrows run at half the slope, past the boxes left behind (Sugiyama et al.,
/// 1981, keep such an arrow straight through the column it skips). Boxes of a group stay put.
fn stagger(extra: &mut [(i32, usize, &String)]) {
    let cols: Vec<i32> = extra.iter().map(|e| e.0).collect();
    for c in cols.iter().copied().filter(|&c| c >= 1) {
        let here: Vec<usize> = (0..extra.len())
            .filter(|&k| extra[k].0 == c && group_key(extra[k].2).is_none())
            .collect();
        if here.len() < CROWDED {
            continue;
        }
        for k in [here[0], here[here.len() - 1]] {
            extra[k].0 = c - 1;
        }
    }
    extra.sort_by_key(|(c, f, _)| (*c, *f));
}

/// A core box: an outcome of a logistic equation says its arrows are log-odds.
fn outcome_node(id: &str, labels: &Labels, roles: &Roles, logistic: bool, s: &Spacing) -> Node {
    let label = labels.term(id);
    if !logistic {
        return new_node(id, label, roles.kind(id), s);
    }
    let mut lines = box_lines(&label, s);
    lines.push("(log-odds)".into());
    new_node_lines(id, label, lines, roles.kind(id), s)
}

/// Puts the extra boxes below the X -> Y line: a categorical X's coded columns (column -1 in
/// `extra`) first, from X's row down; then column by column, each column's boxes below those of
/// the columns before it, so arrows from an earlier column that skip a column rise above them.
/// The first box of a group gets room above it for the group's name.
fn place_extra(
    pending: &mut Vec<Pending>,
    extra: &[(i32, usize, &String)],
    labels: &Labels,
    references: &[(String, String)],
    roles: &Roles,
    s: &Spacing,
) {
    let mut deepest = 0;
    let mut floor = 1;
    let mut current = None;
    let mut last_key: Option<String> = None;
    for &(col, _, t) in extra {
        let row = if col < 0 {
            layout::free_row(pending, 0, 0)
        } else {
            if current != Some(col) {
                current = Some(col);
                floor = floor.max(deepest + 1);
            }
            layout::free_row(pending, col, floor)
        };
        deepest = deepest.max(row);
        let mut p = Pending::at(
            new_node(t, labels.term(t), roles.kind(t), s),
            (col.max(0), row),
        );
        let key = group_key(t);
        let members = extra
            .iter()
            .filter(|e| key.is_some() && group_key(e.2) == key)
            .count();
        if let (true, Some(k)) = (members > 1 && key != last_key, &key) {
            let frame_w = p.node.w + 2.0 * GROUP_PAD;
            p.room_above = group_room(&group_label(k, labels, references), frame_w, s);
        }
        last_key = key;
        pending.push(p);
    }
}

/// Room a group's name takes above its first box in a frame `frame_w` wide.
fn group_room(label: &str, frame_w: f64, s: &Spacing) -> f64 {
    let n = group_lines(label, frame_w, s.label_pt).len();
    group_name_h(n, s.label_pt) + 2.0 + GROUP_PAD
}

/// A group's name: the variable's (or product's) label and the reference level.
fn group_label(key: &str, labels: &Labels, references: &[(String, String)]) -> String {
    let refs: Vec<&str> = split_factors(key)
        .iter()
        .filter_map(|f| references.iter().find(|(v, _)| v == f))
        .map(|(_, r)| r.as_str())
        .collect();
    let mut label = labels.term(key);
    if let [r] = refs.as_slice() {
        label.push_str(&format!(" (ref. {r})"));
    }
    label
}

/// Padding between a group's frame and its boxes.
const GROUP_PAD: f64 = 4.0;

/// The frames around the coded columns of each categorical predictor (and of each product
/// with one), named with the variable's label and its reference level.
fn groups(
    d: &Diagram,
    eqs: &[StatEq],
    labels: &Labels,
    references: &[(String, String)],
    s: &Spacing,
) -> Vec<Group> {
    let mut keys: Vec<String> = Vec::new();
    for e in eqs {
        for (t, _) in &e.terms {
            if let Some(k) = group_key(t) {
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
        }
    }
    let mut out = Vec::new();
    for k in keys {
        let members: Vec<&Node> = d
            .nodes
            .iter()
            .filter(|n| group_key(&n.id).as_ref() == Some(&k))
            .collect();
        if members.len() < 2 {
            continue;
        }
        let x0 = members
            .iter()
            .map(|n| n.x - n.w / 2.0)
            .fold(f64::INFINITY, f64::min);
        let x1 = members
            .iter()
            .map(|n| n.x + n.w / 2.0)
            .fold(f64::NEG_INFINITY, f64::max);
        let y0 = members
            .iter()
            .map(|n| n.y - n.h / 2.0)
            .fold(f64::INFINITY, f64::min);
        let y1 = members
            .iter()
            .map(|n| n.y + n.h / 2.0)
            .fold(f64::NEG_INFINITY, f64::max);
        let (x0, x1) = (x0 - GROUP_PAD, x1 + GROUP_PAD);
        let label = group_label(&k, labels, references);
        let (y0, y1) = (y0 - group_room(&label, x1 - x0, s), y1 + GROUP_PAD);
        out.push(Group {
            label,
            members: members.iter().map(|n| n.id.clone()).collect(),
            rect: Rect {
                x: (x0 + x1) / 2.0,
                y: (y0 + y1) / 2.0,
                w: x1 - x0,
                h: y1 - y0,
            },
        });
    }
    out
}
