//! The M-step's objective: the expected complete-data log-likelihood given the E-step's
//! posteriors, Q(θ) = Σ_j −T_j/2·[p ln 2π + ln|Σ_j| + tr(Σ_j⁻¹ W_j)], with T_j the node's
//! posterior total and W_j = E_P[(x − μ_j)(x − μ_j)′] (Klein & Moosbrugger 2000, eq. 18;
//! modsem's `mstepLms`). Its gradient at the θ of the E-step is the gradient of the observed
//! log-likelihood (Fisher's identity; Louis 1982), which the quasi-Newton polish uses.
//!
//! ∂Q/∂θ_k = Σ_j T_j·[−½ tr(G_j ∂Σ_j/∂θ_k) + g_j′ ∂μ_j/∂θ_k] with G_j = Σ⁻¹ − Σ⁻¹W_jΣ⁻¹ and
//! g_j = Σ⁻¹(x̄_j − μ_j) (the normal ML gradient, SEM-DESIGN.md §4); the node moments'
//! derivatives are central differences (they are cheap: no data enter them).

use super::super::linalg::{spd_inverse_logdet, Mat};
use super::conditional::{LmsModel, NodeMoments};
use super::estep::NodeStats;

/// W_j = second − x̄μ′ − μx̄′ + μμ′.
fn scatter_about(st: &NodeStats, mu: &[f64]) -> Mat {
    let p = mu.len();
    let mut w = Mat::zeros(p, p);
    for r in 0..p {
        for c in 0..p {
            w[(r, c)] = st.second[(r, c)] - st.mean[r] * mu[c] - mu[r] * st.mean[c] + mu[r] * mu[c];
        }
    }
    w
}

/// Q(θ) for the E-step statistics `stats`, or `None` outside the parameter space.
pub fn q_value(model: &LmsModel, theta: &[f64], stats: &[NodeStats]) -> Option<f64> {
    let moments = model.node_moments(theta)?;
    let p = moments.first()?.mu.len() as f64;
    let c0 = p * (2.0 * std::f64::consts::PI).ln();
    let mut q = 0.0;
    for (nm, st) in moments.iter().zip(stats) {
        if st.total <= 0.0 {
            continue;
        }
        let (inv, logdet) = spd_inverse_logdet(&nm.sigma)?;
        let w = scatter_about(st, &nm.mu);
        q -= 0.5 * st.total * (c0 + logdet + inv.trace_mul(&w));
    }
    q.is_finite().then_some(q)
}

/// The step of the central differences of parameter k.
pub fn diff_step(theta_k: f64, rel: f64) -> f64 {
    rel * theta_k.abs().max(1.0)
}

/// ∂Q/∂θ at θ, or `None` outside the parameter space.
pub fn q_gradient(model: &LmsModel, theta: &[f64], stats: &[NodeStats]) -> Option<Vec<f64>> {
    let moments = model.node_moments(theta)?;
    let weights = node_weights(&moments, stats)?;
    let mut grad = vec![0.0; theta.len()];
    let mut t = theta.to_vec();
    for (k, g) in grad.iter_mut().enumerate() {
        let h = diff_step(theta[k], 1e-6);
        t[k] = theta[k] + h;
        let up = model.node_moments(&t);
        t[k] = theta[k] - h;
        let down = model.node_moments(&t);
        t[k] = theta[k];
        let (Some(up), Some(down)) = (up, down) else {
            return None;
        };
        *g = directional(&weights, &up, &down, 2.0 * h);
    }
    Some(grad)
}

/// Per node: (T_j·G_j, T_j·g_j).
fn node_weights(moments: &[NodeMoments], stats: &[NodeStats]) -> Option<Vec<(Mat, Vec<f64>)>> {
    moments
        .iter()
        .zip(stats)
        .map(|(nm, st)| {
            let (inv, _) = spd_inverse_logdet(&nm.sigma)?;
            let w = scatter_about(st, &nm.mu);
            let g_mat = inv.sub(&inv.mul(&w).mul(&inv)).scale(st.total);
            let d: Vec<f64> = st.mean.iter().zip(&nm.mu).map(|(a, b)| a - b).collect();
            let g_vec = inv.mul_vec(&d).iter().map(|v| v * st.total).collect();
            Some((g_mat, g_vec))
        })
        .collect()
}

/// Σ_j [−½ tr(T_jG_j dΣ_j) + T_j g_j′ dμ_j] with dΣ = (up − down)/width.
fn directional(
    weights: &[(Mat, Vec<f64>)],
    up: &[NodeMoments],
    down: &[NodeMoments],
    width: f64,
) -> f64 {
    let mut s = 0.0;
    for ((gm, gv), (u, d)) in weights.iter().zip(up.iter().zip(down)) {
        let tr: f64 = gm
            .data
            .iter()
            .zip(u.sigma.data.iter().zip(&d.sigma.data))
            .map(|(g, (a, b))| g * (a - b))
            .sum();
        let lin: f64 = gv
            .iter()
            .zip(u.mu.iter().zip(&d.mu))
            .map(|(g, (a, b))| g * (a - b))
            .sum();
        s += (-0.5 * tr + lin) / width;
    }
    s
}
