//! The saturated (h1) side of robust FIML: information matrices and case scores of the
//! casewise normal likelihood in the moments m = (μ, vech Σ) (σ_ij, i ≥ j, each a distinct
//! parameter, as lavaan's `lav_mvnorm_missing_*` functions take them), and Δ = ∂m/∂θ′.
//! - observed: −N⁻¹∂²ℓ/∂m∂m′ (`lav_mvnorm_missing_information_observed_samplestats`), here
//!   by the 5-point difference of the analytic gradient (missing.rs);
//! - first-order: N⁻¹Σᵢ sᵢsᵢ′ of the case scores sᵢ = ∂ℓᵢ/∂m
//!   (`lav_mvnorm_missing_information_firstorder`): with w = Σ_o⁻¹(y_o − μ_o), ∂ℓᵢ/∂μ_a = w_a
//!   and ∂ℓᵢ/∂σ_ab = ½(2 − δ_ab)(w_a w_b − (Σ_o⁻¹)_ab);
//! - complete-data: blockdiag(Σ⁻¹, ½D′(Σ⁻¹⊗Σ⁻¹)D), the information of a saturated normal at
//!   complete data (`lav_mvnorm_information_expected`), which equals the observed one at the
//!   estimate.

use super::super::gradient::delta;
use super::super::linalg::Mat;
use super::super::missing::{loglik_gradient, MissingPatterns, PatternInverse};
use super::super::model::Model;
use super::super::moments::DataView;
use super::super::vcov::hessian_5point;

/// The number of moments p + p(p+1)/2.
pub fn n_moments(p: usize) -> usize {
    p + p * (p + 1) / 2
}

/// The position of σ_ij (i ≥ j) in m.
pub fn cov_index(p: usize, i: usize, j: usize) -> usize {
    let (i, j) = if i >= j { (i, j) } else { (j, i) };
    p + i * (i + 1) / 2 + j
}

/// m from μ and Σ (row-major).
pub fn pack(mu: &[f64], sigma: &[f64]) -> Vec<f64> {
    let p = mu.len();
    let mut m = mu.to_vec();
    for i in 0..p {
        m.extend((0..=i).map(|j| sigma[i * p + j]));
    }
    m
}

fn unpack(p: usize, m: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let mut sigma = vec![0.0; p * p];
    for i in 0..p {
        for j in 0..=i {
            let v = m[cov_index(p, i, j)];
            sigma[i * p + j] = v;
            sigma[j * p + i] = v;
        }
    }
    (m[..p].to_vec(), sigma)
}

/// −N⁻¹∂²ℓ/∂m∂m′ at (μ, Σ); `None` if Σ (or a pattern's part) is not positive definite.
pub fn observed(pats: &MissingPatterns, mu: &[f64], sigma: &[f64]) -> Option<Mat> {
    let p = pats.p;
    let grad = |m: &[f64]| -> Option<Vec<f64>> {
        let (mu, sigma) = unpack(p, m);
        let g = loglik_gradient(pats, &mu, &sigma).ok()?;
        let mut out: Vec<f64> = g.d_mu.iter().map(|v| -v / pats.n).collect();
        for i in 0..p {
            for j in 0..=i {
                // The p² entries are distinct in d_sigma: σ_ij moves both (i, j) and (j, i).
                let d = if i == j {
                    g.d_sigma[i * p + i]
                } else {
                    g.d_sigma[i * p + j] + g.d_sigma[j * p + i]
                };
                out.push(-d / pats.n);
            }
        }
        Some(out)
    };
    hessian_5point(&pack(mu, sigma), &grad)
}

/// The case scores ∂ℓᵢ/∂m at (μ, Σ), one row per used case (pattern by pattern).
pub fn scores(data: DataView, pats: &MissingPatterns, mu: &[f64], sigma: &[f64]) -> Option<Mat> {
    let p = pats.p;
    let nm = n_moments(p);
    let rows: usize = pats.patterns.iter().map(|q| q.rows.len()).sum();
    let mut out = Mat::zeros(rows, nm);
    let mut r = 0;
    for pat in &pats.patterns {
        let inv = PatternInverse::new(sigma, p, &pat.observed)?;
        let k = pat.observed.len();
        for &i in &pat.rows {
            let y = data.row(i);
            let d: Vec<f64> = pat.observed.iter().map(|&j| y[j] - mu[j]).collect();
            let w: Vec<f64> = (0..k)
                .map(|a| (0..k).map(|b| inv.inv[a * k + b] * d[b]).sum())
                .collect();
            for (a, &ja) in pat.observed.iter().enumerate() {
                out[(r, ja)] = w[a];
                for (b, &jb) in pat.observed.iter().enumerate().take(a + 1) {
                    let s = w[a] * w[b] - inv.inv[a * k + b];
                    out[(r, cov_index(p, ja, jb))] = if a == b { 0.5 * s } else { s };
                }
            }
            r += 1;
        }
    }
    Some(out)
}

/// blockdiag(Σ⁻¹, ½D′(Σ⁻¹⊗Σ⁻¹)D): for σ_ij, σ_kl the entry is
/// ½f_ij f_kl(s_jk s_li + s_jl s_ki + s_ik s_lj + s_il s_kj), f = ½ on the diagonal else 1.
pub fn complete(inv: &Mat) -> Mat {
    let p = inv.rows;
    let mut w = Mat::zeros(n_moments(p), n_moments(p));
    for i in 0..p {
        for j in 0..p {
            w[(i, j)] = inv[(i, j)];
        }
    }
    let f = |i: usize, j: usize| if i == j { 0.5 } else { 1.0 };
    for i in 0..p {
        for j in 0..=i {
            for k in 0..p {
                for l in 0..=k {
                    let s = |a: usize, b: usize| inv[(a, b)];
                    let v = s(j, k) * s(l, i)
                        + s(j, l) * s(k, i)
                        + s(i, k) * s(l, j)
                        + s(i, l) * s(k, j);
                    w[(cov_index(p, i, j), cov_index(p, k, l))] = 0.5 * f(i, j) * f(k, l) * v;
                }
            }
        }
    }
    w
}

/// Δ = ∂m/∂θ′ (moments × free parameters) at θ.
pub fn delta_matrix(model: &Model, theta: &[f64]) -> Option<Mat> {
    let (m, imp) = model.implied(theta)?;
    let d = delta(model, &m, &imp);
    let p = imp.mu.len();
    let q = d.sigma.len();
    let mut out = Mat::zeros(n_moments(p), q);
    for k in 0..q {
        for i in 0..p {
            out[(i, k)] = d.mu[k][i];
            for j in 0..=i {
                out[(cov_index(p, i, j), k)] = d.sigma[k][(i, j)];
            }
        }
    }
    Some(out)
}
