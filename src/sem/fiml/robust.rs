//! Robust inference under FIML, as lavaan 0.6-14 computes it for `missing = "ml"`:
//! - MLR's sandwich Var(θ̂) = E⁻¹B₀E⁻¹/N with E the observed information (Hessian) and B₀ =
//!   Δ′J(μ̂, Σ̂)Δ the first-order information of the casewise scores at the structured moments
//!   (`lav_model_nvcov_robust_sandwich`);
//! - the Yuan-Bentler (Mplus) scaled test: tr(UΓ) = tr(W⁻¹J) − tr(B₀E⁻¹) with W and J the
//!   observed and first-order h1 information at the EM moments ("unstructured",
//!   `lav_test_yuan_bentler`), the baseline's trace from its own FIML fit (measures.rs);
//! - the FIML-corrected robust CFI/TLI/RMSEA (`lav_fit_fiml_corrected`; Savalei 2018, Zhang &
//!   Savalei 2022): T₃ is the complete-data ML statistic of θ̂ against the EM moments, and its
//!   scaling k/df with U = W − WΔ(Δ′WΔ)⁻¹Δ′W, W_c the complete-data h1 information at the EM
//!   moments and k = tr(W_c W⁻¹ U W⁻¹) ("V6", plain ML) or tr(U W⁻¹ W_c W⁻¹ U Γ) with
//!   Γ = W⁻¹JW⁻¹ ("V3", with a scaled test); the same for the baseline model.

use super::super::cluster::Clusters;
use super::super::constraints::Reparam;
use super::super::linalg::{spd_inverse_logdet, Mat};
use super::super::model::Model;
use super::super::moments::DataView;
use super::super::objective::f_ml;
use super::super::robust::{first_order, sandwich, YuanBentler};
use super::super::sample::SampleStats;
use super::super::scaled_test::{scaled_fit, RobustFit, Scaled, ScaledFit, ScaledInput};
use super::super::vcov::vcov;
use super::super::{FitMeasures, SemError};
use super::h1info::{complete, cov_index, delta_matrix, n_moments, observed, scores};
use super::measures::Baseline;
use super::FimlData;

/// Which FIML correction (lavaan's `version`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// Plain ML: no scaled test.
    V6,
    /// With a scaled test (MLR).
    V3,
}

/// Everything the robust measures read: the fit at θ̂ and the data behind it.
pub struct Context<'a> {
    pub model: &'a Model,
    pub fd: &'a FimlData,
    pub data: DataView<'a>,
    /// The EM moments as sample statistics.
    pub em: &'a SampleStats,
    pub theta: &'a [f64],
    pub re: &'a Reparam,
    /// The unit observed information of θ̂ (before constraints).
    pub info: &'a Mat,
    pub names: &'a dyn Fn(usize) -> String,
    pub base: &'a Baseline,
    /// The exogenous covariates (lavaan's ov.x), by position.
    pub x: &'a [usize],
    /// Whether their moments are fixed: lavaan then masks them in the h1 information
    /// (`x.idx` of `lav_mvnorm_missing_information_*`) and inverts the rest.
    pub fixed_x: bool,
    /// The clusters of the score rows under lavaan's `cluster =` (sem/cluster.rs).
    pub cluster: Option<&'a Clusters>,
}

/// The h1 pieces at the EM moments: W, W⁻¹, J.
pub(crate) struct H1Info {
    pub w: Mat,
    pub w_inv: Mat,
    pub j: Mat,
}

/// The covariates' moments (means, their covariances) as positions in the moments of p
/// variables.
pub(crate) fn x_moments(p: usize, x: &[usize]) -> Vec<usize> {
    let mut idx: Vec<usize> = x
        .iter()
        .flat_map(|&i| std::iter::once(i).chain(x.iter().map(move |&j| cov_index(p, i, j))))
        .collect();
    idx.sort_unstable();
    idx.dedup();
    idx
}

/// W, W⁻¹ and J of one group's data at its EM moments `em`, the covariates' moments masked
/// under fixed.x; `first_order` turns case scores into J (summed within clusters if any).
pub(crate) fn h1_info(
    fd: &FimlData,
    data: DataView,
    em: &SampleStats,
    masked: &[usize],
    first_order: &dyn Fn(&Mat) -> Mat,
) -> Option<H1Info> {
    let (mu, sigma) = (&em.mean, &em.cov.data);
    let mut w = observed(&fd.patterns, mu, sigma)?;
    let mut j = first_order(&scores(data, &fd.patterns, mu, sigma)?);
    mask(&mut w, masked);
    mask(&mut j, masked);
    let w_inv = masked_inverse(&w, masked)?;
    Some(H1Info { w, w_inv, j })
}

impl Context<'_> {
    /// The first-order information of casewise scores, summed within clusters if any.
    fn first_order(&self, scores: &Mat) -> Mat {
        match self.cluster {
            Some(c) => c.first_order(scores),
            None => first_order(scores),
        }
    }

    /// The covariates' moments (means, their covariances) as positions in the moments.
    fn x_moments(&self) -> Vec<usize> {
        x_moments(self.fd.patterns.p, self.x)
    }

    fn h1(&self) -> Option<H1Info> {
        let masked = if self.fixed_x {
            self.x_moments()
        } else {
            Vec::new()
        };
        h1_info(self.fd, self.data, self.em, &masked, &|s| {
            self.first_order(s)
        })
    }
}

/// Zeroes rows and columns `idx` of `a`.
pub(crate) fn mask(a: &mut Mat, idx: &[usize]) {
    for &r in idx {
        for c in 0..a.cols {
            a[(r, c)] = 0.0;
            a[(c, r)] = 0.0;
        }
    }
}

/// The inverse of `a` without rows and columns `idx`, zeros there (lavaan's
/// `lav_matrix_symmetric_inverse` on a matrix with zero rows).
pub(crate) fn masked_inverse(a: &Mat, idx: &[usize]) -> Option<Mat> {
    let keep: Vec<usize> = (0..a.rows).filter(|i| !idx.contains(i)).collect();
    let (inv, _) = spd_inverse_logdet(&a.select(&keep))?;
    let mut out = Mat::zeros(a.rows, a.cols);
    for (r, &i) in keep.iter().enumerate() {
        for (c, &j) in keep.iter().enumerate() {
            out[(i, j)] = inv[(r, c)];
        }
    }
    Some(out)
}

/// MLR under FIML: the sandwich Var(θ̂) and the scaled fit measures (with the V3 robust ones).
pub fn mlr(cx: &Context<'_>, fit: &FitMeasures) -> Result<(Mat, ScaledFit), SemError> {
    let failed = || SemError::Unidentified {
        parameters: vec!["(the h1 information under missing data is singular)".into()],
    };
    let n = cx.fd.patterns.n;
    let (_, imp) = cx.model.implied(cx.theta).ok_or_else(failed)?;
    let dl = delta_matrix(cx.model, cx.theta).ok_or_else(failed)?;
    let pats = &cx.fd.patterns;
    let b1 = cx.first_order(&scores(cx.data, pats, &imp.mu, &imp.sigma.data).ok_or_else(failed)?);
    let b0 = dl.t().mul(&b1).mul(&dl);
    let e_inv = vcov(cx.info, cx.re, 1.0, cx.names)?;
    let h1 = cx.h1().ok_or_else(failed)?;
    let trace_h1 = h1.w_inv.trace_mul(&h1.j);
    let (mb, sb, idx) = (&cx.base.mean, &cx.base.sigma, &cx.base.idx);
    let eb = observed(pats, mb, sb).ok_or_else(failed)?.select(idx);
    let (eb_inv, _) = spd_inverse_logdet(&eb).ok_or_else(failed)?;
    let b0b = cx
        .first_order(&scores(cx.data, pats, mb, sb).ok_or_else(failed)?)
        .select(idx);
    let yb = YuanBentler {
        trace_h1,
        trace_h0: b0.trace_mul(&e_inv),
        ndat_h1: (n_moments(pats.p) - if cx.fixed_x { cx.x_moments().len() } else { 0 }) as f64,
        npar: cx.theta.len() as f64,
    };
    let base = YuanBentler {
        trace_h0: b0b.trace_mul(&eb_inv),
        ..yb
    };
    let mut sf = scaled_fit(yb.scaled_input(&base, fit, n));
    corrected(cx, Version::V3, fit).apply_to(&mut sf);
    Ok((sandwich(&e_inv, &b0, n), sf))
}

/// The FIML-corrected robust measures; NaN where a matrix is singular (lavaan warns and
/// gives NA).
pub fn corrected(cx: &Context<'_>, version: Version, fit: &FitMeasures) -> RobustFit {
    let nan = Scaled {
        t: f64::NAN,
        df: fit.df,
        c: f64::NAN,
    };
    let (model, baseline) = corrected_tests(cx, version, fit).unwrap_or((
        nan,
        Scaled {
            df: fit.baseline_df,
            ..nan
        },
    ));
    RobustFit::of(&scaled_fit(ScaledInput {
        model,
        baseline,
        n: cx.fd.patterns.n,
        scaling_factor_h1: f64::NAN,
        scaling_factor_h0: f64::NAN,
    }))
}

/// (T₃, df, ĉ₃) of the model and of the baseline.
fn corrected_tests(
    cx: &Context<'_>,
    version: Version,
    fit: &FitMeasures,
) -> Option<(Scaled, Scaled)> {
    let n = cx.fd.patterns.n;
    let h1 = cx.h1()?;
    let (em_inv, _) = spd_inverse_logdet(&cx.em.cov)?;
    // lavaan refits the partable to the EM moments with lavaan()'s default fixed.x = TRUE, so
    // W_c has the covariates' moments masked (zero rows and columns), whatever the fit used.
    let mut wc = complete(&em_inv);
    mask(&mut wc, &cx.x_moments());
    let (_, imp) = cx.model.implied(cx.theta)?;
    let t3 = n * f_ml(&imp, cx.em, true)?.0;
    let dl = delta_matrix(cx.model, cx.theta)?;
    // lavaan's E here is the "h1" observed information at the EM moments, Δ′WΔ.
    let e = dl.t().mul(&h1.w).mul(&dl);
    let e_inv = vcov(&e, cx.re, 1.0, cx.names).ok()?;
    let k = trace_k(&h1, &wc, &dl, &e_inv, version);
    let idx = &cx.base.idx;
    let nm = h1.w.rows;
    let mut db = Mat::zeros(nm, idx.len());
    for (c, &r) in idx.iter().enumerate() {
        db[(r, c)] = 1.0;
    }
    let (eb_inv, _) = spd_inverse_logdet(&h1.w.select(idx))?;
    let kb = trace_k(&h1, &wc, &db, &eb_inv, version);
    let t3b = n * f_ml_moments(cx.em, &cx.base.mean, &cx.base.sigma)?;
    Some((
        Scaled {
            t: t3,
            df: fit.df,
            c: k / fit.df,
        },
        Scaled {
            t: t3b,
            df: fit.baseline_df,
            c: kb / fit.baseline_df,
        },
    ))
}

/// k of `lav_fit_fiml_corrected` for a model with Jacobian `dl` and (constrained) inverse
/// information `e_inv`.
pub(crate) fn trace_k(h1: &H1Info, wc: &Mat, dl: &Mat, e_inv: &Mat, version: Version) -> f64 {
    let wd = h1.w.mul(dl);
    let u = h1.w.sub(&wd.mul(e_inv).mul(&wd.t()));
    let wi_wc_wi = h1.w_inv.mul(wc).mul(&h1.w_inv);
    match version {
        Version::V6 => wi_wc_wi.trace_mul(&u),
        Version::V3 => {
            let gamma = h1.w_inv.mul(&h1.j).mul(&h1.w_inv);
            u.mul(&wi_wc_wi).mul(&u).trace_mul(&gamma)
        }
    }
}

/// F_ML of moments (μ, Σ) against the sample moments `s` (with means):
/// ln|Σ| + tr(SΣ⁻¹) − ln|S| − p + (ȳ − μ)′Σ⁻¹(ȳ − μ).
pub(crate) fn f_ml_moments(s: &SampleStats, mu: &[f64], sigma: &[f64]) -> Option<f64> {
    let p = mu.len();
    let (inv, logdet) = spd_inverse_logdet(&Mat::from_rows(p, p, sigma.to_vec()))?;
    let d: Vec<f64> = s.mean.iter().zip(mu).map(|(a, b)| a - b).collect();
    let quad: f64 = d.iter().zip(inv.mul_vec(&d)).map(|(a, b)| a * b).sum();
    Some(logdet + s.cov.trace_mul(&inv) - s.logdet - p as f64 + quad)
}
