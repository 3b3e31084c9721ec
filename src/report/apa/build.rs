use std::collections::BTreeMap;

use crate::analysis::{Analysis, EffectResult};
use crate::effects::probe::ProbeMethod;
use crate::effects::EffectKind;
use crate::estimation::{EquationFit, Method, Summary, CONSTANT};

use super::{format_num, stars, ApaTable, Cell, Heading, NumStyle, Panel, Rich, Row};

/// Options of the APA tables.
#[derive(Debug, Clone, PartialEq)]
pub struct ApaOptions {
    /// Decimals of coefficients, standard errors, test statistics and interval bounds (APA: 2);
    /// p-values always have three, R² as many as this.
    pub decimals: usize,
    /// Significance stars after coefficients, with a probability note.
    pub stars: bool,
    /// Number of the first table.
    pub first_number: usize,
    /// Variable name -> label shown instead (SPSS and Stata variable labels, `--labels`);
    /// variables without one are shown by name.
    pub labels: BTreeMap<String, String>,
}

impl Default for ApaOptions {
    fn default() -> Self {
        ApaOptions {
            decimals: 2,
            stars: false,
            first_number: 1,
            labels: BTreeMap::new(),
        }
    }
}

impl ApaOptions {
    /// A variable's label, or its name.
    pub fn name(&self, v: &str) -> String {
        self.labels.get(v).cloned().unwrap_or_else(|| v.to_string())
    }

    /// A term with each factor labelled, products joined by ` × `; a coded column keeps its
    /// level tag (`g[2]` -> `Group[2]`).
    fn term(&self, term: &str) -> String {
        crate::estimation::column_factors(term)
            .iter()
            .map(|f| match f.find('[') {
                Some(i) => format!("{}{}", self.name(&f[..i]), &f[i..]),
                None => self.name(f),
            })
            .collect::<Vec<_>>()
            .join(" × ")
    }

    fn path(&self, path: &[String]) -> String {
        path.iter()
            .map(|v| self.name(v))
            .collect::<Vec<_>>()
            .join(" → ")
    }
}

fn h(label: Rich, width: usize) -> Heading {
    Heading { label, width }
}

fn m(s: &str) -> Rich {
    Rich::markup(s)
}

fn term_label(term: &str, opts: &ApaOptions) -> Rich {
    if term == CONSTANT {
        Rich::plain("Constant")
    } else {
        Rich::plain(opts.term(term))
    }
}

/// `95` for 95.0, `99.5` for 99.5.
fn conf_label(conf: f64) -> String {
    format!("{conf}% CI")
}

fn p_text(p: f64) -> Rich {
    let s = format_num(p, NumStyle::P);
    if s.starts_with(['<', '>']) {
        m("*p* ").then(Rich::plain(s))
    } else {
        m("*p* = ").then(Rich::plain(s))
    }
}

fn se_name(fit: &EquationFit) -> String {
    match (&fit.cluster, fit.method) {
        (Some((v, g)), _) => format!("cluster-robust CR1 by {v}, {g} clusters"),
        (None, Method::Logistic) => "model-based".into(),
        (None, _) => fit.cov_type.label().into(),
    }
}

/// `R² = .34, adjusted R² = .33, F(6, 373) = 31.20, p < .001` (or the logistic equivalents).
fn fit_summary(fit: &EquationFit, d: usize) -> Rich {
    let (fit_part, test) = fit_parts(fit, d);
    fit_part.then(Rich::plain(", ")).then(test)
}

/// The R² statistics and the overall test, apart (Hayes prints them on two lines).
fn fit_parts(fit: &EquationFit, d: usize) -> (Rich, Rich) {
    let f = |x: f64| Rich::plain(format_num(x, NumStyle::Fixed(d)));
    let b = |x: f64| Rich::plain(format_num(x, NumStyle::Bounded(d.max(2))));
    let df = |x: f64| format_num(x, NumStyle::Fixed(0));
    match &fit.summary {
        Summary::Ols(s) => (
            m("*R*^{2} = ")
                .then(b(s.r2))
                .then(m(", adjusted *R*^{2} = "))
                .then(b(s.adj_r2)),
            m(&format!("*F*({}, {}) = ", df(s.df1), df(s.df2)))
                .then(f(s.f))
                .then(Rich::plain(", "))
                .then(p_text(s.p)),
        ),
        Summary::Logistic(s) => (
            m("McFadden *R*^{2} = ")
                .then(b(s.mcfadden))
                .then(m(", Nagelkerke *R*^{2} = "))
                .then(b(s.nagelkerke)),
            m(&format!("χ^{{2}}({}) = ", df(s.df)))
                .then(f(s.chisq))
                .then(Rich::plain(", "))
                .then(p_text(s.p))
                .then(m(", −2LL = "))
                .then(f(s.neg2ll)),
        ),
    }
}

fn n_text(fit: &EquationFit) -> Rich {
    let mut r = m(&format!("*N* = {}", fit.n));
    if fit.n_dropped > 0 {
        r = r.then(Rich::plain(format!(
            " ({} case{} with missing values excluded)",
            fit.n_dropped,
            if fit.n_dropped == 1 { "" } else { "s" }
        )));
    }
    r
}

pub(super) fn star_note() -> Rich {
    Rich::plain("*")
        .then(m(" *p* < .05. "))
        .then(Rich::plain("**"))
        .then(m(" *p* < .01. "))
        .then(Rich::plain("***"))
        .then(m(" *p* < .001."))
}

/// How categorical predictors are coded: `region: indicator coding, reference level east.`
fn coding_note(fits: &[&EquationFit]) -> Rich {
    let mut seen: Vec<&str> = Vec::new();
    let mut out = String::new();
    for f in fits {
        for c in &f.coding {
            if seen.contains(&c.variable.as_str()) {
                continue;
            }
            seen.push(&c.variable);
            let reference = c.levels.first().cloned().unwrap_or_default();
            out += &match c.contrast {
                crate::data::Contrast::Indicator => format!(
                    " {}: indicator coding, reference level {reference}.",
                    c.variable
                ),
                _ => format!(
                    " {}: {} coding of levels {}.",
                    c.variable,
                    c.contrast.label(),
                    c.levels.join(", ")
                ),
            };
        }
    }
    Rich::plain(out)
}

/// Terms of several equations in order of first appearance, the constant first or last.
fn union_terms(fits: &[&EquationFit], constant_last: bool) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for f in fits {
        for c in &f.coefficients {
            if !terms.contains(&c.term) {
                terms.push(c.term.clone());
            }
        }
    }
    if constant_last {
        if let Some(i) = terms.iter().position(|t| t == CONSTANT) {
            let c = terms.remove(i);
            terms.push(c);
        }
    }
    terms
}

/// An APA regression table: one column block per equation with b, SE, t (z for logistic), p and
/// the confidence interval; model fit, sample size and the kind of standard errors in the note.
pub fn apa_regression(fits: &[&EquationFit], opts: &ApaOptions) -> ApaTable {
    let d = opts.decimals;
    let terms = union_terms(fits, false);
    let mut top = Vec::new();
    let mut mid = Vec::new();
    let mut leaf = Vec::new();
    for f in fits {
        top.push(h(Rich::plain(opts.name(&f.outcome)), 6));
        mid.push(h(Rich::default(), 4));
        mid.push(h(Rich::plain(conf_label(f.conf)), 2));
        let stat = if f.method == Method::Logistic {
            "*z*"
        } else {
            "*t*"
        };
        for l in ["*b*", "*SE*", stat, "*p*", "*LL*", "*UL*"] {
            leaf.push(h(m(l), 1));
        }
    }
    let rows = terms
        .iter()
        .map(|t| Row {
            label: term_label(t, opts),
            indent: false,
            cells: fits
                .iter()
                .flat_map(|f| coefficient_cells(f, t, opts))
                .collect(),
        })
        .collect();
    let mut notes = vec![regression_note(fits, d, opts)];
    if opts.stars {
        notes.push(star_note());
    }
    ApaTable {
        number: opts.first_number,
        title: if fits.len() == 1 {
            format!(
                "Regression of {} on its predictors",
                opts.name(&fits[0].outcome)
            )
        } else {
            "Regression coefficients".into()
        },
        slug: "regression".into(),
        stub: m("Predictor"),
        headings: vec![top, mid, leaf],
        panels: vec![Panel {
            heading: None,
            rows,
        }],
        notes,
    }
}

/// b, SE, t or z, p and the interval of term `t` in equation `f` (empty where it has no such term).
fn coefficient_cells(f: &EquationFit, t: &str, opts: &ApaOptions) -> Vec<Cell> {
    let d = opts.decimals;
    match f.coefficient(t) {
        Some(c) => vec![
            Cell::Num {
                value: c.estimate,
                style: NumStyle::Fixed(d),
                stars: if opts.stars { stars(c.p) } else { "" },
            },
            Cell::num(c.se, NumStyle::Fixed(d)),
            Cell::num(c.stat, NumStyle::Fixed(d)),
            Cell::num(c.p, NumStyle::P),
            Cell::num(c.ci_lower, NumStyle::Fixed(d)),
            Cell::num(c.ci_upper, NumStyle::Fixed(d)),
        ],
        None => vec![Cell::Empty; 6],
    }
}

/// The table's note: sample size, what the columns are and which standard errors, each
/// equation's fit, and the coding of categorical predictors.
fn regression_note(fits: &[&EquationFit], d: usize, opts: &ApaOptions) -> Rich {
    let mut note = m("*Note.* ");
    if let Some(f) = fits.first() {
        note = note.then(n_text(f)).then(Rich::plain(". "));
    }
    let mut unique_ses: Vec<String> = fits.iter().map(|f| se_name(f)).collect();
    unique_ses.dedup();
    note = note
        .then(m(
            "*b* = unstandardized coefficient; *SE* = standard error (",
        ))
        .then(Rich::plain(unique_ses.join(", ")))
        .then(m(
            "); CI = confidence interval; *LL* = lower limit; *UL* = upper limit.",
        ));
    for f in fits {
        note = note
            .then(Rich::plain(format!(" {}: ", opts.name(&f.outcome))))
            .then(fit_summary(f, d))
            .then(Rich::plain("."));
    }
    note.then(coding_note(fits))
}

/// Hayes' path labels: a (X -> M), b (M -> Y), c' (X -> Y), d (M -> M, serial), i (constants);
/// subscripts only with more than one mediator. Other terms (moderators, products, covariates)
/// are left unlabelled.
fn path_label(a: &Analysis, outcome: &str, term: &str) -> Rich {
    let meds = &a.spec.mediators;
    let sub = |i: usize| {
        if meds.len() > 1 {
            format!("_{{{}}}", i + 1)
        } else {
            String::new()
        }
    };
    let mi = meds.iter().position(|x| x == outcome);
    let ti = meds.iter().position(|x| x == term);
    let is_y = outcome == a.spec.y;
    let s = match (mi, ti) {
        (_, _) if term == CONSTANT => {
            if is_y {
                "*i*_{Y}".to_string()
            } else if let Some(i) = mi {
                format!(
                    "*i*_{{M{}}}",
                    if meds.len() > 1 {
                        (i + 1).to_string()
                    } else {
                        String::new()
                    }
                )
            } else {
                String::new()
            }
        }
        (Some(i), _) if term == a.spec.x => format!("*a*{}", sub(i)),
        (Some(j), Some(i)) if meds.len() > 1 => format!("*d*_{{{}{}}}", j + 1, i + 1),
        (None, Some(i)) if is_y => format!("*b*{}", sub(i)),
        (None, None) if is_y && term == a.spec.x => "*c*′".to_string(),
        _ => String::new(),
    };
    Rich::markup(&s)
}

/// The role of an equation's outcome: M, M1, ... or Y.
fn role(a: &Analysis, outcome: &str) -> String {
    if outcome == a.spec.y {
        return "*Y*".into();
    }
    match a.spec.mediators.iter().position(|x| x == outcome) {
        Some(i) if a.spec.mediators.len() > 1 => format!("*M*_{{{}}}", i + 1),
        Some(_) => "*M*".into(),
        None => String::new(),
    }
}

/// Hayes' tables for a conditional process analysis: the model coefficients (each consequent a
/// column block of path label, b, SE and p, with R² and F under it), then the effects of X on Y
/// (direct, indirect and conditional effects, indices of moderated mediation, contrasts and
/// defined quantities) with bootstrap SEs and intervals.
pub fn apa_process(a: &Analysis, opts: &ApaOptions) -> Vec<ApaTable> {
    let mut out = vec![coefficients_table(a, opts)];
    if let Some(t) = effects_table(
        a,
        &ApaOptions {
            first_number: opts.first_number + 1,
            ..opts.clone()
        },
    ) {
        out.push(t);
    }
    let next = ApaOptions {
        first_number: opts.first_number + out.len(),
        ..opts.clone()
    };
    out.extend(super::apa_quadratic(&a.curvilinear, &next));
    out
}

fn coefficients_table(a: &Analysis, opts: &ApaOptions) -> ApaTable {
    let mut fits: Vec<&EquationFit> = a.equations.iter().map(|(f, _)| f).collect();
    let has_total = a.total_model.is_some();
    fits.extend(a.total_model.as_ref());
    let terms = union_terms(&fits, true);
    let (top, leaf) = equation_headings(a, opts, &fits, has_total);
    let rows = coefficient_rows(a, opts, &fits, has_total, &terms);
    let note = coefficients_note(&fits, &rows);
    let mut notes = vec![note];
    if opts.stars {
        notes.push(star_note());
    }
    ApaTable {
        number: opts.first_number,
        title: "Model coefficients of the conditional process model".into(),
        slug: "coefficients".into(),
        stub: m("Antecedent"),
        headings: vec![top, leaf],
        panels: vec![
            Panel {
                heading: None,
                rows,
            },
            Panel {
                heading: None,
                rows: summary_rows(&fits, opts.decimals),
            },
        ],
        notes,
    }
}

/// Per equation a heading naming its outcome (and role), over b, SE and p columns.
fn equation_headings(
    a: &Analysis,
    opts: &ApaOptions,
    fits: &[&EquationFit],
    has_total: bool,
) -> (Vec<Heading>, Vec<Heading>) {
    let mut top = Vec::new();
    let mut leaf = Vec::new();
    for (k, f) in fits.iter().enumerate() {
        let is_total = has_total && k == fits.len() - 1;
        let r = role(a, &f.outcome);
        let mut label = Rich::plain(opts.name(&f.outcome));
        if !r.is_empty() {
            label = label
                .then(Rich::plain(" ("))
                .then(m(&r))
                .then(Rich::plain(")"));
        }
        if is_total {
            label = label.then(Rich::plain(", total effect model"));
        }
        top.push(h(label, 4));
        for l in ["", "*b*", "*SE*", "*p*"] {
            leaf.push(h(m(l), 1));
        }
    }
    (top, leaf)
}

/// One row per term: its path label, b (starred if asked), SE and p in every equation.
fn coefficient_rows(
    a: &Analysis,
    opts: &ApaOptions,
    fits: &[&EquationFit],
    has_total: bool,
    terms: &[String],
) -> Vec<Row> {
    let d = opts.decimals;
    terms
        .iter()
        .map(|t| Row {
            label: term_label(t, opts),
            indent: false,
            cells: fits
                .iter()
                .enumerate()
                .flat_map(|(k, f)| match f.coefficient(t) {
                    Some(c) => vec![
                        Cell::Text(if has_total && k == fits.len() - 1 {
                            if t == &a.spec.x {
                                m("*c*")
                            } else {
                                Rich::default()
                            }
                        } else {
                            path_label(a, &f.outcome, t)
                        }),
                        Cell::Num {
                            value: c.estimate,
                            style: NumStyle::Fixed(d),
                            stars: if opts.stars { stars(c.p) } else { "" },
                        },
                        Cell::num(c.se, NumStyle::Fixed(d)),
                        Cell::num(c.p, NumStyle::P),
                    ],
                    None => vec![Cell::Empty; 4],
                })
                .collect(),
        })
        .collect()
}

/// R² and the model test of every equation, each spanning its four columns.
fn summary_rows(fits: &[&EquationFit], d: usize) -> Vec<Row> {
    let summary = |part: usize| Row {
        label: Rich::default(),
        indent: false,
        cells: fits
            .iter()
            .map(|f| {
                let (r2, test) = fit_parts(f, d);
                Cell::Span(if part == 0 { r2 } else { test }, 4)
            })
            .collect(),
    };
    vec![summary(0), summary(1)]
}

/// n, the standard errors used, the path labels the table shows and the coding of categories.
fn coefficients_note(fits: &[&EquationFit], rows: &[Row]) -> Rich {
    let mut note = m("*Note.* ");
    if let Some(f) = fits.first() {
        note = note.then(n_text(f)).then(Rich::plain(". "));
    }
    let ses: Vec<String> = {
        let mut v: Vec<String> = fits.iter().map(|f| se_name(f)).collect();
        v.dedup();
        v
    };
    note = note
        .then(m(
            "*b* = unstandardized coefficient; *SE* = standard error (",
        ))
        .then(Rich::plain(ses.join(", ")))
        .then(Rich::plain(")."));
    // Describe only the path labels the table shows.
    let used: Vec<String> = rows
        .iter()
        .flat_map(|r| r.cells.iter())
        .filter_map(|c| match c {
            Cell::Text(t) => Some(t.to_plain()),
            _ => None,
        })
        .collect();
    type Shows = dyn Fn(&str) -> bool;
    let meanings: [(&Shows, &str); 6] = [
        (&|u| u.starts_with('a'), "*a*: X → M"),
        (&|u| u.starts_with('b'), "*b*: M → Y"),
        (&|u| u == "c", "*c*: total effect of X"),
        (&|u| u == "c′", "*c*′: direct effect of X"),
        (&|u| u.starts_with('d'), "*d*: M → M"),
        (&|u| u.starts_with('i'), "*i*: constants"),
    ];
    let described: Vec<&str> = meanings
        .iter()
        .filter(|(f, _)| used.iter().any(|u| f(u)))
        .map(|(_, d)| *d)
        .collect();
    if !described.is_empty() {
        note = note.then(m(&format!(
            " Path labels as in Hayes (2022): {}.",
            described.join("; ")
        )));
    }
    note = note.then(coding_note(fits));
    note
}

fn moderator_values(e: &EffectResult, opts: &ApaOptions) -> Rich {
    Rich::plain(
        e.def
            .moderators
            .iter()
            .map(|(m, v)| format!("{} = {v}", opts.name(m)))
            .collect::<Vec<_>>()
            .join(", "),
    )
}

fn effect_cells(e: &EffectResult, d: usize) -> Vec<Cell> {
    let se = e.se.or(e.boot_se);
    vec![
        Cell::num(e.effect, NumStyle::Fixed(d)),
        se.map_or(Cell::Empty, |s| Cell::num(s, NumStyle::Fixed(d))),
        e.p.map_or(Cell::Empty, |p| Cell::num(p, NumStyle::P)),
        Cell::num(e.ci_lower, NumStyle::Fixed(d)),
        Cell::num(e.ci_upper, NumStyle::Fixed(d)),
    ]
}

fn effect_label(e: &EffectResult, opts: &ApaOptions) -> Rich {
    match e.def.kind {
        EffectKind::TotalIndirect => Rich::plain(format!(
            "Total indirect effect of {}",
            opts.name(&e.def.focal)
        )),
        EffectKind::Contrast => {
            // The path holds both specific effects' variables separated by "-".
            let parts: Vec<String> = e
                .def
                .path
                .split(|v| v == "-")
                .map(|p| format!("({})", opts.path(p)))
                .collect();
            Rich::plain(format!(
                "Contrast {}: {}",
                e.def.label.clone().unwrap_or_default(),
                parts.join(" − ")
            ))
        }
        EffectKind::IndexOfModeratedMediation
        | EffectKind::PartialIndex
        | EffectKind::ConditionalIndex
        | EffectKind::ModeratedModeratedIndex => {
            let mut s = opts.path(&e.def.path);
            if let Some(l) = &e.def.label {
                s += &format!(" (moderator {})", opts.name(l));
            }
            Rich::plain(s)
        }
        k if k.is_counterfactual() => Rich::plain(counterfactual_label(e, opts)),
        _ => Rich::plain(opts.path(&e.def.path)),
    }
}

/// The counterfactual effects of `xmint`, named as PROCESS names them.
fn counterfactual_label(e: &EffectResult, opts: &ApaOptions) -> String {
    let path = opts.path(&e.def.path);
    match e.def.kind {
        EffectKind::PureNaturalDirect => format!("(Pure) natural direct effect, {path}"),
        EffectKind::TotalNaturalDirect => format!("(Total) natural direct effect, {path}"),
        EffectKind::ControlledDirect => format!(
            "Controlled direct effect at {}, {path}",
            e.def.label.clone().unwrap_or_default()
        ),
        EffectKind::TotalNaturalIndirect => format!("(Total) natural indirect effect, {path}"),
        EffectKind::PureNaturalIndirect => format!("(Pure) natural indirect effect, {path}"),
        _ => format!("Total effect, {path}"),
    }
}

/// Rows of one panel: an unmoderated effect is one row; a moderated one is its path with the
/// conditional effects indented under it.
fn effect_rows(effects: &[&EffectResult], opts: &ApaOptions) -> Vec<Row> {
    let d = opts.decimals;
    let mut rows = Vec::new();
    let mut last: Option<Rich> = None;
    for e in effects {
        let label = effect_label(e, opts);
        if e.def.moderators.is_empty() {
            rows.push(Row {
                label,
                indent: false,
                cells: effect_cells(e, d),
            });
            last = None;
            continue;
        }
        if last.as_ref() != Some(&label) {
            rows.push(Row {
                label: label.clone(),
                indent: false,
                cells: vec![Cell::Empty; 5],
            });
            last = Some(label);
        }
        rows.push(Row {
            label: moderator_values(e, opts),
            indent: true,
            cells: effect_cells(e, d),
        });
    }
    rows
}

fn effects_table(a: &Analysis, opts: &ApaOptions) -> Option<ApaTable> {
    let mut panels = effect_panels(a, opts);
    panels.extend(defined_panel(a, opts.decimals));
    if panels.is_empty() {
        return None;
    }
    let note = effects_note(a, opts);
    Some(ApaTable {
        number: opts.first_number,
        title: format!(
            "Direct and indirect effects of {} on {}",
            opts.name(&a.spec.x),
            opts.name(&a.spec.y)
        ),
        slug: "effects".into(),
        stub: m("Path"),
        headings: vec![
            vec![
                h(Rich::default(), 3),
                h(Rich::plain(conf_label(a.options.conf)), 2),
            ],
            ["Effect", "*SE*", "*p*", "*LL*", "*UL*"]
                .iter()
                .map(|l| h(m(l), 1))
                .collect(),
        ],
        panels,
        notes: vec![note],
    })
}

/// One panel per kind of effect (total, direct, indirect, indices, counterfactual), in order.
fn effect_panels(a: &Analysis, opts: &ApaOptions) -> Vec<Panel> {
    let mut panels = Vec::new();
    let of = |kinds: &[EffectKind]| -> Vec<&EffectResult> {
        a.effects
            .iter()
            .filter(|e| kinds.contains(&e.def.kind))
            .collect()
    };
    let groups: [(&str, Vec<&EffectResult>); 6] = [
        ("Total effect", of(&[EffectKind::Total])),
        ("Direct effect", of(&[EffectKind::Direct])),
        (
            "Indirect effects",
            of(&[
                EffectKind::Indirect,
                EffectKind::TotalIndirect,
                EffectKind::Contrast,
            ]),
        ),
        (
            "Indices of moderated mediation",
            of(&[
                EffectKind::IndexOfModeratedMediation,
                EffectKind::PartialIndex,
                EffectKind::ConditionalIndex,
                EffectKind::ModeratedModeratedIndex,
            ]),
        ),
        (
            "Natural and controlled direct effects",
            of(&[
                EffectKind::PureNaturalDirect,
                EffectKind::ControlledDirect,
                EffectKind::TotalNaturalDirect,
            ]),
        ),
        (
            "Natural indirect and total effects",
            of(&[
                EffectKind::TotalNaturalIndirect,
                EffectKind::PureNaturalIndirect,
                EffectKind::CounterfactualTotal,
            ]),
        ),
    ];
    for (title, effects) in groups {
        if effects.is_empty() {
            continue;
        }
        let moderated = effects.iter().any(|e| !e.def.moderators.is_empty());
        let title = match (title, moderated) {
            ("Direct effect", true) => "Conditional direct effects",
            ("Indirect effects", true) => "Conditional indirect effects",
            (t, _) => t,
        };
        panels.push(Panel {
            heading: Some(Rich::plain(title)),
            rows: effect_rows(&effects, opts),
        });
    }
    panels
}

/// The `:=` quantities of a path-syntax model.
fn defined_panel(a: &Analysis, d: usize) -> Option<Panel> {
    if a.defined.is_empty() {
        return None;
    }
    Some(Panel {
        heading: Some(Rich::plain("Defined quantities")),
        rows: a
            .defined
            .iter()
            .map(|q| Row {
                label: Rich::plain(format!("{} = {}", q.name, q.expression)),
                indent: false,
                cells: vec![
                    Cell::num(q.estimate, NumStyle::Fixed(d)),
                    q.boot_se
                        .map_or(Cell::Empty, |s| Cell::num(s, NumStyle::Fixed(d))),
                    Cell::Empty,
                    Cell::num(q.ci_lower, NumStyle::Fixed(d)),
                    Cell::num(q.ci_upper, NumStyle::Fixed(d)),
                ],
            })
            .collect(),
    })
}

/// Where each column's SE, p and interval come from, and how moderators were probed.
fn effects_note(a: &Analysis, opts: &ApaOptions) -> Rich {
    let mut note = m("*Note.* Unstandardized effects of ")
        .then(Rich::plain(opts.name(&a.spec.x)))
        .then(Rich::plain(" on "))
        .then(Rich::plain(opts.name(&a.spec.y)))
        .then(Rich::plain(". "));
    let analytic_kind = |k: EffectKind| k == EffectKind::Total || k.is_direct();
    let analytic = a.effects.iter().any(|e| analytic_kind(e.def.kind));
    let resampled = !a.defined.is_empty() || a.effects.iter().any(|e| !analytic_kind(e.def.kind));
    if analytic {
        note = note
            .then(m("Total and direct effects: *SE*, *p* and CI from the "))
            .then(Rich::plain(
                match a.equations.iter().find(|(f, _)| f.outcome == a.spec.y) {
                    Some((f, _)) if f.method == Method::Logistic => "model-based (logistic)",
                    _ => a.options.cov.label(),
                },
            ))
            .then(m(" standard errors. "));
    }
    match &a.bootstrap {
        _ if !resampled => {}
        None => {
            note = note.then(Rich::plain(
                "No bootstrap was run: indirect effects have no standard error or confidence interval. ",
            ));
        }
        Some(b) if b.resampling == "monte_carlo" => {
            note = note.then(m(&format!(
                "Indirect effects, indices and defined quantities: Monte Carlo *SE* and CI from {} draws of the coefficients (seed {}). ",
                b.b, b.seed
            )));
        }
        Some(b) => {
            note = note.then(m(&format!(
                "Indirect effects, indices and defined quantities: bootstrap *SE* and {} CI from {} resamples (seed {}{}). ",
                b.method.label(),
                b.b,
                b.seed,
                if b.failed > 0 {
                    format!("; {} failed resamples replaced", b.failed)
                } else {
                    String::new()
                }
            )));
        }
    }
    if a.effects.iter().any(|e| !e.def.moderators.is_empty()) {
        let how = match (&a.options.probe, &a.options.w_values) {
            (_, Some(_)) | (ProbeMethod::Values(_), _) => "values given by the user",
            (ProbeMethod::Percentiles, _) => "the 16th, 50th and 84th percentiles",
            (ProbeMethod::MeanSd, _) => "the mean and one SD below and above it",
        };
        note = note.then(Rich::plain(format!(
            "Moderators are probed at {how} (a dichotomous moderator at its two values). "
        )));
    }
    note = note.then(m(
        "CI = confidence interval; *LL* = lower limit; *UL* = upper limit.",
    ));
    note
}
