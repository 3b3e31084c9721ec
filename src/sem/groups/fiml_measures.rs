//! Fit measures and robust inference of a multi-group FIML fit (lavaan 0.6-14, `group =` with
//! `missing = "ml"`):
//! - T, RMSEA (with lavaan's √G) and SRMR as for complete groups (measures.rs) on the groups'
//!   EM moments, which stand in for the sample moments (`lav_residuals.R` reads `h1`);
//! - logl, unrestricted.logl and the information criteria from the casewise likelihoods summed
//!   over groups, the baseline fitted by FIML in every group (`lav_fit_aic.R`, fiml/measures.rs);
//! - MLR: the sandwich E⁻¹B₀E⁻¹/N with B₀ = Σ (n_g/N)·Δ_g′J_gΔ_g from the casewise scores at
//!   the structured moments (`lav_model_nvcov_robust_sandwich`), the Yuan-Bentler trace
//!   Σ_g tr(W_g⁻¹J_g) − tr(B₀E⁻¹) with W_g, J_g at the EM moments
//!   (`lav_test_yuan_bentler_mplus_trace`), the baseline's h0 trace summed over groups;
//! - the FIML-corrected robust CFI/TLI/RMSEA (`lav_fit_fiml_corrected`, Savalei 2018, Zhang &
//!   Savalei 2022) over groups: W, W⁻¹, J, W_c block diagonal with the weights n_g/N, N/n_g,
//!   n_g/N, n_g/N and Δ the groups' Jacobians stacked (lavaan's `lav_matrix_bdiag` there).

use super::super::error::SemError;
use super::super::fiml::h1info::{complete, delta_matrix, n_moments, observed, scores};
use super::super::fiml::measures::Baseline;
use super::super::fiml::robust::Version;
use super::super::fiml::robust::{f_ml_moments, h1_info, mask, trace_k, x_moments, H1Info};
use super::super::fit_measures::{incremental, FitMeasures};
use super::super::linalg::{spd_inverse_logdet, Mat};
use super::super::moments::DataView;
use super::super::objective::f_ml;
use super::super::robust::{sandwich, YuanBentler};
use super::super::scaled_test::{scaled_fit_groups, RobustFit, Scaled, ScaledFit, ScaledInput};
use super::super::vcov::vcov;
use super::super::{Estimator, SemOptions};
use super::estimate::Groups;
use super::fiml::FimlGroup;
use super::measures::{self, x_indices};
use super::{free_name, Fitted};
use crate::numeric::dist::chisq_p_upper;

/// What the measures read: the fit, the groups' FIML data and baselines.
struct Parts<'a> {
    f: &'a Fitted<'a>,
    w: &'a Groups<'a>,
    groups: &'a [FimlGroup],
    bases: Vec<Baseline>,
    x: Vec<usize>,
    fixed_x: bool,
}

impl Parts<'_> {
    fn view(&self, g: usize) -> Result<DataView<'_>, SemError> {
        let prep = &self.groups[g].prep;
        Ok(DataView::new(&prep.rows, prep.n_rows, prep.fd.patterns.p)?)
    }

    /// The moments lavaan masks in the h1 information: the covariates' under fixed.x.
    fn masked(&self) -> Vec<usize> {
        if self.fixed_x {
            x_moments(self.p(), &self.x)
        } else {
            Vec::new()
        }
    }

    fn p(&self) -> usize {
        self.f.gt.groups[0].ov.len()
    }

    fn names(&self, k: usize) -> String {
        free_name(self.f.gt, k)
    }
}

/// The fit measures (robust ones by the estimator) and Var(θ̂): `v` from the observed
/// information `info`, replaced by the sandwich under MLR.
pub(super) fn measures(
    f: &Fitted<'_>,
    w: &Groups<'_>,
    groups: &[FimlGroup],
    info: &Mat,
    v: Mat,
    ndat: usize,
    opts: &SemOptions,
) -> Result<(Mat, FitMeasures), SemError> {
    let pt = &f.gt.groups[0];
    let x = x_indices(pt);
    let mut bases = Vec::with_capacity(groups.len());
    for d in groups {
        let prep = &d.prep;
        let data = DataView::new(&prep.rows, prep.n_rows, prep.fd.patterns.p)?;
        bases.push(Baseline::fit(&prep.fd.patterns, data, &x, pt.fixed_x)?);
    }
    let px = Parts {
        f,
        w,
        groups,
        bases,
        x,
        fixed_x: pt.fixed_x,
    };
    let mut fit = measures::fit_measures(f, w, ndat);
    likelihoods(&px, &mut fit);
    match opts.estimator {
        Estimator::Ml => {
            fit.fiml_robust = Some(corrected(&px, Version::V6, &fit));
            Ok((v, fit))
        }
        Estimator::Mlr => {
            let (v, scaled) = mlr(&px, info, &fit)?;
            fit.scaled = Some(scaled);
            Ok((v, fit))
        }
    }
}

/// The likelihood-based measures and the baseline from the casewise likelihoods.
fn likelihoods(px: &Parts<'_>, out: &mut FitMeasures) {
    let n = px.w.n_total();
    let h1: f64 = px.groups.iter().map(|d| d.fd().h1.logl).sum();
    let x_logl: f64 = px.bases.iter().map(|b| b.x_logl).sum();
    let logl = h1 - n * px.f.est.f / 2.0 - x_logl;
    let k = px.f.npar as f64;
    out.logl = logl;
    out.unrestricted_logl = h1 - x_logl;
    out.aic = -2.0 * logl + 2.0 * k;
    out.bic = -2.0 * logl + k * n.ln();
    out.bic2 = -2.0 * logl + k * ((n + 2.0) / 24.0).ln();
    let base_logl: f64 = px.bases.iter().map(|b| b.logl).sum();
    let bchisq = (2.0 * (h1 - base_logl)).max(0.0);
    let bdf: f64 = (px.bases.iter())
        .map(|b| (b.ndat - b.idx.len()) as f64)
        .sum();
    out.baseline_chisq = bchisq;
    out.baseline_df = bdf;
    out.baseline_pvalue = if bdf > 0.0 {
        chisq_p_upper(bchisq, bdf)
    } else {
        f64::NAN
    };
    let incr = incremental(out.chisq, out.df, bchisq, bdf);
    [
        out.cfi, out.tli, out.rfi, out.nfi, out.pnfi, out.ifi, out.rni,
    ] = incr;
    out.nnfi = out.tli;
}

fn singular() -> SemError {
    SemError::Unidentified {
        parameters: vec!["(the h1 information under missing data is singular)".into()],
    }
}

/// The pieces of one group for MLR: Δ_g′J_gΔ_g at θ̂_g, tr(W_g⁻¹J_g), its moment count and
/// the baseline's h0 trace.
fn mlr_group(px: &Parts<'_>, g: usize) -> Option<(Mat, f64, f64, f64)> {
    let (model, d) = (&px.f.models[g], &px.groups[g]);
    let pats = &d.fd().patterns;
    let data = px.view(g).ok()?;
    let theta = px.w.slice(g, &px.f.est.theta);
    let (_, imp) = model.implied(theta)?;
    let dl = delta_matrix(model, theta)?;
    let b1 = d.first_order(&scores(data, pats, &imp.mu, &imp.sigma.data)?);
    let masked = px.masked();
    let h1 = h1_info(d.fd(), data, &d.data.stats, &masked, &|s| d.first_order(s))?;
    let ndat_h1 = (n_moments(pats.p) - masked.len()) as f64;
    let b = &px.bases[g];
    let eb = observed(pats, &b.mean, &b.sigma)?.select(&b.idx);
    let (eb_inv, _) = spd_inverse_logdet(&eb)?;
    let b0b = d
        .first_order(&scores(data, pats, &b.mean, &b.sigma)?)
        .select(&b.idx);
    Some((
        dl.t().mul(&b1).mul(&dl),
        h1.w_inv.trace_mul(&h1.j),
        ndat_h1,
        b0b.trace_mul(&eb_inv),
    ))
}

/// MLR over groups: the sandwich Var(θ̂) and the scaled fit measures (with the V3 robust ones).
fn mlr(px: &Parts<'_>, info: &Mat, fit: &FitMeasures) -> Result<(Mat, ScaledFit), SemError> {
    let mut blocks = Vec::with_capacity(px.groups.len());
    let (mut trace_h1, mut ndat_h1, mut base_h0) = (0.0, 0.0, 0.0);
    for g in 0..px.groups.len() {
        let (b0, t1, nd, tb) = mlr_group(px, g).ok_or_else(singular)?;
        blocks.push(b0);
        trace_h1 += t1;
        ndat_h1 += nd;
        base_h0 += tb;
    }
    let b0 = px.w.stack(&blocks);
    let e_inv = vcov(info, &px.f.re, 1.0, &|k| px.names(k))?;
    let yb = YuanBentler {
        trace_h1,
        trace_h0: b0.trace_mul(&e_inv),
        ndat_h1,
        npar: px.f.est.theta.len() as f64,
    };
    let base = YuanBentler {
        trace_h0: base_h0,
        ..yb
    };
    let n = px.w.n_total();
    let mut sf = scaled_fit_groups(yb.scaled_input(&base, fit, n), px.groups.len() as f64);
    corrected(px, Version::V3, fit).apply_to(&mut sf);
    Ok((sandwich(&e_inv, &b0, n), sf))
}

/// The FIML-corrected robust measures; NaN where a matrix is singular (lavaan gives NA).
fn corrected(px: &Parts<'_>, version: Version, fit: &FitMeasures) -> RobustFit {
    let nan = Scaled {
        t: f64::NAN,
        df: fit.df,
        c: f64::NAN,
    };
    let (model, baseline) = corrected_tests(px, version, fit).unwrap_or((
        nan,
        Scaled {
            df: fit.baseline_df,
            ..nan
        },
    ));
    let inp = ScaledInput {
        model,
        baseline,
        n: px.w.n_total(),
        scaling_factor_h1: f64::NAN,
        scaling_factor_h0: f64::NAN,
    };
    RobustFit::of(&scaled_fit_groups(inp, px.groups.len() as f64))
}

/// The block-diagonal h1 pieces over groups, with the groups' Jacobians stacked.
struct Blocks {
    h1: H1Info,
    wc: Mat,
    dl: Mat,
}

/// (T₃, df, ĉ₃) of the model and of the baseline over groups.
fn corrected_tests(
    px: &Parts<'_>,
    version: Version,
    fit: &FitMeasures,
) -> Option<(Scaled, Scaled)> {
    let (ng, nm, q) = (px.groups.len(), n_moments(px.p()), px.w.q);
    let mut b = Blocks {
        h1: H1Info {
            w: Mat::zeros(ng * nm, ng * nm),
            w_inv: Mat::zeros(ng * nm, ng * nm),
            j: Mat::zeros(ng * nm, ng * nm),
        },
        wc: Mat::zeros(ng * nm, ng * nm),
        dl: Mat::zeros(ng * nm, q),
    };
    let (mut t3, mut t3b, mut kb) = (0.0, 0.0, 0.0);
    for g in 0..ng {
        let (t, tb, k) = corrected_group(px, version, g, &mut b)?;
        t3 += t;
        t3b += tb;
        kb += k;
    }
    let e = b.dl.t().mul(&b.h1.w).mul(&b.dl);
    let e_inv = vcov(&e, &px.f.re, 1.0, &|k| px.names(k)).ok()?;
    let k = trace_k(&b.h1, &b.wc, &b.dl, &e_inv, version);
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

/// Group g's share: its blocks placed in `b` (weighted by f_g = n_g/N), its T₃ and baseline
/// T₃ terms, and its baseline k (the baseline shares no parameter across groups, so its k is
/// the sum of the single-group ones).
fn corrected_group(
    px: &Parts<'_>,
    version: Version,
    g: usize,
    b: &mut Blocks,
) -> Option<(f64, f64, f64)> {
    let (model, d) = (&px.f.models[g], &px.groups[g]);
    let em = &d.data.stats;
    let (n_g, fg) = (em.n, px.w.weight(g));
    let h1 = h1_info(d.fd(), px.view(g).ok()?, em, &px.masked(), &|s| {
        d.first_order(s)
    })?;
    let (em_inv, _) = spd_inverse_logdet(&em.cov)?;
    // lavaan refits to the EM moments with fixed.x = TRUE: W_c has the covariates masked.
    let mut wc = complete(&em_inv);
    mask(&mut wc, &x_moments(px.p(), &px.x));
    let theta = px.w.slice(g, &px.f.est.theta);
    let (_, imp) = model.implied(theta)?;
    let t3 = n_g * f_ml(&imp, em, true)?.0;
    let dl = delta_matrix(model, theta)?;
    let base = &px.bases[g];
    let nm = h1.w.rows;
    let mut db = Mat::zeros(nm, base.idx.len());
    for (c, &r) in base.idx.iter().enumerate() {
        db[(r, c)] = 1.0;
    }
    let (eb_inv, _) = spd_inverse_logdet(&h1.w.select(&base.idx))?;
    let kb = trace_k(&h1, &wc, &db, &eb_inv, version);
    let t3b = n_g * f_ml_moments(em, &base.mean, &base.sigma)?;
    let r0 = g * nm;
    place(&mut b.h1.w, &h1.w, r0, r0, fg);
    place(&mut b.h1.w_inv, &h1.w_inv, r0, r0, 1.0 / fg);
    place(&mut b.h1.j, &h1.j, r0, r0, fg);
    place(&mut b.wc, &wc, r0, r0, fg);
    place(&mut b.dl, &dl, r0, px.w.offset[g], 1.0);
    Some((t3, t3b, kb))
}

/// out[r0.., c0..] = s·block.
fn place(out: &mut Mat, block: &Mat, r0: usize, c0: usize, s: f64) {
    for i in 0..block.rows {
        for j in 0..block.cols {
            out[(r0 + i, c0 + j)] = s * block[(i, j)];
        }
    }
}
