//! The measurement-invariance sequence (Meredith 1993; lavaan's `group.equal` levels as
//! semTools' `measEq.syntax` names them): configural, metric (loadings), scalar (+ intercepts)
//! and strict (+ residuals), each fitted and compared with the level before it by lavaan's
//! `lavTestLRT` (`lav_test_LRT.R`): the chi-square difference, or under MLR the
//! Satorra-Bentler (2001) scaled difference, lavTestLRT's 0.6-14 default for scaled tests
//! (`lav_test_diff_SatorraBentler2001`): c_d = (df₀c₀ − df₁c₁)/(df₀ − df₁), T_d = (T₀ − T₁)/c_d,
//! NA when c_d < 0. Changes in CFI and RMSEA are judged by Chen's (2007, *SEM* 14) cut-offs:
//! a level fails when CFI drops by 0.01 or more or RMSEA rises by 0.015 or more.
//! The scaled difference is lrt.rs's (one Satorra-Bentler 2001 in the crate).

use serde::Serialize;

use crate::data::Dataset;
use crate::numeric::dist::chisq_p_upper;
use crate::spec::flat::FlatModel;

use super::super::error::SemError;
use super::super::lrt;
use super::super::SemOptions;
use super::{fit, GroupEqual, GroupOptions, GroupedFit};

/// Chen's (2007) cut-offs.
pub const DELTA_CFI_CUTOFF: f64 = -0.01;
pub const DELTA_RMSEA_CUTOFF: f64 = 0.015;

/// One level of the sequence with its comparison to the level before.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Level {
    pub name: String,
    pub equal: Vec<GroupEqual>,
    pub chisq: f64,
    pub df: f64,
    pub pvalue: f64,
    /// The Yuan-Bentler scaled statistic and scaling factor under MLR.
    pub chisq_scaled: Option<f64>,
    pub scaling_factor: Option<f64>,
    pub cfi: f64,
    pub rmsea: f64,
    pub diff: Option<Difference>,
    #[serde(skip)]
    pub fit: GroupedFit,
}

/// The comparison of a level with the one before (lavTestLRT's row).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Difference {
    pub chisq_diff: f64,
    pub df_diff: f64,
    pub pvalue: f64,
    pub delta_cfi: f64,
    pub delta_rmsea: f64,
    /// ΔCFI ≤ −0.01 or ΔRMSEA ≥ 0.015.
    pub fails_chen: bool,
}

/// The whole sequence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Invariance {
    /// "chisq" or "satorra.bentler.2001".
    pub method: &'static str,
    pub levels: Vec<Level>,
    /// The first level that fails Chen's cut-offs, if any.
    pub first_failing: Option<String>,
    /// The first level whose difference test rejects at 5%, if any.
    pub first_rejected: Option<String>,
}

impl Level {
    /// A fitted level (not yet compared).
    pub fn of(name: &str, equal: Vec<GroupEqual>, f: GroupedFit) -> Level {
        let s = f.fit.scaled.as_ref();
        Level {
            name: name.to_string(),
            equal,
            chisq: f.fit.chisq,
            df: f.fit.df,
            pvalue: f.fit.pvalue,
            chisq_scaled: s.map(|s| s.chisq_scaled),
            scaling_factor: s.map(|s| s.chisq_scaling_factor),
            cfi: f.fit.cfi,
            rmsea: f.fit.rmsea,
            diff: None,
            fit: f,
        }
    }
}

/// The levels and their group.equal settings.
pub fn levels() -> Vec<(&'static str, Vec<GroupEqual>)> {
    use GroupEqual::*;
    vec![
        ("configural", vec![]),
        ("metric", vec![Loadings]),
        ("scalar", vec![Loadings, Intercepts]),
        ("strict", vec![Loadings, Intercepts, Residuals]),
    ]
}

/// Fits the sequence in the groups of `gopts.column` (its `equal` is replaced by each level's;
/// its `partial` applies to every level).
pub fn invariance(
    flat: &FlatModel,
    data: &Dataset,
    opts: &SemOptions,
    gopts: &GroupOptions,
) -> Result<Invariance, SemError> {
    let mut out: Vec<Level> = Vec::new();
    for (name, equal) in levels() {
        let g = GroupOptions {
            equal: equal.clone(),
            ..gopts.clone()
        };
        let mut level = Level::of(name, equal, fit(flat, data, opts, &g)?);
        if let Some(prev) = out.last() {
            level.diff = Some(difference(prev, &level));
        }
        out.push(level);
    }
    let first = |test: fn(&Difference) -> bool| {
        out.iter()
            .find(|l| l.diff.as_ref().is_some_and(test))
            .map(|l| l.name.clone())
    };
    Ok(Invariance {
        method: if out[0].scaling_factor.is_some() {
            "satorra.bentler.2001"
        } else {
            "chisq"
        },
        first_failing: first(|d| d.fails_chen),
        first_rejected: first(|d| d.pvalue < 0.05),
        levels: out,
    })
}

/// lavTestLRT of the less restricted `m1` against `m0` (more df).
pub fn difference(m1: &Level, m0: &Level) -> Difference {
    let df_diff = m0.df - m1.df;
    let raw = m0.chisq - m1.chisq;
    let chisq_diff = if m0.scaling_factor.is_some() && m1.scaling_factor.is_some() {
        let parts = |l: &Level| lrt::scaled_parts(&l.fit.fit);
        lrt::satorra_bentler_2001(parts(m1), parts(m0)).0
    } else {
        raw
    };
    let pvalue = if df_diff > 0.0 && chisq_diff.is_finite() {
        chisq_p_upper(chisq_diff.max(0.0), df_diff)
    } else {
        f64::NAN
    };
    let delta_cfi = m0.cfi - m1.cfi;
    let delta_rmsea = m0.rmsea - m1.rmsea;
    Difference {
        chisq_diff,
        df_diff,
        pvalue,
        delta_cfi,
        delta_rmsea,
        fails_chen: delta_cfi <= DELTA_CFI_CUTOFF || delta_rmsea >= DELTA_RMSEA_CUTOFF,
    }
}
