//! The normal-theory ML discrepancy `F = log|Σ| + tr(SΣ⁻¹) − log|S| − p` (lavaan's `2·fmin`),
//! its analytic gradient `tr(GΔ_a)` with `G = Σ⁻¹ − Σ⁻¹SΣ⁻¹`, and the expected information
//! `tr(Σ⁻¹Δ_aΣ⁻¹Δ_b)` used for Fisher scoring and standard errors.

use crate::numeric::matrix::spd_inverse;

use super::super::stats::log_det_spd;
use super::model::CfaModel;

/// The objective for one model and sample covariance (divisor N, as lavaan's ML).
pub struct MlProblem<'a> {
    pub model: &'a CfaModel,
    pub s: &'a [f64],
    pub log_det_s: f64,
}

impl MlProblem<'_> {
    /// `F(x)`, or `None` where `Σ(x)` is not positive definite.
    pub fn value(&self, x: &[f64]) -> Option<f64> {
        let p = self.model.p();
        let sigma = self.model.sigma(x);
        let ld = log_det_spd(&sigma, p)?;
        let inv = spd_inverse(&sigma, p)?;
        let tr: f64 = (0..p * p).map(|i| self.s[i] * inv[i]).sum();
        Some(ld + tr - self.log_det_s - p as f64)
    }

    /// `Σ⁻¹` and `G = Σ⁻¹ − Σ⁻¹SΣ⁻¹`.
    fn inv_and_g(&self, x: &[f64]) -> Option<(Vec<f64>, Vec<f64>)> {
        let p = self.model.p();
        let inv = spd_inverse(&self.model.sigma(x), p)?;
        let ws = matmul(&inv, self.s, p);
        let wsw = matmul(&ws, &inv, p);
        let g = inv.iter().zip(&wsw).map(|(a, b)| a - b).collect();
        Some((inv, g))
    }

    pub fn gradient(&self, x: &[f64]) -> Option<Vec<f64>> {
        let (_, g) = self.inv_and_g(x)?;
        Some(
            self.model
                .deltas(x)
                .iter()
                .map(|d| d.iter().zip(&g).map(|(a, b)| a * b).sum())
                .collect(),
        )
    }

    /// The expected information of `F` (`tr(WΔ_aWΔ_b)`, `W = Σ⁻¹`), row-major `q × q`.
    pub fn information(&self, x: &[f64]) -> Option<Vec<f64>> {
        let p = self.model.p();
        let (w, _) = self.inv_and_g(x)?;
        let wd: Vec<Vec<f64>> = self
            .model
            .deltas(x)
            .iter()
            .map(|d| matmul(&w, d, p))
            .collect();
        let q = wd.len();
        let mut h = vec![0.0; q * q];
        for a in 0..q {
            for b in 0..=a {
                let mut t = 0.0;
                for i in 0..p {
                    for j in 0..p {
                        t += wd[a][i * p + j] * wd[b][j * p + i];
                    }
                }
                h[a * q + b] = t;
                h[b * q + a] = t;
            }
        }
        Some(h)
    }
}

/// Row-major `p × p` product.
pub fn matmul(a: &[f64], b: &[f64], p: usize) -> Vec<f64> {
    let mut c = vec![0.0; p * p];
    for i in 0..p {
        for k in 0..p {
            let aik = a[i * p + k];
            if aik == 0.0 {
                continue;
            }
            for j in 0..p {
                c[i * p + j] += aik * b[k * p + j];
            }
        }
    }
    c
}

/// argmin's view of the problem: an infinite cost outside the positive-definite region makes
/// the line search back off.
pub struct ArgminMl<'a>(pub &'a MlProblem<'a>);

impl argmin::core::CostFunction for ArgminMl<'_> {
    type Param = Vec<f64>;
    type Output = f64;
    fn cost(&self, x: &Self::Param) -> Result<f64, argmin::core::Error> {
        Ok(self.0.value(x).unwrap_or(f64::INFINITY))
    }
}

impl argmin::core::Gradient for ArgminMl<'_> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;
    fn gradient(&self, x: &Self::Param) -> Result<Vec<f64>, argmin::core::Error> {
        self.0
            .gradient(x)
            .ok_or_else(|| argmin::core::Error::msg("implied covariance not positive definite"))
    }
}
