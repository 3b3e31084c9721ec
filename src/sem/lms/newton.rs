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

/// (−H)⁻¹ at θ, or `None` when −H is not positive definite there.
fn inverse_information(model: &LmsModel, theta: &[f64], rows: &Rows) -> Option<Mat> {
    let h = hessian(model, theta, rows)?;
    spd_inverse_logdet(&h.scale(-1.0)).map(|(inv, _)| inv)
}

/// Newton steps with step halving from θ₀ until the Newton decrement g′(−H)⁻¹g falls below
/// 1e-9 (or `max_iter` steps). The Hessian is reused while each step at least quarters the
/// decrement (a chord method: a Hessian costs 2q gradients), refreshed otherwise, and
/// recomputed at the optimum for the standard errors.
pub fn maximise(model: &LmsModel, rows: &Rows, theta0: &[f64], max_iter: usize) -> Option<Optimum> {
    let mut theta = theta0.to_vec();
    let mut v = inverse_information(model, &theta, rows);
    let (mut it, mut fresh, mut last_dec) = (0, true, f64::INFINITY);
    let (ll, g, converged) = loop {
        let (ll, g) = gradient(model, &theta, rows)?;
        let Some(vm) = v.as_ref() else {
            break (ll, g, false);
        };
        let d = vm.mul_vec(&g);
        let dec: f64 = d.iter().zip(&g).map(|(a, b)| a * b).sum();
        if dec < 1e-9 {
            break (ll, g, true);
        }
        if it >= max_iter {
            break (ll, g, false);
        }
        if !fresh && dec > 0.25 * last_dec {
            v = inverse_information(model, &theta, rows);
            fresh = true;
            continue;
        }
        let moved = step(model, rows, &mut theta, &d, ll);
        it += 1;
        if !moved && fresh {
            break (ll, g, false);
        }
        fresh = !moved && {
            v = inverse_information(model, &theta, rows);
            true
        };
        last_dec = dec;
    };
    let vcov = if fresh && converged && it == 0 {
        v
    } else {
        inverse_information(model, &theta, rows)
    };
    Some(Optimum {
        theta,
        loglik: ll,
        gradient: g.iter().fold(0.0f64, |m, x| m.max(x.abs())),
        vcov,
        iterations: it,
        converged,
    })
}

/// θ + α·d for the first α of 1, ½, ¼, … that does not lower ℓ; false when none does.
fn step(model: &LmsModel, rows: &Rows, theta: &mut Vec<f64>, d: &[f64], ll: f64) -> bool {
    let mut alpha = 1.0;
    for _ in 0..30 {
        let t: Vec<f64> = theta.iter().zip(d).map(|(a, b)| a + alpha * b).collect();
        if loglik(model, &t, rows).is_some_and(|l| l >= ll - 1e-9) {
            *theta = t;
            return true;
        }
        alpha *= 0.5;
    }
    false
}
