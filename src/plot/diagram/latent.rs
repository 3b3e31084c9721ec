//! Path diagrams of latent-variable models, read off a fitted [`SemFit`]'s parameter table:
//! latent variables (`=~`) as ellipses with their indicators as boxes, regressions (`~`) as
//! arrows, covariances (`~~`) as curved two-headed arrows, variances optionally as loops. The
//! layout is in `latent_layout`; this file decides what is drawn and what it says.

use std::collections::BTreeSet;

use super::ir::Diagram;
use super::latent_key;
use super::latent_layout::{self, Structure};
use super::statistical::{stars, CoefStyle, MIN_PRINT_PT, TEXT_WIDTH};
use crate::plot::labels::Labels;
use crate::sem::{ParameterRow, SemFit};

/// Which estimates label the arrows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LatentValues {
    /// lavaan's `est`.
    #[default]
    Unstandardized,
    /// lavaan's `std.all` (latent and observed variances 1).
    StdAll,
}

/// What a latent path diagram shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LatentOptions {
    pub values: LatentValues,
    pub style: CoefStyle,
    /// Digits after the point.
    pub decimals: usize,
    /// Variances and residual variances as loops on their boxes.
    pub residuals: bool,
}

impl Default for LatentOptions {
    fn default() -> Self {
        LatentOptions {
            values: LatentValues::default(),
            style: CoefStyle::Stars,
            decimals: 2,
            residuals: false,
        }
    }
}

/// One drawn line: tail, head and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub from: String,
    pub to: String,
    pub label: String,
}

/// The path diagram of a fitted latent-variable model: the numbers on the lines, or, when
/// that cannot print at 8 pt at a journal's text width (intervals on two lines, std.all with
/// residual variances), short parameter symbols on the lines and the numbers in a key beneath
/// (`latent_key`), whichever prints larger.
pub fn latent(fit: &SemFit, labels: &Labels, opts: &LatentOptions) -> Diagram {
    drawn(fit, labels, opts, None)
}

/// The path diagram of one group of a multi-group fit (`fit` is that group's view,
/// `GroupedFit::group_fit`), its caption opening with the group's name.
pub fn latent_in_group(
    fit: &SemFit,
    labels: &Labels,
    opts: &LatentOptions,
    group: &str,
) -> Diagram {
    drawn(fit, labels, opts, Some(group))
}

fn drawn(fit: &SemFit, labels: &Labels, opts: &LatentOptions, group: Option<&str>) -> Diagram {
    let opening = |c: String| match group {
        Some(g) => format!("Group {g} (n = {}). {c}", fit.n),
        None => c,
    };
    let s = structure(fit, opts, &|r| coef_text(r, opts));
    let note = opening(caption(fit, opts, &s, false));
    let plain = latent_layout::layout(&s, labels, Some(note));
    if printed_pt(&plain) >= MIN_PRINT_PT - 1e-9 {
        return plain;
    }
    let symbols = latent_key::Symbols::new(&fit.parameters);
    let label = |r: &ParameterRow| {
        let cells =
            || latent_key::cells(values(r, opts), r, opts.values, opts.style, opts.decimals);
        symbols
            .label(r, cells)
            .unwrap_or_else(|| coef_text(r, opts))
    };
    let s = structure(fit, opts, &label);
    let note = opening(caption(fit, opts, &s, true));
    let mut keyed = latent_layout::layout(&s, labels, Some(note));
    latent_key::attach(&mut keyed, symbols.table(opts.style, &conf(fit)));
    if printed_pt(&keyed) > printed_pt(&plain) {
        keyed
    } else {
        plain
    }
}

/// The size the diagram's smallest text prints at when it is scaled to a journal's text width
/// (never enlarged).
fn printed_pt(d: &Diagram) -> f64 {
    d.font_pt.min(d.label_pt) * (TEXT_WIDTH / d.width).min(1.0)
}

/// What the diagram holds, read off the parameter table.
fn structure(
    fit: &SemFit,
    opts: &LatentOptions,
    label: &dyn Fn(&ParameterRow) -> String,
) -> Structure {
    let rows = &fit.parameters;
    let latents: Vec<String> = unique(rows.iter().filter(|r| r.op == "=~").map(|r| &r.lhs));
    let is_latent = |v: &str| latents.iter().any(|l| l == v);
    // Observed variables in regressions stand in the structural part, even when they also
    // indicate a latent.
    let regressed: BTreeSet<&str> = rows
        .iter()
        .filter(|r| r.op == "~")
        .flat_map(|r| [r.lhs.as_str(), r.rhs.as_str()])
        .collect();
    let mut s = Structure::default();
    for r in rows.iter().filter(|r| r.op == "=~") {
        let link = Link {
            from: r.lhs.clone(),
            to: r.rhs.clone(),
            label: label(r),
        };
        if is_latent(&r.rhs) || regressed.contains(r.rhs.as_str()) {
            s.arrows.push(link);
        } else {
            s.loadings.push(link);
        }
    }
    for r in rows.iter().filter(|r| r.op == "~") {
        s.arrows.push(Link {
            from: r.rhs.clone(),
            to: r.lhs.clone(),
            label: label(r),
        });
    }
    let drawn: BTreeSet<String> = latents
        .iter()
        .cloned()
        .chain(regressed.iter().map(|v| v.to_string()))
        .chain(s.loadings.iter().map(|l| l.to.clone()))
        .collect();
    for r in rows.iter().filter(|r| r.op == "~~") {
        let variance = r.lhs == r.rhs;
        if !drawn.contains(&r.lhs)
            || !drawn.contains(&r.rhs)
            || !shown_covariance(r, &is_latent)
            || (variance && !opts.residuals)
        {
            continue;
        }
        // Labelled only when drawn: a keyed label notes its row for the key.
        let link = Link {
            from: r.lhs.clone(),
            to: r.rhs.clone(),
            label: label(r),
        };
        if variance {
            s.variances.push(link);
        } else {
            s.covariances.push(link);
        }
    }
    s.latents = latents;
    s.structural = unique(
        s.latents
            .iter()
            .chain(s.arrows.iter().flat_map(|a| [&a.from, &a.to])),
    );
    s
}

/// Whether a `~~` row is a model parameter worth drawing: free ones, and fixed ones at a value
/// other than zero set by the model, but not the sample moments of observed covariates that
/// fixed.x copies in (they are no parameters).
fn shown_covariance(r: &ParameterRow, is_latent: &dyn Fn(&str) -> bool) -> bool {
    if r.free > 0 {
        return true;
    }
    let observed_pair = !is_latent(&r.lhs) && !is_latent(&r.rhs);
    r.est != 0.0 && !observed_pair
}

/// Each name once, in order of first appearance.
fn unique<'a>(names: impl Iterator<Item = &'a String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in names {
        if !out.contains(n) {
            out.push(n.clone());
        }
    }
    out
}

/// The estimate and its interval in the values asked for.
fn values(r: &ParameterRow, opts: &LatentOptions) -> (f64, f64, f64) {
    match opts.values {
        LatentValues::Unstandardized => (r.est, r.ci_lower, r.ci_upper),
        LatentValues::StdAll => {
            // The standardized estimate's Wald interval from its delta-method SE, with the
            // critical value of the unstandardized interval (the fit's level).
            let z = (r.ci_upper - r.est) / r.se;
            (
                r.std_all,
                r.std_all - z * r.std_all_se,
                r.std_all + z * r.std_all_se,
            )
        }
    }
}

/// The text on a line: the estimate with stars or with its interval; a fixed value alone.
fn coef_text(r: &ParameterRow, opts: &LatentOptions) -> String {
    let d = opts.decimals;
    let (v, lo, hi) = values(r, opts);
    if r.free == 0 || !r.p.is_finite() {
        return format!("{v:.d$}");
    }
    match opts.style {
        CoefStyle::Stars => format!("{v:.d$}{}", stars(r.p)),
        CoefStyle::Ci => format!("{v:.d$}\n[{lo:.d$}, {hi:.d$}]"),
    }
}

/// The note under the diagram: which estimates, what stars or intervals mean, what the shapes
/// are.
fn caption(fit: &SemFit, opts: &LatentOptions, s: &Structure, keyed: bool) -> String {
    let which = match opts.values {
        LatentValues::Unstandardized => "Unstandardized estimates",
        LatentValues::StdAll => "Standardized estimates (std.all)",
    };
    let conf = conf(fit);
    let mut out = match (opts.style, keyed) {
        (CoefStyle::Stars, false) => format!("{which}; * p < .05, ** p < .01, *** p < .001."),
        (CoefStyle::Ci, false) => format!("{which} with {conf}% confidence intervals."),
        (CoefStyle::Stars, true) => format!(
            "Each line carries its parameter's symbol (fixed values their number); the key \
             gives their {} with standard errors; * p < .05, ** p < .01, *** p < .001.",
            which.to_lowercase()
        ),
        (CoefStyle::Ci, true) => format!(
            "Each line carries its parameter's symbol (fixed values their number); the key \
             gives their {} with {conf}% confidence intervals.",
            which.to_lowercase()
        ),
    };
    out.push_str(" Ellipses: latent variables; boxes: observed variables");
    if !s.covariances.is_empty() || !s.variances.is_empty() {
        out.push_str("; curved two-headed arrows: (residual) variances and covariances");
    }
    out.push_str(&format!(". N = {}.", fit.n));
    out
}

/// The fit's confidence level in percent (`95`, `90`, `99.9`).
fn conf(fit: &SemFit) -> String {
    format!("{}", (fit.options.level * 100.0 * 10.0).round() / 10.0)
}
