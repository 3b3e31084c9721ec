//! The EM algorithm of LMS (Klein & Moosbrugger 2000, section 4; modsem's `emLms`): an E-step
//! (estep.rs) and a partial M-step that raises Q by a few quasi-Newton (BFGS) iterations with a
//! backtracking line search, as modsem's M-step runs `nlminb` for a bounded number of
//! iterations. Every accepted step raises Q, so this is a generalized EM and the observed
//! log-likelihood never decreases (Dempster, Laird & Rubin 1977, theorem 1).

use super::super::linalg::Mat;
use super::conditional::LmsModel;
use super::estep::{estep, NodeStats, Rows};
use super::mstep::{q_gradient, q_value};

/// Where EM stopped.
#[derive(Debug, Clone)]
pub struct EmResult {
    pub theta: Vec<f64>,
    /// ℓ at the start of each iteration, then at the end.
    pub loglik: Vec<f64>,
}

/// Runs at most `max_iter` EM iterations from θ₀ (`inv_h0` approximates the inverse Hessian of
/// −ℓ there), stopping when ℓ rises by less than `tol`; `None` when θ₀ is outside the parameter
/// space.
pub fn em(
    model: &LmsModel,
    rows: &Rows,
    theta0: &[f64],
    inv_h0: Mat,
    max_iter: usize,
    tol: f64,
) -> Option<EmResult> {
    let mut theta = theta0.to_vec();
    let mut hinv = inv_h0;
    let mut trace = Vec::new();
    for _ in 0..max_iter {
        let (ll, stats) = estep(model, &theta, rows)?;
        if trace.last().is_some_and(|&prev: &f64| ll - prev < tol) {
            trace.push(ll);
            break;
        }
        trace.push(ll);
        m_step(model, &stats, &mut theta, &mut hinv, 5);
    }
    if trace.len() == max_iter {
        trace.push(super::estep::loglik(model, &theta, rows)?);
    }
    Some(EmResult {
        theta,
        loglik: trace,
    })
}

/// Up to `iters` BFGS iterations raising Q from θ (updated in place, with the inverse-Hessian
/// approximation `hinv` of −Q carried between EM iterations).
fn m_step(
    model: &LmsModel,
    stats: &[NodeStats],
    theta: &mut Vec<f64>,
    hinv: &mut Mat,
    iters: usize,
) {
    let Some(mut q) = q_value(model, theta, stats) else {
        return;
    };
    let Some(mut g) = q_gradient(model, theta, stats) else {
        return;
    };
    for _ in 0..iters {
        // Ascent direction for Q: hinv is positive definite for −Q.
        let d = hinv.mul_vec(&g);
        let slope: f64 = g.iter().zip(&d).map(|(a, b)| a * b).sum();
        if slope.is_nan() || slope <= 1e-12 {
            return;
        }
        let Some((next, q_next)) = line_search(model, stats, theta, &d, q, slope) else {
            return;
        };
        let Some(g_next) = q_gradient(model, &next, stats) else {
            return;
        };
        let s: Vec<f64> = next.iter().zip(theta.iter()).map(|(a, b)| a - b).collect();
        // y is the change in the gradient of −Q.
        let y: Vec<f64> = g.iter().zip(&g_next).map(|(a, b)| a - b).collect();
        bfgs_update(hinv, &s, &y);
        *theta = next;
        g = g_next;
        q = q_next;
    }
}

/// Backtracking (Armijo) from the full step: the first θ + α·d with Q raised enough.
fn line_search(
    model: &LmsModel,
    stats: &[NodeStats],
    theta: &[f64],
    d: &[f64],
    q: f64,
    slope: f64,
) -> Option<(Vec<f64>, f64)> {
    let mut alpha = 1.0;
    for _ in 0..30 {
        let t: Vec<f64> = theta.iter().zip(d).map(|(a, b)| a + alpha * b).collect();
        if let Some(qt) = q_value(model, &t, stats) {
            if qt >= q + 1e-4 * alpha * slope {
                return Some((t, qt));
            }
        }
        alpha *= 0.5;
    }
    None
}

/// The BFGS update of an inverse Hessian H with step s and gradient change y (Nocedal &
/// Wright 2006, eq. 6.17); skipped when the curvature s′y is not positive.
pub fn bfgs_update(h: &mut Mat, s: &[f64], y: &[f64]) {
    let sy: f64 = s.iter().zip(y).map(|(a, b)| a * b).sum();
    if sy.is_nan() || sy <= 1e-12 {
        return;
    }
    let rho = 1.0 / sy;
    let hy = h.mul_vec(y);
    let yhy: f64 = y.iter().zip(&hy).map(|(a, b)| a * b).sum();
    let n = s.len();
    for i in 0..n {
        for j in 0..n {
            h[(i, j)] +=
                -rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
        }
    }
}
