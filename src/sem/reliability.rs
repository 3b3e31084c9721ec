//! Reliability of each latent from a fitted model, as semTools 0.5-6 computes it with its
//! default options (`compRelSEM`, `AVE`: obs.var = TRUE, tau.eq = FALSE, dropSingle = TRUE):
//!
//! - omega (composite reliability; Raykov 1997, Bentler 2009): (Σλ)²φ / 1′S1 over the
//!   latent's indicators, S the sample covariance (divisor n);
//! - AVE (Fornell & Larcker 1981, as semTools computes it): Σλ²φ / Σ s_ii, NA when an
//!   indicator loads on another latent too.
//!
//! λ are the unstandardized loadings and φ the latent's model-implied variance (lavaan's
//! `cov.lv`). Latents with fewer than two observed indicators (a second-order factor, a single
//! indicator) are left out, as semTools does. `measure`'s survey statistics use the same
//! formulas (measure::validity re-exports [`comp_rel_sem`]).

use serde::Serialize;

use super::linalg::Mat;
use super::partable::{Op, ParTable};

/// semTools::compRelSEM's reliability: `(Σλ)² φ / 1'S1` with unstandardized loadings `λ`, the
/// factor variance `φ` and `S` the items' observed covariance (its default, `obs.var = TRUE`) or
/// the model-implied one (`obs.var = FALSE`), row-major.
pub fn comp_rel_sem(loadings: &[f64], phi: f64, cov: &[f64]) -> f64 {
    let s: f64 = loadings.iter().sum();
    s * s * phi / cov.iter().sum::<f64>()
}

/// semTools::AVE: `Σλ² φ / Σ s_ii` with the items' observed variances `s_ii`.
pub fn ave_sem(loadings: &[f64], phi: f64, variances: &[f64]) -> f64 {
    let common: f64 = loadings.iter().map(|l| l * l).sum::<f64>() * phi;
    common / variances.iter().sum::<f64>()
}

/// Omega and AVE of one latent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LatentReliability {
    pub latent: String,
    pub omega: f64,
    pub ave: f64,
}

/// Every latent's reliability from the rows' estimates `values`, the latent covariance
/// `veta` (true latents first) and the sample covariance `s` (in `pt.ov`'s order).
pub fn reliability(pt: &ParTable, values: &[f64], veta: &Mat, s: &Mat) -> Vec<LatentReliability> {
    let ov_ix = |v: &str| pt.ov.iter().position(|o| o == v);
    // Loadings on observed variables that are not zero (lavaan's Λ).
    let loads: Vec<(usize, usize, f64)> = pt
        .rows
        .iter()
        .enumerate()
        .filter(|(i, r)| r.op == Op::Measure && values[*i] != 0.0)
        .filter_map(|(i, r)| {
            let k = pt.lv.iter().position(|l| *l == r.lhs)?;
            let j = ov_ix(&r.rhs).filter(|_| !pt.lv.contains(&r.rhs))?;
            Some((k, j, values[i]))
        })
        .collect();
    // semTools rounds to 5 decimals when it looks for cross-loadings.
    let n_factors = |j: usize| {
        loads
            .iter()
            .filter(|&&(_, jj, v)| jj == j && (v * 1e5).round() != 0.0)
            .count()
    };
    let mut out = Vec::new();
    for (k, latent) in pt.lv.iter().enumerate() {
        let mine: Vec<(usize, f64)> = loads
            .iter()
            .filter(|l| l.0 == k)
            .map(|&(_, j, v)| (j, v))
            .collect();
        if mine.len() < 2 {
            continue;
        }
        let lambda: Vec<f64> = mine.iter().map(|m| m.1).collect();
        let idx: Vec<usize> = mine.iter().map(|m| m.0).collect();
        let phi = veta[(k, k)];
        let sub = s.select(&idx);
        let ave = if idx.iter().any(|&j| n_factors(j) > 1) {
            f64::NAN
        } else {
            ave_sem(&lambda, phi, &sub.diag())
        };
        out.push(LatentReliability {
            latent: latent.clone(),
            omega: comp_rel_sem(&lambda, phi, &sub.data),
            ave,
        });
    }
    out
}
