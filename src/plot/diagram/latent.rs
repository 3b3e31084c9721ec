//! Path diagrams of latent-variable models, read off a fitted [`SemFit`]'s parameter table:
//! latent variables (`=~`) as ellipses with their indicators as boxes, regressions (`~`) as
//! arrows, covariances (`~~`) as curved two-headed arrows, variances optionally as loops. The
//! layout is in `latent_layout`; this file decides what is drawn and what it says.

use std::collections::BTreeSet;

use super::ir::Diagram;
use super::latent_layout::{self, Structure};
use super::statistical::{stars, CoefStyle};
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

/// The path diagram of a fitted latent-variable model.
pub fn latent(fit: &SemFit, labels: &Labels, opts: &LatentOptions) -> Diagram {
    let structure = structure(fit, opts);
    let caption = caption(fit, opts, &structure);
    latent_layout::layout(&structure, labels, Some(caption))
}

/// The path diagram of one group of a multi-group fit (`fit` is that group's view,
/// `GroupedFit::group_fit`), its caption opening with the group's name.
pub fn latent_in_group(
    fit: &SemFit,
    labels: &Labels,
    opts: &LatentOptions,
    group: &str,
) -> Diagram {
    let structure = structure(fit, opts);
    let caption = format!(
        "Group {group} (n = {}). {}",
        fit.n,
        caption(fit, opts, &structure)
    );
    latent_layout::layout(&structure, labels, Some(caption))
}

/// What the diagram holds, read off the parameter table.
fn structure(fit: &SemFit, opts: &LatentOptions) -> Structure {
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
    let label = |r: &ParameterRow| coef_text(r, opts);
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
        if !drawn.contains(&r.lhs) || !drawn.contains(&r.rhs) || !shown_covariance(r, &is_latent) {
            continue;
        }
        let link = Link {
            from: r.lhs.clone(),
            to: r.rhs.clone(),
            label: label(r),
        };
        if r.lhs != r.rhs {
            s.covariances.push(link);
        } else if opts.residuals {
            s.variances.push(link);
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

/// The text on a line: the estimate with stars or with its interval; a fixed value alone.
fn coef_text(r: &ParameterRow, opts: &LatentOptions) -> String {
    let d = opts.decimals;
    let (v, lo, hi) = match opts.values {
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
    };
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
fn caption(fit: &SemFit, opts: &LatentOptions, s: &Structure) -> String {
    let which = match opts.values {
        LatentValues::Unstandardized => "Unstandardized estimates",
        LatentValues::StdAll => "Standardized estimates (std.all)",
    };
    let conf = format!("{}", (fit.options.level * 100.0 * 10.0).round() / 10.0);
    let mut out = match opts.style {
        CoefStyle::Stars => format!("{which}; * p < .05, ** p < .01, *** p < .001."),
        CoefStyle::Ci => format!("{which} with {conf}% confidence intervals."),
    };
    out.push_str(" Ellipses: latent variables; boxes: observed variables");
    if !s.covariances.is_empty() || !s.variances.is_empty() {
        out.push_str("; curved two-headed arrows: (residual) variances and covariances");
    }
    out.push_str(&format!(". N = {}.", fit.n));
    out
}
