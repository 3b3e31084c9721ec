//! Stage 8, the result: the saved draws (every effect, defined quantity and standardized effect;
//! the curves' grid points stay out), the resampling's provenance, the probe points, and the
//! immutable [`Analysis`].

use super::draws::draw_name;
use super::point::Statistics;
use super::resample::Resampled;
use super::{AnalysisOptions, BootDraws, BootInfo};
use crate::effects::EffectPlan;

/// The draws as `--save-boot` writes them: one named column per effect, defined quantity and
/// standardized effect.
pub(super) fn saved_draws(plan: &EffectPlan, stats: &Statistics, boot: &Resampled) -> BootDraws {
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
            .collect(),
        b: d.b,
        values: d
            .values
            .chunks(d.m.max(1))
            .flat_map(|row| row[..stats.n_curve].iter().copied())
            .collect(),
    }
}

/// What was resampled, how, and the ledger of failed draws.
pub(super) fn boot_info(boot: Resampled, opts: &AnalysisOptions) -> BootInfo {
    let d = boot.draws;
    BootInfo {
        resampling: if opts.mc > 0 {
            "monte_carlo"
        } else {
            "nonparametric"
        },
        b: d.b,
        seed: d.seed,
        method: opts.ci,
        failed: d.ledger.failed,
        ledger: d.ledger,
    }
}
