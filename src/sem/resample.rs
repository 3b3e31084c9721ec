//! Resampled inference for a fitted SEM (ML, listwise or FIML; MLR has the same point
//! estimates), by the one resampling engine of [`crate::inference::resample`]:
//!
//! - the nonparametric bootstrap: each draw's row counts give its weighted moments
//!   (`refit.rs`) or, under FIML, its weighted pattern statistics (`fiml_refit.rs`), the model
//!   is refitted from θ̂, and θ*, the `:=` parameters and their std.all values are kept;
//!   bootstrap SEs and percentile, BC or BCa intervals (BCa's acceleration from the jackknife,
//!   as `cipa fit` does) for every free and defined parameter and the standardized defined
//!   parameters (standardized indirect effects);
//! - the Bollen-Stine bootstrap p value of the chi-square (`bollen_stine.rs`; complete data);
//! - Monte Carlo intervals of the `:=` parameters from N(θ̂, V̂) (`monte_carlo.rs`).
//!
//! Draw b uses the stream of (seed, b) whatever the threads, so results are bit-identical for
//! any thread count. Failed draws (a non-positive-definite S*, a fit that does not converge) are
//! replaced and counted in the ledger; above [`MAX_FAILED_SHARE`] no interval is reported.

mod bollen_stine;
mod covariates;
mod fiml_refit;
pub(crate) mod monte_carlo;
mod refit;
pub(in crate::sem) mod solve;
mod weighted;

use serde::Serialize;

use crate::data::Dataset;
use crate::inference::resample::{
    jackknife, summarise_all, BootSummary, CiMethod, DrawSource, Draws, Ledger, Resampler, Rows,
    Step, MAX_FAILED_SHARE,
};
use crate::spec::flat::FlatModel;

use super::{auglag, constraints, model, nonlinear, ParameterRow, SemError, SemFit};
use refit::{Output, Refit};

pub(crate) use bollen_stine::transform_rows;
pub use bollen_stine::BollenStine;
pub(crate) use covariates::Covariates;
pub use monte_carlo::MonteCarlo;
pub(crate) use refit::{exo_rows, Exo};
pub(crate) use weighted::DrawMoments;

/// What to resample and how (`cipa sem --boot B --seed S --ci ... --mc R --bollen-stine`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SemBootOptions {
    /// Bootstrap draws (0 = no bootstrap).
    pub boot: usize,
    pub seed: u64,
    pub ci: CiMethod,
    /// Monte Carlo draws for the `:=` parameters (0 = none).
    pub mc: usize,
    /// Also the Bollen-Stine p value, from `boot` draws of the transformed data.
    pub bollen_stine: bool,
    /// Worker threads (0 = all); the results do not depend on it.
    pub threads: usize,
}

impl Default for SemBootOptions {
    fn default() -> Self {
        SemBootOptions {
            boot: 0,
            seed: 1,
            ci: CiMethod::Percentile,
            mc: 0,
            bollen_stine: false,
            threads: 0,
        }
    }
}

/// One parameter's resampled inference; `se` and the interval are `None` when withheld.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BootParameter {
    /// The row's group under `--group` (lavaan's group column: 1, 2, ...; 0 for `:=` rows);
    /// absent for one group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<usize>,
    pub lhs: String,
    pub op: String,
    pub rhs: String,
    pub label: String,
    pub est: f64,
    pub se: Option<f64>,
    pub ci_lower: Option<f64>,
    pub ci_upper: Option<f64>,
    /// BCa's jackknife acceleration (BCa only).
    pub acceleration: Option<f64>,
    /// The statistic's column in [`SemBootstrap::draws`].
    #[serde(skip)]
    pub column: usize,
}

/// The resampled inference of a fitted model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SemBootstrap {
    /// Bootstrap draws (B) and the seed of every random step here.
    pub b: usize,
    pub seed: u64,
    pub method: CiMethod,
    pub level: f64,
    /// Failed bootstrap draws (replaced) and why.
    pub failed: Ledger,
    /// Every free parameter, then every `:=` parameter.
    pub parameters: Vec<BootParameter>,
    /// The std.all values of the `:=` parameters (standardized indirect effects).
    pub standardized_defined: Vec<BootParameter>,
    pub bollen_stine: Option<BollenStine>,
    pub monte_carlo: Option<MonteCarlo>,
    /// Why intervals were withheld or BCa had no acceleration.
    pub notes: Vec<String>,
    /// The bootstrap draws (θ*, the `:=` parameters, their std.all values), for plots and
    /// checks; not serialized.
    #[serde(skip)]
    pub draws: Option<Draws>,
}

/// Resampled inference for `fit`, the fit of `flat` to `data` with its options.
pub fn bootstrap(
    flat: &FlatModel,
    data: &Dataset,
    fit: &SemFit,
    opts: &SemBootOptions,
) -> Result<SemBootstrap, SemError> {
    let mut out = SemBootstrap::empty(opts, fit.options.level);
    if opts.boot > 0 {
        resample_rows(flat, data, fit, opts, &mut out)?;
    }
    // Monte Carlo needs only θ̂ and V̂, so it serves complete data and FIML alike.
    if opts.mc > 0 {
        let pt = &fit.source()?.table;
        let base: Vec<f64> = fit.parameters[..pt.rows.len()]
            .iter()
            .map(|r| r.est)
            .collect();
        let mc = monte_carlo::McInput {
            pt,
            theta: &fit.theta,
            vcov: &fit.vcov,
            base,
            defined: Labelled::of(fit).defined,
            level: fit.options.level,
        };
        out.monte_carlo = Some(monte_carlo::intervals(&mc, opts)?);
    }
    Ok(out)
}

impl SemBootstrap {
    /// No draws yet: the options echoed.
    pub(crate) fn empty(opts: &SemBootOptions, level: f64) -> SemBootstrap {
        SemBootstrap {
            b: opts.boot,
            seed: opts.seed,
            method: opts.ci,
            level,
            failed: Ledger::default(),
            parameters: Vec::new(),
            standardized_defined: Vec::new(),
            bollen_stine: None,
            monte_carlo: None,
            notes: Vec::new(),
            draws: None,
        }
    }
}

/// The rows a bootstrap reports, with their group under `--group`: what the summaries need of
/// a fit, single-group or grouped.
pub(crate) struct Labelled<'a> {
    pub theta: &'a [f64],
    /// The free rows (each free parameter once, in order of its index).
    pub free: Vec<(Option<usize>, &'a ParameterRow)>,
    pub defined: Vec<(Option<usize>, &'a ParameterRow)>,
    pub level: f64,
    /// Whether each draw also holds the std.all values of the `:=` rows, after them.
    pub standardized: bool,
}

impl<'a> Labelled<'a> {
    fn of(fit: &'a SemFit) -> Labelled<'a> {
        Labelled {
            theta: &fit.theta,
            free: fit
                .parameters
                .iter()
                .filter(|r| r.free > 0)
                .map(|r| (None, r))
                .collect(),
            defined: fit
                .parameters
                .iter()
                .filter(|r| r.op == ":=")
                .map(|r| (None, r))
                .collect(),
            level: fit.options.level,
            standardized: true,
        }
    }
}

/// The nonparametric bootstrap (and Bollen-Stine) of a complete-data fit, or the FIML one.
fn resample_rows(
    flat: &FlatModel,
    data: &Dataset,
    fit: &SemFit,
    opts: &SemBootOptions,
    out: &mut SemBootstrap,
) -> Result<(), SemError> {
    if fit.options.missing == super::Missing::Fiml {
        // The fit's table names the product columns (products.rs, interaction/) the data gain
        // in `fit`.
        let o = &fit.options;
        let ex = super::interaction::expand(flat, data, &o.interaction, o.missing)?;
        let data = super::products::with_products(&ex.flat, &ex.data)?;
        return resample_fiml(&data, fit, opts, out);
    }
    let prep = super::prepare(flat, data, &fit.options)?;
    let base = model::Model::new(&prep.pt, &prep.stats);
    if constraints::needs_lagrangian(&prep.pt, &base.base) {
        return resample_lagrangian(&prep, base, fit, opts, out);
    }
    let re = constraints::reparametrise(&prep.pt, &base.base)?;
    let step = Refit::new(
        &prep.pt,
        base.clone(),
        &re,
        &fit.theta,
        &prep.rows,
        Output::Estimates,
    );
    draw_and_summarise(
        &Rows { n: step.rows() },
        &step,
        &Labelled::of(fit),
        opts,
        out,
    )?;
    if opts.bollen_stine {
        out.bollen_stine = Some(bollen_stine::p_value(&prep, base, (&re, None), fit, opts)?);
    }
    Ok(())
}

/// The bootstrap (and Bollen-Stine) of a fit under nonlinear or inequality constraints: every
/// draw is refitted by the augmented Lagrangian from θ̂, its outer loop starting at the full
/// sample's multipliers (those of the augmented Lagrangian rerun from θ̂, where it stops at
/// once up to the multipliers' own convergence).
fn resample_lagrangian(
    prep: &super::Prepared,
    base: model::Model,
    fit: &SemFit,
    opts: &SemBootOptions,
    out: &mut SemBootstrap,
) -> Result<(), SemError> {
    let re = nonlinear::reparam_at(&prep.pt, &base, &fit.theta)?;
    let cons = || nonlinear::Constraints::new(&prep.pt);
    let cold = auglag::Multipliers::cold(cons().len());
    let (_, warm) = auglag::solve_from(&base, &prep.stats, &cons(), &fit.theta, cold)?;
    let lag = |warm| refit::Lagrangian { cons: cons(), warm };
    let step = Refit::lagrangian(
        &prep.pt,
        base.clone(),
        (&re, &fit.theta),
        &prep.rows,
        Output::Estimates,
        lag(warm.clone()),
    );
    draw_and_summarise(
        &Rows { n: step.rows() },
        &step,
        &Labelled::of(fit),
        opts,
        out,
    )?;
    if opts.bollen_stine {
        let bs = bollen_stine::p_value(prep, base, (&re, Some(lag(warm))), fit, opts)?;
        out.bollen_stine = Some(bs);
    }
    Ok(())
}

/// The bootstrap of a FIML fit: every draw refits the casewise likelihood of its rows
/// (fiml_refit.rs).
fn resample_fiml(
    data: &Dataset,
    fit: &SemFit,
    opts: &SemBootOptions,
    out: &mut SemBootstrap,
) -> Result<(), SemError> {
    let pt = &fit.source()?.table;
    if opts.bollen_stine {
        // With missing data the transformation would be Savalei & Yuan's (2009, per missing
        // pattern); lavaan 0.6-14 refuses it too ("bollen.stine/yuan bootstrap not available
        // for missing data", lav_bootstrap.R), so there is no peer to check one against.
        return Err(SemError::UnsupportedOption {
            what: "the Bollen-Stine bootstrap of a full-information ML fit (lavaan 0.6-14 refuses it too; use --missing listwise for it, or --mc for the := parameters)".into(),
        });
    }
    let step = fiml_refit::FimlRefit::new(pt, data, fit)?;
    draw_and_summarise(
        &Rows { n: step.rows() },
        &step,
        &Labelled::of(fit),
        opts,
        out,
    )
}

/// The bootstrap of `step` over the draws of `source` (row counts: all rows, or within each
/// group) through the one resampling engine, its BCa acceleration where asked, and the
/// summaries of every parameter's draws.
pub(crate) fn draw_and_summarise<D, S>(
    source: &D,
    step: &S,
    rows: &Labelled<'_>,
    opts: &SemBootOptions,
    out: &mut SemBootstrap,
) -> Result<(), SemError>
where
    D: DrawSource<Draw = [u32], Buffer = Vec<u32>>,
    S: Step<[u32]>,
{
    let draws = driver(opts, opts.boot)
        .run(source, step)
        .map_err(|f| failed("bootstrap", f))?;
    let n = source.buffer().len();
    let accel = acceleration(step, n, opts, &mut out.notes);
    summarise(out, rows, &draws, &accel, opts);
    out.draws = Some(draws);
    Ok(())
}

pub(crate) fn driver(opts: &SemBootOptions, draws: usize) -> Resampler<'static> {
    Resampler::new(draws, opts.seed).threads(opts.threads)
}

pub(crate) fn failed(what: &str, f: crate::inference::resample::BootstrapFailure) -> SemError {
    SemError::ResamplingFailed {
        what: what.into(),
        draw: f.draw,
        reason: f.reason,
    }
}

/// The BCa acceleration of every statistic from the jackknife (each row left out in turn, by
/// the same refit), zeros for the other methods or when a replicate cannot be fitted (noted:
/// the intervals are then bias-corrected).
fn acceleration<S: Step<[u32]>>(
    step: &S,
    n: usize,
    opts: &SemBootOptions,
    notes: &mut Vec<String>,
) -> Vec<f64> {
    let m = step.statistics();
    if opts.ci != CiMethod::Bca {
        return vec![0.0; m];
    }
    let mut work = step.scratch();
    let mut counts = vec![1u32; n];
    let jack = jackknife(n, m, |i, out| {
        counts[i] = 0;
        let r = step.draw(&mut work, &mut counts, out);
        counts[i] = 1;
        r
    });
    jack.unwrap_or_else(|reason| {
        notes.push(format!("A jackknife replicate could not be fitted ({reason}), so the BCa intervals use no acceleration (they are bias-corrected intervals)."));
        vec![0.0; m]
    })
}

/// The point values of the statistics: θ̂, the `:=` parameters, their std.all values.
fn point(rows: &Labelled<'_>) -> Vec<f64> {
    let mut v = rows.theta.to_vec();
    v.extend(rows.defined.iter().map(|(_, r)| r.est));
    if rows.standardized {
        v.extend(rows.defined.iter().map(|(_, r)| r.std_all));
    }
    v
}

/// The summaries into the report's rows, withheld where the draws do not allow them.
fn summarise(
    out: &mut SemBootstrap,
    rows: &Labelled<'_>,
    draws: &Draws,
    accel: &[f64],
    opts: &SemBootOptions,
) {
    let point = point(rows);
    let how = (100.0 * rows.level, opts.ci);
    let sums = summarise_all(draws, &point, how, accel, opts.threads);
    let usable = draws.ledger.usable(draws.b);
    if !usable {
        out.notes.push(format!(
            "No bootstrap intervals are reported: {} failed draws were replaced to complete {} (more than {:.0}%), so the draws that succeeded are not a sample of the sampling distribution.",
            draws.ledger.failed,
            draws.b,
            100.0 * MAX_FAILED_SHARE
        ));
    }
    let q = rows.theta.len();
    let nd = rows.defined.len();
    let stat = |j: usize, (group, r): (Option<usize>, &ParameterRow), est: f64| {
        let ok = usable && est.is_finite() && finite_enough(draws, j);
        let s: Option<&BootSummary> = ok.then_some(&sums[j]);
        BootParameter {
            group,
            lhs: r.lhs.clone(),
            op: r.op.clone(),
            rhs: r.rhs.clone(),
            label: r.label.clone(),
            est,
            se: s.map(|s| s.se),
            ci_lower: s.map(|s| s.lower),
            ci_upper: s.map(|s| s.upper),
            acceleration: (opts.ci == CiMethod::Bca).then_some(accel[j]),
            column: j,
        }
    };
    for &(g, r) in &rows.free {
        out.parameters.push(stat(r.free - 1, (g, r), r.est));
    }
    for (k, &(g, r)) in rows.defined.iter().enumerate() {
        out.parameters.push(stat(q + k, (g, r), r.est));
        if rows.standardized {
            out.standardized_defined
                .push(stat(q + nd + k, (g, r), r.std_all));
        }
    }
    out.failed = draws.ledger.clone();
}

/// Whether at most [`MAX_FAILED_SHARE`] of statistic `j`'s draws are not finite.
fn finite_enough(d: &Draws, j: usize) -> bool {
    let bad = (0..d.b)
        .filter(|&b| !d.values[b * d.m + j].is_finite())
        .count();
    bad as f64 <= MAX_FAILED_SHARE * d.b as f64
}

#[cfg(test)]
mod tests;
