//! The conditional indirect effect across a moderator's whole observed range with pointwise
//! bootstrap (or Monte Carlo) bands, and where the band excludes zero: what PROCESS's few probe
//! values leave out. The curves ride along in every draw's statistics as their polynomials'
//! coefficients (a few per curve); each grid point's draws are evaluated from them when the
//! summaries read it ([`CurveSet::point_draws`]).

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
    /// Per grid point (in the order of the statistics vector): where its curve's coefficients
    /// start among the curves' coefficients, how many there are, and the moderator's value.
    points: Vec<(usize, usize, f64)>,
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
        let points = grid_points(&groups);
        CurveSet { groups, points }
    }

    /// How many statistics the curves add: their grid points.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// How many values a draw keeps for the curves: their polynomials' coefficients.
    pub fn coefficients(&self) -> usize {
        self.groups.iter().flat_map(|g| g.2.powers()).sum()
    }

    /// Every curve at every grid point ([`CurveSet::len`] values).
    pub fn evaluate(&self, betas: &[Vec<f64>], out: &mut [f64]) {
        let mut at = 0;
        for (grid, defs, compiled) in &self.groups {
            let len = grid.len() * defs.len();
            compiled.evaluate(grid, betas, &mut out[at..at + len]);
            at += len;
        }
    }

    /// Every curve's polynomial coefficients ([`CurveSet::coefficients`] values), what a draw
    /// keeps instead of the grid points: 9 values instead of 123 for model 58, so the draws
    /// matrix is 19 statistics wide instead of 133 (a 5 MB matrix written and read back per
    /// run was 2-3 ms of cache misses; docs/PERFORMANCE.md).
    pub fn evaluate_coefficients(&self, betas: &[Vec<f64>], out: &mut [f64]) {
        let mut at = 0;
        for (_, _, compiled) in &self.groups {
            let len: usize = compiled.powers().iter().sum();
            compiled.evaluate_coefficients(betas, &mut out[at..at + len]);
            at += len;
        }
    }

    /// Grid point `p`'s draws from the draws of the curves' coefficients (`coefficient(k)`
    /// is coefficient `k`'s column of draws), into `out`: Horner's rule from the highest power
    /// down, `acc · v + c` from zero, the operations [`CompiledCurves::evaluate`] does for
    /// the point in every draw, in the same order, so the same bits.
    pub fn point_draws<'a>(
        &self,
        p: usize,
        coefficient: impl Fn(usize) -> &'a [f64],
        out: &mut Vec<f64>,
    ) {
        let (first, powers, v) = self.points[p];
        out.clear();
        if powers == 0 {
            return;
        }
        let top = coefficient(first + powers - 1);
        out.extend(top.iter().map(|&c| 0.0 * v + c));
        for k in (first..first + powers - 1).rev() {
            for (o, &c) in out.iter_mut().zip(coefficient(k)) {
                *o = *o * v + c;
            }
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

/// Each grid point's curve coefficients (first, count) and moderator value, curve by curve as
/// [`CompiledCurves::evaluate`] lays the points out.
fn grid_points(groups: &[(Vec<f64>, Vec<CurveDef>, CompiledCurves)]) -> Vec<(usize, usize, f64)> {
    let mut points = Vec::new();
    let mut first = 0;
    for (grid, _, compiled) in groups {
        for powers in compiled.powers() {
            points.extend(grid.iter().map(|&v| (first, powers, v)));
            first += powers;
        }
    }
    points
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
