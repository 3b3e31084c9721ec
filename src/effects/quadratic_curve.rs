//! The fitted curve of a polynomial term (`x`, `x^2`, `x^3`) with its pointwise confidence band,
//! at the other predictors' means, for the figure of a curvilinear effect: the plot draws these
//! numbers and computes nothing. For a logistic equation the curve and band are computed on the
//! log-odds scale and mapped to probabilities.

use crate::estimation::{column_factors, EquationFit, Method, CONSTANT};
use crate::numeric::dist::{t_quantile, z_quantile};

use super::turning::{Fieller, QuadraticTests};

/// Points of the curve in `x`, with the band and the cases to draw over it.
#[derive(Debug, Clone, PartialEq)]
pub struct QuadraticCurve {
    pub variable: String,
    pub outcome: String,
    /// Whether the curve is a probability (logistic equation).
    pub probability: bool,
    pub x: Vec<f64>,
    pub fit: Vec<f64>,
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
    /// Observed cases `(x, y)`: the outcome for OLS, each case's predicted probability for a
    /// logistic equation.
    pub cases: Vec<(f64, f64)>,
    pub turning_point: Option<f64>,
    /// Fieller's interval when bounded.
    pub interval: Option<(f64, f64)>,
    /// Confidence level of the band and interval, in percent.
    pub conf: f64,
    /// Terms held at their means.
    pub held_at_means: Vec<String>,
}

/// The curve of `tests.variable` on 101 points over its observed range. `cases` are the
/// variable's values over the rows used, in the fit's row order.
pub fn quadratic_curve(
    fit: &EquationFit,
    tests: &QuadraticTests,
    cases: &[f64],
) -> Option<QuadraticCurve> {
    let v = tests.variable.as_str();
    let j = fit.index_of(v)?;
    let stats = fit.column_stats.get(j)?;
    let k = fit.k();
    let b = fit.estimates();
    let power = column_powers(fit, v);
    let probability = fit.method == Method::Logistic;
    let p = 1.0 - (1.0 - fit.conf / 100.0) / 2.0;
    let crit = match tests.reference {
        super::turning::Reference::T { df } => t_quantile(p, df),
        super::turning::Reference::Normal => z_quantile(p),
    };
    let link = |eta: f64| {
        if probability {
            1.0 / (1.0 + (-eta).exp())
        } else {
            eta
        }
    };
    let n = 101;
    let (lo, hi) = (stats.min, stats.max);
    let mut out = QuadraticCurve {
        variable: v.to_string(),
        outcome: fit.outcome.clone(),
        probability,
        x: Vec::with_capacity(n),
        fit: Vec::with_capacity(n),
        lower: Vec::with_capacity(n),
        upper: Vec::with_capacity(n),
        cases: Vec::new(),
        turning_point: tests.turning_point.map(|t| t.x),
        interval: tests.turning_point.and_then(|t| match t.fieller {
            Fieller::Bounded { lower, upper } => Some((lower, upper)),
            Fieller::Unbounded => None,
        }),
        conf: fit.conf,
        held_at_means: (0..k)
            .filter(|&c| power[c].is_none() && fit.coefficients[c].term != CONSTANT)
            .map(|c| fit.coefficients[c].term.clone())
            .collect(),
    };
    for i in 0..n {
        let x = lo + (hi - lo) * i as f64 / (n - 1) as f64;
        let (eta, se) = linear_prediction(fit, &design_row(fit, &power, x), &b);
        out.x.push(x);
        out.fit.push(link(eta));
        out.lower.push(link(eta - crit * se));
        out.upper.push(link(eta + crit * se));
    }
    out.cases = cases
        .iter()
        .copied()
        .zip(observed(fit, probability))
        .collect();
    Some(out)
}

/// Each column's power of `v`, or None when it involves another variable (held at its mean).
fn column_powers(fit: &EquationFit, v: &str) -> Vec<Option<i32>> {
    fit.coefficients
        .iter()
        .map(|c| {
            let fs = column_factors(&c.term);
            (c.term != CONSTANT && fs.iter().all(|f| f == v)).then_some(fs.len() as i32)
        })
        .collect()
}

/// The design row at `x`: its powers, 1 for the constant, every other column at its mean.
fn design_row(fit: &EquationFit, power: &[Option<i32>], x: f64) -> Vec<f64> {
    (0..fit.k())
        .map(|c| match power[c] {
            Some(p) => x.powi(p),
            None if fit.coefficients[c].term == CONSTANT => 1.0,
            None => fit.column_stats.get(c).map_or(0.0, |s| s.mean),
        })
        .collect()
}

/// The linear predictor `d'b` and its standard error `sqrt(d'Vd)` at design row `d`.
fn linear_prediction(fit: &EquationFit, d: &[f64], b: &[f64]) -> (f64, f64) {
    let k = fit.k();
    let eta: f64 = d.iter().zip(b).map(|(a, c)| a * c).sum();
    let var: f64 = (0..k)
        .flat_map(|r| (0..k).map(move |c| (r, c)))
        .map(|(r, c)| d[r] * fit.cov[r * k + c] * d[c])
        .sum();
    (eta, var.max(0.0).sqrt())
}

/// The outcome of each case for OLS; its predicted probability for a logistic equation.
fn observed(fit: &EquationFit, probability: bool) -> Vec<f64> {
    if probability {
        fit.fitted.clone()
    } else {
        fit.fitted
            .iter()
            .zip(&fit.residuals)
            .map(|(f, r)| f + r)
            .collect()
    }
}
