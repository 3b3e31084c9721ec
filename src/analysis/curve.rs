//! The conditional indirect effect across a moderator's whole observed range with pointwise
//! bootstrap (or Monte Carlo) bands, and where the band excludes zero: what PROCESS's few probe
//! values leave out. The curves ride along in every draw's statistics vector.

use serde::Serialize;

use crate::data::Dataset;
use crate::effects::{significance_regions, CompiledCurves, CurveDef, EffectKind, EffectPlan};
use crate::inference::BootSummary;

use super::EffectResult;

/// Points of the grid over the moderator's observed range.
pub const GRID_POINTS: usize = 41;

/// A conditional indirect effect over a moderator's observed range.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndirectCurve {
    #[serde(flatten)]
    pub def: CurveDef,
    pub grid: Vec<f64>,
    pub estimate: Vec<f64>,
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
    /// Ranges of the moderator where the interval excludes zero: `(from, to, sign)`, the ends
    /// interpolated between grid points.
    pub significant: Vec<(f64, f64, i8)>,
    /// The index of moderated mediation that is this curve's slope (when the effect is linear
    /// in the moderator): (index, lower, upper).
    pub index: Option<(f64, f64, f64)>,
}

/// The curves of an analysis and where their values sit in the statistics vector.
pub(super) struct CurveSet {
    groups: Vec<(Vec<f64>, Vec<CurveDef>, CompiledCurves)>,
}

impl CurveSet {
    /// Curves in every numeric moderator with more than two distinct values; none when `active`
    /// is false (no resampling, so no bands).
    pub fn new(plan: &EffectPlan, data: &Dataset, active: bool) -> CurveSet {
        let mut groups = Vec::new();
        if active {
            for m in &plan.moderators {
                let Ok(values) = data.numeric(&m.name) else {
                    continue;
                };
                let distinct = crate::numeric::distinct_finite(values);
                if distinct.len() <= 2 {
                    continue;
                }
                let defs = plan.curves(&m.name);
                if defs.is_empty() {
                    continue;
                }
                let (lo, hi) = (distinct[0], distinct[distinct.len() - 1]);
                let step = (hi - lo) / (GRID_POINTS - 1) as f64;
                let grid = (0..GRID_POINTS)
                    .map(|i| {
                        if i == GRID_POINTS - 1 {
                            hi
                        } else {
                            lo + step * i as f64
                        }
                    })
                    .collect();
                let compiled = plan.compile_curves(&defs);
                groups.push((grid, defs, compiled));
            }
        }
        CurveSet { groups }
    }

    /// How many statistics the curves add.
    pub fn len(&self) -> usize {
        self.groups.iter().map(|(g, d, _)| g.len() * d.len()).sum()
    }

    pub fn evaluate(&self, betas: &[Vec<f64>], out: &mut [f64]) {
        let mut at = 0;
        for (grid, defs, compiled) in &self.groups {
            let len = grid.len() * defs.len();
            compiled.evaluate(grid, betas, &mut out[at..at + len]);
            at += len;
        }
    }

    /// The curves with their bands: `point` holds the curves' estimates and `summaries` their
    /// resampled intervals, in the same order.
    pub fn summarise(
        &self,
        point: &[f64],
        summaries: &[BootSummary],
        effects: &[EffectResult],
    ) -> Vec<IndirectCurve> {
        let mut out = Vec::new();
        let mut at = 0;
        for (grid, defs, _) in &self.groups {
            for def in defs {
                let n = grid.len();
                let (mut lower, mut upper) = (Vec::with_capacity(n), Vec::with_capacity(n));
                for s in &summaries[at..at + n] {
                    lower.push(s.lower);
                    upper.push(s.upper);
                }
                let estimate = point[at..at + n].to_vec();
                at += n;
                out.push(IndirectCurve {
                    significant: significance_regions(grid, &lower, &upper),
                    index: index_of(def, effects),
                    def: def.clone(),
                    grid: grid.clone(),
                    estimate,
                    lower,
                    upper,
                });
            }
        }
        out
    }
}

/// The index whose value is the curve's slope: the index of moderated mediation or the partial
/// index in this moderator, or the conditional index at the same values of the other moderator.
fn index_of(def: &CurveDef, effects: &[EffectResult]) -> Option<(f64, f64, f64)> {
    effects
        .iter()
        .find(|r| {
            r.def.path == def.path
                && r.def.focal == def.focal
                && r.def.label.as_deref() == Some(def.moderator.as_str())
                && match r.def.kind {
                    EffectKind::IndexOfModeratedMediation | EffectKind::PartialIndex => true,
                    EffectKind::ConditionalIndex => r.def.moderators == def.fixed,
                    _ => false,
                }
        })
        .map(|r| (r.effect, r.ci_lower, r.ci_upper))
}
