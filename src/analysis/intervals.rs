//! Stage 5, the intervals of the effects: analytic inference where it exists (direct effects from
//! their equation's covariance; the total effect from the total effect model, as PROCESS prints
//! it; with `normal`, Sobel tests of simple indirect effects), resampled intervals (percentile,
//! bias-corrected or BCa) of everything else, standardized effects, and the defined quantities.

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
            let s = summarise(d, i);
            if opts.ci == crate::inference::CiMethod::Bca {
                r.acceleration = Some(d.accel[i]);
            }
            r.boot_se = Some(s.se);
            (r.ci_lower, r.ci_upper) = (s.lower, s.upper);
        }
        if let Some(k) = stats.standardized.idx.iter().position(|&j| j == i) {
            let idx = stats.n_base + k;
            // The total effect's inference is the total effect model's: no resampled interval.
            let s = boot
                .filter(|_| def.kind != EffectKind::Total)
                .map(|d| summarise(d, idx));
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

/// Statistic `i` summarised from its draws.
fn summarise(d: &Resampled, i: usize) -> BootSummary {
    d.summaries[i]
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
            let s = boot.map(|dr| summarise(dr, i));
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
        let s = summarise(d, i);
        out[e].coefficients.push(CoefficientBoot {
            term: equations[e].0.coefficients[j].term.clone(),
            estimate: point[i],
            boot_mean: draws.iter().sum::<f64>() / draws.len() as f64,
            boot_se: s.se,
            ci_lower: s.lower,
            ci_upper: s.upper,
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
