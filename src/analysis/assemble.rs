//! Stage 8, the result: the saved draws (every effect, defined quantity and standardized effect;
//! the curves' grid points stay out), the resampling's provenance, the probe points, and the
//! immutable [`Analysis`].

use super::draws::draw_name;
use super::point::Statistics;
use super::resample::Resampled;
use super::{AnalysisOptions, BootDraws, BootInfo};
use crate::effects::EffectPlan;
use crate::estimation::{EquationFit, R2Change};

/// The draws as `--save-boot` writes them: one named column per effect, defined quantity,
/// standardized effect and (with `modelbt`) coefficient, `coefficient:OUTCOME:TERM`.
pub(super) fn saved_draws(
    plan: &EffectPlan,
    stats: &Statistics,
    equations: &[(EquationFit, Vec<R2Change>)],
    boot: &Resampled,
) -> BootDraws {
    let d = &boot.draws;
    BootDraws {
        names: plan
            .effects
            .iter()
            .map(draw_name)
            .chain(
                stats
                    .defined
                    .defined
                    .iter()
                    .map(|x| format!("defined:{}", x.name)),
            )
            .chain(
                stats
                    .standardized
                    .idx
                    .iter()
                    .map(|&i| format!("standardized:{}", draw_name(&plan.effects[i]))),
            )
            .chain(stats.coefficients.iter().map(|&(e, j)| {
                let fit = &equations[e].0;
                format!("coefficient:{}:{}", fit.outcome, fit.coefficients[j].term)
            }))
            .collect(),
        b: d.b,
        // By draw, as the CSV of --save-boot writes them; the resampling stores them by statistic.
        values: (0..d.b)
            .flat_map(|b| (0..stats.n_curve).map(move |j| d.values[j * d.b + b]))
            .collect(),
    }
}

/// What was resampled, how, and the ledger of failed draws.
pub(super) fn boot_info(boot: Resampled, opts: &AnalysisOptions) -> BootInfo {
    let d = boot.draws;
    BootInfo {
        resampling: match (opts.mc > 0, boot.clusters) {
            (true, _) => "monte_carlo",
            (false, Some(_)) => "cluster",
            (false, None) => "nonparametric",
        },
        clusters: boot.clusters,
        b: d.b,
        seed: d.seed,
        method: opts.ci,
        failed: d.ledger.failed,
        ledger: d.ledger,
    }
}
