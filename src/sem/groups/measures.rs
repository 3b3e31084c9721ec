//! Fit measures of a multi-group model (lavaan 0.6-14, `lav_test.R`, `lav_fit_*.R`): the
//! moments, test statistic, baseline model and log-likelihoods are sums over groups
//! (T = Σ n_g F_g, the baseline fitted in every group), RMSEA carries lavaan's √G factor (and
//! its close-fit tests the noncentrality N·df·ε²/G, `lav_fit_rmsea`), SRMR is the n_g/N-weighted
//! mean of the groups' SRMRs (`lav_fit_srmr.R`).

use crate::numeric::dist::chisq_p_upper;

use super::super::fit_measures::{self, baseline, incremental, log_likelihoods, FitMeasures};
use super::super::implied::Implied;
use super::super::partable::ParTable;
use super::super::rmsea::{pchisq_nc, rmsea, rmsea_ci};
use super::estimate::Groups;
use super::{Fitted, GroupedTable};

/// Indices (in the observed order) of the exogenous covariates.
pub(super) fn x_indices(pt: &ParTable) -> Vec<usize> {
    pt.ov_x
        .iter()
        .filter_map(|v| pt.ov.iter().position(|o| o == v))
        .collect()
}

/// Σ_g ndat_g.
pub(super) fn ndat(gt: &GroupedTable) -> usize {
    gt.groups
        .iter()
        .map(|pt| {
            let px = if pt.fixed_x { x_indices(pt).len() } else { 0 };
            fit_measures::ndat(pt.ov.len(), px, pt.meanstructure)
        })
        .sum()
}

/// Each group's implied moments at θ̂.
pub(super) fn implied_groups(f: &Fitted<'_>, groups: &Groups<'_>) -> Vec<Implied> {
    (0..f.models.len())
        .map(|g| {
            f.models[g]
                .implied(groups.slice(g, &f.est.theta))
                .expect("I − B is invertible at θ̂: the search evaluated F there")
                .1
        })
        .collect()
}

/// The fit measures at θ̂.
pub(super) fn fit_measures(f: &Fitted<'_>, groups: &Groups<'_>, ndat: usize) -> FitMeasures {
    let pt = &f.gt.groups[0];
    let x = x_indices(pt);
    let fixed: &[usize] = if pt.fixed_x { &x } else { &[] };
    let imps = implied_groups(f, groups);
    let n = groups.n_total();
    let big_g = groups.stats.len() as f64;
    let df = (ndat - f.npar) as f64;
    let chisq = (n * f.est.f).max(0.0);
    let (mut bchisq, mut bdf, mut logl, mut ulogl, mut srmr) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for (g, s) in groups.stats.iter().enumerate() {
        let (t, d) = baseline(s, &x, pt.fixed_x, pt.meanstructure);
        bchisq += t;
        bdf += d;
        let (l, u) = log_likelihoods(s, &imps[g], fixed, pt.meanstructure);
        logl += l;
        ulogl += u;
        srmr += groups.weight(g) * fit_measures::srmr(s, &imps[g], pt.meanstructure);
    }
    let incr = incremental(chisq, df, bchisq, bdf);
    let k = f.npar as f64;
    let (lo, hi) = rmsea_ci(chisq, df, n);
    let p_upper = |t: f64, d: f64| {
        if d > 0.0 {
            chisq_p_upper(t, d)
        } else {
            f64::NAN
        }
    };
    FitMeasures {
        npar: f.npar,
        fmin: f.est.f / 2.0,
        chisq,
        df,
        pvalue: p_upper(chisq, df),
        baseline_chisq: bchisq,
        baseline_df: bdf,
        baseline_pvalue: p_upper(bchisq, bdf),
        cfi: incr[0],
        tli: incr[1],
        nnfi: incr[1],
        rfi: incr[2],
        nfi: incr[3],
        pnfi: incr[4],
        ifi: incr[5],
        rni: incr[6],
        logl,
        unrestricted_logl: ulogl,
        aic: -2.0 * logl + 2.0 * k,
        bic: -2.0 * logl + k * n.ln(),
        ntotal: n as usize,
        bic2: -2.0 * logl + k * ((n + 2.0) / 24.0).ln(),
        rmsea: rmsea(chisq, df, n) * big_g.sqrt(),
        rmsea_ci_lower: lo * big_g.sqrt(),
        rmsea_ci_upper: hi * big_g.sqrt(),
        rmsea_pvalue: close_fit(chisq, df, n, big_g),
        srmr,
        scaled: None,
        fiml_robust: None,
    }
}

/// p of close fit with G groups: 1 − pchisq(T, df, ncp = N·df·0.05²/G).
pub(super) fn close_fit(t: f64, df: f64, n: f64, big_g: f64) -> f64 {
    if df > 0.0 {
        1.0 - pchisq_nc(t, df, n * df * 0.05 * 0.05 / big_g)
    } else {
        f64::NAN
    }
}
