//! Simple slopes with confidence bands: the predicted outcome along a moderated focal predictor
//! at each combination of its moderators' probe points (the lines of an interaction plot). The
//! equation's other predictors are held at their means in the analysis sample (design column
//! means, so a categorical covariate enters at its sample proportions); a categorical focal
//! predictor is predicted at each of its levels. Bands use the critical value of the equation's
//! printed intervals, so a figure cannot disagree with the report.

use serde::Serialize;

use super::conditional::ConditionalEffects;
use super::linear::critical;
use crate::effects::Moderator;
use crate::estimation::{column_factors, EquationFit, Method, R2Change, CONSTANT};

/// Points along a numeric focal predictor, from its minimum to its maximum.
pub const SLOPE_POINTS: usize = 61;

/// The simple slopes of one focal predictor on one outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimpleSlopes {
    pub outcome: String,
    /// The focal predictor (a categorical one by its variable name, not its coded columns).
    pub focal: String,
    pub moderators: Vec<String>,
    /// Values of the focal predictor: [`SLOPE_POINTS`] over its observed range, or the positions
    /// 0, 1, ... of a categorical one's levels.
    pub x: Vec<f64>,
    /// The levels of a categorical focal predictor.
    pub levels: Option<Vec<String>>,
    /// One line per combination of the moderators' probe points.
    pub lines: Vec<SlopeLine>,
    /// The equation's other terms, held at their sample means.
    pub held_at_means: Vec<String>,
    /// The predictions are probabilities (a logistic equation).
    pub probability: bool,
}

/// Predictions at one combination of probe points, with their interval, at each `x`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SlopeLine {
    /// (moderator, probe label) pairs.
    pub at: Vec<(String, String)>,
    pub fit: Vec<f64>,
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
}

/// A moderator's design factors and its probe points as (label, codes).
struct Probes {
    name: String,
    factors: Vec<String>,
    points: Vec<(String, Vec<f64>)>,
}

/// Simple slopes for every moderated focal predictor: one per outcome and focal variable (all
/// coded columns of a categorical one together).
pub(super) fn simple_slopes(
    equations: &[(EquationFit, Vec<R2Change>)],
    conditional: &[ConditionalEffects],
    moderators: &[Moderator],
    conf: f64,
    process_t: bool,
) -> Vec<SimpleSlopes> {
    let mut out = Vec::new();
    let mut done: Vec<(String, String)> = Vec::new();
    for ce in conditional {
        let Some((fit, _)) = equations.iter().find(|(f, _)| f.outcome == ce.outcome) else {
            continue;
        };
        let base = ce.focal.split('[').next().unwrap_or(&ce.focal).to_string();
        if done.contains(&(ce.outcome.clone(), base.clone())) {
            continue;
        }
        done.push((ce.outcome.clone(), base.clone()));
        let Some(probes) = moderator_probes(moderators, fit, &ce.moderators) else {
            continue;
        };
        let (crit, _) = critical(fit, conf, process_t);
        if let Some(s) = slopes(fit, ce, &base, &probes, crit) {
            out.push(s);
        }
    }
    out
}

fn moderator_probes(
    moderators: &[Moderator],
    fit: &EquationFit,
    names: &[String],
) -> Option<Vec<Probes>> {
    names
        .iter()
        .map(|m| {
            let md = moderators.iter().find(|md| &md.name == m)?;
            let factors = match fit.coding.iter().find(|c| &c.variable == m) {
                Some(info) => info.columns.iter().map(|c| c.name.clone()).collect(),
                None => vec![m.clone()],
            };
            let points = md
                .points
                .iter()
                .map(|p| (p.label.clone(), p.codes.clone()))
                .collect();
            Some(Probes {
                name: m.clone(),
                factors,
                points,
            })
        })
        .collect()
}

/// Every combination of probe points: (moderator, label) pairs and the factor settings.
type Combination = (Vec<(String, String)>, Vec<(String, f64)>);

fn combinations(probes: &[Probes]) -> Vec<Combination> {
    let mut out: Vec<Combination> = vec![(Vec::new(), Vec::new())];
    for p in probes {
        let mut next = Vec::new();
        for (at, set) in &out {
            for (label, codes) in &p.points {
                let mut at = at.clone();
                at.push((p.name.clone(), label.clone()));
                let mut s = set.clone();
                s.extend(p.factors.iter().cloned().zip(codes.iter().copied()));
                next.push((at, s));
            }
        }
        out = next;
    }
    out
}

/// Focal values along the x axis, the factor settings at each, and level names if categorical.
type FocalGrid = (Vec<f64>, Vec<Vec<(String, f64)>>, Option<Vec<String>>);

fn focal_grid(fit: &EquationFit, ce: &ConditionalEffects, base: &str) -> Option<FocalGrid> {
    if let Some(info) = fit.coding.iter().find(|c| c.variable == base) {
        let xs = (0..info.levels.len()).map(|i| i as f64).collect();
        let sets = (0..info.levels.len())
            .map(|i| {
                info.columns
                    .iter()
                    .map(|c| (c.name.clone(), c.values[i]))
                    .collect()
            })
            .collect();
        return Some((xs, sets, Some(info.levels.clone())));
    }
    let st = fit.column_stats[fit.index_of(&ce.focal)?];
    let n = SLOPE_POINTS;
    let xs: Vec<f64> = (0..n)
        .map(|i| st.min + (st.max - st.min) * i as f64 / (n - 1) as f64)
        .collect();
    let sets = xs.iter().map(|v| vec![(ce.focal.clone(), *v)]).collect();
    Some((xs, sets, None))
}

fn slopes(
    fit: &EquationFit,
    ce: &ConditionalEffects,
    base: &str,
    probes: &[Probes],
    crit: f64,
) -> Option<SimpleSlopes> {
    let (x, settings, levels) = focal_grid(fit, ce, base)?;
    let lines = combinations(probes)
        .into_iter()
        .map(|(at, mods)| {
            let mut line = SlopeLine {
                at,
                fit: vec![],
                lower: vec![],
                upper: vec![],
            };
            for s in &settings {
                let mut all = s.clone();
                all.extend(mods.iter().cloned());
                let (f, lo, hi) = predict(fit, &row(fit, &all), crit);
                line.fit.push(f);
                line.lower.push(lo);
                line.upper.push(hi);
            }
            line
        })
        .collect();
    let held_at_means = fit
        .coefficients
        .iter()
        .filter(|c| {
            c.term != CONSTANT
                && column_factors(&c.term).iter().all(|f| {
                    f.split('[').next() != Some(base)
                        && !probes.iter().any(|p| p.factors.contains(f))
                })
        })
        .map(|c| c.term.clone())
        .collect();
    Some(SimpleSlopes {
        outcome: ce.outcome.clone(),
        focal: base.to_string(),
        moderators: ce.moderators.clone(),
        x,
        levels,
        lines,
        held_at_means,
        probability: fit.method == Method::Logistic,
    })
}

/// The design row of a prediction: a factor's value when `set` gives it, otherwise the mean of
/// its own column (or, failing that, of the whole column).
fn row(fit: &EquationFit, set: &[(String, f64)]) -> Vec<f64> {
    let mean_of = |f: &str| {
        fit.index_of(f)
            .and_then(|j| fit.column_stats.get(j))
            .map(|c| c.mean)
    };
    fit.coefficients
        .iter()
        .enumerate()
        .map(|(j, c)| {
            if c.term == CONSTANT {
                return 1.0;
            }
            let fs = column_factors(&c.term);
            if !fs.iter().any(|f| set.iter().any(|(g, _)| g == f)) {
                return fit.column_stats.get(j).map_or(f64::NAN, |s| s.mean);
            }
            fs.iter()
                .map(|f| {
                    set.iter()
                        .find(|(g, _)| g == f)
                        .map(|(_, v)| *v)
                        .or_else(|| mean_of(f))
                        .unwrap_or(f64::NAN)
                })
                .product()
        })
        .collect()
}

/// Prediction, lower and upper bound at design row `l` (probabilities for a logistic equation).
fn predict(fit: &EquationFit, l: &[f64], crit: f64) -> (f64, f64, f64) {
    let eta: f64 = l
        .iter()
        .zip(&fit.coefficients)
        .map(|(a, c)| a * c.estimate)
        .sum();
    let k = l.len();
    let var: f64 = (0..k)
        .map(|i| l[i] * (0..k).map(|j| fit.cov[i * k + j] * l[j]).sum::<f64>())
        .sum();
    let se = var.max(0.0).sqrt();
    let (lo, hi) = (eta - crit * se, eta + crit * se);
    match fit.method {
        Method::Ols => (eta, lo, hi),
        Method::Logistic => {
            let p = |v: f64| 1.0 / (1.0 + (-v).exp());
            (p(eta), p(lo), p(hi))
        }
    }
}
