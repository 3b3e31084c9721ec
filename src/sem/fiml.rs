//! FIML (lavaan's `missing = "ml"`, `estimator.FIML`; ../shared/SEM-DESIGN.md §2 rule 16): the
//! casewise normal log-likelihood ℓ(θ) summed by missing-data pattern (missing.rs) and its
//! gradient through Δ. The discrepancy is written on the engine's scale, F = 2(ℓ_H1 − ℓ)/n, so
//! that the test statistic is n·F = 2(ℓ_H1 − ℓ) (lavaan's fmin = F/2) with ℓ_H1 the EM
//! saturated log-likelihood (h1.rs); ∂F/∂θ_k = −(2/n)[∂ℓ/∂μ·μ_k + Σ_ij (∂ℓ/∂Σ)_ij (Σ_k)_ij],
//! the p² entries of ∂ℓ/∂Σ taken as distinct (Arbuckle 1996; Little & Rubin 2002).
//!
//! Not wired into the pipeline yet: `estimate.rs` minimises the complete-data F from sample
//! moments only; [`fit_theta`] here is a plain BFGS used to check the objective against
//! lavaan until the estimator takes a generic objective.

// Only the tests call this module until the pipeline's FIML hook lands (see the module doc).
#![cfg_attr(not(test), allow(dead_code))]

use super::gradient::delta;
use super::h1::H1;
use super::linalg::Mat;
use super::missing::{loglik, loglik_gradient, MissingPatterns};
use super::model::Model;

/// What FIML sees of the data: the patterns and the saturated (H1) fit by EM.
#[derive(Debug, Clone, PartialEq)]
pub struct FimlData {
    pub patterns: MissingPatterns,
    pub h1: H1,
}

/// μ(θ) and Σ(θ) (row-major) of the model, the mean structure being always on under FIML.
fn moments(model: &Model, theta: &[f64]) -> Option<(Vec<f64>, Vec<f64>)> {
    let (_, imp) = model.implied(theta)?;
    Some((imp.mu, imp.sigma.data))
}

/// F = 2(ℓ_H1 − ℓ(θ))/n, `None` where Σ(θ) (or a pattern's part of it) is not positive definite.
pub fn objective(model: &Model, d: &FimlData, theta: &[f64]) -> Option<f64> {
    let (mu, sigma) = moments(model, theta)?;
    let l = loglik(&d.patterns, &mu, &sigma).ok()?;
    Some(2.0 * (d.h1.logl - l) / d.patterns.n)
}

/// F and ∂F/∂θ.
pub fn objective_gradient(model: &Model, d: &FimlData, theta: &[f64]) -> Option<(f64, Vec<f64>)> {
    let (m, imp) = model.implied(theta)?;
    let g = loglik_gradient(&d.patterns, &imp.mu, &imp.sigma.data).ok()?;
    let dl = delta(model, &m, &imp);
    let n = d.patterns.n;
    let grad = dl
        .sigma
        .iter()
        .zip(&dl.mu)
        .map(|(ds, dm)| {
            let a: f64 = g.d_mu.iter().zip(dm).map(|(x, y)| x * y).sum();
            let b: f64 = g.d_sigma.iter().zip(&ds.data).map(|(x, y)| x * y).sum();
            -2.0 * (a + b) / n
        })
        .collect();
    Some((2.0 * (d.h1.logl - g.logl) / n, grad))
}

/// A BFGS minimisation of F from `start` with a backtracking line search, to |∇F|∞ < `tol`;
/// returns θ̂, F(θ̂) and |∇F|∞, or `None` if it leaves the parameter space for good.
pub fn fit_theta(
    model: &Model,
    d: &FimlData,
    start: &[f64],
    tol: f64,
    max_iter: usize,
) -> Option<(Vec<f64>, f64, f64)> {
    let q = start.len();
    let mut x = start.to_vec();
    let (mut f, mut g) = objective_gradient(model, d, &x)?;
    let mut h = Mat::identity(q);
    for _ in 0..max_iter {
        let gmax = g.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        if gmax < tol {
            return Some((x, f, gmax));
        }
        let mut step: Vec<f64> = h.mul_vec(&g).iter().map(|v| -v).collect();
        let mut slope: f64 = step.iter().zip(&g).map(|(a, b)| a * b).sum();
        if slope >= 0.0 {
            // Not a descent direction: restart from steepest descent.
            h = Mat::identity(q);
            step = g.iter().map(|v| -v).collect();
            slope = -g.iter().map(|v| v * v).sum::<f64>();
        }
        let mut t = 1.0;
        let next = loop {
            let xn: Vec<f64> = x.iter().zip(&step).map(|(a, s)| a + t * s).collect();
            if let Some((fn_, gn)) = objective_gradient(model, d, &xn) {
                if fn_ <= f + 1e-4 * t * slope {
                    break Some((xn, fn_, gn));
                }
            }
            t *= 0.5;
            if t < 1e-12 {
                break None;
            }
        };
        let (xn, fn_, gn) = next?;
        let s: Vec<f64> = xn.iter().zip(&x).map(|(a, b)| a - b).collect();
        let y: Vec<f64> = gn.iter().zip(&g).map(|(a, b)| a - b).collect();
        let sy: f64 = s.iter().zip(&y).map(|(a, b)| a * b).sum();
        if sy > 1e-300 {
            bfgs_update(&mut h, &s, &y, sy);
        }
        x = xn;
        f = fn_;
        g = gn;
    }
    None
}

/// The inverse-Hessian BFGS update H ← (I − ρsy′)H(I − ρys′) + ρss′, ρ = 1/s′y.
fn bfgs_update(h: &mut Mat, s: &[f64], y: &[f64], sy: f64) {
    let q = s.len();
    let rho = 1.0 / sy;
    let hy = h.mul_vec(y);
    let yhy: f64 = y.iter().zip(&hy).map(|(a, b)| a * b).sum();
    for i in 0..q {
        for j in 0..q {
            h[(i, j)] +=
                (1.0 + rho * yhy) * rho * s[i] * s[j] - rho * (hy[i] * s[j] + s[i] * hy[j]);
        }
    }
}

#[cfg(test)]
mod tests;
