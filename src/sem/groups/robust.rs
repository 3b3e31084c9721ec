//! MLR over groups (lavaan 0.6-14, ../shared/SEM-DESIGN.md §2 rules 9, 10, 21): the sandwich
//! V = E⁻¹B₀E⁻¹/N with E the observed unit information of fmin over all groups and
//! B₀ = Σ_g (n_g/N)·B₀_g, each group's first-order information from its case scores at its
//! structured moments (`lav_model_nvcov_robust_sandwich`); the Yuan-Bentler (Mplus) trace
//! tr(UΓ) = Σ_g tr(A₁ᵤ⁻¹B₁ᵤ)_g − tr(B₀E⁻¹) (`lav_test_yuan_bentler_mplus_trace`). The baseline
//! has no parameters shared by groups, so its h0 trace is the sum of the groups' closed forms.
//! Under `cluster =` each group's scores and Γ are summed within that group's clusters with its
//! own C_g/(C_g−1) (sem/cluster.rs; lavaan calls `lav_mvnorm_information_firstorder` and
//! `lav_samplestats_Gamma` per group with that group's `cluster.idx`).

use super::super::cluster::Clusters;
use super::super::error::SemError;
use super::super::gradient::delta;
use super::super::linalg::{spd_inverse_logdet, Mat};
use super::super::robust::{
    case_scores, first_order, sandwich, trace_h0_baseline_complete, trace_h1_complete, YuanBentler,
};
use super::super::scaled_test::{scaled_fit_groups, ScaledFit};
use super::super::vcov::vcov;
use super::super::FitMeasures;
use super::data::GroupData;
use super::estimate::Groups;
use super::measures::x_indices;
use super::Fitted;

/// Each group's data by column.
fn columns(d: &GroupData, p: usize) -> Vec<Vec<f64>> {
    let n = d.rows.len() / p.max(1);
    (0..p)
        .map(|j| (0..n).map(|r| d.rows[r * p + j]).collect())
        .collect()
}

/// Var(θ̂) and the Yuan-Bentler parts of the model and its baseline.
pub(super) fn mlr(
    f: &Fitted<'_>,
    groups: &Groups<'_>,
    gdata: &[GroupData],
    info: &Mat,
    names: &dyn Fn(usize) -> String,
    clusters: Option<&[Clusters]>,
) -> Result<(Mat, YuanBentler, f64), SemError> {
    let pt = &f.gt.groups[0];
    let p = pt.ov.len();
    let x = x_indices(pt);
    let fx: &[usize] = if pt.fixed_x { &x } else { &[] };
    let undefined = || SemError::Unidentified {
        parameters: vec!["(implied covariance not positive definite at the estimate)".into()],
    };
    let mut blocks = Vec::with_capacity(gdata.len());
    let (mut trace_h1, mut ndat_h1, mut base_h0) = (0.0, 0.0, 0.0);
    for (g, d) in gdata.iter().enumerate() {
        let model = &f.models[g];
        let (m, imp) = model
            .implied(groups.slice(g, &f.est.theta))
            .ok_or_else(undefined)?;
        let (inv, _) = spd_inverse_logdet(&imp.sigma).ok_or_else(undefined)?;
        let cols = columns(d, p);
        let refs: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();
        let dl = delta(model, &m, &imp);
        let scores = case_scores(&dl, &inv, &imp.mu, &refs, true);
        let s = &d.stats;
        // Under `cluster =` each group's scores and Γ are summed within its own clusters.
        let c = clusters.and_then(|c| c.get(g));
        blocks.push(match c {
            Some(c) => c.first_order(&scores),
            None => first_order(&scores),
        });
        let (t1, nd) = match c {
            Some(c) => c.trace_h1(&refs, &s.mean, &s.cov, true, fx),
            None => trace_h1_complete(&refs, &s.mean, &s.cov, true, fx),
        };
        trace_h1 += t1;
        ndat_h1 += nd;
        base_h0 += baseline_h0(&refs, s, &x, pt.fixed_x, c);
    }
    let b0 = groups.stack(&blocks);
    let e_inv = vcov(info, &f.re, 1.0, names)?;
    let yb = YuanBentler {
        trace_h1,
        trace_h0: b0.trace_mul(&e_inv),
        ndat_h1,
        npar: f.est.theta.len() as f64,
    };
    Ok((sandwich(&e_inv, &b0, groups.n_total()), yb, base_h0))
}

/// The baseline's h0 trace in one group (robust.rs's closed form; with random x their block
/// is saturated and contributes its h1 trace).
fn baseline_h0(
    cols: &[&[f64]],
    s: &super::super::SampleStats,
    x: &[usize],
    fixed_x: bool,
    cluster: Option<&Clusters>,
) -> f64 {
    let mut t = match cluster {
        Some(c) => c.trace_h0_baseline(cols, &s.mean, &s.cov, true, x),
        None => trace_h0_baseline_complete(cols, &s.mean, &s.cov, true, x),
    };
    if !fixed_x && !x.is_empty() {
        let xcols: Vec<&[f64]> = x.iter().map(|&i| cols[i]).collect();
        let xmean: Vec<f64> = x.iter().map(|&i| s.mean[i]).collect();
        let xcov = s.cov.select(x);
        t += match cluster {
            Some(c) => c.trace_h1(&xcols, &xmean, &xcov, true, &[]).0,
            None => trace_h1_complete(&xcols, &xmean, &xcov, true, &[]).0,
        };
    }
    t
}

/// The scaled and robust fit measures.
pub(super) fn scaled(
    fit: &FitMeasures,
    yb: &YuanBentler,
    base_h0: f64,
    n: f64,
    g: usize,
) -> ScaledFit {
    let base = YuanBentler {
        trace_h0: base_h0,
        ..*yb
    };
    scaled_fit_groups(yb.scaled_input(&base, fit, n), g as f64)
}
