//! Stage 4, resampling: the statistics of stage 3 on `B` draws, by the engine of
//! [`crate::inference::resample`] with this analysis' per-draw step:
//!
//! - Monte Carlo (`mc`): each equation's coefficients drawn from N(b, V) ([`monte_carlo`]);
//! - otherwise the nonparametric bootstrap (`boot`): the equations refitted on each resample's row
//!   counts ([`bootstrap`]), and for BCa the jackknife's acceleration of every statistic. With a
//!   cluster variable the resamples draw whole clusters (and the jackknife leaves clusters out).
//!
//! Draw b uses the stream of (seed, b) whatever the threads; failed draws are replaced and kept in
//! the ledger.

use super::bootstrap::RowStep;
use super::monte_carlo::NormalStep;
use super::point::Statistics;
use super::prepare::Prepared;
use super::AnalysisOptions;
use crate::error::Result;
use crate::estimation::{EquationFit, R2Change};
use crate::inference::resample::{summarise_columns, ColumnDraws, Normal, Rows};
use crate::inference::{BootSummary, CiMethod, Resampler};
use crate::spec::ModelSpec;

/// The draws of every statistic, the BCa acceleration of each (zeros unless BCa), and each one's
/// summary (standard error and interval; empty until [`Resampled::summarise`]).
pub(super) struct Resampled {
    /// By statistic, the layout the summaries read.
    pub draws: ColumnDraws,
    pub accel: Vec<f64>,
    /// How many clusters each draw resampled (a cluster bootstrap).
    pub clusters: Option<usize>,
    pub summaries: Vec<BootSummary>,
}

impl Resampled {
    fn new(draws: ColumnDraws, accel: Vec<f64>, clusters: Option<usize>) -> Resampled {
        Resampled {
            draws,
            accel,
            clusters,
            summaries: Vec::new(),
        }
    }

    /// Summarises every statistic (estimates `point`) at the options' level and method.
    pub fn summarise(mut self, point: &[f64], opts: &AnalysisOptions) -> Resampled {
        let how = (opts.conf, opts.ci);
        self.summaries = summarise_columns(&self.draws, point, how, &self.accel, opts.threads);
        self
    }
}

/// The draws, or `None` when the analysis resamples nothing (no draws asked, or no statistic
/// needs them). Notes what the report should say (a singular jackknife).
pub(super) fn resample(
    prep: &Prepared,
    spec: &ModelSpec,
    equations: &[(EquationFit, Vec<R2Change>)],
    stats: &Statistics,
    opts: &AnalysisOptions,
    progress: &(dyn Fn(usize) + Sync),
    notes: &mut Vec<String>,
) -> Result<Option<Resampled>> {
    let m = stats.len();
    if m == 0 {
        return Ok(None);
    }
    let driver = |b: usize| {
        Resampler::new(b, opts.seed)
            .threads(opts.threads)
            .observe(progress)
    };
    if opts.mc > 0 {
        let step = NormalStep::new(equations, stats)?;
        let draws = driver(opts.mc).run_by_column(&Normal, &step).map_err(|f| {
            crate::Error::Usage(format!(
                "the Monte Carlo draws failed at draw {} ({})",
                f.draw, f.reason
            ))
        })?;
        return Ok(Some(Resampled::new(draws, vec![0.0; m], None)));
    }
    if opts.boot == 0 {
        return Ok(None);
    }
    let step = RowStep::new(prep, spec, equations, stats);
    let run = match step.clusters() {
        Some(c) => {
            notes.push(format!(
                "The bootstrap resampled whole clusters of '{}' ({} clusters drawn with replacement in each resample), as the cluster-robust standard errors treat them.",
                opts.cluster.as_deref().unwrap_or_default(),
                c.count()
            ));
            driver(opts.boot).run_by_column(c, &step)
        }
        None => driver(opts.boot).run_by_column(&Rows { n: step.rows() }, &step),
    };
    let draws = run.map_err(|f| {
        crate::Error::Usage(format!(
            "the bootstrap failed: draw {} could not be computed after 100 replacements ({})",
            f.draw, f.reason
        ))
    })?;
    let accel = if opts.ci == CiMethod::Bca {
        step.acceleration()?.unwrap_or_else(|_| {
            notes.push("A jackknife replicate was singular, so BCa intervals use no acceleration (they are bias-corrected intervals).".into());
            vec![0.0; m]
        })
    } else {
        vec![0.0; m]
    };
    let clusters = step.clusters().map(|c| c.count());
    Ok(Some(Resampled::new(draws, accel, clusters)))
}
