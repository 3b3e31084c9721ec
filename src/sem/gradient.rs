//! Stage 5c: derivatives. Δ = ∂(μ, Σ)/∂θ′ column by column from the LISREL matrices (the
//! matrix differentials of Σ = ΛVΛ′ + Θ with V = (I−B)⁻¹Ψ(I−B)⁻ᵀ, and of μ = ν + Λ(I−B)⁻¹α;
//! Neudecker & Satorra 1991, lavaan's `computeDelta`), and the analytic gradient of F:
//! ∂F/∂θ_k = tr(G Σ_k) − 2(ȳ − μ)′Σ⁻¹μ_k with G = Σ⁻¹ − Σ⁻¹[S + (ȳ−μ)(ȳ−μ)′]Σ⁻¹.

use super::implied::Implied;
use super::linalg::Mat;
use super::matrices::{Matrices, Which};
use super::model::Model;
use super::objective::residual_mean;
use super::sample::SampleStats;

/// ∂Σ/∂θ_k and ∂μ/∂θ_k for every free parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Delta {
    pub sigma: Vec<Mat>,
    pub mu: Vec<Vec<f64>>,
}

/// Adds `a b′ + b a′` to `d`.
fn add_sym_outer(d: &mut Mat, a: &[f64], b: &[f64]) {
    let p = a.len();
    for i in 0..p {
        for j in 0..p {
            d[(i, j)] += a[i] * b[j] + b[i] * a[j];
        }
    }
}

/// The derivative of (Σ, μ) with respect to one cell of the matrices, added to (`ds`, `dm`).
fn cell_derivative(
    which: Which,
    (r, c): (usize, usize),
    imp: &Implied,
    lambda_v: &Mat,
    ds: &mut Mat,
    dm: &mut [f64],
) {
    let p = ds.rows;
    let e = |i: usize| -> Vec<f64> { (0..p).map(|k| (k == i) as u8 as f64).collect() };
    match which {
        // Σ_k = e_r (ΛV e_c)′ + transpose; μ_k = e_r E(η)_c.
        Which::Lambda => {
            add_sym_outer(ds, &e(r), &lambda_v.col(c));
            dm[r] += imp.eta_mean[c];
        }
        Which::Theta => {
            ds[(r, c)] += 1.0;
            if r != c {
                ds[(c, r)] += 1.0;
            }
        }
        // Σ_k = M e_r e_c′ M′ (+ transpose off the diagonal), M = Λ(I−B)⁻¹.
        Which::Psi => {
            let (a, b) = (imp.lambda_ib.col(r), imp.lambda_ib.col(c));
            if r == c {
                for i in 0..p {
                    for j in 0..p {
                        ds[(i, j)] += a[i] * a[j];
                    }
                }
            } else {
                add_sym_outer(ds, &a, &b);
            }
        }
        // d(I−B)⁻¹ = (I−B)⁻¹E_rc(I−B)⁻¹: Σ_k = M e_r (ΛV e_c)′ + transpose, μ_k = M e_r E(η)_c.
        Which::Beta => {
            let a = imp.lambda_ib.col(r);
            add_sym_outer(ds, &a, &lambda_v.col(c));
            for i in 0..p {
                dm[i] += a[i] * imp.eta_mean[c];
            }
        }
        Which::Nu => dm[r] += 1.0,
        Which::Alpha => {
            for (i, v) in imp.lambda_ib.col(r).iter().enumerate() {
                dm[i] += v;
            }
        }
    }
}

/// Δ at the matrices `m` and implied moments `imp` of `model`.
pub fn delta(model: &Model, m: &Matrices, imp: &Implied) -> Delta {
    let p = model.rep.p();
    let lambda_v = m.lambda.mul(&imp.veta);
    let mut out = Delta {
        sigma: Vec::with_capacity(model.n_free()),
        mu: Vec::with_capacity(model.n_free()),
    };
    for rows in &model.free_rows {
        let mut ds = Mat::zeros(p, p);
        let mut dm = vec![0.0; p];
        for &i in rows {
            let cell = model.rep.cells[i];
            cell_derivative(
                cell.which,
                (cell.r, cell.c),
                imp,
                &lambda_v,
                &mut ds,
                &mut dm,
            );
        }
        out.sigma.push(ds);
        out.mu.push(dm);
    }
    out
}

/// ∂F/∂θ given Σ⁻¹ (`inv`) at the same θ.
pub fn gradient(
    d: &Delta,
    imp: &Implied,
    inv: &Mat,
    s: &SampleStats,
    meanstructure: bool,
) -> Vec<f64> {
    let p = inv.rows;
    let r = if meanstructure {
        residual_mean(imp, s)
    } else {
        vec![0.0; p]
    };
    let mut w = s.cov.clone();
    for i in 0..p {
        for j in 0..p {
            w[(i, j)] += r[i] * r[j];
        }
    }
    let g = inv.sub(&inv.mul(&w).mul(inv));
    let ir = inv.mul_vec(&r);
    d.sigma
        .iter()
        .zip(&d.mu)
        .map(|(ds, dm)| {
            let mean_part: f64 = ir.iter().zip(dm).map(|(a, b)| a * b).sum();
            g.trace_mul(ds) - 2.0 * mean_part
        })
        .collect()
}

/// The expected information of fmin = F/2 per observation (lavaan's Δ′A1Δ with
/// A1 = blockdiag(Σ⁻¹, ½D′(Σ⁻¹⊗Σ⁻¹)D)): ½tr(Σ⁻¹Σ_aΣ⁻¹Σ_b) + μ_a′Σ⁻¹μ_b, row-major q × q.
pub fn expected_information(d: &Delta, inv: &Mat, meanstructure: bool) -> Mat {
    let q = d.sigma.len();
    let w: Vec<Mat> = d.sigma.iter().map(|ds| inv.mul(ds)).collect();
    let wm: Vec<Vec<f64>> = d.mu.iter().map(|dm| inv.mul_vec(dm)).collect();
    let mut info = Mat::zeros(q, q);
    for a in 0..q {
        for b in 0..=a {
            let mut v = 0.5 * w[a].trace_mul(&w[b]);
            if meanstructure {
                v += d.mu[a].iter().zip(&wm[b]).map(|(x, y)| x * y).sum::<f64>();
            }
            info[(a, b)] = v;
            info[(b, a)] = v;
        }
    }
    info
}
