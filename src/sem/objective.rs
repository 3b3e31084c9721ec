//! Stage 5b: the ML discrepancy (lavaan's `estimator.ML`, ×2):
//! F = ln|Σ| + tr(SΣ⁻¹) − ln|S| − p + (ȳ − μ)′Σ⁻¹(ȳ − μ), the mean term only with a mean
//! structure; S has divisor n (Jöreskog 1969; Bollen 1989 ch. 4). lavaan's fmin is F/2 and the
//! test statistic n·F.

use super::implied::Implied;
use super::linalg::{spd_inverse_logdet, Mat};
use super::sample::SampleStats;

/// F at the implied moments with Σ⁻¹, or `None` where Σ is not positive definite (lavaan's
/// objective is then Inf).
pub fn f_ml(imp: &Implied, s: &SampleStats, meanstructure: bool) -> Option<(f64, Mat)> {
    let (inv, logdet) = spd_inverse_logdet(&imp.sigma)?;
    let p = s.cov.rows as f64;
    let mut f = logdet + s.cov.trace_mul(&inv) - s.logdet - p;
    if meanstructure {
        let r = residual_mean(imp, s);
        f += quad(&inv, &r);
    }
    Some((f, inv))
}

/// ȳ − μ.
pub fn residual_mean(imp: &Implied, s: &SampleStats) -> Vec<f64> {
    s.mean.iter().zip(&imp.mu).map(|(a, b)| a - b).collect()
}

/// x′Ax.
pub fn quad(a: &Mat, x: &[f64]) -> f64 {
    let ax = a.mul_vec(x);
    x.iter().zip(&ax).map(|(u, v)| u * v).sum()
}
