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

/// The mean residual r = ȳ − μ (zero without a mean structure) and W = S + rr′, the moments
/// both gradients differentiate F through.
fn residual_moments(imp: &Implied, s: &SampleStats, meanstructure: bool) -> (Vec<f64>, Mat) {
    let p = s.cov.rows;
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
    (r, w)
}

/// ∂F/∂θ given Σ⁻¹ (`inv`) at the same θ.
pub fn gradient(
    d: &Delta,
    imp: &Implied,
    inv: &Mat,
    s: &SampleStats,
    meanstructure: bool,
) -> Vec<f64> {
    let (r, w) = residual_moments(imp, s, meanstructure);
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

/// ∂F/∂θ without forming Δ: ∂F/∂Σ = G = Σ⁻¹ − Σ⁻¹WΣ⁻¹ (W = S + rr′, r = ȳ − μ) and
/// ∂F/∂μ = −2Σ⁻¹r chained through the LISREL matrices (lavaan's `derivative.F.LISREL`; the
/// same cell derivatives as `cell_derivative`, each reduced to one entry of a small product:
/// tr(G(e_r b′ + b e_r′)) = 2(Gb)_r). O(p²m + p³) per evaluation instead of Δ's q p×p matrices;
/// the refits of the bootstrap and the search of `estimate.rs` call it at every step.
pub fn gradient_direct(
    model: &Model,
    m: &Matrices,
    imp: &Implied,
    inv: &Mat,
    s: &SampleStats,
) -> Vec<f64> {
    let (r, w) = residual_moments(imp, s, model.meanstructure);
    let g = g_matrix(inv, &w);
    let ir = inv.mul_vec(&r);
    let lambda_v = m.lambda.mul(&imp.veta);
    let mt = imp.lambda_ib.t();
    let mtg = mt.mul(&g);
    let pr = Products {
        g_lv: g.mul(&lambda_v),
        mgm: mtg.mul(&imp.lambda_ib),
        mg_lv: mtg.mul(&lambda_v),
        m_ir: mt.mul_vec(&ir),
        g,
        ir,
    };
    model
        .free_rows
        .iter()
        .map(|rows| {
            rows.iter()
                .map(|&i| cell_gradient(model.rep.cells[i], &pr, &imp.eta_mean))
                .sum()
        })
        .collect()
}

/// G = Σ⁻¹ − Σ⁻¹WΣ⁻¹, symmetric: one triangle of Σ⁻¹(WΣ⁻¹) formed and mirrored.
fn g_matrix(inv: &Mat, w: &Mat) -> Mat {
    let p = inv.rows;
    let w_inv = w.mul(inv);
    let mut g = Mat::zeros(p, p);
    for i in 0..p {
        let row = &inv.data[i * p..(i + 1) * p];
        for j in i..p {
            let s: f64 = row.iter().enumerate().map(|(k, a)| a * w_inv[(k, j)]).sum();
            let v = inv[(i, j)] - s;
            g[(i, j)] = v;
            g[(j, i)] = v;
        }
    }
    g
}

/// The small products every cell's gradient is an entry of (M = Λ(I−B)⁻¹, V = V(η)).
struct Products {
    g: Mat,
    /// GΛV (p × m).
    g_lv: Mat,
    /// M′GM (m × m).
    mgm: Mat,
    /// M′GΛV (m × m).
    mg_lv: Mat,
    /// Σ⁻¹r and M′Σ⁻¹r.
    ir: Vec<f64>,
    m_ir: Vec<f64>,
}

/// tr(G Σ_k) − 2r′Σ⁻¹μ_k for the cell k (Σ_k, μ_k as in `cell_derivative`).
fn cell_gradient(cell: super::matrices::Cell, pr: &Products, eta_mean: &[f64]) -> f64 {
    let (r, c) = (cell.r, cell.c);
    let twice_if_off = if r == c { 1.0 } else { 2.0 };
    match cell.which {
        Which::Lambda => 2.0 * pr.g_lv[(r, c)] - 2.0 * pr.ir[r] * eta_mean[c],
        Which::Theta => twice_if_off * pr.g[(r, c)],
        Which::Psi => twice_if_off * pr.mgm[(r, c)],
        Which::Beta => 2.0 * pr.mg_lv[(r, c)] - 2.0 * pr.m_ir[r] * eta_mean[c],
        Which::Nu => -2.0 * pr.ir[r],
        Which::Alpha => -2.0 * pr.m_ir[r],
    }
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
