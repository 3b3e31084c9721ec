//! Likelihood-ratio (chi-square difference) tests between nested fits, as lavaan 0.6-14's
//! `lavTestLRT` (lav_test_LRT.R) computes them with `method = "default"`:
//! - the fits are ordered by their df (least restricted first) and each is compared with the one
//!   before it: ΔT = T₀ − T₁, Δdf = df₀ − df₁, p = P(χ²_Δdf > ΔT);
//! - plain tests also give the RMSEA of the difference (`lav_fit_rmsea(ΔT, Δdf, N, G)`, new in
//!   0.6-13);
//! - when every fit has a Yuan-Bentler (MLR) test the difference is Satorra & Bentler's (2001,
//!   *Psychometrika* 66, 507-514) scaled difference, lavaan's default for that test
//!   (`lav_test_diff_SatorraBentler2001`, lav_test_diff.R): c_d = (df₀c₀ − df₁c₁)/(df₀ − df₁)
//!   with c the model's scaling factor (1 for a saturated model with df₁ = 0), T_d = ΔT/c_d; a
//!   negative c_d is refused (NA with a warning), as lavaan does;
//! - equal df give no p-value (lavaan's "some models have the same degrees of freedom"), and a
//!   restricted model that fits better than a less restricted one by more than eps^⅓ is warned
//!   about (the models are not nested or one missed its optimum).
//!
//! Each fit keeps its own Satorra-Bentler ingredients (T, df, c), so this works on any fits
//! from the same data: single-group models, multi-group models ([`lrt_groups`], `--compare`
//! under `--group`) and the multi-group invariance sequence.

use serde::Serialize;

use crate::numeric::dist::chisq_p_upper;

use super::error::SemError;
use super::groups::GroupedFit;
use super::rmsea::rmsea;
use super::scaled_test::Scaled;
use super::{FitMeasures, SemFit};

/// Which difference test the table holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LrtMethod {
    /// The plain chi-square difference.
    Standard,
    /// Satorra & Bentler's (2001) scaled difference of Yuan-Bentler (MLR) tests.
    #[serde(rename = "satorra_bentler_2001")]
    SatorraBentler2001,
}

/// One model's line of the table (the first has no difference: NaN there).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LrtRow {
    pub model: String,
    pub df: f64,
    pub aic: f64,
    pub bic: f64,
    /// The model's standard (unscaled) chi-square, as lavaan's "Chisq" column.
    pub chisq: f64,
    /// ΔT, or under [`LrtMethod::SatorraBentler2001`] the scaled T_d (NaN when c_d < 0).
    pub chisq_diff: f64,
    pub df_diff: f64,
    /// RMSEA of the difference (plain tests only; NaN for scaled ones, which lavaan omits).
    pub rmsea: f64,
    pub pvalue: f64,
    /// c_d of the scaled difference (NaN for plain tests).
    pub scaling_factor: f64,
}

/// lavTestLRT's table: the rows in df order, the method and lavaan's warnings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LrtTable {
    pub method: LrtMethod,
    pub rows: Vec<LrtRow>,
    pub warnings: Vec<String>,
}

/// lavaan's tolerance below zero for a chi-square difference before it warns (0.6-12).
fn negative_tolerance() -> f64 {
    f64::EPSILON.powf(1.0 / 3.0)
}

/// What the table needs of one fit, single-group or multi-group.
#[derive(Debug, Clone, Copy)]
struct Compared<'a> {
    fit: &'a FitMeasures,
    /// Rows used (all groups).
    n: usize,
    observed: &'a [String],
    meanstructure: bool,
    /// Groups, for the RMSEA of a difference (lavaan's √G).
    groups: usize,
}

impl<'a> From<&'a SemFit> for Compared<'a> {
    fn from(f: &'a SemFit) -> Self {
        Compared {
            fit: &f.fit,
            n: f.n,
            observed: &f.observed,
            meanstructure: has_meanstructure(f),
            groups: 1,
        }
    }
}

impl<'a> From<&'a GroupedFit> for Compared<'a> {
    fn from(f: &'a GroupedFit) -> Self {
        Compared {
            fit: &f.fit,
            n: f.n,
            observed: &f.observed,
            // Multi-group fits always model the means (lavaan's default with group =).
            meanstructure: true,
            groups: f.groups.len(),
        }
    }
}

/// The difference tests between `models` (name, fit): at least two fits of the same data, all
/// with or all without a scaled (MLR) test and a mean structure. The order given does not
/// matter: the table is sorted by df as lavaan's.
pub fn lrt(models: &[(&str, &SemFit)]) -> Result<LrtTable, SemError> {
    let c: Vec<(&str, Compared)> = models.iter().map(|(n, f)| (*n, (*f).into())).collect();
    lrt_of(&c)
}

/// [`lrt`] of multi-group fits (lavTestLRT of two or more `group =` fits of the same groups;
/// the invariance sequence's tests are these): the same statistics, the difference's RMSEA
/// times √G.
pub fn lrt_groups(models: &[(&str, &GroupedFit)]) -> Result<LrtTable, SemError> {
    let c: Vec<(&str, Compared)> = models.iter().map(|(n, f)| (*n, (*f).into())).collect();
    check_same_groups(models)?;
    lrt_of(&c)
}

/// Multi-group fits compare only over the same groups of the same sizes.
fn check_same_groups(models: &[(&str, &GroupedFit)]) -> Result<(), SemError> {
    let Some(&(name0, first)) = models.first() else {
        return Ok(());
    };
    let sizes = |f: &GroupedFit| -> Vec<(String, usize)> {
        f.groups.iter().map(|g| (g.level.clone(), g.n)).collect()
    };
    for &(name, f) in &models[1..] {
        if sizes(f) != sizes(first) || f.group != first.group {
            return Err(SemError::NotComparable {
                reason: format!(
                    "'{name}' and '{name0}' were fitted to different groups (group variable or group sizes differ): nested multi-group models need the same groups"
                ),
            });
        }
    }
    Ok(())
}

fn lrt_of(models: &[(&str, Compared)]) -> Result<LrtTable, SemError> {
    check_comparable(models)?;
    let mut sorted: Vec<(&str, Compared)> = models.to_vec();
    // A stable sort keeps the given order among equal df, as R's order().
    sorted.sort_by(|a, b| a.1.fit.df.total_cmp(&b.1.fit.df));
    let scaled = sorted.iter().any(|(_, f)| f.fit.scaled.is_some());
    let method = if scaled {
        LrtMethod::SatorraBentler2001
    } else {
        LrtMethod::Standard
    };
    let mut warnings = Vec::new();
    let first = sorted[0].1;
    let (n, g) = (first.fit.ntotal as f64, first.groups as f64);
    let mut rows = vec![row(sorted[0], [f64::NAN; 5])];
    for pair in sorted.windows(2) {
        let (m1, m0) = (&pair[0].1.fit, &pair[1].1.fit);
        let (dt, ddf) = (m0.chisq - m1.chisq, m0.df - m1.df);
        if dt < -negative_tolerance() {
            warnings.push(format!(
                "'{}' fits better than the less restricted '{}' (chi-square difference {dt:.6}): either the models are not nested, or the less restricted model missed its global optimum",
                pair[1].0, pair[0].0
            ));
        }
        let (stat, cd) = if scaled {
            let (stat, cd) = satorra_bentler_2001(scaled_parts(m1), scaled_parts(m0));
            if cd.is_nan() && ddf != 0.0 {
                warnings.push(format!(
                    "the scaling factor of the difference between '{}' and '{}' is negative: no scaled difference test (Satorra & Bentler 2001 can give c_d < 0 in small samples; compare the models with ML, or use a bootstrap)",
                    pair[0].0, pair[1].0
                ));
            }
            (stat, cd)
        } else {
            (dt, f64::NAN)
        };
        // rmsea() is 0 for Δdf = 0, as lav_fit_rmsea.
        let rmsea_d = if scaled {
            f64::NAN
        } else {
            rmsea(dt, ddf, n) * g.sqrt()
        };
        let p = if ddf == 0.0 {
            f64::NAN
        } else {
            chisq_p_upper(stat, ddf)
        };
        rows.push(row(pair[1], [stat, ddf, rmsea_d, p, cd]));
    }
    if rows.iter().skip(1).any(|r| r.df_diff == 0.0) {
        warnings.push(
            "some models have the same degrees of freedom: they cannot be compared by a chi-square difference (no p-value)".into(),
        );
    }
    Ok(LrtTable {
        method,
        rows,
        warnings,
    })
}

/// The table line of a model; `diff` = [ΔT or T_d, Δdf, RMSEA_Δ, p, c_d].
fn row((name, fit): (&str, Compared), diff: [f64; 5]) -> LrtRow {
    LrtRow {
        model: name.to_string(),
        df: fit.fit.df,
        aic: fit.fit.aic,
        bic: fit.fit.bic,
        chisq: fit.fit.chisq,
        chisq_diff: diff[0],
        df_diff: diff[1],
        rmsea: diff[2],
        pvalue: diff[3],
        scaling_factor: diff[4],
    }
}

/// A model's standard test and its scaling factor c (NaN without a scaled test).
pub(crate) fn scaled_parts(m: &super::FitMeasures) -> Scaled {
    Scaled {
        t: m.chisq,
        df: m.df,
        c: m.scaled
            .as_ref()
            .map_or(f64::NAN, |s| s.chisq_scaling_factor),
    }
}

/// Satorra & Bentler's (2001) scaled difference (T_d, c_d) of `m1` (fewer df) and `m0`; c_d
/// is NaN (and so T_d) when negative, and for equal df, as `lav_test_diff_SatorraBentler2001`.
pub(crate) fn satorra_bentler_2001(m1: Scaled, m0: Scaled) -> (f64, f64) {
    let c1 = if m1.df == 0.0 { 1.0 } else { m1.c };
    let m = m0.df - m1.df;
    if m == 0.0 {
        return (m0.t - m1.t, f64::NAN);
    }
    let cd = (m0.df * m0.c - m1.df * c1) / m;
    let cd = if cd < 0.0 { f64::NAN } else { cd };
    ((m0.t - m1.t) / cd, cd)
}

/// Refuses what lavaan refuses (a mix of scaled and plain tests, or of mean structures) and
/// what would compare different data (another N or other observed variables).
fn check_comparable(models: &[(&str, Compared)]) -> Result<(), SemError> {
    let refuse = |reason: String| Err(SemError::NotComparable { reason });
    let Some(&(name0, first)) = models.first() else {
        return refuse("no models were given; a difference test needs two or more".into());
    };
    if models.len() < 2 {
        return refuse(format!(
            "only '{name0}' was given; a difference test needs two or more nested models"
        ));
    }
    let mut vars0 = first.observed.to_vec();
    vars0.sort();
    for &(name, f) in &models[1..] {
        if f.n != first.n {
            return refuse(format!(
                "'{name}' was fitted to {} rows and '{name0}' to {}: nested models must be fitted to the same rows (check the missing values of the variables only one model uses)",
                f.n, first.n
            ));
        }
        let mut vars = f.observed.to_vec();
        vars.sort();
        if vars != vars0 {
            return refuse(format!(
                "'{name}' and '{name0}' use different observed variables; nested models must share them (fix a path at 0 instead of dropping a variable)"
            ));
        }
        if f.fit.scaled.is_some() != first.fit.scaled.is_some() {
            return refuse(format!(
                "'{name}' and '{name0}' were fitted with different estimators (one has a scaled MLR test): fit both with ML or both with MLR"
            ));
        }
        if f.meanstructure != first.meanstructure {
            return refuse(format!(
                "'{name}' and '{name0}' differ in their mean structure: give both --meanstructure or neither"
            ));
        }
    }
    Ok(())
}

/// Whether the fit modelled the means (a `~ 1` row, FIML or the option switch it on).
fn has_meanstructure(f: &SemFit) -> bool {
    f.source
        .as_deref()
        .map_or(f.options.meanstructure, |s| s.table.meanstructure)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(t: f64, df: f64, c: f64) -> Scaled {
        Scaled { t, df, c }
    }

    /// c_d = (df₀c₀ − df₁c₁)/(df₀ − df₁) and T_d = ΔT/c_d (Satorra & Bentler 2001, eq. 9).
    #[test]
    fn scaled_difference_by_hand() {
        let (td, cd) = satorra_bentler_2001(t(85.0, 24.0, 1.1), t(90.0, 26.0, 1.2));
        let want = (26.0 * 1.2 - 24.0 * 1.1) / 2.0;
        assert!((cd - want).abs() < 1e-15);
        assert!((td - 5.0 / want).abs() < 1e-13);
    }

    /// A saturated less restricted model counts with c = 1 (its own c is NA in lavaan).
    #[test]
    fn saturated_model_has_unit_scaling() {
        let (td, cd) = satorra_bentler_2001(t(0.0, 0.0, f64::NAN), t(6.0, 3.0, 1.5));
        assert!((cd - 1.5).abs() < 1e-15 && (td - 4.0).abs() < 1e-15);
    }

    /// A negative c_d gives no statistic (lavaan: NA and a warning); equal df no c_d.
    #[test]
    fn negative_scaling_factor_is_refused() {
        let (td, cd) = satorra_bentler_2001(t(80.0, 24.0, 2.0), t(81.0, 25.0, 0.5));
        assert!(cd.is_nan() && td.is_nan());
        let (td, cd) = satorra_bentler_2001(t(80.0, 24.0, 2.0), t(81.0, 24.0, 0.5));
        assert!(cd.is_nan() && td == 1.0);
    }
}
