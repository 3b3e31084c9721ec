//! APA tables of a latent-variable model: the measurement model (loadings per latent), the
//! structural paths and the defined (indirect, total) effects, each with the model's fit line in
//! its note, as SEM papers report them (Kline 2016, ch. 13; APA JARS-Quant, table 9).

use crate::sem::{ParameterRow, SemFit};

use super::build::{star_note, ApaOptions};
use super::{stars, ApaTable, Cell, Heading, NumStyle, Panel, Rich, Row};

/// The measurement table, then the structural paths and the defined effects when the model has
/// them; numbered from `opts.first_number`.
pub fn apa_sem(fit: &SemFit, opts: &ApaOptions) -> Vec<ApaTable> {
    let mut tables = vec![measurement_table(fit, opts)];
    let paths: Vec<&ParameterRow> = fit.parameters.iter().filter(|r| r.op == "~").collect();
    if !paths.is_empty() {
        let rows = paths.iter().map(|r| path_row(r, opts)).collect();
        tables.push(effects_table(fit, opts, "Structural paths", "paths", rows));
    }
    let defined: Vec<&ParameterRow> = fit.parameters.iter().filter(|r| r.op == ":=").collect();
    if !defined.is_empty() {
        let rows = defined
            .iter()
            .map(|r| effect_row(Rich::plain(&r.lhs), r, opts))
            .collect();
        tables.push(effects_table(
            fit,
            opts,
            "Defined effects (indirect and total)",
            "defined",
            rows,
        ));
    }
    for (i, t) in tables.iter_mut().enumerate() {
        t.number = opts.first_number + i;
    }
    tables
}

fn h(label: &str) -> Heading {
    Heading {
        label: Rich::markup(label),
        width: 1,
    }
}

/// Loadings of each latent's items: B, SE, β (std.all), p. A fixed marker loading has no SE.
fn measurement_table(fit: &SemFit, opts: &ApaOptions) -> ApaTable {
    let d = opts.decimals;
    // A fit whose reliability cannot be computed still gets its loadings.
    let reliability = fit.reliability().unwrap_or_default();
    let mut panels: Vec<Panel> = Vec::new();
    let mut current: Option<&str> = None;
    for r in fit.parameters.iter().filter(|r| r.op == "=~") {
        if current != Some(r.lhs.as_str()) {
            current = Some(r.lhs.as_str());
            let rel = reliability.iter().find(|l| l.latent == r.lhs);
            panels.push(Panel {
                heading: Some(Rich::plain(panel_heading(&opts.name(&r.lhs), rel, d))),
                rows: Vec::new(),
            });
        }
        let free = r.free > 0;
        let cells = vec![
            coef(r.est, r.p, free, opts),
            opt_num(r.se, free, NumStyle::Fixed(d)),
            Cell::num(r.std_all, NumStyle::Fixed(d)),
            opt_num(r.p, free, NumStyle::P),
        ];
        if let Some(p) = panels.last_mut() {
            p.rows.push(Row {
                label: Rich::plain(opts.name(&r.rhs)),
                indent: false,
                cells,
            });
        }
    }
    let mut notes = vec![Rich::markup("*Note.* ")
        .then(sample_text(fit))
        .then(Rich::markup(
            "*B* = unstandardized loading; β = completely standardized loading (std.all); ω = composite reliability and AVE = average variance extracted (semTools' compRelSEM and AVE). A loading without a standard error was fixed to 1 to set the latent variable's scale. ",
        ))
        .then(fit_line(fit))];
    if opts.stars {
        notes.push(star_note());
    }
    ApaTable {
        number: opts.first_number,
        title: "Measurement model: factor loadings".into(),
        slug: "measurement".into(),
        stub: Rich::plain("Latent variable / item"),
        headings: vec![vec![h("*B*"), h("*SE*"), h("β"), h("*p*")]],
        panels,
        notes,
    }
}

/// The latent's name with its omega and AVE, which APA reports print without a leading zero.
fn panel_heading(
    name: &str,
    rel: Option<&crate::sem::reliability::LatentReliability>,
    d: usize,
) -> String {
    let unit = |x: f64| {
        let t = format!("{x:.d$}");
        match t.strip_prefix("0.") {
            Some(rest) => format!(".{rest}"),
            None => t,
        }
    };
    match rel {
        Some(l) if l.omega.is_finite() && l.ave.is_finite() => {
            format!("{name} (ω = {}, AVE = {})", unit(l.omega), unit(l.ave))
        }
        _ => name.to_string(),
    }
}

/// A table of effects with B, SE, β, p and the confidence interval.
fn effects_table(
    fit: &SemFit,
    opts: &ApaOptions,
    title: &str,
    slug: &str,
    rows: Vec<Row>,
) -> ApaTable {
    let conf = crate::data::format_number(fit.options.level * 100.0);
    let top = vec![
        Heading {
            label: Rich::plain(""),
            width: 4,
        },
        Heading {
            label: Rich::plain(format!("{conf}% CI")),
            width: 2,
        },
    ];
    let leaf = vec![h("*B*"), h("*SE*"), h("β"), h("*p*"), h("*LL*"), h("*UL*")];
    let mut notes = vec![Rich::markup("*Note.* ")
        .then(sample_text(fit))
        .then(Rich::markup(
            "*B* = unstandardized estimate; β = completely standardized estimate (std.all); CI = Wald (delta-method) confidence interval; *LL* and *UL* = its lower and upper limits. ",
        ))
        .then(fit_line(fit))];
    if opts.stars {
        notes.push(star_note());
    }
    ApaTable {
        number: opts.first_number,
        title: title.into(),
        slug: slug.into(),
        stub: Rich::plain("Effect"),
        headings: vec![top, leaf],
        panels: vec![Panel {
            heading: None,
            rows,
        }],
        notes,
    }
}

/// `X → Y` with the path's label (`a`) when it has one.
fn path_row(r: &ParameterRow, opts: &ApaOptions) -> Row {
    let mut label = format!("{} → {}", opts.name(&r.rhs), opts.name(&r.lhs));
    if !r.label.is_empty() {
        label += &format!(" ({})", r.label);
    }
    effect_row(Rich::plain(label), r, opts)
}

fn effect_row(label: Rich, r: &ParameterRow, opts: &ApaOptions) -> Row {
    let d = opts.decimals;
    let free = r.se.is_finite() && r.se > 0.0;
    Row {
        label,
        indent: false,
        cells: vec![
            coef(r.est, r.p, free, opts),
            opt_num(r.se, free, NumStyle::Fixed(d)),
            Cell::num(r.std_all, NumStyle::Fixed(d)),
            opt_num(r.p, free, NumStyle::P),
            opt_num(r.ci_lower, free, NumStyle::Fixed(d)),
            opt_num(r.ci_upper, free, NumStyle::Fixed(d)),
        ],
    }
}

fn coef(est: f64, p: f64, free: bool, opts: &ApaOptions) -> Cell {
    Cell::Num {
        value: est,
        style: NumStyle::Fixed(opts.decimals),
        stars: if opts.stars && free { stars(p) } else { "" },
    }
}

/// A number only a free parameter has (SE, p, interval); empty for a fixed one.
fn opt_num(v: f64, free: bool, style: NumStyle) -> Cell {
    if free && v.is_finite() {
        Cell::num(v, style)
    } else {
        Cell::Empty
    }
}

fn sample_text(fit: &SemFit) -> Rich {
    let missing = match fit.options.missing {
        crate::sem::Missing::Listwise if !fit.dropped_lines.is_empty() => format!(
            " (listwise deletion, {} cases excluded)",
            fit.dropped_lines.len()
        ),
        crate::sem::Missing::Listwise => String::new(),
        _ => " (full-information ML)".into(),
    };
    Rich::markup(&format!("*N* = {}{missing}; ", fit.n))
        .then(Rich::plain(format!("estimator {}. ", estimator_name(fit))))
}

fn estimator_name(fit: &SemFit) -> &'static str {
    match fit.fit.scaled {
        Some(_) => "MLR (robust standard errors, Yuan-Bentler scaled test)",
        None => "ML",
    }
}

/// The APA fit line: χ²(df) = …, p …, CFI, TLI, RMSEA [90% CI], SRMR. Under MLR the scaled
/// test and the robust CFI, TLI and RMSEA (lavaan's `.robust` measures).
pub fn fit_line(fit: &SemFit) -> Rich {
    let f = &fit.fit;
    let (chisq, df, p, cfi, tli, rmsea, lo, hi) = match &f.scaled {
        Some(s) => (
            s.chisq_scaled,
            s.df_scaled,
            s.pvalue_scaled,
            s.cfi_robust,
            s.tli_robust,
            s.rmsea_robust,
            s.rmsea_ci_lower_robust,
            s.rmsea_ci_upper_robust,
        ),
        None => (
            f.chisq,
            f.df,
            f.pvalue,
            f.cfi,
            f.tli,
            f.rmsea,
            f.rmsea_ci_lower,
            f.rmsea_ci_upper,
        ),
    };
    let fx = |v: f64| super::format_num(v, NumStyle::Fixed(2));
    let b3 = |v: f64| super::format_num(v, NumStyle::Bounded(3));
    let pv = super::format_num(p, NumStyle::P);
    let p_part = if pv.starts_with(['<', '>']) {
        format!("*p* {pv}")
    } else {
        format!("*p* = {pv}")
    };
    Rich::markup(&format!(
        "Model fit: χ^{{2}}({}) = {}, {p_part}, CFI = {}, TLI = {}, RMSEA = {} [90% CI {}, {}], SRMR = {}.",
        crate::data::format_number(df),
        fx(chisq),
        b3(cfi),
        b3(tli),
        b3(rmsea),
        b3(lo),
        b3(hi),
        b3(f.srmr),
    ))
}
