//! The CFA's fit measures as `cipa measure` reports them: the SEM engine's (src/sem/
//! fit_measures.rs, lavaan 0.6's `fitMeasures` for ML with `likelihood = "normal"`) under the
//! names of the measure JSON (docs/json-schema.md, `cfa.fit`).

use crate::sem;

/// Global fit of a CFA.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FitMeasures {
    pub chisq: f64,
    pub df: f64,
    pub p: f64,
    pub baseline_chisq: f64,
    pub baseline_df: f64,
    /// p of the baseline (independence) model's chi-square (lavaan's `baseline.pvalue`).
    pub baseline_p: f64,
    pub cfi: f64,
    pub tli: f64,
    pub rmsea: f64,
    pub rmsea_ci_lower: f64,
    pub rmsea_ci_upper: f64,
    pub srmr: f64,
    /// Log-likelihood of the model, −N/2·[p·ln 2π + ln|Σ̂| + tr(SΣ̂⁻¹)] (lavaan's `logl`; no mean
    /// structure, so the means are the sample means).
    pub logl: f64,
    /// Log-likelihood of the unrestricted model (Σ = S): −N/2·[p·ln 2π + ln|S| + p].
    pub unrestricted_logl: f64,
    /// −2·logl + 2k, k the free parameters.
    pub aic: f64,
    /// −2·logl + k·ln N.
    pub bic: f64,
    /// Sample-size adjusted BIC (Sclove 1987), −2·logl + k·ln((N + 2)/24) (lavaan's `bic2`).
    pub bic2: f64,
}

/// The engine's measures, with one measure convention: a saturated model (df = 0) reproduces
/// S exactly, and what is left of N·F is rounding (about 1e-13), which would make CFI
/// 0.99999999999 where lavaan prints 1; the measure reports chi-square 0 and CFI 1 there
/// (proved by `saturated_cfa_fits_perfectly` in cfa/mod.rs).
pub fn from_sem(f: &sem::FitMeasures) -> FitMeasures {
    let saturated = f.df == 0.0 && f.chisq <= 1e-8 * f.baseline_chisq.abs().max(1.0);
    FitMeasures {
        chisq: if saturated { 0.0 } else { f.chisq },
        df: f.df,
        p: f.pvalue,
        baseline_chisq: f.baseline_chisq,
        baseline_df: f.baseline_df,
        baseline_p: f.baseline_pvalue,
        cfi: if saturated { 1.0 } else { f.cfi },
        tli: f.tli,
        rmsea: f.rmsea,
        rmsea_ci_lower: f.rmsea_ci_lower,
        rmsea_ci_upper: f.rmsea_ci_upper,
        srmr: f.srmr,
        logl: f.logl,
        unrestricted_logl: f.unrestricted_logl,
        aic: f.aic,
        bic: f.bic,
        bic2: f.bic2,
    }
}
