//! Inference for a linear combination `l'b` of one equation's coefficients: the computation behind
//! direct effects, conditional effects of a focal predictor and every Johnson-Neyman table row.

use serde::Serialize;

use crate::estimation::EquationFit;
use crate::numeric::dist::{t_p_two_sided, z_p_two_sided};
use crate::numeric::matrix::quad_form;

/// An estimate with its standard error, t (or z) statistic, p and interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LinearTest {
    pub effect: f64,
    pub se: f64,
    pub stat: f64,
    pub p: f64,
    pub ci_lower: f64,
    pub ci_upper: f64,
}

/// `l'b` with `se = sqrt(l'Vl)` from the equation's covariance; `(crit, df)` is the interval's
/// critical value and the t degrees of freedom (`None`: normal).
pub fn linear_test(fit: &EquationFit, l: &[f64], (crit, df): (f64, Option<f64>)) -> LinearTest {
    let effect: f64 = l
        .iter()
        .zip(&fit.coefficients)
        .map(|(w, c)| w * c.estimate)
        .sum();
    let se = quad_form(&fit.cov, l).max(0.0).sqrt();
    let stat = effect / se;
    let p = df.map_or_else(|| z_p_two_sided(stat), |d| t_p_two_sided(stat, d));
    LinearTest {
        effect,
        se,
        stat,
        p,
        ci_lower: effect - crit * se,
        ci_upper: effect + crit * se,
    }
}
