//! Residuals of a FIML fit as lavaan 0.6-14's `residuals()` gives them under `missing = "ml"`
//! (lav_residuals.R): the sample moments are the EM H1's, so raw, cor.bollen and cor.bentler
//! are the complete-data formulas on them; the SEs differ (`lav_residuals_acov`, with the fit's
//! `information = "observed"`, lavaan's default for `missing = "ml"`):
//!
//! - normalized: Γ/N = A_u⁻¹/N with A_u the observed information of the casewise likelihood at
//!   the EM moments (`lav_model_h1_acov`, `h1.information = "unstructured"`,
//!   `lav_mvnorm_missing_information_observed_samplestats`);
//! - standardized: Q(Γ/N)Q′ with Q = I − Δ A0⁻¹ Δ′ A1, A1 that observed information at the
//!   structured moments (`h1.information = "structured"`) and A0 = Δ′A1Δ (the model's
//!   information with `observed.information = "h1"`), inverted under the constraints.
//!
//! Under fixed.x both informations lose the covariates' own moments (their rows and columns
//! zeroed, `x.idx` of `lav_mvnorm_missing_logl_hessian_samplestats`) and A_u is inverted on the
//! rest (`lav_matrix_symmetric_inverse` leaves zeros there): the covariates' residuals are 0
//! with no SE, and lavaan prints them as 0.

use super::super::constraints::reparametrise;
use super::super::error::SemError;
use super::super::implied::Implied;
use super::super::linalg::Mat;
use super::super::model::Model;
use super::super::modindices::fixed_x_positions;
use super::super::partable::ParTable;
use super::super::residuals::{descriptive, divide_by_se, layout, not_pd, Residuals};
use super::super::sample::SampleStats;
use super::super::vcov::vcov;
use super::h1info::{cov_index, delta_matrix, observed};
use super::robust::{mask, masked_inverse, x_moments};
use super::FimlData;

/// lavaan's `residuals()` of every type for the FIML fit of `pt` at θ (`s`: the EM moments).
pub fn residuals(
    pt: &ParTable,
    s: &SampleStats,
    fd: &FimlData,
    theta: &[f64],
) -> Result<Residuals, SemError> {
    let b = Block::new(pt, s, fd, theta)?;
    let re = reparametrise(pt, &b.model.base)?;
    let names = |k: usize| pt.row_name(b.model.free_rows[k][0]);
    let a0_inv = vcov(&b.a0(), &re, 1.0, &names)?;
    b.residuals(pt, s, fd, &a0_inv)
}

/// One model's (or one group's) structured side at θ: its implied moments, Δ and A1, the
/// observed information of the casewise likelihood at the structured moments.
pub(crate) struct Block {
    pub model: Model,
    imp: Implied,
    a1: Mat,
    pub d: Mat,
    /// The covariates' moments under fixed.x (none otherwise), masked in the informations.
    masked: Vec<usize>,
}

impl Block {
    pub fn new(
        pt: &ParTable,
        s: &SampleStats,
        fd: &FimlData,
        theta: &[f64],
    ) -> Result<Block, SemError> {
        let masked = match pt.fixed_x {
            true => x_moments(pt.ov.len(), &fixed_x_positions(pt)),
            false => Vec::new(),
        };
        let model = Model::new(pt, s);
        let (_, imp) = model.implied(theta).ok_or_else(not_pd)?;
        let mut a1 = observed(&fd.patterns, &imp.mu, &imp.sigma.data).ok_or_else(not_pd)?;
        mask(&mut a1, &masked);
        let d = delta_matrix(&model, theta).ok_or_else(not_pd)?;
        Ok(Block {
            model,
            imp,
            a1,
            d,
            masked,
        })
    }

    /// A0 = Δ′A1Δ (per case): the model's information with `observed.information = "h1"`.
    pub fn a0(&self) -> Mat {
        self.d.t().mul(&self.a1).mul(&self.d)
    }

    /// The residuals, given ΔA0⁻¹Δ′'s inner part `a0_inv` (for a group of a multi-group fit,
    /// its block of the inverse over all groups times n_g/N, as `lav_residuals_acov` weights
    /// it).
    pub fn residuals(
        &self,
        pt: &ParTable,
        s: &SampleStats,
        fd: &FimlData,
        a0_inv: &Mat,
    ) -> Result<Residuals, SemError> {
        let [raw, cor_bollen, cor_bentler] = descriptive(pt, s, &self.imp);
        let (pats, p) = (&fd.patterns, pt.ov.len());
        let mut a_u = observed(pats, &fd.h1.mean, &fd.h1.cov).ok_or_else(not_pd)?;
        mask(&mut a_u, &self.masked);
        let a_u_inv = masked_inverse(&a_u, &self.masked).ok_or_else(not_pd)?;
        let acov_obs = a_u_inv.scale(1.0 / pats.n);
        let d = &self.d;
        let q = Mat::identity(self.a1.rows).sub(&d.mul(a0_inv).mul(&d.t()).mul(&self.a1));
        let acov_res = q.mul(&acov_obs).mul(&q.t());
        Ok(Residuals {
            normalized: divide_by_se(&raw, &residual_layout(&acov_obs, p), p),
            standardized: divide_by_se(&raw, &residual_layout(&acov_res, p), p),
            raw,
            cor_bollen,
            cor_bentler,
        })
    }
}

/// A matrix over the moments of h1info.rs (μ, then σ_ij row by row) in residuals.rs's layout
/// (μ, then σ_ij column by column).
fn residual_layout(a: &Mat, p: usize) -> Mat {
    let (_, vech) = layout(p, true);
    let at: Vec<usize> = (0..p)
        .chain(vech.iter().map(|&(i, j)| cov_index(p, i, j)))
        .collect();
    let n = at.len();
    let mut out = Mat::zeros(n, n);
    for (u, &gu) in at.iter().enumerate() {
        for (v, &gv) in at.iter().enumerate() {
            out[(u, v)] = a[(gu, gv)];
        }
    }
    out
}
