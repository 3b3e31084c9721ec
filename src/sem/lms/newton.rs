//! After EM: Newton's method on the observed log-likelihood, with the gradient of Fisher's
//! identity (mstep.rs) and its Hessian by central differences of that gradient. The Hessian at
//! the estimate is the observed information behind the standard errors, as modsem's default
//! `FIM = "observed"` with `OFIM.hessian = TRUE` (its `calc_se_da.R`, a numeric Hessian of the
//! observed log-likelihood; cf. `nlme::fdHess`).

use super::super::linalg::{spd_inverse_logdet, Mat};
use super::conditional::LmsModel;
use super::estep::{estep, loglik, Rows};
use super::mstep::{diff_step, q_gradient};

/// ℓ(θ) and ∂ℓ/∂θ.
pub fn gradient(model: &LmsModel, theta: &[f64], rows: &Rows) -> Option<(f64, Vec<f64>)> {
    let (ll, stats) = estep(model, theta, rows)?;
    Some((ll, q_gradient(model, theta, &stats)?))
}

/// ∂²ℓ/∂θ∂θ′ by central differences of the gradient (step 1e-4·max(1, |θ_k|)), symmetrised.
pub fn hessian(model: &LmsModel, theta: &[f64], rows: &Rows) -> Option<Mat> {
    let q = theta.len();
    let mut h = Mat::zeros(q, q);
    let mut t = theta.to_vec();
    for k in 0..q {
        let step = diff_step(theta[k], 1e-4);
        t[k] = theta[k] + step;
        let (_, up) = gradient(model, &t, rows)?;
        t[k] = theta[k] - step;
        let (_, down) = gradient(model, &t, rows)?;
        t[k] = theta[k];
        for j in 0..q {
            h[(j, k)] = (up[j] - down[j]) / (2.0 * step);
        }
    }
    let ht = h.t();
    Some(h.add(&ht).scale(0.5))
}

/// The maximum found by Newton's method.
#[derive(Debug, Clone)]
pub struct Optimum {
    pub theta: Vec<f64>,
    pub loglik: f64,
    /// |∂ℓ/∂θ|∞ at θ.
    pub gradient: f64,
    /// (−∂²ℓ/∂θ∂θ′)⁻¹ at θ: Var(θ̂) from the observed information.
    pub vcov: Option<Mat>,
    pub iterations: usize,
    pub converged: bool,
}

/// Newton steps with step halving from θ₀ until the Newton decrement g′(−H)⁻¹g falls below
/// 1e-10 (or `max_iter`).
pub fn maximise(model: &LmsModel, rows: &Rows, theta0: &[f64], max_iter: usize) -> Option<Optimum> {
    let mut theta = theta0.to_vec();
    let mut it = 0;
    loop {
        let (ll, g) = gradient(model, &theta, rows)?;
        let h = hessian(model, &theta, rows)?;
        let vcov = spd_inverse_logdet(&h.scale(-1.0)).map(|(inv, _)| inv);
        let gmax = g.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        let step = vcov.as_ref().map(|v| v.mul_vec(&g));
        let decrement = step
            .as_ref()
            .map(|d| d.iter().zip(&g).map(|(a, b)| a * b).sum::<f64>());
        let done = decrement.is_some_and(|d| d < 1e-10);
        if done || it >= max_iter || step.is_none() {
            return Some(Optimum {
                theta,
                loglik: ll,
                gradient: gmax,
                vcov,
                iterations: it,
                converged: done,
            });
        }
        let d = step?;
        let mut alpha = 1.0;
        let mut moved = false;
        for _ in 0..30 {
            let t: Vec<f64> = theta.iter().zip(&d).map(|(a, b)| a + alpha * b).collect();
            if loglik(model, &t, rows).is_some_and(|l| l >= ll - 1e-9) {
                theta = t;
                moved = true;
                break;
            }
            alpha *= 0.5;
        }
        it += 1;
        if !moved {
            return Some(Optimum {
                theta,
                loglik: ll,
                gradient: gmax,
                vcov,
                iterations: it,
                converged: false,
            });
        }
    }
}
