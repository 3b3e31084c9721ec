//! Stage 5, the intervals of the effects: analytic inference where it exists (direct effects from
//! their equation's covariance; the total effect from the total effect model, as PROCESS prints
//! it; with `normal`, Sobel tests of simple indirect effects), resampled intervals (percentile,
//! bias-corrected or BCa) of everything else, standardized effects, and the defined quantities.
//!
//! A resampled interval is withheld, with a note saying why, when more than 5% of the draws failed
//! and were replaced, or more than 5% of a quantity's draws are not finite: the draws that remain
//! are then not a sample of the sampling distribution, and an interval from them could even
//! exclude its own estimate.

use super::linear::{critical, linear_test};
use super::point::Statistics;
use super::resample::Resampled;
use super::{
    AnalysisOptions, CoefficientBoot, DefinedResult, EffectResult, ModelBootstrap, Standardized,
};
use crate::effects::{EffectDef, EffectKind};
use crate::estimation::{EquationFit, R2Change};
use crate::inference::BootSummary;
use crate::numeric::dist::z_p_two_sided;

/// Every effect of the plan with its inference.
pub(super) fn effect_results(
    defs: &[EffectDef],
    point: &[f64],
    stats: &Statistics,
    boot: Option<&Resampled>,
    fits: (&[(EquationFit, Vec<R2Change>)], Option<&EquationFit>),
    opts: &AnalysisOptions,
) -> Vec<EffectResult> {
    let (equations, total_model) = fits;
    let mut effects = Vec::new();
    for (i, def) in defs.iter().enumerate() {
        let mut r = EffectResult {
            def: def.clone(),
            effect: point[i],
            se: None,
            stat: None,
            p: None,
            boot_se: None,
            ci_lower: f64::NAN,
            ci_upper: f64::NAN,
            standardized: None,
            acceleration: None,
        };
        if def.kind.is_direct() || (def.kind == EffectKind::Total && opts.total) {
            if let Some((e, l)) = &def.direct_weights {
                let fit = &equations[*e].0;
                let t = linear_test(fit, l, critical(fit, opts.conf, opts.process_t));
                (r.se, r.stat, r.p) = (Some(t.se), Some(t.stat), Some(t.p));
                (r.ci_lower, r.ci_upper) = (t.ci_lower, t.ci_upper);
            }
        }
        // Direct effects (natural and controlled ones too) keep their analytic interval, as
        // PROCESS prints it.
        if let (Some(d), true) = (boot, !def.kind.is_direct()) {
            if let Some(s) = summarise(d, point, i) {
                if opts.ci == crate::inference::CiMethod::Bca {
                    r.acceleration = Some(d.accel[i]);
                }
                r.boot_se = Some(s.se);
                (r.ci_lower, r.ci_upper) = (s.lower, s.upper);
            }
        }
        if let Some(k) = stats.standardized.idx.iter().position(|&j| j == i) {
            let idx = stats.n_base + k;
            // The total effect's inference is the total effect model's: no resampled interval.
            let s = boot
                .filter(|_| def.kind != EffectKind::Total)
                .and_then(|d| summarise(d, point, idx));
            r.standardized = Some(Standardized {
                kind: if stats.standardized.complete {
                    "complete"
                } else {
                    "partial"
                },
                effect: point[idx],
                boot_se: s.map(|s| s.se),
                ci_lower: s.map_or(f64::NAN, |s| s.lower),
                ci_upper: s.map_or(f64::NAN, |s| s.upper),
            });
        }
        effects.push(r);
    }
    if let Some(tm) = total_model {
        total_from_model(&mut effects, tm);
    }
    if opts.normal {
        sobel_tests(&mut effects, equations);
    }
    effects
}

/// Above this share of failed draws no resampled interval is reported (see the ledger's
/// constant, shared with every other resampling).
pub use crate::inference::resample::MAX_FAILED_SHARE;

/// Whether the resampling as a whole can give intervals: at most [`MAX_FAILED_SHARE`] of B
/// failed draws were replaced.
pub(super) fn draws_usable(d: &Resampled) -> bool {
    d.draws.ledger.usable(d.draws.b)
}

/// Draws of statistic `i` that are not finite, when they are more than [`MAX_FAILED_SHARE`].
fn non_finite(d: &Resampled, i: usize) -> Option<usize> {
    let bad = d.draws.column(i).iter().filter(|v| !v.is_finite()).count();
    (bad as f64 > MAX_FAILED_SHARE * d.draws.b as f64).then_some(bad)
}

/// Statistic `i` summarised from its draws, or `None` when its interval is withheld (see
/// [`MAX_FAILED_SHARE`]; also when the estimate itself is not finite).
fn summarise(d: &Resampled, point: &[f64], i: usize) -> Option<BootSummary> {
    if !draws_usable(d) || !point[i].is_finite() || non_finite(d, i).is_some() {
        return None;
    }
    // Computed once for every statistic, in one pass over the draws (resample::summarise_all).
    Some(d.summaries[i])
}

/// Why intervals were withheld, for the report's notes: one note when too many draws failed,
/// otherwise one for each effect or defined quantity with too many draws that are not finite, and
/// one for each interval that does not contain its own estimate (draws far from normal: a ratio
/// whose denominator comes near zero in some draws).
pub(super) fn withheld_notes(
    d: &Resampled,
    defs: &[EffectDef],
    stats: &Statistics,
    point: &[f64],
    opts: &AnalysisOptions,
) -> Vec<String> {
    let mc = opts.mc > 0;
    let what = if mc { "Monte Carlo" } else { "bootstrap" };
    let b = d.draws.b;
    if !draws_usable(d) {
        let failed = d.draws.ledger.failed;
        return vec![format!(
            "No {what} intervals are reported: {failed} failed draws were replaced to complete {b} ({:.1}%, more than {:.0}%; the reasons are in the warnings). Draws fail for reasons tied to the data (a resample that separates a logistic outcome, or makes a predictor constant), so the draws that succeed are not a sample of the sampling distribution and intervals from them would mislead. Fit a model every resample can estimate (fewer predictors, more cases, or --linear-y for a two-valued Y), or use Monte Carlo intervals (--mc).",
            100.0 * failed as f64 / b as f64,
            100.0 * MAX_FAILED_SHARE
        )];
    }
    let defined = stats
        .defined
        .defined
        .iter()
        .map(|x| format!("defined quantity '{}'", x.name));
    defs.iter()
        .map(|e| format!("effect {}", super::draws::draw_name(e)))
        .chain(defined)
        .enumerate()
        .filter(|(i, _)| *i >= stats.n_eff || !defs[*i].kind.is_direct())
        .filter_map(|(i, name)| {
            if let Some(bad) = non_finite(d, i) {
                return Some(format!(
                    "No {what} interval for {name}: {bad} of its {b} draws are not finite (it divides by a quantity near zero in some draws), more than {:.0}%, so an interval from the rest would mislead.",
                    100.0 * MAX_FAILED_SHARE
                ));
            }
            let s = summarise(d, point, i)?;
            let outside = point[i] < s.lower || point[i] > s.upper;
            outside.then(|| {
                format!(
                    "The {what} interval of {name} ({:.4} to {:.4}) does not contain its estimate ({:.4}): its draws are far from normal (a ratio whose denominator comes near zero in some draws, say), so the interval is not a reliable range for it.",
                    s.lower, s.upper, point[i]
                )
            })
        })
        .collect()
}

/// The defined quantities of the syntax with their resampled intervals.
pub(super) fn defined_results(
    stats: &Statistics,
    point: &[f64],
    boot: Option<&Resampled>,
) -> Vec<DefinedResult> {
    stats
        .defined
        .defined
        .iter()
        .enumerate()
        .map(|(k, d)| {
            let i = stats.n_eff + k;
            let s = boot.and_then(|dr| summarise(dr, point, i));
            DefinedResult {
                name: d.name.clone(),
                expression: d.text.clone(),
                estimate: point[i],
                boot_se: s.map(|s| s.se),
                ci_lower: s.map_or(f64::NAN, |s| s.lower),
                ci_upper: s.map_or(f64::NAN, |s| s.upper),
            }
        })
        .collect()
}

/// PROCESS's bootstrap results for the regression parameters (`modelbt`): every coefficient's
/// estimate, the mean and standard deviation of its draws, and its interval (by the options'
/// method, as every summary).
pub(super) fn model_bootstrap(
    stats: &Statistics,
    point: &[f64],
    boot: Option<&Resampled>,
    equations: &[(EquationFit, Vec<R2Change>)],
) -> Vec<ModelBootstrap> {
    let Some(d) = boot else {
        return Vec::new();
    };
    let mut out: Vec<ModelBootstrap> = Vec::new();
    for (k, &(e, j)) in stats.coefficients.iter().enumerate() {
        let i = stats.n_coef + k;
        while out.len() <= e {
            out.push(ModelBootstrap {
                outcome: equations[out.len()].0.outcome.clone(),
                coefficients: Vec::new(),
            });
        }
        let draws = d.draws.column(i);
        // Withheld (NaN, null in JSON) when too many draws failed, as the effects' intervals are.
        let s = summarise(d, point, i);
        out[e].coefficients.push(CoefficientBoot {
            term: equations[e].0.coefficients[j].term.clone(),
            estimate: point[i],
            boot_mean: match s {
                Some(_) => draws.iter().sum::<f64>() / draws.len() as f64,
                None => f64::NAN,
            },
            boot_se: s.map_or(f64::NAN, |s| s.se),
            ci_lower: s.map_or(f64::NAN, |s| s.lower),
            ci_upper: s.map_or(f64::NAN, |s| s.upper),
        });
    }
    out
}

/// The total effect's inference comes from the total effect model, as PROCESS prints it.
fn total_from_model(effects: &mut [EffectResult], tm: &EquationFit) {
    for r in effects
        .iter_mut()
        .filter(|r| r.def.kind == EffectKind::Total)
    {
        if let Some(c) = tm.coefficient(&r.def.focal) {
            (r.se, r.stat, r.p) = (Some(c.se), Some(c.stat), Some(c.p));
            (r.ci_lower, r.ci_upper) = (c.ci_lower, c.ci_upper);
            r.boot_se = None;
        }
    }
}

/// Sobel tests of the unmoderated simple indirect effects (X -> M -> Y).
fn sobel_tests(effects: &mut [EffectResult], equations: &[(EquationFit, Vec<R2Change>)]) {
    for r in effects.iter_mut() {
        if r.def.kind == EffectKind::Indirect
            && r.def.moderators.is_empty()
            && r.def.path.len() == 3
        {
            if let Some((se, z, p)) = sobel(equations, &r.def.focal, &r.def.path) {
                (r.se, r.stat, r.p) = (Some(se), Some(z), Some(p));
            }
        }
    }
}

/// Normal-theory test of a simple indirect effect a·b with the second-order standard error
/// sqrt(a²·se_b² + b²·se_a² + se_a²·se_b²), as PROCESS's `normal` option computes it.
/// `focal` is X's design column (one code of a multicategorical X: a relative indirect effect).
fn sobel(
    fits: &[(EquationFit, Vec<R2Change>)],
    focal: &str,
    path: &[String],
) -> Option<(f64, f64, f64)> {
    let (x, m, y) = (focal, &path[1], &path[2]);
    let a = fits
        .iter()
        .find(|(f, _)| &f.outcome == m)?
        .0
        .coefficient(x)?
        .clone();
    let b = fits
        .iter()
        .find(|(f, _)| &f.outcome == y)?
        .0
        .coefficient(m)?
        .clone();
    let se = (a.estimate.powi(2) * b.se.powi(2)
        + b.estimate.powi(2) * a.se.powi(2)
        + a.se.powi(2) * b.se.powi(2))
    .sqrt();
    let z = a.estimate * b.estimate / se;
    Some((se, z, z_p_two_sided(z)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inference::resample::{summarise_columns, ColumnDraws};
    use crate::inference::Ledger;

    fn resampled(b: usize, failed: usize, values: Vec<f64>, point: f64) -> Resampled {
        let mut r = Resampled {
            draws: ColumnDraws {
                b,
                m: 1,
                values,
                ledger: Ledger {
                    failed,
                    reasons: vec![("singular".into(), failed)],
                },
                seed: 1,
            },
            accel: vec![0.0],
            clusters: None,
            summaries: Vec::new(),
        };
        let opts = AnalysisOptions::default();
        let how = (opts.conf, opts.ci);
        r.summaries = summarise_columns(&r.draws, &[point], how, &r.accel, opts.threads);
        r
    }

    #[test]
    fn intervals_are_withheld_beyond_five_percent() {
        let values: Vec<f64> = (0..100).map(f64::from).collect();
        // 5 of 100 failed: still an interval; 6: none.
        assert!(summarise(&resampled(100, 5, values.clone(), 50.0), &[50.0], 0).is_some());
        assert!(summarise(&resampled(100, 6, values.clone(), 50.0), &[50.0], 0).is_none());
        // Non-finite draws of the statistic count the same way; so does a non-finite estimate.
        let mut inf = values.clone();
        inf[..6].fill(f64::INFINITY);
        assert!(summarise(&resampled(100, 0, inf, 50.0), &[50.0], 0).is_none());
        assert!(summarise(&resampled(100, 0, values, f64::NAN), &[f64::NAN], 0).is_none());
    }
}
