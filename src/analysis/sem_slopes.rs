//! Probing a latent interaction (issue 12): the simple slopes of an outcome on the focal factor
//! of a product term at values of the moderator, with delta-method SEs, and the Johnson-Neyman
//! region, from a fit whose product term is a latent (sem/interaction/).
//!
//! For `y ~ g1*x + g2*w + g3*x:w` the slope of y on x at w is g1 + g3·w with variance
//! V11 + 2w·V13 + w²·V33 (w held fixed, as modsem's `simple_slopes`, and Aiken & West 1991
//! for observed variables). A latent moderator has mean 0 (the product indicators are centred),
//! so it is probed at 0 and ± 1 SD of its model-implied variance (modsem's default); an
//! observed moderator at PROCESS's percentiles of the rows used, or mean ± SD, or given values
//! (effects/probe.rs). The product indicators are built from centred variables, so the term is
//! x·(w − w̄) and an observed moderator's slope at w is g1 + g3·(w − w̄), w̄ its mean in the rows
//! used (a latent's is 0). The Johnson-Neyman bounds solve (g1 + g3·w)² = z²·Var
//! (analysis/jn.rs), in w − w̄.
//!
//! An LMS fit (sem/lms/) multiplies the factors as they are, uncentred: the slope at w is
//! g1 + g3·w, a latent moderator is probed at its model-implied mean ± 1 SD over the quadrature
//! mixture (the term's `factor_moments`), an observed one at the same data-based values as
//! above; the vcov is LMS's observed-information one (modsem's `simple_slopes` on an "lms" fit).

use serde::Serialize;

use super::jn::{boundaries, JnCurve, JN_CURVE_POINTS};
use crate::data::Dataset;
use crate::effects::probe::{label, numeric_points, ProbeMethod};
use crate::numeric::dist::{z_p_two_sided, z_quantile};
use crate::sem::interaction::{latent_mean, latent_variance, InteractionMethod, ProductLatent};
use crate::sem::{SemError, SemFit};

/// The slope at one value of the moderator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SlopeRow {
    pub w: f64,
    /// "-1 SD", "mean", "+1 SD" for a latent moderator, else the value.
    pub label: String,
    pub effect: f64,
    pub se: f64,
    pub z: f64,
    pub p: f64,
    pub ci_lower: f64,
    pub ci_upper: f64,
}

/// The probing of one product term in one regression.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LatentSlopes {
    pub outcome: String,
    pub focal: String,
    pub moderator: String,
    /// The product term (the latent `x:w`).
    pub term: String,
    pub moderator_is_latent: bool,
    /// The moderator's SD: model-implied for a latent, the sample's (rows used) for an observed
    /// one.
    pub moderator_sd: f64,
    /// The mean the moderator was centred at in the product indicators (0 for a latent, and
    /// for any moderator under LMS, whose product is uncentred).
    pub moderator_centre: f64,
    /// How the interaction was estimated (`dmc` or `lms`).
    pub method: InteractionMethod,
    /// How the probe values were chosen: "mean_sd", "percentiles" or "values".
    pub probe: String,
    pub level: f64,
    pub crit: f64,
    pub slopes: Vec<SlopeRow>,
    /// Where the slope's interval touches zero, ascending (for an observed moderator only those
    /// inside its observed range).
    pub jn_bounds: Vec<f64>,
    /// The slope is significant at `level` on these stretches of the moderator
    /// (`[lower, upper]`, ±infinity at the open ends; in JSON null).
    pub jn_significant: Vec<(f64, f64)>,
    /// The slope and its interval along the moderator (± 3 SD, or the observed range).
    pub curve: JnCurve,
}

/// Every product term of `fit` probed in every regression it enters. `data` is what the fit was
/// made from (an observed moderator's values, on the rows the fit used).
pub fn latent_slopes(
    fit: &SemFit,
    data: &Dataset,
    method: &ProbeMethod,
) -> Result<Vec<LatentSlopes>, SemError> {
    let mut out = Vec::new();
    for term in &fit.interactions {
        let (focal, moderator) = (&term.factors[0], &term.factors[1]);
        for row in fit
            .parameters
            .iter()
            .filter(|r| r.op == "~" && r.rhs == term.name)
        {
            let m = moderator_values(fit, data, term, moderator, method)?;
            out.push(probe(fit, &row.lhs, focal, term, m));
        }
    }
    Ok(out)
}

/// A moderator's probe values and labels, SD, range of the curve, and the values observed.
struct Moderator {
    name: String,
    latent: bool,
    sd: f64,
    probe: &'static str,
    points: Vec<(f64, String)>,
    range: (f64, f64),
    observed: Option<(f64, f64)>,
    /// The mean the product's factor was centred at (0 for a latent, and under LMS).
    centre: f64,
    /// Its mean (model-implied for a latent; the sample's for an observed one).
    mean: f64,
}

fn moderator_values(
    fit: &SemFit,
    data: &Dataset,
    term: &ProductLatent,
    name: &str,
    method: &ProbeMethod,
) -> Result<Moderator, SemError> {
    if let Some(f) = term.factor_moments.iter().find(|f| f.name == name) {
        // LMS: the product is uncentred (centre 0); a latent is probed around its mean.
        return if f.latent {
            Ok(latent_moderator(name, f.mean, f.variance, method))
        } else {
            observed_moderator(fit, data, name, method, false)
        };
    }
    let latent = fit
        .source
        .as_deref()
        .is_some_and(|s| s.table.lv.iter().any(|l| l == name));
    // Where the product put the factor's zero, when the expansion recorded it (an observed
    // factor's centring mean; a latent's pooled mean in a multi-group fit, sem_group_slopes.rs).
    let centre = term.centres.iter().find(|(n, _)| n == name).map(|c| c.1);
    if latent {
        let mean = match centre {
            Some(_) => latent_mean(fit, name)?,
            None => 0.0,
        };
        let mut m = latent_moderator(name, mean, latent_variance(fit, name)?, method);
        m.centre = centre.unwrap_or(0.0);
        return Ok(m);
    }
    let mut m = observed_moderator(fit, data, name, method, true)?;
    if let Some(c) = centre {
        m.centre = c;
    }
    Ok(m)
}

/// A latent moderator of model-implied `mean` and `variance`, probed at the mean ± 1 SD (or the
/// given values), its curve over ± 3 SD; the product is of the latent itself (centre 0).
fn latent_moderator(name: &str, mean: f64, variance: f64, method: &ProbeMethod) -> Moderator {
    let sd = variance.max(0.0).sqrt();
    let (probe, points) = match method {
        ProbeMethod::Values(v) => ("values", v.iter().map(|&w| (w, label(w))).collect()),
        _ => (
            "mean_sd",
            vec![
                (mean - sd, "-1 SD".into()),
                (mean, "mean".into()),
                (mean + sd, "+1 SD".into()),
            ],
        ),
    };
    Moderator {
        name: name.into(),
        latent: true,
        sd,
        probe,
        points,
        range: (mean - 3.0 * sd, mean + 3.0 * sd),
        observed: None,
        centre: 0.0,
        mean,
    }
}

/// An observed moderator over the rows the fit used; `centred`: the product was built from it
/// centred at its mean (DMC), else from its raw values (LMS).
fn observed_moderator(
    fit: &SemFit,
    data: &Dataset,
    name: &str,
    method: &ProbeMethod,
    centred: bool,
) -> Result<Moderator, SemError> {
    let col = data.numeric(name)?;
    let values: Vec<f64> = data
        .lines()
        .iter()
        .zip(col)
        .filter(|(l, v)| !fit.dropped_lines.contains(l) && !v.is_nan())
        .map(|(_, &v)| v)
        .collect();
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let probe = match method {
        ProbeMethod::Percentiles => "percentiles",
        ProbeMethod::MeanSd => "mean_sd",
        ProbeMethod::Values(_) => "values",
    };
    let points = numeric_points(&values, method)
        .into_iter()
        .map(|p| (p.value, p.label))
        .collect();
    Ok(Moderator {
        name: name.into(),
        latent: false,
        sd,
        probe,
        points,
        range: (lo, hi),
        observed: Some((lo, hi)),
        centre: if centred { mean } else { 0.0 },
        mean,
    })
}

/// (estimate, free index) of `lhs ~ rhs`; a path not in the model is a fixed 0.
fn path(fit: &SemFit, lhs: &str, rhs: &str) -> (f64, usize) {
    fit.parameters
        .iter()
        .find(|r| r.op == "~" && r.lhs == lhs && r.rhs == rhs)
        .map_or((0.0, 0), |r| (r.est, r.free))
}

fn probe(
    fit: &SemFit,
    outcome: &str,
    focal: &str,
    product: &ProductLatent,
    m: Moderator,
) -> LatentSlopes {
    let term = product.name.as_str();
    let (g1, f1) = path(fit, outcome, focal);
    let (g3, f3) = path(fit, outcome, term);
    let v = |a: usize, b: usize| {
        if a == 0 || b == 0 {
            0.0
        } else {
            fit.vcov[(a - 1, b - 1)]
        }
    };
    let (v11, v13, v33) = (v(f1, f1), v(f1, f3), v(f3, f3));
    let crit = z_quantile(1.0 - (1.0 - fit.options.level) / 2.0);
    let c = m.centre;
    let at = |w: f64| {
        let w = w - c;
        let effect = g1 + g3 * w;
        let se = (v11 + 2.0 * w * v13 + w * w * v33).max(0.0).sqrt();
        (effect, se)
    };
    let slopes = m
        .points
        .iter()
        .map(|(w, lab)| {
            let (effect, se) = at(*w);
            SlopeRow {
                w: *w,
                label: lab.clone(),
                effect,
                se,
                z: effect / se,
                p: z_p_two_sided(effect / se),
                ci_lower: effect - crit * se,
                ci_upper: effect + crit * se,
            }
        })
        .collect();
    let mut bounds: Vec<f64> = boundaries((g1, g3), (v11, v13, v33), crit * crit)
        .into_iter()
        .map(|b| b + c)
        .collect();
    bounds.sort_by(f64::total_cmp);
    bounds.dedup();
    let significant = significant_stretches(&bounds, |w| {
        let (e, se) = at(w);
        e.abs() > crit * se
    });
    if let Some((lo, hi)) = m.observed {
        bounds.retain(|b| *b >= lo && *b <= hi);
    }
    LatentSlopes {
        outcome: outcome.into(),
        focal: focal.into(),
        moderator: m.name,
        term: term.into(),
        moderator_is_latent: m.latent,
        moderator_sd: m.sd,
        moderator_centre: m.centre,
        method: product.method,
        probe: m.probe.into(),
        level: fit.options.level,
        crit,
        slopes,
        jn_bounds: bounds,
        jn_significant: significant,
        curve: curve(m.range, crit, at),
    }
}

/// The stretches between consecutive bounds (and beyond the ends) where `sig` holds at their
/// middle.
fn significant_stretches(bounds: &[f64], sig: impl Fn(f64) -> bool) -> Vec<(f64, f64)> {
    let mut edges = vec![f64::NEG_INFINITY];
    edges.extend(bounds);
    edges.push(f64::INFINITY);
    edges
        .windows(2)
        .filter(|e| {
            let mid = match (e[0].is_finite(), e[1].is_finite()) {
                (true, true) => 0.5 * (e[0] + e[1]),
                (false, true) => e[1] - 1.0 - e[1].abs(),
                (true, false) => e[0] + 1.0 + e[0].abs(),
                (false, false) => 0.0,
            };
            sig(mid)
        })
        .map(|e| (e[0], e[1]))
        .collect()
}

fn curve((lo, hi): (f64, f64), crit: f64, at: impl Fn(f64) -> (f64, f64)) -> JnCurve {
    let n = JN_CURVE_POINTS;
    let mut c = JnCurve {
        w: Vec::with_capacity(n),
        effect: Vec::with_capacity(n),
        lower: Vec::with_capacity(n),
        upper: Vec::with_capacity(n),
    };
    for i in 0..n {
        let w = lo + (hi - lo) * i as f64 / (n - 1) as f64;
        let (e, se) = at(w);
        c.w.push(w);
        c.effect.push(e);
        c.lower.push(e - crit * se);
        c.upper.push(e + crit * se);
    }
    c
}

/// One line of the interaction plot: the outcome predicted from the focal factor at one probe
/// value of the moderator, with its pointwise interval.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PredictedLine {
    pub label: String,
    pub fit: Vec<f64>,
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
}

/// The outcome (as a deviation from its intercept, the factors at their means otherwise)
/// predicted at focal values `x` for each probe value of `s`: g1·x + g2·w̃ + g3·x·w̃ with
/// w̃ = w − centre, intervals ± crit·SE by the delta method over (g1, g2, g3).
pub fn predicted_lines(fit: &SemFit, s: &LatentSlopes, x: &[f64]) -> Vec<PredictedLine> {
    let paths = [
        path(fit, &s.outcome, &s.focal),
        path(fit, &s.outcome, &s.moderator),
        path(fit, &s.outcome, &s.term),
    ];
    let v = |a: usize, b: usize| {
        if a == 0 || b == 0 {
            0.0
        } else {
            fit.vcov[(a - 1, b - 1)]
        }
    };
    s.slopes
        .iter()
        .map(|r| {
            let wc = r.w - s.moderator_centre;
            let mut line = PredictedLine {
                label: r.label.clone(),
                fit: Vec::with_capacity(x.len()),
                lower: Vec::with_capacity(x.len()),
                upper: Vec::with_capacity(x.len()),
            };
            for &xi in x {
                let l = [xi, wc, xi * wc];
                let est: f64 = l.iter().zip(&paths).map(|(a, p)| a * p.0).sum();
                let var: f64 = (0..3)
                    .flat_map(|i| (0..3).map(move |j| (i, j)))
                    .map(|(i, j)| l[i] * l[j] * v(paths[i].1, paths[j].1))
                    .sum();
                let se = var.max(0.0).sqrt();
                line.fit.push(est);
                line.lower.push(est - s.crit * se);
                line.upper.push(est + s.crit * se);
            }
            line
        })
        .collect()
}

/// Where the interaction plot's focal axis lies: the factor's SD and mean (model-implied for a
/// latent, the sample's over the rows used for an observed one), and the centre the product was
/// built at (subtracted from the axis's values in [`predicted_lines`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FocalScale {
    pub sd: f64,
    pub mean: f64,
    pub centre: f64,
}

/// The focal factor's [`FocalScale`] in the probed term `s`.
pub fn focal_scale(fit: &SemFit, data: &Dataset, s: &LatentSlopes) -> Result<FocalScale, SemError> {
    let term = fit
        .interactions
        .iter()
        .find(|t| t.name == s.term)
        .ok_or_else(|| SemError::UnsupportedOption {
            what: format!(
                "probing '{}', which is not a latent interaction of the fit",
                s.term
            ),
        })?;
    let m = moderator_values(fit, data, term, &s.focal, &ProbeMethod::MeanSd)?;
    Ok(FocalScale {
        sd: m.sd,
        mean: m.mean,
        centre: m.centre,
    })
}
