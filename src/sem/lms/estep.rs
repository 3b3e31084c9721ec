//! The E-step and the observed-data log-likelihood of LMS. The density of a row is the mixture
//! Σ_j w_j φ(x; μ_j, Σ_j) over the quadrature nodes (Klein & Moosbrugger 2000, eq. 15); the
//! posterior weight of node j for row i is P_ij = w_j φ_ij / Σ_l w_l φ_il, and the M-step needs
//! only each node's posterior total, mean and second moment (modsem's `estepLms`).

use super::super::linalg::{cholesky, Mat};
use super::conditional::{LmsModel, NodeMoments};

/// The complete rows, row-major n × p in the parameter table's `ov` order.
pub struct Rows<'a> {
    pub x: &'a [f64],
    pub n: usize,
    pub p: usize,
}

/// Posterior sufficient statistics of one node.
#[derive(Debug, Clone)]
pub struct NodeStats {
    /// Σ_i P_ij.
    pub total: f64,
    /// Σ_i P_ij x_i / total.
    pub mean: Vec<f64>,
    /// Σ_i P_ij x_i x_i′ / total.
    pub second: Mat,
}

/// ln φ(x_i; μ_j, Σ_j) for every row i and node j (row-major n × m), or `None` when a Σ_j is
/// not positive definite.
fn log_densities(moments: &[NodeMoments], rows: &Rows) -> Option<Vec<f64>> {
    let (n, p, m) = (rows.n, rows.p, moments.len());
    let c0 = p as f64 * (2.0 * std::f64::consts::PI).ln();
    let mut out = vec![0.0; n * m];
    let mut y = vec![0.0; p];
    for (j, nm) in moments.iter().enumerate() {
        let l = cholesky(&nm.sigma)?;
        let logdet: f64 = 2.0 * (0..p).map(|k| l[(k, k)].ln()).sum::<f64>();
        for i in 0..n {
            let x = &rows.x[i * p..(i + 1) * p];
            // Forward substitution L y = x − μ; the quadratic form is |y|².
            let mut q = 0.0;
            for r in 0..p {
                let mut s = x[r] - nm.mu[r];
                for k in 0..r {
                    s -= l[(r, k)] * y[k];
                }
                y[r] = s / l[(r, r)];
                q += y[r] * y[r];
            }
            out[i * m + j] = -0.5 * (c0 + logdet + q);
        }
    }
    Some(out)
}

/// Turns row i's ln(w_j φ_ij) into its posterior weights in place; returns ln Σ_j w_j φ_ij.
fn normalise(row: &mut [f64]) -> f64 {
    let top = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut sum = 0.0;
    for v in row.iter_mut() {
        *v = (*v - top).exp();
        sum += *v;
    }
    row.iter_mut().for_each(|v| *v /= sum);
    top + sum.ln()
}

/// The observed-data log-likelihood at θ, or `None` outside the parameter space.
pub fn loglik(model: &LmsModel, theta: &[f64], rows: &Rows) -> Option<f64> {
    Some(posteriors(model, theta, rows)?.0)
}

/// ℓ(θ) and the posterior weights P (row-major n × m).
fn posteriors(model: &LmsModel, theta: &[f64], rows: &Rows) -> Option<(f64, Vec<f64>)> {
    let moments = model.node_moments(theta)?;
    let m = moments.len();
    let mut lp = log_densities(&moments, rows)?;
    let mut ll = 0.0;
    for row in lp.chunks_mut(m) {
        for (v, lw) in row.iter_mut().zip(&model.log_w) {
            *v += lw;
        }
        ll += normalise(row);
    }
    ll.is_finite().then_some((ll, lp))
}

/// The E-step: ℓ(θ) and each node's posterior statistics.
pub fn estep(model: &LmsModel, theta: &[f64], rows: &Rows) -> Option<(f64, Vec<NodeStats>)> {
    let (ll, post) = posteriors(model, theta, rows)?;
    let (n, p, m) = (rows.n, rows.p, model.nodes.len());
    let mut stats: Vec<NodeStats> = (0..m)
        .map(|_| NodeStats {
            total: 0.0,
            mean: vec![0.0; p],
            second: Mat::zeros(p, p),
        })
        .collect();
    for i in 0..n {
        let x = &rows.x[i * p..(i + 1) * p];
        for (j, st) in stats.iter_mut().enumerate() {
            let w = post[i * m + j];
            // Rows far from a node add nothing measurable to it.
            if w < 1e-300 {
                continue;
            }
            st.total += w;
            for (r, &xr) in x.iter().enumerate() {
                let wx = w * xr;
                st.mean[r] += wx;
                let upper = &mut st.second.data[r * p + r..(r + 1) * p];
                for (s, &xc) in upper.iter_mut().zip(&x[r..]) {
                    *s += wx * xc;
                }
            }
        }
    }
    for st in &mut stats {
        let t = st.total.max(f64::MIN_POSITIVE);
        st.mean.iter_mut().for_each(|v| *v /= t);
        for r in 0..p {
            for c in r..p {
                let v = st.second[(r, c)] / t;
                st.second[(r, c)] = v;
                st.second[(c, r)] = v;
            }
        }
    }
    Some((ll, stats))
}
