//! FIML (lavaan's `missing = "ml"`, `estimator.FIML`; ../shared/SEM-DESIGN.md §2 rule 16): the
//! casewise normal log-likelihood ℓ(θ) summed by missing-data pattern (missing.rs) and its
//! gradient through Δ. The discrepancy is written on the engine's scale, F = 2(ℓ_H1 − ℓ)/n, so
//! that the test statistic is n·F = 2(ℓ_H1 − ℓ) (lavaan's fmin = F/2) with ℓ_H1 the EM
//! saturated log-likelihood (h1.rs); ∂F/∂θ_k = −(2/n)[∂ℓ/∂μ·μ_k + Σ_ij (∂ℓ/∂Σ)_ij (Σ_k)_ij],
//! the p² entries of ∂ℓ/∂Σ taken as distinct (Arbuckle 1996; Little & Rubin 2002).
//!
//! `pipeline.rs` runs the FIML branch of `sem::fit` (BFGS here, then Newton steps), and
//! `measures.rs` the fit measures against the EM H1 and the FIML baseline.

use super::gradient::delta;
use super::h1::H1;
use super::linalg::Mat;
#[cfg(test)]
use super::missing::loglik;
use super::missing::{loglik_gradient, MissingPatterns};
use super::model::Model;

/// What FIML sees of the data: the patterns and the saturated (H1) fit by EM.
#[derive(Debug, Clone, PartialEq)]
pub struct FimlData {
    pub patterns: MissingPatterns,
    pub h1: H1,
}

#[cfg(test)]
/// μ(θ) and Σ(θ) (row-major) of the model, the mean structure being always on under FIML.
fn moments(model: &Model, theta: &[f64]) -> Option<(Vec<f64>, Vec<f64>)> {
    let (_, imp) = model.implied(theta)?;
    Some((imp.mu, imp.sigma.data))
}

#[cfg(test)]
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

#[cfg(test)]
/// A BFGS minimisation of F in θ from `start` (no constraints) to |∇F|∞ < `tol`; returns θ̂,
/// F(θ̂) and |∇F|∞, or `None` if it stops short of `tol`.
pub fn fit_theta(
    model: &Model,
    d: &FimlData,
    start: &[f64],
    tol: f64,
    max_iter: usize,
) -> Option<(Vec<f64>, f64, f64)> {
    let r = bfgs(
        &|t: &[f64]| objective_gradient(model, d, t),
        start,
        tol,
        max_iter,
    )?;
    (r.gmax < tol).then_some((r.x, r.f, r.gmax))
}

/// F and ∇F at a point, `None` outside the parameter space.
pub type ValueGradient<'a> = dyn Fn(&[f64]) -> Option<(f64, Vec<f64>)> + 'a;

/// Where a BFGS search stopped.
pub struct BfgsEnd {
    pub x: Vec<f64>,
    pub f: f64,
    pub g: Vec<f64>,
    pub gmax: f64,
    pub iterations: usize,
}

/// BFGS with a backtracking Armijo search (Nocedal & Wright 2006, Alg. 6.1) on `eval` (F and
/// ∇F, `None` outside the parameter space), until |∇F|∞ < `tol`, `max_iter` iterations, or a
/// line search that cannot decrease F (near the optimum F's rounding hides the decrease); the
/// last point is returned, `None` only if F is undefined at the start.
pub fn bfgs(eval: &ValueGradient<'_>, start: &[f64], tol: f64, max_iter: usize) -> Option<BfgsEnd> {
    bfgs_from(eval, start, Mat::identity(start.len()), tol, max_iter)
}

/// [`bfgs`] with the inverse Hessian starting at `h0` (a bootstrap draw starts from the full
/// sample's, resample/fiml_refit.rs).
pub fn bfgs_from(
    eval: &ValueGradient<'_>,
    start: &[f64],
    h0: Mat,
    tol: f64,
    max_iter: usize,
) -> Option<BfgsEnd> {
    let q = start.len();
    let mut x = start.to_vec();
    let (mut f, mut g) = eval(&x)?;
    let mut h = h0;
    let mut iterations = 0;
    let max_abs = |v: &[f64]| v.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    while iterations < max_iter && max_abs(&g) >= tol {
        iterations += 1;
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
            if let Some((fn_, gn)) = eval(&xn) {
                if fn_ <= f + 1e-4 * t * slope {
                    break Some((xn, fn_, gn));
                }
            }
            t *= 0.5;
            if t < 1e-12 {
                break None;
            }
        };
        let Some((xn, fn_, gn)) = next else { break };
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
    let gmax = max_abs(&g);
    Some(BfgsEnd {
        x,
        f,
        g,
        gmax,
        iterations,
    })
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

pub(crate) mod h1info;
pub(crate) mod measures;
pub(crate) mod modindices;
pub(crate) mod pipeline;
pub(crate) mod residuals;
pub(crate) mod robust;
#[cfg(test)]
mod tests;

pub use pipeline::{fit, fit_clustered};
