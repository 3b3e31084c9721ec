//! Modification indices of a FIML fit as lavaan 0.6-14's `modindices()` computes them under
//! `missing = "ml"`: its default `information = "expected"` asks for the expected information of
//! the extended model (`lavTech(FIT, "information.expected")`, whatever the fit's own
//! information), which under `missing = "ml"` with `h1.information = "structured"` is Δ′A1Δ with
//! A1 the expected information of the casewise likelihood at the structured moments
//! (lav_model_information.R → `lav_model_h1_information_expected` →
//! `lav_mvnorm_missing_information_expected`):
//!
//! A1 = Σ_p (n_p/N)·blockdiag(Σ_p⁻¹, ½D′(Σ_p⁻¹⊗Σ_p⁻¹)D), each pattern's block placed on its
//! observed variables' moments;
//!
//! and the gradient is that of the casewise fmin (`lavTech(FIT, "gradient.logl")`). Under fixed.x
//! the rows and columns of A1 for the covariates' own moments (their means, variances and
//! covariances) are zero, as `lav_mvnorm_missing_information_expected` does with `x.idx`. The
//! rest (the extended table, V = I₁₁ − I₁₂I₂₂⁻¹I₂₁, MI, EPC, sEPC) is the complete-data code's.

use super::super::error::SemError;
use super::super::linalg::Mat;
use super::super::missing::{MissingPatterns, PatternInverse};
use super::super::model::Model;
use super::super::modindices::{fixed_x_positions, modification_indices_by, not_pd, ModIndex};
use super::super::partable::ParTable;
use super::super::sample::SampleStats;
use super::h1info::{complete, cov_index, delta_matrix, n_moments};
use super::{objective_gradient, FimlData};

/// lavaan's `modindices()` of the FIML fit of `pt` at θ (`s`: the EM moments).
pub fn modification_indices(
    pt: &ParTable,
    s: &SampleStats,
    fd: &FimlData,
    theta: &[f64],
) -> Result<Vec<ModIndex>, SemError> {
    let x = fixed_x_positions(pt);
    let info_grad = |model: &Model, t: &[f64]| info_grad(model, t, fd, &x);
    modification_indices_by(pt, s, theta, &info_grad)
}

/// The expected information Δ′A1Δ (per case) and the gradient of fmin = F/2 of an extended
/// `model` at θ on the patterns of `fd`, the fixed.x moments `x` zeroed in A1 (also one
/// group's block of a multi-group FIML fit, groups/diagnostics.rs).
pub(crate) fn info_grad(
    model: &Model,
    t: &[f64],
    fd: &FimlData,
    x: &[usize],
) -> Result<(Mat, Vec<f64>), SemError> {
    let (_, g) = objective_gradient(model, fd, t).ok_or_else(not_pd)?;
    let g = g.iter().map(|v| v / 2.0).collect();
    let (_, imp) = model.implied(t).ok_or_else(not_pd)?;
    let mut a1 = expected_h1(&fd.patterns, &imp.sigma.data).ok_or_else(not_pd)?;
    zero_x_moments(&mut a1, fd.patterns.p, x);
    let d = delta_matrix(model, t).ok_or_else(not_pd)?;
    Ok((d.t().mul(&a1).mul(&d), g))
}

/// A1 above, per case, in the moments m = (μ, vech Σ) of h1info.rs; `None` when a pattern's
/// part of Σ is not positive definite.
pub fn expected_h1(pats: &MissingPatterns, sigma: &[f64]) -> Option<Mat> {
    let p = pats.p;
    let mut a1 = Mat::zeros(n_moments(p), n_moments(p));
    for pat in pats.patterns.iter().filter(|q| q.n > 0.0) {
        let k = pat.observed.len();
        let inv = PatternInverse::new(sigma, p, &pat.observed)?;
        let w = complete(&Mat::from_rows(k, k, inv.inv));
        let o = &pat.observed;
        // Each local moment's position among all p variables' (o ascends, so o[a] ≥ o[b]).
        let mut at = vec![0; n_moments(k)];
        for a in 0..k {
            at[a] = o[a];
            for b in 0..=a {
                at[cov_index(k, a, b)] = cov_index(p, o[a], o[b]);
            }
        }
        let share = pat.n / pats.n;
        for (u, &gu) in at.iter().enumerate() {
            for (v, &gv) in at.iter().enumerate() {
                a1[(gu, gv)] += share * w[(u, v)];
            }
        }
    }
    Some(a1)
}

/// A1 with the rows and columns of the moments of the fixed.x covariates `x` (positions among
/// the p observed variables) zeroed: μ_x and σ_ij with i and j both in `x`.
fn zero_x_moments(a1: &mut Mat, p: usize, x: &[usize]) {
    let mut at: Vec<usize> = x.to_vec();
    for &i in x {
        at.extend(x.iter().filter(|&&j| j <= i).map(|&j| cov_index(p, i, j)));
    }
    let dim = a1.rows;
    for &k in &at {
        for l in 0..dim {
            a1[(k, l)] = 0.0;
            a1[(l, k)] = 0.0;
        }
    }
}
