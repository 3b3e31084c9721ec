//! Fit measures under FIML as lavaan 0.6-14 computes them for `missing = "ml"`: the test
//! statistic T = 2(ℓ_H1 − ℓ(θ̂)) with ℓ_H1 the EM saturated log-likelihood (`lav_test.R`); logl,
//! unrestricted.logl and the information criteria from the casewise likelihoods
//! (`lav_fit_aic.R`); the baseline (independence) model fitted by FIML too; RMSEA from T and N;
//! SRMR from the residuals against the EM moments, which stand in for the sample moments
//! (`lav_residuals.R` takes `h1` as the observed statistics when data are missing).

use crate::numeric::dist::chisq_p_upper;

use super::super::fit_measures::{self, incremental, FitInput, FitMeasures};
use super::super::h1::{EmOptions, H1};
use super::super::implied::Implied;
use super::super::missing::{loglik, MissingPatterns};
use super::super::moments::DataView;
use super::super::sample::SampleStats;
use super::super::SemError;
use super::h1info::cov_index;
use super::FimlData;

/// The fit measures at θ̂: `f` is F = T/n there, `em` the EM moments as sample statistics.
pub fn fit_measures(
    fd: &FimlData,
    base: &Baseline,
    em: &SampleStats,
    imp: &Implied,
    npar: usize,
    df: f64,
    f: f64,
) -> FitMeasures {
    // T, RMSEA (and its interval) and SRMR as for complete data, from F and the EM moments.
    let mut out = fit_measures::fit_measures(
        FitInput {
            f,
            npar,
            df,
            meanstructure: true,
            x: &[],
            fixed_x: false,
        },
        em,
        imp,
    );
    // The likelihood-based measures from the casewise likelihoods instead of the moments.
    let n = fd.patterns.n;
    let logl = fd.h1.logl - n * f / 2.0 - base.x_logl;
    let k = npar as f64;
    out.logl = logl;
    out.unrestricted_logl = fd.h1.logl - base.x_logl;
    out.aic = -2.0 * logl + 2.0 * k;
    out.bic = -2.0 * logl + k * n.ln();
    out.bic2 = -2.0 * logl + k * ((n + 2.0) / 24.0).ln();
    let (bchisq, bdf) = (
        (2.0 * (fd.h1.logl - base.logl)).max(0.0),
        (base.ndat - base.idx.len()) as f64,
    );
    out.baseline_chisq = bchisq;
    out.baseline_df = bdf;
    out.baseline_pvalue = if bdf > 0.0 {
        chisq_p_upper(bchisq, bdf)
    } else {
        f64::NAN
    };
    let incr = incremental(out.chisq, df, bchisq, bdf);
    [
        out.cfi, out.tli, out.rfi, out.nfi, out.pnfi, out.ifi, out.rni,
    ] = incr;
    out.nnfi = out.tli;
    out
}

/// The independence (baseline) model at its FIML estimate: free means and variances, and
/// among random exogenous covariates free covariances too, fixed ones under fixed.x (lavaan's
/// `lav_partable_independence`, as fit_measures.rs's `baseline`). Σ_B is block diagonal, so
/// the casewise likelihood factors into one term per other variable, whose estimate is its
/// mean and variance (divisor n_j) over the rows where it is observed, and the covariates'
/// saturated block, whose estimate is EM on those columns alone.
pub struct Baseline {
    pub mean: Vec<f64>,
    /// Row-major p × p.
    pub sigma: Vec<f64>,
    /// Its free parameters as positions in the moments (h1info.rs).
    pub idx: Vec<usize>,
    pub logl: f64,
    /// Under fixed.x the covariates' marginal log-likelihood at their (EM) moments, which
    /// lavaan's logl and unrestricted.logl leave out (they are conditional on x); else 0.
    pub x_logl: f64,
    /// The sample moments the models fit (less the fixed x moments).
    pub ndat: usize,
}

impl Baseline {
    /// `x` are the exogenous covariates, their moments fixed when `fixed_x`; `data` every row
    /// of the model variables.
    pub fn fit(
        pats: &MissingPatterns,
        data: DataView,
        x: &[usize],
        fixed_x: bool,
    ) -> Result<Baseline, SemError> {
        let p = pats.p;
        let (mut mean, var) = pats.available_case();
        let mut sigma = vec![0.0; p * p];
        for (j, v) in var.iter().enumerate() {
            sigma[j * p + j] = *v;
        }
        let free = |j: &usize| !(fixed_x && x.contains(j));
        let mut idx: Vec<usize> = (0..p)
            .filter(free)
            .chain((0..p).filter(free).map(|j| cov_index(p, j, j)))
            .collect();
        let mut x_logl = 0.0;
        if !x.is_empty() {
            let rows: Vec<f64> = (0..data.n())
                .flat_map(|r| x.iter().map(move |&j| data.row(r)[j]))
                .collect();
            let xp = MissingPatterns::new(DataView::new(&rows, data.n(), x.len())?)?;
            let h1 = H1::em(&xp, EmOptions::default())?;
            x_logl = h1.logl;
            for (a, &i) in x.iter().enumerate() {
                mean[i] = h1.mean[a];
                for (b, &j) in x.iter().enumerate() {
                    sigma[i * p + j] = h1.cov[a * x.len() + b];
                    if b < a && !fixed_x {
                        idx.push(cov_index(p, i, j));
                    }
                }
            }
        }
        let logl = loglik(pats, &mean, &sigma).unwrap_or(f64::NAN);
        Ok(Baseline {
            mean,
            sigma,
            idx,
            logl,
            x_logl: if fixed_x { x_logl } else { 0.0 },
            ndat: fit_measures::ndat(p, if fixed_x { x.len() } else { 0 }, true),
        })
    }
}
