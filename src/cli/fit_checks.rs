//! `cipa fit`'s checks of its options against each other, the model and the data: errors before
//! any work for options that cannot apply, warnings for probe values outside the data, and notes
//! for options that change nothing for the chosen model.

use crate::analysis::Analysis;
use crate::data::Dataset;
use crate::effects::EffectKind;
use crate::spec::ModelSpec;

use super::args::FitArgs;
use super::{usage, CliError};

/// The checks that need only the flags, before the data are read or anything is allocated:
/// the confidence level, the number of draws and threads, and finite probe values.
pub fn flags(a: &FitArgs) -> Result<(), CliError> {
    super::check_conf(a.conf)?;
    if let Some(b) = a.boot {
        super::check_boot(b, a.conf)?;
    }
    if let Some(mc) = a.mc {
        if mc == 0 {
            return Err(usage(
                "--mc 0 asks for no Monte Carlo draws: give their number (e.g. --mc 10000), or drop --mc for bootstrap intervals",
            ));
        }
        super::check_mc(mc, a.conf)?;
        if a.boot.is_some_and(|b| b > 0) {
            return Err(usage(
                "--mc gives Monte Carlo intervals instead of the bootstrap: drop --boot, or drop --mc",
            ));
        }
    }
    super::limits::threads(a.threads)?;
    for (flag, values) in [
        ("--wvals", &a.wvals),
        ("--zvals", &a.zvals),
        ("--xvals", &a.xvals),
    ] {
        if let Some(bad) = values.iter().flatten().find(|v| !v.is_finite()) {
            return Err(usage(format!(
                "{flag} {bad}: probe values must be finite numbers, e.g. {flag} 1,2.5,4"
            )));
        }
    }
    Ok(())
}

/// Probe values for moderators the model does not have are an error (before any work): a
/// `--wvals` on a model without W would otherwise be ignored without a word.
pub fn probes_apply(a: &FitArgs, spec: &ModelSpec) -> Result<(), CliError> {
    let model = model_name(spec);
    // Model 74's X moderates its own indirect effect: --wvals then probes X.
    let w_exists = !spec.moderators.is_empty() || x_moderates_itself(spec);
    if a.wvals.is_some() && !w_exists {
        return Err(usage(format!(
            "--wvals: {model} has no moderator W, so there is nothing to probe; drop --wvals"
        )));
    }
    if a.zvals.is_some() && spec.moderators.len() < 2 {
        return Err(usage(format!(
            "--zvals: {model} has no second moderator Z, so there is nothing to probe; drop --zvals"
        )));
    }
    if a.xvals.is_some() && !x_moderates_itself(spec) && !spec.x_in_power() {
        return Err(usage(format!(
            "--xvals: no effect in {model} changes with X (X enters no power such as {x}^2 and no product with a mediator), so there is nothing to probe at values of X; drop --xvals",
            x = spec.x
        )));
    }
    Ok(())
}

fn model_name(spec: &ModelSpec) -> String {
    match spec.source {
        crate::spec::SpecSource::Process(n) => format!("PROCESS model {n}"),
        crate::spec::SpecSource::Syntax => "the model".to_string(),
    }
}

/// X times a mediator in some equation (PROCESS model 74).
fn x_moderates_itself(spec: &ModelSpec) -> bool {
    spec.equations.iter().flat_map(|e| &e.terms).any(|t| {
        t.factors.contains(&spec.x) && t.factors.iter().any(|f| spec.mediators.contains(f))
    })
}

/// Warnings for `--wvals`/`--zvals` outside the observed range of their moderator: a
/// conditional effect there is an extrapolation beyond the data.
pub fn probe_range_warnings(a: &FitArgs, spec: &ModelSpec, data: &Dataset) -> Vec<String> {
    let w = spec
        .moderators
        .first()
        .or_else(|| x_moderates_itself(spec).then_some(&spec.x));
    let mut out = Vec::new();
    for (flag, var, values) in [
        ("--wvals", w, &a.wvals),
        ("--zvals", spec.moderators.get(1), &a.zvals),
        ("--xvals", Some(&spec.x), &a.xvals),
    ] {
        let (Some(var), Some(values)) = (var, values) else {
            continue;
        };
        let Ok(observed) = data.numeric(var) else {
            continue;
        };
        let finite = observed.iter().copied().filter(|v| v.is_finite());
        let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
            (l.min(v), h.max(v))
        });
        if lo > hi {
            continue;
        }
        for v in values.iter().filter(|v| **v < lo || **v > hi) {
            out.push(format!(
                "{flag} {} is outside the observed range of '{var}' ({} to {}): the conditional effect there is an extrapolation beyond the data",
                crate::data::format_number(*v),
                crate::data::format_number(lo),
                crate::data::format_number(hi)
            ));
        }
    }
    out
}

/// Notes for options that changed nothing for this model, so a reader does not look for output
/// that cannot be there.
pub fn inert_option_notes(a: &FitArgs, spec: &ModelSpec, analysis: &Analysis) -> Vec<String> {
    let model = model_name(spec);
    let has = |k: EffectKind| analysis.effects.iter().any(|e| e.def.kind == k);
    let mut notes = Vec::new();
    let jn_noted = analysis
        .notes
        .iter()
        .any(|n| n.starts_with("Johnson-Neyman"));
    if a.jn && analysis.johnson_neyman.is_empty() && !jn_noted {
        notes.push(if spec.moderators.is_empty() && !x_moderates_itself(spec) {
            format!("--jn changes nothing here: {model} has no moderator, so there are no Johnson-Neyman regions.")
        } else {
            format!("--jn changes nothing here: {model} has no path moderated by a numeric moderator with more than two values, so there are no Johnson-Neyman regions.")
        });
    }
    if a.contrast && !has(EffectKind::Contrast) {
        notes.push(format!(
            "--contrast changes nothing here: {model} has fewer than two specific indirect effects of X (or they are moderated), so there is nothing to contrast."
        ));
    }
    if a.total && !has(EffectKind::Total) {
        notes.push(format!(
            "--total: the total effect of X is defined for mediation models without moderation (as in PROCESS); {model} has none, so only the total effect model (Y on X and the covariates) is shown."
        ));
    }
    notes
}

/// A defined quantity that is not a finite number at the estimates divides by zero (or takes an
/// undefined power): said plainly instead of printing `inf` or `NaN` as if it were an estimate.
pub fn defined_warnings(analysis: &Analysis) -> Vec<String> {
    analysis
        .defined
        .iter()
        .filter(|d| !d.estimate.is_finite())
        .map(|d| {
            format!(
                "defined quantity '{}' := {} is {} at the estimates: it divides by zero (or takes an undefined power) at these coefficients, so it has no estimate or interval; check its expression",
                d.name,
                d.expression,
                if d.estimate.is_nan() { "undefined (NaN)" } else { "infinite" }
            )
        })
        .collect()
}
