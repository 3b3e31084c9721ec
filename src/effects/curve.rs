//! Conditional indirect effects as functions of one numeric moderator: the same polynomials the
//! probe points evaluate, evaluated over a grid of the moderator instead (beyond PROCESS, which
//! probes a few values only). The bootstrap evaluates them on every draw for pointwise bands.

use serde::Serialize;

use super::plan::{EffectKind, EffectPlan, Formula};

/// A moderated (total) indirect effect as a function of moderator `moderator`, the other
/// moderators held at one of their probe points.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CurveDef {
    pub kind: EffectKind,
    pub focal: String,
    pub path: Vec<String>,
    pub moderator: String,
    /// The other moderators' probe points: (moderator, probe label).
    pub fixed: Vec<(String, String)>,
    #[serde(skip)]
    poly: usize,
    #[serde(skip)]
    x: Vec<f64>,
    #[serde(skip)]
    factor: usize,
}

impl CurveDef {
    pub(super) fn poly(&self) -> usize {
        self.poly
    }

    pub(super) fn x(&self) -> &[f64] {
        &self.x
    }

    pub(super) fn factor(&self) -> usize {
        self.factor
    }
}

impl EffectPlan {
    /// Every indirect and total indirect effect that depends on the numeric moderator `name`, once
    /// per probe point of the other moderators. Empty when `name` is not a single-factor
    /// moderator.
    pub fn curves(&self, name: &str) -> Vec<CurveDef> {
        let Some(m) = self.moderators.iter().find(|m| m.name == name) else {
            return Vec::new();
        };
        let [factor_name] = m.factors.as_slice() else {
            return Vec::new();
        };
        let Some(factor) = self.probe_factors.iter().position(|f| f == factor_name) else {
            return Vec::new();
        };
        let unit: Vec<Vec<f64>> = self
            .shapes
            .iter()
            .map(|s| vec![1.0; s.columns.len()])
            .collect();
        let mut out: Vec<CurveDef> = Vec::new();
        for e in &self.effects {
            if !matches!(e.kind, EffectKind::Indirect | EffectKind::TotalIndirect) {
                continue;
            }
            let Formula::At { poly, x } = &e.formula else {
                continue;
            };
            if self.structural(*poly, &unit).degree_in(factor) == 0 {
                continue;
            }
            let mut x0 = x.clone();
            x0[factor] = 0.0;
            if out.iter().any(|c| c.poly == *poly && c.x == x0) {
                continue;
            }
            out.push(CurveDef {
                kind: e.kind,
                focal: e.focal.clone(),
                path: e.path.clone(),
                moderator: name.to_string(),
                fixed: e
                    .moderators
                    .iter()
                    .filter(|(m, _)| m != name)
                    .cloned()
                    .collect(),
                poly: *poly,
                x: x0,
                factor,
            });
        }
        out
    }
}

/// Where a pointwise interval excludes zero: maximal ranges of the grid with the lower bound
/// above zero (sign +1) or the upper bound below it (sign -1), with the ends placed where the
/// bound crosses zero by linear interpolation between grid points.
pub fn significance_regions(grid: &[f64], lower: &[f64], upper: &[f64]) -> Vec<(f64, f64, i8)> {
    let sign = |i: usize| -> i8 {
        if lower[i] > 0.0 {
            1
        } else if upper[i] < 0.0 {
            -1
        } else {
            0
        }
    };
    // The point between grid i and i + 1 where the bound deciding sign `s` crosses zero.
    let cross = |i: usize, s: i8| -> f64 {
        let (a, b) = if s > 0 {
            (lower[i], lower[i + 1])
        } else {
            (upper[i], upper[i + 1])
        };
        let t = if (a - b).abs() > 0.0 {
            a / (a - b)
        } else {
            0.5
        };
        grid[i] + t.clamp(0.0, 1.0) * (grid[i + 1] - grid[i])
    };
    let mut out = Vec::new();
    let mut start: Option<(f64, i8)> = None;
    for i in 0..grid.len() {
        let s = sign(i);
        match start {
            Some((from, cur)) if s != cur => {
                out.push((from, cross(i - 1, cur), cur));
                start = (s != 0).then(|| (cross(i - 1, s), s));
            }
            None if s != 0 => {
                let from = if i == 0 { grid[0] } else { cross(i - 1, s) };
                start = Some((from, s));
            }
            _ => {}
        }
    }
    if let (Some((from, s)), Some(&last)) = (start, grid.last()) {
        out.push((from, last, s));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_interpolate_the_crossings() {
        let grid = [0.0, 1.0, 2.0, 3.0, 4.0];
        // Lower bound crosses zero between 1 and 2 (at 1.5) and stays above.
        let lower = [-1.0, -0.5, 0.5, 1.0, 2.0];
        let upper = [1.0, 1.5, 2.0, 3.0, 4.0];
        assert_eq!(
            significance_regions(&grid, &lower, &upper),
            vec![(1.5, 4.0, 1)]
        );
        // Negative at the left end, nothing in the middle, positive at the right end.
        let lower = [-3.0, -2.0, -1.0, -0.5, 0.5];
        let upper = [-1.0, 1.0, 1.0, 1.0, 1.0];
        assert_eq!(
            significance_regions(&grid, &lower, &upper),
            vec![(0.0, 0.5, -1), (3.5, 4.0, 1)]
        );
        assert!(significance_regions(&grid, &[-1.0; 5], &[1.0; 5]).is_empty());
    }
}
