//! Stage 8: the test statistic, the baseline (independence) model and the fit measures with
//! lavaan's `fitMeasures()` names (dots as underscores), for ML with `likelihood = "normal"`
//! (`lav_test.R`, `lav_fit_cfi.R`, `lav_fit_rmsea.R`, `lav_fit_srmr.R`, `lav_fit_aic.R`,
//! lavaan 0.6-14).

use serde::Serialize;

use crate::numeric::dist::chisq_p_upper;

use super::implied::Implied;
use super::linalg::spd_inverse_logdet;
use super::objective::quad;
use super::rmsea::{rmsea, rmsea_ci, rmsea_pvalue};
use super::sample::SampleStats;

/// lavaan's fit measures; NaN where lavaan gives NA.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FitMeasures {
    pub npar: usize,
    pub fmin: f64,
    pub chisq: f64,
    pub df: f64,
    pub pvalue: f64,
    pub baseline_chisq: f64,
    pub baseline_df: f64,
    pub baseline_pvalue: f64,
    pub cfi: f64,
    pub tli: f64,
    pub nnfi: f64,
    pub rfi: f64,
    pub nfi: f64,
    pub pnfi: f64,
    pub ifi: f64,
    pub rni: f64,
    pub logl: f64,
    pub unrestricted_logl: f64,
    pub aic: f64,
    pub bic: f64,
    pub ntotal: usize,
    pub bic2: f64,
    pub rmsea: f64,
    pub rmsea_ci_lower: f64,
    pub rmsea_ci_upper: f64,
    pub rmsea_pvalue: f64,
    pub srmr: f64,
    /// MLR's scaled and robust measures (robust.rs, scaled_test.rs).
    #[serde(flatten)]
    pub scaled: Option<super::scaled_test::ScaledFit>,
    /// Plain ML under FIML: lavaan's FIML-corrected robust CFI/TLI/RMSEA (fiml/robust.rs).
    #[serde(flatten)]
    pub fiml_robust: Option<super::scaled_test::RobustFit>,
}

impl FitMeasures {
    /// (name, value) pairs in lavaan's order, for reports and tests.
    pub fn pairs(&self) -> Vec<(&'static str, f64)> {
        vec![
            ("npar", self.npar as f64),
            ("fmin", self.fmin),
            ("chisq", self.chisq),
            ("df", self.df),
            ("pvalue", self.pvalue),
            ("baseline_chisq", self.baseline_chisq),
            ("baseline_df", self.baseline_df),
            ("baseline_pvalue", self.baseline_pvalue),
            ("cfi", self.cfi),
            ("tli", self.tli),
            ("nnfi", self.nnfi),
            ("rfi", self.rfi),
            ("nfi", self.nfi),
            ("pnfi", self.pnfi),
            ("ifi", self.ifi),
            ("rni", self.rni),
            ("logl", self.logl),
            ("unrestricted_logl", self.unrestricted_logl),
            ("aic", self.aic),
            ("bic", self.bic),
            ("ntotal", self.ntotal as f64),
            ("bic2", self.bic2),
            ("rmsea", self.rmsea),
            ("rmsea_ci_lower", self.rmsea_ci_lower),
            ("rmsea_ci_upper", self.rmsea_ci_upper),
            ("rmsea_pvalue", self.rmsea_pvalue),
            ("srmr", self.srmr),
        ]
        .into_iter()
        .chain(self.scaled.iter().flat_map(|s| s.pairs()))
        .chain(self.fiml_robust.iter().flat_map(|s| s.pairs()))
        .collect()
    }
}

/// What the fit measures need besides the moments and the implied ones.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FitInput<'a> {
    /// F at the estimate.
    pub f: f64,
    /// Free parameters less independent equality constraints.
    pub npar: usize,
    pub df: f64,
    pub meanstructure: bool,
    /// Indices (in the observed order) of the exogenous covariates.
    pub x: &'a [usize],
    /// Whether their moments are fixed (fixed.x): they leave the data moments, the baseline's
    /// free parameters and (by conditioning) the log-likelihoods.
    pub fixed_x: bool,
}

/// The fit measures at the estimate.
pub fn fit_measures(inp: FitInput<'_>, s: &SampleStats, imp: &Implied) -> FitMeasures {
    let n = s.n;
    let df = inp.df;
    let chisq = (n * inp.f).max(0.0);
    let pvalue = if df > 0.0 {
        chisq_p_upper(chisq, df)
    } else {
        f64::NAN
    };
    let (bchisq, bdf) = baseline(s, inp.x, inp.fixed_x, inp.meanstructure);
    let incr = incremental(chisq, df, bchisq, bdf);
    let fixed: &[usize] = if inp.fixed_x { inp.x } else { &[] };
    let (logl, unrestricted_logl) = log_likelihoods(s, imp, fixed, inp.meanstructure);
    let k = inp.npar as f64;
    let (lo, hi) = rmsea_ci(chisq, df, n);
    FitMeasures {
        npar: inp.npar,
        fmin: inp.f / 2.0,
        chisq,
        df,
        pvalue,
        baseline_chisq: bchisq,
        baseline_df: bdf,
        baseline_pvalue: if bdf > 0.0 {
            chisq_p_upper(bchisq, bdf)
        } else {
            f64::NAN
        },
        cfi: incr[0],
        tli: incr[1],
        nnfi: incr[1],
        rfi: incr[2],
        nfi: incr[3],
        pnfi: incr[4],
        ifi: incr[5],
        rni: incr[6],
        logl,
        unrestricted_logl,
        aic: -2.0 * logl + 2.0 * k,
        bic: -2.0 * logl + k * n.ln(),
        ntotal: n as usize,
        bic2: -2.0 * logl + k * ((n + 2.0) / 24.0).ln(),
        rmsea: rmsea(chisq, df, n),
        rmsea_ci_lower: lo,
        rmsea_ci_upper: hi,
        rmsea_pvalue: rmsea_pvalue(chisq, df, n),
        srmr: srmr(s, imp, inp.meanstructure),
        scaled: None,
        fiml_robust: None,
    }
}

/// The independence model (lavaan's `lav_partable_independence`): free variances (and means)
/// of the observed variables and the covariances among the exogenous x (fixed at the sample
/// values under fixed.x). Its ML fit is closed-form: Σ_B = diag(s_ii) with S_xx in the x block,
/// so T_B = n·(Σ_y ln s_ii + ln|S_xx| − ln|S|).
pub fn baseline(s: &SampleStats, x: &[usize], fixed_x: bool, meanstructure: bool) -> (f64, f64) {
    let p = s.cov.rows;
    let px = x.len();
    let log_xx = if px > 0 {
        spd_inverse_logdet(&s.cov.select(x)).map_or(f64::NAN, |(_, ld)| ld)
    } else {
        0.0
    };
    let log_y: f64 = (0..p)
        .filter(|i| !x.contains(i))
        .map(|i| s.cov[(i, i)].ln())
        .sum();
    let t = (s.n * (log_y + log_xx - s.logdet)).max(0.0);
    let (pxf, free_x) = if fixed_x {
        (px, 0)
    } else {
        (0, px * (px + 1) / 2)
    };
    let py = p - pxf;
    let ndat = ndat(p, pxf, meanstructure);
    let free = py + free_x - if fixed_x { 0 } else { px } + if meanstructure { py } else { 0 };
    (t, (ndat - free) as f64)
}

/// Sample moments the model fits: p(p+1)/2 (+p means), less the fixed.x block.
pub fn ndat(p: usize, px: usize, meanstructure: bool) -> usize {
    let m = meanstructure as usize;
    p * (p + 1) / 2 + m * p - (px * (px + 1) / 2 + m * px)
}

/// [cfi, tli, rfi, nfi, pnfi, ifi, rni] as `lav_fit_cfi.R` defines them (Bentler 1990; Tucker
/// & Lewis 1973; Bollen 1986, 1989; Bentler & Bonett 1980).
pub(super) fn incremental(t: f64, df: f64, tb: f64, dfb: f64) -> [f64; 7] {
    let near0 = |v: f64| v.abs() < 1.5e-8;
    let t1 = (t - df).max(0.0);
    let t2 = (t - df).max(tb - dfb).max(0.0);
    let cfi = if near0(t1) && near0(t2) {
        1.0
    } else {
        1.0 - t1 / t2
    };
    let (a, b) = ((t - df) * dfb, (tb - dfb) * df);
    let tli = if df > 0.0 && b.abs() > 0.0 {
        1.0 - a / b
    } else {
        1.0
    };
    let rfi = if df > dfb {
        f64::NAN
    } else if df > 0.0 && dfb > 0.0 {
        let (u, v) = (tb / dfb - t / df, tb / dfb);
        if u < 0.0 || v < 0.0 {
            1.0
        } else {
            u / v
        }
    } else {
        1.0
    };
    let nfi = if df > dfb || near0(tb) {
        f64::NAN
    } else if df > 0.0 {
        (tb - t) / tb
    } else {
        1.0
    };
    let pnfi = if dfb > 0.0 && tb > 0.0 {
        df / dfb * (tb - t) / tb
    } else {
        f64::NAN
    };
    let ifi = if tb - df < 0.0 {
        1.0
    } else if near0(tb - df) {
        f64::NAN
    } else {
        (tb - t) / (tb - df)
    };
    let rni = if near0(tb - dfb) {
        f64::NAN
    } else {
        1.0 - (t - df) / (tb - dfb)
    };
    [cfi, tli, rfi, nfi, pnfi, ifi, rni]
}

/// The model's and the unrestricted log-likelihood (`lav_mvnorm_loglik_samplestats`); under
/// fixed.x both are conditional on x (the marginal x log-likelihood is subtracted).
pub(crate) fn log_likelihoods(
    s: &SampleStats,
    imp: &Implied,
    x: &[usize],
    meanstructure: bool,
) -> (f64, f64) {
    let n = s.n;
    let ln2pi = (2.0 * std::f64::consts::PI).ln();
    // At Σ = S (and μ = ȳ): −n/2·[p·ln 2π + ln|S| + p].
    let full =
        |logdet_s: f64, p: usize| -> f64 { -n / 2.0 * (p as f64 * ln2pi + logdet_s + p as f64) };
    let p = s.cov.rows;
    let (inv, logdet) = spd_inverse_logdet(&imp.sigma).expect(
        "Σ̂ is positive definite: F (or the information) was evaluated with its inverse at θ̂",
    );
    let mut dev = logdet + s.cov.trace_mul(&inv);
    if meanstructure {
        let r: Vec<f64> = s.mean.iter().zip(&imp.mu).map(|(a, b)| a - b).collect();
        dev += quad(&inv, &r);
    }
    let logl = -n / 2.0 * (p as f64 * ln2pi + dev);
    let unrestricted = full(s.logdet, p);
    let lx = if x.is_empty() {
        0.0
    } else {
        let sxx = s.cov.select(x);
        let ld = spd_inverse_logdet(&sxx).map_or(f64::NAN, |(_, l)| l);
        full(ld, x.len())
    };
    (logl - lx, unrestricted - lx)
}

/// lavaan's "srmr" (Bentler's, `lav_residuals_summary` with type cor.bentler): residuals of
/// the covariances (diagonal included) and, with a mean structure, of the means, each scaled by
/// the observed standard deviations.
pub(crate) fn srmr(s: &SampleStats, imp: &Implied, meanstructure: bool) -> f64 {
    let p = s.cov.rows;
    let sd: Vec<f64> = (0..p).map(|i| s.cov[(i, i)].sqrt()).collect();
    let mut ss = 0.0;
    for i in 0..p {
        for j in 0..=i {
            let r = (s.cov[(i, j)] - imp.sigma[(i, j)]) / (sd[i] * sd[j]);
            ss += r * r;
        }
    }
    let mut count = p * (p + 1) / 2;
    if meanstructure {
        for ((m, mu), d) in s.mean.iter().zip(&imp.mu).zip(&sd) {
            let r = (m - mu) / d;
            ss += r * r;
        }
        count += p;
    }
    (ss / count as f64).sqrt()
}
