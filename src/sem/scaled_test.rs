//! The scaled (Yuan-Bentler) test and the scaled and robust fit measures with lavaan's
//! `fitMeasures()` names (dots as underscores), as lavaan 0.6-14 computes them
//! (`lav_test_yuan_bentler`, `lav_fit_cfi_lavobject`, `lav_fit_rmsea_lavobject`):
//! - "scaled" indices plug T/c and T_B/c_B into the usual formulas with the usual df, except
//!   RMSEA, whose scaled version is computed from the raw T with df = tr(UΓ) = c·df;
//! - "robust" CFI/TLI/RNI (Brosseau-Liard & Savalei 2014) keep the raw T and replace df by c·df
//!   (and df_B by c_B·df_B); robust RMSEA (Brosseau-Liard, Savalei & Li 2012) is
//!   √max(T/(N·df) − c/N, 0), its interval and close-fit tests from T/c with λ scaled by c.

use serde::Serialize;

use crate::numeric::dist::chisq_p_upper;

use super::rmsea::{pchisq_nc, zeroin};

/// The fit measures MLR adds (NaN where lavaan gives NA).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScaledFit {
    pub chisq_scaled: f64,
    pub df_scaled: f64,
    pub pvalue_scaled: f64,
    pub chisq_scaling_factor: f64,
    pub baseline_chisq_scaled: f64,
    pub baseline_df_scaled: f64,
    pub baseline_pvalue_scaled: f64,
    pub baseline_chisq_scaling_factor: f64,
    pub cfi_scaled: f64,
    pub tli_scaled: f64,
    pub cfi_robust: f64,
    pub tli_robust: f64,
    pub nnfi_scaled: f64,
    pub rfi_scaled: f64,
    pub nfi_scaled: f64,
    pub pnfi_scaled: f64,
    pub ifi_scaled: f64,
    pub rni_scaled: f64,
    pub nnfi_robust: f64,
    pub rni_robust: f64,
    pub scaling_factor_h1: f64,
    pub scaling_factor_h0: f64,
    pub rmsea_notclose_pvalue: f64,
    pub rmsea_scaled: f64,
    pub rmsea_ci_lower_scaled: f64,
    pub rmsea_ci_upper_scaled: f64,
    pub rmsea_pvalue_scaled: f64,
    pub rmsea_notclose_pvalue_scaled: f64,
    pub rmsea_robust: f64,
    pub rmsea_ci_lower_robust: f64,
    pub rmsea_ci_upper_robust: f64,
    pub rmsea_pvalue_robust: f64,
    pub rmsea_notclose_pvalue_robust: f64,
}

impl ScaledFit {
    /// (name, value) pairs in lavaan's order.
    pub fn pairs(&self) -> Vec<(&'static str, f64)> {
        vec![
            ("chisq_scaled", self.chisq_scaled),
            ("df_scaled", self.df_scaled),
            ("pvalue_scaled", self.pvalue_scaled),
            ("chisq_scaling_factor", self.chisq_scaling_factor),
            ("baseline_chisq_scaled", self.baseline_chisq_scaled),
            ("baseline_df_scaled", self.baseline_df_scaled),
            ("baseline_pvalue_scaled", self.baseline_pvalue_scaled),
            (
                "baseline_chisq_scaling_factor",
                self.baseline_chisq_scaling_factor,
            ),
            ("cfi_scaled", self.cfi_scaled),
            ("tli_scaled", self.tli_scaled),
            ("cfi_robust", self.cfi_robust),
            ("tli_robust", self.tli_robust),
            ("nnfi_scaled", self.nnfi_scaled),
            ("rfi_scaled", self.rfi_scaled),
            ("nfi_scaled", self.nfi_scaled),
            ("pnfi_scaled", self.pnfi_scaled),
            ("ifi_scaled", self.ifi_scaled),
            ("rni_scaled", self.rni_scaled),
            ("nnfi_robust", self.nnfi_robust),
            ("rni_robust", self.rni_robust),
            ("scaling_factor_h1", self.scaling_factor_h1),
            ("scaling_factor_h0", self.scaling_factor_h0),
            ("rmsea_notclose_pvalue", self.rmsea_notclose_pvalue),
            ("rmsea_scaled", self.rmsea_scaled),
            ("rmsea_ci_lower_scaled", self.rmsea_ci_lower_scaled),
            ("rmsea_ci_upper_scaled", self.rmsea_ci_upper_scaled),
            ("rmsea_pvalue_scaled", self.rmsea_pvalue_scaled),
            (
                "rmsea_notclose_pvalue_scaled",
                self.rmsea_notclose_pvalue_scaled,
            ),
            ("rmsea_robust", self.rmsea_robust),
            ("rmsea_ci_lower_robust", self.rmsea_ci_lower_robust),
            ("rmsea_ci_upper_robust", self.rmsea_ci_upper_robust),
            ("rmsea_pvalue_robust", self.rmsea_pvalue_robust),
            (
                "rmsea_notclose_pvalue_robust",
                self.rmsea_notclose_pvalue_robust,
            ),
        ]
    }
}

/// A test statistic with its df and scaling factor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scaled {
    pub t: f64,
    pub df: f64,
    pub c: f64,
}

/// The inputs: the model's and the baseline's tests, N, and the h1/h0 traces for
/// scaling.factor.h1 = tr_h1/ndat_h1 and scaling.factor.h0 = tr_h0/npar.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScaledInput {
    pub model: Scaled,
    pub baseline: Scaled,
    pub n: f64,
    pub scaling_factor_h1: f64,
    pub scaling_factor_h0: f64,
}

fn p_upper(t: f64, df: f64) -> f64 {
    if df > 0.0 && t.is_finite() {
        chisq_p_upper(t, df)
    } else {
        f64::NAN
    }
}

/// Every scaled and robust measure.
pub fn scaled_fit(inp: ScaledInput) -> ScaledFit {
    scaled_fit_groups(inp, 1.0)
}

/// [`scaled_fit`] of a model with `groups` groups: lavaan's RMSEAs carry the factor √G and
/// their close-fit tests the noncentrality N·df·ε²/(c·G) (`lav_fit_rmsea`, `lav_fit_rmsea_ci`,
/// `lav_fit_rmsea_closefit`).
pub fn scaled_fit_groups(inp: ScaledInput, groups: f64) -> ScaledFit {
    let Scaled { t, df, c } = inp.model;
    let Scaled {
        t: tb,
        df: dfb,
        c: cb,
    } = inp.baseline;
    let n = inp.n;
    let (ts, tbs) = (t / c, tb / cb);
    let scaled = incremental(ts, df, tbs, dfb, 1.0, 1.0);
    let robust = incremental(t, df, tb, dfb, c, cb);
    // lavaan's scaled RMSEA: the raw T on df2 = tr(UΓ) (NA when 0 or not finite).
    let df2 = if (c * df).is_finite() && c * df != 0.0 {
        c * df
    } else {
        f64::NAN
    };
    let root_g = groups.sqrt();
    let (lo_s, hi_s) = rmsea_ci(t, df2, n, 1.0);
    let (lo_r, hi_r) = rmsea_ci(ts, df, n, c);
    ScaledFit {
        chisq_scaled: ts,
        df_scaled: df,
        pvalue_scaled: p_upper(ts, df),
        chisq_scaling_factor: c,
        baseline_chisq_scaled: tbs,
        baseline_df_scaled: dfb,
        baseline_pvalue_scaled: p_upper(tbs, dfb),
        baseline_chisq_scaling_factor: cb,
        cfi_scaled: scaled.cfi,
        tli_scaled: scaled.tli,
        cfi_robust: robust.cfi,
        tli_robust: robust.tli,
        nnfi_scaled: scaled.tli,
        rfi_scaled: other(ts, df, tbs, dfb).0,
        nfi_scaled: other(ts, df, tbs, dfb).1,
        pnfi_scaled: other(ts, df, tbs, dfb).2,
        ifi_scaled: other(ts, df, tbs, dfb).3,
        rni_scaled: scaled.rni,
        nnfi_robust: robust.tli,
        rni_robust: robust.rni,
        scaling_factor_h1: inp.scaling_factor_h1,
        scaling_factor_h0: inp.scaling_factor_h0,
        rmsea_notclose_pvalue: notclose(t, df, n, groups),
        rmsea_scaled: rmsea(t, df2, n, 1.0) * root_g,
        rmsea_ci_lower_scaled: lo_s * root_g,
        rmsea_ci_upper_scaled: hi_s * root_g,
        rmsea_pvalue_scaled: close(t, df2, n, groups),
        rmsea_notclose_pvalue_scaled: notclose(t, df2, n, groups),
        rmsea_robust: rmsea(t, df, n, c) * root_g,
        rmsea_ci_lower_robust: lo_r * root_g,
        rmsea_ci_upper_robust: hi_r * root_g,
        rmsea_pvalue_robust: close(ts, df, n, c * groups),
        rmsea_notclose_pvalue_robust: notclose(ts, df, n, c * groups),
    }
}

struct Incremental {
    cfi: f64,
    tli: f64,
    rni: f64,
}

/// CFI, TLI and RNI as `lav_fit_cfi`, `lav_fit_tli`, `lav_fit_rni` compute them: with c ≠ 1
/// (and c_B ≠ 1, df > 0) the df are replaced by c·df and c_B·df_B.
fn incremental(t: f64, df: f64, tb: f64, dfb: f64, c: f64, cb: f64) -> Incremental {
    if [t, df, tb, dfb, c, cb].iter().any(|v| v.is_nan()) {
        return Incremental {
            cfi: f64::NAN,
            tli: f64::NAN,
            rni: f64::NAN,
        };
    }
    let (d, db) = if df > 0.0 && c != 1.0 && cb != 1.0 {
        (c * df, cb * dfb)
    } else {
        (df, dfb)
    };
    // R's isTRUE(all.equal(x, 0)): |x| below 1.5e-8.
    let near0 = |v: f64| v.abs() < 1.5e-8;
    let t1 = (t - d).max(0.0);
    let t2 = (t - d).max(tb - db).max(0.0);
    let cfi = if near0(t1) && near0(t2) {
        1.0
    } else {
        1.0 - t1 / t2
    };
    let (a, b) = ((t - d) * dfb, (tb - db) * df);
    let tli = if df > 0.0 && b.abs() > 0.0 {
        1.0 - a / b
    } else if !a.is_finite() || !b.is_finite() {
        f64::NAN
    } else {
        1.0
    };
    let rni = if near0(tb - db) || !(t - d).is_finite() {
        f64::NAN
    } else {
        1.0 - (t - d) / (tb - db)
    };
    Incremental { cfi, tli, rni }
}

/// (rfi, nfi, pnfi, ifi) of `lav_fit_rfi`, `lav_fit_nfi`, `lav_fit_pnfi`, `lav_fit_ifi`: the
/// standard formulas applied to the scaled statistics.
fn other(t: f64, df: f64, tb: f64, dfb: f64) -> (f64, f64, f64, f64) {
    let [_, _, rfi, nfi, pnfi, ifi, _] = super::fit_measures::incremental(t, df, tb, dfb);
    (rfi, nfi, pnfi, ifi)
}

/// `lav_fit_rmsea` with c.hat: √max(T/(N·df) − c/N, 0), 0 when df = 0 (one group).
fn rmsea(t: f64, df: f64, n: f64, c: f64) -> f64 {
    if df.is_nan() || t.is_nan() {
        f64::NAN
    } else if df > 0.0 {
        ((t / n) / df - c / n).max(0.0).sqrt()
    } else {
        0.0
    }
}

/// `lav_fit_rmsea_ci` at level 0.90 with c.hat: bounds √(c·λ/(N·df)), λ from R's uniroot
/// (Brent, tol eps^¼) on pchisq(T, df, λ) = 0.95 and 0.05.
fn rmsea_ci(t: f64, df: f64, n: f64, c: f64) -> (f64, f64) {
    if !t.is_finite() || !df.is_finite() || !n.is_finite() {
        return (f64::NAN, f64::NAN);
    }
    let lower_f = |l: f64| pchisq_nc(t, df, l) - 0.95;
    let upper_f = |l: f64| pchisq_nc(t, df, l) - 0.05;
    let tol = f64::EPSILON.powf(0.25);
    let lower = if df < 1.0 || lower_f(0.0) < 0.0 {
        0.0
    } else {
        (c * zeroin(&lower_f, 0.0, t, tol, 1000) / (n * df)).sqrt()
    };
    let n_rmsea = n.max(4.0 * t);
    let upper = if df < 1.0 || upper_f(n_rmsea) > 0.0 || upper_f(0.0) < 0.0 {
        0.0
    } else {
        (c * zeroin(&upper_f, 0.0, n_rmsea, tol, 1000) / (n * df)).sqrt()
    };
    (lower, upper)
}

/// p of close fit (RMSEA ≤ 0.05): 1 − pchisq(T, df, N·df·0.05²/c).
fn close(t: f64, df: f64, n: f64, c: f64) -> f64 {
    if !t.is_finite() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    1.0 - pchisq_nc(t, df, n * df / c * 0.05 * 0.05)
}

/// p of not-close fit (RMSEA ≥ 0.08): pchisq(T, df, N·df·0.08²/c).
fn notclose(t: f64, df: f64, n: f64, c: f64) -> f64 {
    if !t.is_finite() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    pchisq_nc(t, df, n * df / c * 0.08 * 0.08)
}

/// The robust measures alone: what lavaan adds to a plain ML fit under FIML, where its robust
/// CFI/TLI/RMSEA are the FIML-corrected ones (`lav_fit_fiml_corrected`, version "V6"; Zhang &
/// Savalei 2022) with no scaled test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RobustFit {
    pub cfi_robust: f64,
    pub tli_robust: f64,
    pub nnfi_robust: f64,
    pub rni_robust: f64,
    pub rmsea_robust: f64,
    pub rmsea_ci_lower_robust: f64,
    pub rmsea_ci_upper_robust: f64,
    pub rmsea_pvalue_robust: f64,
    pub rmsea_notclose_pvalue_robust: f64,
}

impl RobustFit {
    /// The robust fields of a scaled fit.
    pub fn of(s: &ScaledFit) -> RobustFit {
        RobustFit {
            cfi_robust: s.cfi_robust,
            tli_robust: s.tli_robust,
            nnfi_robust: s.nnfi_robust,
            rni_robust: s.rni_robust,
            rmsea_robust: s.rmsea_robust,
            rmsea_ci_lower_robust: s.rmsea_ci_lower_robust,
            rmsea_ci_upper_robust: s.rmsea_ci_upper_robust,
            rmsea_pvalue_robust: s.rmsea_pvalue_robust,
            rmsea_notclose_pvalue_robust: s.rmsea_notclose_pvalue_robust,
        }
    }

    /// Writes these robust values over those of `s`.
    pub fn apply_to(&self, s: &mut ScaledFit) {
        s.cfi_robust = self.cfi_robust;
        s.tli_robust = self.tli_robust;
        s.nnfi_robust = self.nnfi_robust;
        s.rni_robust = self.rni_robust;
        s.rmsea_robust = self.rmsea_robust;
        s.rmsea_ci_lower_robust = self.rmsea_ci_lower_robust;
        s.rmsea_ci_upper_robust = self.rmsea_ci_upper_robust;
        s.rmsea_pvalue_robust = self.rmsea_pvalue_robust;
        s.rmsea_notclose_pvalue_robust = self.rmsea_notclose_pvalue_robust;
    }

    /// (name, value) pairs in lavaan's order.
    pub fn pairs(&self) -> Vec<(&'static str, f64)> {
        vec![
            ("cfi_robust", self.cfi_robust),
            ("tli_robust", self.tli_robust),
            ("nnfi_robust", self.nnfi_robust),
            ("rni_robust", self.rni_robust),
            ("rmsea_robust", self.rmsea_robust),
            ("rmsea_ci_lower_robust", self.rmsea_ci_lower_robust),
            ("rmsea_ci_upper_robust", self.rmsea_ci_upper_robust),
            ("rmsea_pvalue_robust", self.rmsea_pvalue_robust),
            (
                "rmsea_notclose_pvalue_robust",
                self.rmsea_notclose_pvalue_robust,
            ),
        ]
    }
}
