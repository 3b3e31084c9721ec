//! Inference for a linear combination `l'b` of one equation's coefficients: the computation behind
//! direct effects, conditional effects of a focal predictor, every Johnson-Neyman table row and
//! the bands of the interaction plots; and the critical value all their intervals share.

use serde::Serialize;

use crate::estimation::{EquationFit, Method, Summary};
use crate::numeric::dist::{
    process_t_critical, process_z_critical, t_p_two_sided, t_quantile, z_p_two_sided, z_quantile,
};
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

/// The critical value of a `conf`% interval for an equation's effects and its t degrees of freedom
/// (`None` for logistic equations, which use z), exact or as PROCESS approximates it. The one
/// source of critical values for the intervals of one equation's effects, printed or drawn.
pub(crate) fn critical(fit: &EquationFit, conf: f64, process_t: bool) -> (f64, Option<f64>) {
    match (&fit.summary, fit.method) {
        (Summary::Ols(s), Method::Ols) => {
            let c = if process_t {
                process_t_critical(conf, s.df2)
            } else {
                t_quantile(0.5 + conf / 200.0, s.df2)
            };
            (c, Some(s.df2))
        }
        _ => (
            if process_t {
                process_z_critical(conf)
            } else {
                z_quantile(0.5 + conf / 200.0)
            },
            None,
        ),
    }
}
