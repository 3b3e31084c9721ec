//! Residuals of the sample moments from the fitted ones, as lavaan 0.6-14's
//! `residuals(fit, type = ...)` gives them (`lav_residuals.R`):
//!
//! - raw: S − Σ̂ and ȳ − μ̂;
//! - cor.bollen (`type = "cor"`): cor(S) − cor(Σ̂), the means over the observed SDs;
//! - cor.bentler: (S − Σ̂) over the observed SDs (the SRMR's residuals);
//! - normalized: raw over its SE under normal theory at the sample moments, √(Γ/N);
//! - standardized: raw over the SE of the residual, Q(Γ/N)Q′ with Q = I − Δ I⁻¹ Δ′ A1
//!   (Ogasawara 2001, after Bentler & Dijkstra 1985 eq. 1.7.4), I the expected information and
//!   A1 the structured h1 information.
//!
//! Under fixed.x (lavaan 0.6-14, `lav_model_h1_information.R` → `lav_mvnorm.R`
//! `lav_mvnorm_{h1_,}information_expected`), both h1 informations have the rows and columns of
//! the covariates' own moments (their means, and the covariances with both variables in x,
//! `eliminate.pstar.idx(type = "all")`) set to zero; `lav_model_h1_acov` then inverts what is
//! left (`lav_matrix_symmetric_inverse` drops zero rows/columns and puts zeros back). So the
//! ACOV of the sample moments is the inverse of the non-x block of the information, i.e. the
//! ACOV *conditional on the covariates' moments* — not the non-x block of Γ/N — and the x
//! moments have ACOV 0; A1 in Q is masked the same way.
//!
//! lavaan leaves an element below 1e-5 in absolute value unscaled (`lav_residuals_rescale`)
//! and divides a residual below 1e-5 by 1 rather than by its SE.

use serde::Serialize;

use super::error::SemError;
use super::gradient::{delta, expected_information, Delta};
use super::implied::Implied;
use super::linalg::{spd_inverse_logdet, Mat};
use super::model::Model;
use super::partable::ParTable;
use super::sample::SampleStats;
use super::vcov::vcov;

/// Residual covariances (p × p, the model's variable order) and means (with a mean structure).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResidualMoments {
    pub cov: Mat,
    pub mean: Option<Vec<f64>>,
}

/// Every kind of residual lavaan reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Residuals {
    pub raw: ResidualMoments,
    pub cor_bollen: ResidualMoments,
    pub cor_bentler: ResidualMoments,
    pub normalized: ResidualMoments,
    pub standardized: ResidualMoments,
}

/// lavaan's near-zero exemption from rescaling.
const NEAR_ZERO: f64 = 1e-5;

/// The residuals of the model `pt` at θ against the sample moments `s`.
pub fn residuals(pt: &ParTable, s: &SampleStats, theta: &[f64]) -> Result<Residuals, SemError> {
    let model = Model::new(pt, s);
    let (m, imp) = model.implied(theta).ok_or_else(not_pd)?;
    let re = super::nonlinear::reparam_at(pt, &model, theta)?;
    let d = delta(&model, &m, &imp);
    let (sigma_inv, _) = spd_inverse_logdet(&imp.sigma).ok_or_else(not_pd)?;
    let info = expected_information(&d, &sigma_inv, pt.meanstructure);
    let names = |k: usize| pt.row_name(model.free_rows[k][0]);
    let info_inv = vcov(&info, &re, 1.0, &names)?;
    residuals_given(pt, s, theta, &info_inv)
}

/// [`residuals`] with Δ I⁻¹ Δ′ of the projection Q read from `info_inv` (the inverse unit
/// information of θ): in a multi-group fit group g's block of the fit's inverse, times n_g/N
/// (lavaan's `gw` in `lav_residuals_acov`, groups/diagnostics.rs).
pub(crate) fn residuals_given(
    pt: &ParTable,
    s: &SampleStats,
    theta: &[f64],
    info_inv: &Mat,
) -> Result<Residuals, SemError> {
    let model = Model::new(pt, s);
    let (m, imp) = model.implied(theta).ok_or_else(not_pd)?;
    let ms = pt.meanstructure;
    let p = s.cov.rows;
    let [raw, cor_bollen, cor_bentler] = descriptive(pt, s, &imp);
    let mask = fixed_x_mask(p, ms, &super::modindices::fixed_x_positions(pt));
    let acov_obs = h1_acov(s, ms, &mask)?;
    let normalized = divide_by_se(&raw, &acov_obs, p);
    let d = delta(&model, &m, &imp);
    let (sigma_inv, _) = spd_inverse_logdet(&imp.sigma).ok_or_else(not_pd)?;
    let q = projection(&d, info_inv, &sigma_inv, ms, &mask);
    let acov_res = q.mul(&acov_obs).mul(&q.t());
    let standardized = divide_by_se(&raw, &acov_res, p);
    Ok(Residuals {
        raw,
        cor_bollen,
        cor_bentler,
        normalized,
        standardized,
    })
}

pub(crate) fn not_pd() -> SemError {
    SemError::Unidentified {
        parameters: vec!["(implied covariance not positive definite at the estimate)".into()],
    }
}

/// The raw, cor.bollen and cor.bentler residuals of the implied moments against `s`.
pub(crate) fn descriptive(pt: &ParTable, s: &SampleStats, imp: &Implied) -> [ResidualMoments; 3] {
    let ms = pt.meanstructure;
    let mean_or = |v: Vec<f64>| if ms { Some(v) } else { None };
    let raw = ResidualMoments {
        cov: s.cov.sub(&imp.sigma),
        mean: mean_or(s.mean.iter().zip(&imp.mu).map(|(a, b)| a - b).collect()),
    };
    let var_obs = s.cov.diag();
    let var_est = imp.sigma.diag();
    let rescaled = |cov: &Mat, mean: &[f64], var_cov: &[f64]| {
        (rescale_cov(cov, var_cov), rescale_vec(mean, &var_obs))
    };
    let (s_obs, m_obs) = rescaled(&s.cov, &s.mean, &var_obs);
    let (s_bollen, m_bollen) = rescaled(&imp.sigma, &imp.mu, &var_est);
    let (s_bentler, _) = rescaled(&imp.sigma, &imp.mu, &var_obs);
    let diff = |a: &[f64], b: &[f64]| -> Vec<f64> { a.iter().zip(b).map(|(x, y)| x - y).collect() };
    let cor_bollen = ResidualMoments {
        cov: s_obs.sub(&s_bollen),
        mean: mean_or(diff(&m_obs, &m_bollen)),
    };
    let cor_bentler = ResidualMoments {
        cov: s_obs.sub(&s_bentler),
        mean: mean_or(diff(&m_obs, &m_bollen)),
    };
    [raw, cor_bollen, cor_bentler]
}

/// x_ij/√(v_i v_j), leaving elements below 1e-5 as they are.
fn rescale_cov(x: &Mat, var: &[f64]) -> Mat {
    let mut out = x.clone();
    for i in 0..x.rows {
        for j in 0..x.cols {
            if x[(i, j)].abs() >= NEAR_ZERO {
                out[(i, j)] = x[(i, j)] / (positive(var[i]) * positive(var[j])).sqrt();
            }
        }
    }
    out
}

fn rescale_vec(x: &[f64], var: &[f64]) -> Vec<f64> {
    x.iter()
        .zip(var)
        .map(|(&v, &s)| {
            if v.abs() >= NEAR_ZERO {
                v / positive(s).sqrt()
            } else {
                v
            }
        })
        .collect()
}

/// A variance below ε is NA in lavaan.
fn positive(v: f64) -> f64 {
    if v < f64::EPSILON {
        f64::NAN
    } else {
        v
    }
}

/// The moments' positions in lavaan's layout: the means (with a mean structure), then vech
/// of the covariance column by column ((1,1), (2,1), …, (p,1), (2,2), …).
pub(crate) fn layout(p: usize, ms: bool) -> (usize, Vec<(usize, usize)>) {
    let off = if ms { p } else { 0 };
    let vech = (0..p).flat_map(|j| (j..p).map(move |i| (i, j))).collect();
    (off, vech)
}

/// Which moments (in [`layout`] order) lavaan masks under fixed.x: the covariates' means and
/// the covariances whose two variables are both covariates (`eliminate.pstar.idx`,
/// lav_utils.R, `type = "all"`). All false without fixed.x covariates.
fn fixed_x_mask(p: usize, ms: bool, x: &[usize]) -> Vec<bool> {
    let (off, vech) = layout(p, ms);
    let means = (0..off).map(|i| x.contains(&i));
    let covs = vech.iter().map(|(i, j)| x.contains(i) && x.contains(j));
    means.chain(covs).collect()
}

/// Γ/N under normal theory at the sample moments (lavaan's `lav_model_h1_acov` with
/// h1.information = "unstructured"): Cov(ȳ) = S/N, Cov(s_ij, s_kl) = (s_ik s_jl + s_il s_jk)/N.
/// Under fixed.x, the inverse of the unstructured information's non-x block over N, with
/// zeros for the covariates' moments (see the module notes).
fn h1_acov(s: &SampleStats, ms: bool, mask: &[bool]) -> Result<Mat, SemError> {
    if !mask.iter().any(|&m| m) {
        return Ok(gamma_nt(s, ms));
    }
    let (s_inv, _) = spd_inverse_logdet(&s.cov).ok_or_else(not_pd)?;
    let info = h1_information(&s_inv, ms);
    let keep: Vec<usize> = (0..mask.len()).filter(|&u| !mask[u]).collect();
    let (kept_inv, _) = spd_inverse_logdet(&info.select(&keep)).ok_or_else(not_pd)?;
    let mut a = Mat::zeros(mask.len(), mask.len());
    for (r, &u) in keep.iter().enumerate() {
        for (c, &v) in keep.iter().enumerate() {
            a[(u, v)] = kept_inv[(r, c)] / s.n;
        }
    }
    Ok(a)
}

/// Γ/N in closed form, without covariates to condition on.
fn gamma_nt(s: &SampleStats, ms: bool) -> Mat {
    let p = s.cov.rows;
    let (off, vech) = layout(p, ms);
    let n = off + vech.len();
    let mut a = Mat::zeros(n, n);
    let c = &s.cov;
    for i in 0..off {
        for j in 0..off {
            a[(i, j)] = c[(i, j)] / s.n;
        }
    }
    for (u, &(i, j)) in vech.iter().enumerate() {
        for (v, &(k, l)) in vech.iter().enumerate() {
            a[(off + u, off + v)] = (c[(i, k)] * c[(j, l)] + c[(i, l)] * c[(j, k)]) / s.n;
        }
    }
    a
}

/// The normal-theory h1 information blockdiag(W, ½D′(W⊗W)D) in [`layout`] order, W = Σ⁻¹.
fn h1_information(w: &Mat, ms: bool) -> Mat {
    let p = w.rows;
    let (off, vech) = layout(p, ms);
    let n = off + vech.len();
    let mut a1 = Mat::zeros(n, n);
    for i in 0..off {
        for j in 0..off {
            a1[(i, j)] = w[(i, j)];
        }
    }
    // ½D′(W⊗W)D between vech elements (i,j) and (k,l): the duplication counts off-diagonal
    // elements twice.
    let dup = |i: usize, j: usize| if i == j { 1.0 } else { 2.0 };
    for (u, &(i, j)) in vech.iter().enumerate() {
        for (v, &(k, l)) in vech.iter().enumerate() {
            let sym = 0.5 * (w[(i, k)] * w[(j, l)] + w[(i, l)] * w[(j, k)]);
            a1[(off + u, off + v)] = 0.5 * sym * dup(i, j) * dup(k, l);
        }
    }
    a1
}

/// Q = I − Δ I⁻¹ Δ′ A1, with A1 = blockdiag(Σ̂⁻¹, ½D′(Σ̂⁻¹⊗Σ̂⁻¹)D) in the same layout and the
/// fixed.x moments' rows and columns of A1 zero (`lav_mvnorm_information_expected`).
fn projection(d: &Delta, info_inv: &Mat, sigma_inv: &Mat, ms: bool, mask: &[bool]) -> Mat {
    let p = sigma_inv.rows;
    let (off, vech) = layout(p, ms);
    let n = off + vech.len();
    let q = d.sigma.len();
    let mut dm = Mat::zeros(n, q);
    for k in 0..q {
        for i in 0..off {
            dm[(i, k)] = d.mu[k][i];
        }
        for (u, &(i, j)) in vech.iter().enumerate() {
            dm[(off + u, k)] = d.sigma[k][(i, j)];
        }
    }
    let mut a1 = h1_information(sigma_inv, ms);
    for u in (0..n).filter(|&u| mask[u]) {
        for v in 0..n {
            a1[(u, v)] = 0.0;
            a1[(v, u)] = 0.0;
        }
    }
    Mat::identity(n).sub(&dm.mul(info_inv).mul(&dm.t()).mul(&a1))
}

/// Each raw residual over √ of its variance on the diagonal of `acov` (NA when negative); a
/// residual below 1e-5 is divided by 1.
pub(crate) fn divide_by_se(raw: &ResidualMoments, acov: &Mat, p: usize) -> ResidualMoments {
    let ms = raw.mean.is_some();
    let (off, vech) = layout(p, ms);
    let z = |x: f64, var: f64| {
        if x.abs() < NEAR_ZERO {
            x
        } else if var < 0.0 || !var.is_finite() {
            f64::NAN
        } else {
            x / var.sqrt()
        }
    };
    let mut cov = Mat::zeros(p, p);
    for (u, &(i, j)) in vech.iter().enumerate() {
        let v = z(raw.cov[(i, j)], acov[(off + u, off + u)]);
        cov[(i, j)] = v;
        cov[(j, i)] = v;
    }
    let mean = raw
        .mean
        .as_ref()
        .map(|m| (0..p).map(|i| z(m[i], acov[(i, i)])).collect());
    ResidualMoments { cov, mean }
}
