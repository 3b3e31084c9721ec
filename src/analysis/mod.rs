//! A conditional process analysis as a pipeline of stages, from a spec and a data set to the
//! immutable [`Analysis`] that reports and figures read. [`analyse_with_progress`] is the list of
//! stages; each stage is a function in the file named for it:
//!
//! 1. prepare (`prepare.rs`): listwise deletion over every variable of the model, centring of the
//!    variables in products (`center`), the choice of Y's estimator (logistic for a two-valued Y,
//!    as PROCESS), and each equation's design matrix.
//! 2. fit (`fit.rs`): each equation by OLS (with the asked covariance) or logistic regression, the
//!    tests of its highest-order product terms (`interaction_tests.rs`), the total effect model (`total`), and PROCESS's
//!    critical values for the coefficient intervals (`process_t`).
//! 3. plan and point effects (`plan.rs`, `point.rs`): every effect as sums of products of
//!    coefficients at the moderators' probe points (with `xmint`, the counterfactual effects of
//!    `counterfactual.rs` instead), and the vector of statistics (effects, defined quantities,
//!    standardized effects, coefficients for `modelbt`, curve points) evaluated on the full
//!    sample.
//! 4. resample (`resample.rs`; the per-draw steps in `bootstrap.rs` and `monte_carlo.rs`): the same
//!    statistics on `B` bootstrap resamples (of whole clusters with `cluster`) or Monte Carlo
//!    draws, through the engine of [`crate::inference::resample`], and the jackknife acceleration
//!    for BCa.
//! 5. intervals (`intervals.rs`): each effect's inference, analytic (direct and total effects,
//!    natural and controlled direct effects, Sobel tests) or from the draws (percentile, BC or
//!    BCa), with standardized effects; the defined quantities and (`modelbt`) every regression
//!    coefficient likewise.
//! 6. probe (`probe.rs`): conditional effects of focal predictors within their equations,
//!    conditional interactions, Johnson-Neyman regions with their curves, PROCESS's intprobe
//!    decision, and the omnibus tests of a multicategorical X's codes (`omnibus.rs`).
//! 7. curves (`curve.rs`, `slopes.rs`): conditional indirect effects over each moderator's range
//!    with bands from the draws ([`IndirectCurve`]), and the simple slopes of the interaction plots
//!    ([`SimpleSlopes`]).
//! 8. assemble (`assemble.rs`): the saved draws, the resampling's provenance and the [`Analysis`].
//!
//! Every number a report prints or a figure draws is computed here; `report` and `plot` only read
//! the result. The options are in [`AnalysisOptions`] (options.rs), the result types in result.rs
//! and draws.rs.
//!
//! ```
//! use cipa::analysis::{analyse, AnalysisOptions};
//! use cipa::data::read_csv_str;
//! use cipa::spec::{template::template, Roles};
//!
//! let csv = "x,m,y\n1,2,3\n2,2,5\n3,4,6\n4,3,8\n5,6,9\n6,5,12\n7,8,13\n8,7,15\n";
//! let data = read_csv_str("example.csv", csv, b',', &Default::default()).unwrap();
//! let roles = Roles { x: "x".into(), y: "y".into(), m: vec!["m".into()], ..Roles::default() };
//! let spec = template(4).unwrap().instantiate(&roles).unwrap();
//! let opts = AnalysisOptions { boot: 200, ..AnalysisOptions::default() };
//! let a = analyse(&data, &spec, &opts).unwrap();
//! assert_eq!(a.n, 8);
//! assert!(a.effects.iter().any(|e| e.boot_se.is_some()));
//! ```

mod assemble;
mod bootstrap;
mod conditional;
mod counterfactual;
mod curve;
mod curvilinear;
mod defined;
mod draws;
mod fit;
mod interaction_tests;
mod intervals;
mod jn;
mod linear;
mod monte_carlo;
mod omnibus;
mod options;
mod plan;
mod point;
mod prepare;
mod probe;
mod resample;
mod result;
pub mod sem_group_slopes;
pub mod sem_probe;
pub mod sem_probe_groups;
pub mod sem_slopes;
mod slopes;
mod system;
mod turning_boot;

use crate::data::Dataset;
use crate::error::Result;
use crate::spec::ModelSpec;

pub use conditional::{ConditionalEffects, ConditionalInteraction, ConditionalRow};
pub use curve::{IndirectCurve, GRID_POINTS};
pub use draws::{BootDraws, BootInfo};
pub use jn::{johnson_neyman, JnCurve, JnResult, JnRow, JN_CURVE_POINTS};
pub use linear::{linear_test, LinearTest};
pub use omnibus::{OmnibusKind, OmnibusTest};
pub use options::{AnalysisOptions, Center, Xmint, YModel};
pub use result::{
    Analysis, CoefficientBoot, Counterfactual, DefinedResult, EffectResult, ModelBootstrap,
    Standardized,
};
pub use slopes::{SimpleSlopes, SlopeLine, SLOPE_POINTS};
pub use system::{Scratch, Stacked};
pub use turning_boot::{attach_turning_boot, turning_point_bootstrap, Refit};

/// Runs the analysis of `spec` on `data`.
pub fn analyse(data: &Dataset, spec: &ModelSpec, opts: &AnalysisOptions) -> Result<Analysis> {
    analyse_with_progress(data, spec, opts, &|_| {})
}

/// As [`analyse`], reporting resampling progress: `progress(k)` after every `k` finished draws.
pub fn analyse_with_progress(
    data: &Dataset,
    spec: &ModelSpec,
    opts: &AnalysisOptions,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Analysis> {
    use crate::inference::resample::timing::mark;
    let prep = prepare::prepare(data, spec, opts)?;
    mark("prepared");
    let fitted = fit::fit_equations(&prep, spec, opts)?;
    mark("equations fitted");
    let eqs = &fitted.equations;
    let mut planned = plan::effect_plan(&prep, spec, opts)?;
    if let Some(cf) = &prep.counterfactual {
        counterfactual::apply(&mut planned, cf, spec, &prep.designs, eqs)?;
    }
    let mut notes = prep.notes.clone();
    notes.extend(planned.plan.notes.iter().cloned());
    let (stats, point) = point::point_effects(&planned, &prep, spec, eqs, opts)?;
    mark("point effects");
    // The probes, curvilinear paths and simple slopes do not read the draws, so they are
    // computed beside the resampling (on all cores, a worker takes them while the other starts
    // on the draws: serial work off the critical path, docs/PERFORMANCE.md); each side keeps
    // its notes apart, appended below in the order of the stages.
    let (resampled, beside) = crate::inference::resample::join_on(
        opts.threads,
        || summarised_draws(&prep, spec, eqs, (&stats, &point), opts, progress),
        || draw_free_stages(&prep, spec, eqs, &planned, opts),
    );
    let (boot, boot_notes) = resampled?;
    notes.extend(boot_notes);
    let fits = (eqs.as_slice(), fitted.total_model.as_ref());
    let defs = &planned.plan.effects;
    let effects = intervals::effect_results(defs, &point, &stats, boot.as_ref(), fits, opts);
    let defined = intervals::defined_results(&stats, &point, boot.as_ref());
    if let Some(b) = &boot {
        notes.extend(intervals::withheld_notes(b, defs, &stats, &point, opts));
    }
    let model_bootstrap = intervals::model_bootstrap(&stats, &point, boot.as_ref(), eqs);
    mark("intervals");
    notes.extend(beside.notes);
    let probed = beside.probed;
    // No bands from draws too many of which failed (the intervals above are withheld too).
    let usable = boot.as_ref().filter(|b| intervals::draws_usable(b));
    let indirect_curves = usable.map_or_else(Vec::new, |b| {
        let at = stats.n_curve;
        stats
            .curves
            .summarise(&point[at..], &b.summaries[at..], &effects)
    });
    let moderators = &planned.plan.moderators;
    let draws = boot
        .as_ref()
        .map(|b| assemble::saved_draws(&planned.plan, &stats, eqs, b));
    mark("saved draws");
    Ok(Analysis {
        spec: spec.clone(),
        n: prep.cases.rows.len(),
        n_dropped: prep.cases.n_dropped(),
        dropped_rows: prep.cases.dropped_lines.clone(),
        draws,
        bootstrap: boot.map(|b| assemble::boot_info(b, opts)),
        model_bootstrap,
        counterfactual: prep.counterfactual.clone(),
        equations: fitted.equations,
        total_model: fitted.total_model,
        effects,
        defined,
        conditional: probed.conditional,
        conditional_interactions: probed.conditional_interactions,
        johnson_neyman: probed.johnson_neyman,
        omnibus: fitted.omnibus.into_iter().chain(probed.omnibus).collect(),
        indirect_curves,
        simple_slopes: beside.simple_slopes,
        probes: moderators
            .iter()
            .map(|m| (m.name.clone(), m.points.clone()))
            .collect(),
        notes,
        options: opts.clone(),
        curvilinear: beside.curvilinear,
    })
}

/// Stage 4 and the draws' summaries, with the notes they leave.
fn summarised_draws(
    prep: &prepare::Prepared,
    spec: &ModelSpec,
    eqs: &[(
        crate::estimation::EquationFit,
        Vec<crate::estimation::R2Change>,
    )],
    (stats, point): (&point::Statistics, &[f64]),
    opts: &AnalysisOptions,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<(Option<resample::Resampled>, Vec<String>)> {
    let mut notes = Vec::new();
    let boot = resample::resample(prep, spec, eqs, stats, opts, progress, &mut notes)?;
    crate::inference::resample::timing::mark("resampled");
    let boot = boot.map(|b| b.summarise(stats, point, opts));
    crate::inference::resample::timing::mark("summarised");
    Ok((boot, notes))
}

/// What the analysis computes without the draws (stage 6, and the simple slopes of stage 7).
struct DrawFree {
    probed: probe::Probed,
    curvilinear: Vec<crate::effects::QuadraticTests>,
    simple_slopes: Vec<SimpleSlopes>,
    /// The notes of these stages, in their order.
    notes: Vec<String>,
}

/// The probes, the curvilinear paths and the simple slopes: the stages that read no draw, so
/// they can run beside the resampling.
fn draw_free_stages(
    prep: &prepare::Prepared,
    spec: &ModelSpec,
    eqs: &[(
        crate::estimation::EquationFit,
        Vec<crate::estimation::R2Change>,
    )],
    planned: &plan::Planned,
    opts: &AnalysisOptions,
) -> DrawFree {
    let mut notes = Vec::new();
    let probed = probe::probe(prep, spec, eqs, planned, opts, &mut notes);
    crate::inference::resample::timing::mark("probed");
    let curvilinear = curvilinear::curvilinear_paths(prep, eqs, opts, &mut notes);
    let simple_slopes = slopes::simple_slopes(
        eqs,
        &probed.conditional,
        &planned.plan.moderators,
        opts.conf,
        opts.process_t,
    );
    crate::inference::resample::timing::mark("slopes");
    DrawFree {
        probed,
        curvilinear,
        simple_slopes,
        notes,
    }
}
