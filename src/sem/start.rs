//! Start values as lavaan's `lav_start.R` (start = "default", mimic = "lavaan") gives them for
//! ML: loadings per factor by Hägglund's (1982) fabin3 instrumental-variable estimator
//! (`lav_cfa_1fac_fabin`; fewer than four indicators by the three-indicator solution
//! `lav_cfa_1fac_3ind`), bounded so that the marker's reliability is at least 0.1; residual
//! variances of observed variables 0.5·s_ii, latent variances 0.05, observed intercepts ȳ,
//! everything else 0; the user's `start()` values win. The optimum does not depend on them;
//! the path to it does. Regressions start at 0 (lavaan starts observed-only models at OLS).

use super::linalg::{inverse, Mat};
use super::partable::{Op, ParTable};
use super::sample::SampleStats;

/// θ₀ for the free parameters of `pt`.
pub fn start_values(pt: &ParTable, s: &SampleStats) -> Vec<f64> {
    let ov_ix = |v: &str| pt.ov.iter().position(|o| o == v);
    let loadings = fabin_loadings(pt, s);
    let mut theta = vec![0.0; pt.n_free];
    for (i, r) in pt.rows.iter().enumerate() {
        if r.free == 0 {
            continue;
        }
        let v = match (r.ustart, r.op) {
            (Some(u), _) => u,
            (None, Op::Measure) => loadings[i].unwrap_or(1.0),
            (None, Op::Covary) if r.lhs == r.rhs => match ov_ix(&r.lhs) {
                Some(j) => 0.5 * s.cov[(j, j)],
                None => 0.05,
            },
            (None, Op::Intercept) => ov_ix(&r.lhs).map_or(0.0, |j| s.mean[j]),
            _ => 0.0,
        };
        theta[r.free - 1] = v;
    }
    theta
}

/// lavaan's start = "simple" for the loadings (1), the rest as [`start_values`].
pub fn simple_start_values(pt: &ParTable, s: &SampleStats) -> Vec<f64> {
    let mut theta = start_values(pt, s);
    for r in pt
        .rows
        .iter()
        .filter(|r| r.free > 0 && r.op == Op::Measure && r.ustart.is_none())
    {
        theta[r.free - 1] = 1.0;
    }
    theta
}

/// fabin3 loadings for the `=~` rows of every first-order factor (`None` elsewhere).
fn fabin_loadings(pt: &ParTable, s: &SampleStats) -> Vec<Option<f64>> {
    let mut out = vec![None; pt.rows.len()];
    for f in &pt.lv {
        let rows: Vec<usize> = (0..pt.rows.len())
            .filter(|&i| pt.rows[i].op == Op::Measure && &pt.rows[i].lhs == f)
            .collect();
        let idx: Option<Vec<usize>> = rows
            .iter()
            .map(|&i| pt.ov.iter().position(|o| *o == pt.rows[i].rhs))
            .collect();
        let Some(idx) = idx else { continue }; // a second-order factor
        let std_lv = pt.rows.iter().any(|r| {
            r.op == Op::Covary && &r.lhs == f && r.rhs == *f && r.free == 0 && r.ustart == Some(1.0)
        });
        let lambda = fabin(&s.cov.select(&idx), std_lv);
        for (k, &i) in rows.iter().enumerate() {
            let l = lambda[k];
            out[i] = Some(if l.is_finite() { l } else { 1.0 });
        }
    }
    out
}

/// One factor's loadings from the indicators' covariance matrix `c` (marker first).
pub fn fabin(c: &Mat, std_lv: bool) -> Vec<f64> {
    let p = c.rows;
    if p < 4 {
        return three_indicators(c, std_lv);
    }
    let mut lambda = vec![1.0; p];
    for i in 1..p {
        let idx3: Vec<usize> = (1..p).filter(|&k| k != i).collect();
        let s23: Vec<f64> = idx3.iter().map(|&k| c[(i, k)]).collect();
        let s31: Vec<f64> = idx3.iter().map(|&k| c[(k, 0)]).collect();
        let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
        lambda[i] = match inverse(&c.select(&idx3)) {
            Some(inv) => {
                let t = inv.mul_vec(&s31);
                dot(&s23, &t) / dot(&s31, &t)
            }
            None => dot(&s23, &s31) / dot(&s31, &s31),
        };
    }
    let lower_psi = 0.1 * c[(0, 0)];
    for (i, l) in lambda.iter_mut().enumerate().skip(1) {
        let bound = (c[(i, i)] / lower_psi).sqrt();
        *l = l.clamp(-bound, bound);
    }
    if !std_lv {
        return lambda;
    }
    let psi = fabin_psi(c, &lambda);
    lambda
        .iter()
        .map(|l| l * psi.signum() * psi.abs().sqrt())
        .collect()
}

/// fabin's factor variance given the loadings: θ from (I − D∘D)θ = diag(S − DSD) with
/// D = λλ′/λ′λ, then ψ = λ′(S − Θ)λ/(λ′λ)².
fn fabin_psi(c: &Mat, lambda: &[f64]) -> f64 {
    let p = c.rows;
    let l2: f64 = lambda.iter().map(|l| l * l).sum();
    let mut d = Mat::zeros(p, p);
    for i in 0..p {
        for j in 0..p {
            d[(i, j)] = lambda[i] * lambda[j] / l2;
        }
    }
    let dsd = d.mul(c).mul(&d);
    let mut a = Mat::identity(p);
    for i in 0..p {
        for j in 0..p {
            a[(i, j)] -= d[(i, j)] * d[(i, j)];
        }
    }
    let rhs: Vec<f64> = (0..p).map(|i| c[(i, i)] - dsd[(i, i)]).collect();
    let theta = inverse(&a).map_or(vec![0.0; p], |inv| inv.mul_vec(&rhs));
    let mut s1 = c.clone();
    for i in 0..p {
        s1[(i, i)] -= theta[i];
    }
    let sl = s1.mul_vec(lambda);
    lambda.iter().zip(&sl).map(|(a, b)| a * b).sum::<f64>() / (l2 * l2)
}

/// The exact one-factor solution of three indicators (two are padded to three as lavaan does).
fn three_indicators(c: &Mat, std_lv: bool) -> Vec<f64> {
    let p = c.rows;
    let c3 = match p {
        1 => Mat::from_rows(3, 3, vec![1.0; 9]),
        2 => {
            let mean = 0.5 * (c[(0, 0)] + c[(1, 1)]);
            let max = c[(0, 0)].max(c[(1, 1)]);
            let s21 = c[(1, 0)];
            Mat::from_rows(
                3,
                3,
                vec![c[(0, 0)], s21, mean, s21, c[(1, 1)], s21, mean, s21, max],
            )
        }
        _ => c.clone(),
    };
    let (s11, s22, s33) = (c3[(0, 0)], c3[(1, 1)], c3[(2, 2)]);
    let (s21, s31, s32) = (c3[(1, 0)], c3[(2, 0)], c3[(2, 1)]);
    if s21 * s31 * s32 < 0.0 {
        // A negative triad: lavaan starts at 0.7 (std.lv) or 1.
        return vec![if std_lv { 0.7 } else { 1.0 }; p];
    }
    let lower_psi = 0.1 * s11;
    let psi = (s21 * s31 / s32).max(lower_psi).min(s11);
    let b2 = (s22 / lower_psi).sqrt();
    let b3 = (s33 / lower_psi).sqrt();
    let mut lambda = vec![1.0, (s32 / s31).clamp(-b2, b2), (s32 / s21).clamp(-b3, b3)];
    if std_lv {
        let scale = psi.signum() * psi.abs().sqrt();
        lambda.iter_mut().for_each(|l| *l *= scale);
    }
    lambda.truncate(p);
    lambda
}
