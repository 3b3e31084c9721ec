//! Fit measures as lavaan 0.6's `fitMeasures` computes them for ML with `likelihood = "normal"`:
//! the test statistic `N·F`, the independence (baseline) model, CFI, TLI, RMSEA with its 90%
//! interval from the noncentral chi-square, SRMR (Bentler's, over the lower triangle with the
//! diagonal), and the log-likelihoods with the information criteria built on them.

use statrs::function::gamma::{gamma_lr, ln_gamma};

use crate::numeric::dist::chisq_p_upper;

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

/// The log-likelihoods and information criteria of a model with `k` free parameters whose
/// discrepancy is `f_min` = ln|Σ̂| + tr(SΣ̂⁻¹) − ln|S| − p (lavaan's `lav_mvnorm_loglik_samplestats`
/// and `lav_fit_aic`): logl is the unrestricted one less N·F/2.
fn information_criteria(f_min: f64, log_det_s: f64, p: usize, n: f64, k: usize) -> [f64; 5] {
    let pf = p as f64;
    let unrestricted = -n / 2.0 * (pf * (2.0 * std::f64::consts::PI).ln() + log_det_s + pf);
    let logl = unrestricted - n * f_min / 2.0;
    let k = k as f64;
    [
        logl,
        unrestricted,
        -2.0 * logl + 2.0 * k,
        -2.0 * logl + k * n.ln(),
        -2.0 * logl + k * ((n + 2.0) / 24.0).ln(),
    ]
}

/// Noncentral chi-square CDF by its Poisson mixture of central chi-squares.
pub fn pchisq_nc(x: f64, df: f64, ncp: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    let half = ncp / 2.0;
    if half == 0.0 {
        return gamma_lr(df / 2.0, x / 2.0);
    }
    let term = |j: f64| {
        let w = (-half + j * half.ln() - ln_gamma(j + 1.0)).exp();
        w * gamma_lr(df / 2.0 + j, x / 2.0)
    };
    let j0 = half.floor();
    let mut total = term(j0);
    let mut j = j0 + 1.0;
    loop {
        let t = term(j);
        total += t;
        if t < 1e-16 * total.max(1e-300) && j > j0 + 10.0 || j > j0 + 100_000.0 {
            break;
        }
        j += 1.0;
    }
    let mut j = j0 - 1.0;
    while j >= 0.0 {
        let t = term(j);
        total += t;
        if t < 1e-16 * total.max(1e-300) && j < j0 - 10.0 {
            break;
        }
        j -= 1.0;
    }
    total.min(1.0)
}

/// The `λ` in `[lo, hi]` with `pchisq_nc(x, df, λ) = target` (decreasing in `λ`), by bisection.
fn solve_ncp(x: f64, df: f64, target: f64, mut lo: f64, mut hi: f64) -> f64 {
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if pchisq_nc(x, df, mid) > target {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo < 1e-12 * hi.max(1.0) {
            break;
        }
    }
    0.5 * (lo + hi)
}

/// Computes the measures from the minimised `F`, the sample covariance (divisor N), the implied
/// covariance, `N`, the model's df and its number of free parameters.
pub fn fit_measures(
    f_min: f64,
    s: &[f64],
    sigma: &[f64],
    p: usize,
    n: f64,
    df: f64,
    n_params: usize,
) -> FitMeasures {
    let log_det_s = super::super::stats::log_det_spd(s, p).unwrap_or(f64::NAN);
    let baseline_chisq = n * ((0..p).map(|i| s[i * p + i].ln()).sum::<f64>() - log_det_s);
    // A saturated model (df = 0) reproduces S exactly; what is left of N·F is rounding (about
    // 1e-13), which would make CFI 0.99999999999 where lavaan reports 1. Rounding also leaves
    // N·F slightly below zero at times.
    let chisq = if df == 0.0 && n * f_min.abs() <= 1e-8 * baseline_chisq.abs().max(1.0) {
        0.0
    } else {
        (n * f_min).max(0.0)
    };
    let pval = if df > 0.0 {
        chisq_p_upper(chisq, df)
    } else {
        f64::NAN
    };
    let baseline_df = (p * (p - 1) / 2) as f64;
    let t1 = (chisq - df).max(0.0);
    let t2 = (chisq - df).max(baseline_chisq - baseline_df).max(0.0);
    // chi-square at or below its df: no misfit beyond sampling error, CFI exactly 1 (lavaan).
    let cfi = if t1 == 0.0 { 1.0 } else { 1.0 - t1 / t2 };
    let tli = if df > 0.0 {
        let b = baseline_chisq / baseline_df;
        (b - chisq / df) / (b - 1.0)
    } else {
        1.0
    };
    let (rmsea, lower, upper) = if df > 0.0 {
        let rmsea = ((chisq / n) / df - 1.0 / n).max(0.0).sqrt();
        let lam_l = if pchisq_nc(chisq, df, 0.0) < 0.95 {
            0.0
        } else {
            solve_ncp(chisq, df, 0.95, 0.0, chisq)
        };
        let lam_u = if pchisq_nc(chisq, df, 0.0) < 0.05 {
            0.0
        } else {
            solve_ncp(chisq, df, 0.05, 0.0, n.max(4.0 * chisq))
        };
        (rmsea, (lam_l / (n * df)).sqrt(), (lam_u / (n * df)).sqrt())
    } else {
        (0.0, 0.0, 0.0)
    };
    let mut ss = 0.0;
    for i in 0..p {
        for j in 0..=i {
            let d = (s[i * p + j] - sigma[i * p + j]) / (s[i * p + i] * s[j * p + j]).sqrt();
            ss += d * d;
        }
    }
    let srmr = (ss / (p * (p + 1) / 2) as f64).sqrt();
    let [logl, unrestricted_logl, aic, bic, bic2] =
        information_criteria(f_min, log_det_s, p, n, n_params);
    FitMeasures {
        chisq,
        df,
        p: pval,
        baseline_chisq,
        baseline_df,
        baseline_p: chisq_p_upper(baseline_chisq, baseline_df),
        cfi,
        tli,
        rmsea,
        rmsea_ci_lower: lower,
        rmsea_ci_upper: upper,
        srmr,
        logl,
        unrestricted_logl,
        aic,
        bic,
        bic2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saturated_model_fits_perfectly() {
        // Rounding leaves F at 1e-15 for a saturated model: chi-square 0, CFI and TLI exactly 1,
        // RMSEA 0, as lavaan reports.
        let s = [1.0, 0.5, 0.4, 0.5, 1.0, 0.3, 0.4, 0.3, 1.0];
        let f = fit_measures(1e-15, &s, &s, 3, 300.0, 0.0, 6);
        assert_eq!((f.chisq, f.cfi, f.tli, f.rmsea), (0.0, 1.0, 1.0, 0.0));
        assert!(f.p.is_nan());
        // chi-square below df: CFI exactly 1 as well.
        let f = fit_measures(1.0 / 300.0, &s, &s, 3, 300.0, 2.0, 4);
        assert_eq!(f.cfi, 1.0);
        assert_eq!(f.rmsea, 0.0);
    }

    // The unrestricted log-likelihood of S = I (|S| = 1) is −N/2·p·(ln 2π + 1); the model's is
    // lower by half the chi-square, and the criteria add their penalties to −2·logl.
    #[test]
    fn log_likelihoods_and_criteria() {
        let s = [1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0];
        let f = fit_measures(0.02, &s, &s, 3, 300.0, 1.0, 5);
        let un = -150.0 * 3.0 * ((2.0 * std::f64::consts::PI).ln() + 1.0);
        assert!((f.unrestricted_logl - un).abs() < 1e-9);
        assert!((f.logl - (un - f.chisq / 2.0)).abs() < 1e-9);
        assert!((f.aic - (-2.0 * f.logl + 10.0)).abs() < 1e-9);
        assert!((f.bic - f.aic - 5.0 * (300f64.ln() - 2.0)).abs() < 1e-9);
        assert!((f.bic2 - f.bic - 5.0 * (302.0f64 / 24.0 / 300.0).ln()).abs() < 1e-9);
        // The independence model of an identity matrix fits perfectly.
        assert_eq!((f.baseline_chisq, f.baseline_p), (0.0, 1.0));
    }

    // R 4.2.2: pchisq(30, 10, ncp = 5) and pchisq(30, 10).
    #[test]
    fn noncentral_cdf_matches_r() {
        assert!(
            (pchisq_nc(30.0, 10.0, 5.0) - 0.9774660232758315).abs() < 1e-10,
            "{}",
            pchisq_nc(30.0, 10.0, 5.0)
        );
        assert!((pchisq_nc(30.0, 10.0, 0.0) - 0.9991433587892247).abs() < 1e-12);
    }
}
