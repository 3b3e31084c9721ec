//! The conditional indirect effect across a moderator with its bootstrap band, the index of
//! moderated mediation in the caption. The curve comes from the analysis (estimate and bootstrap
//! interval on a grid of the moderator); this module only draws it.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::canvas::Figure;
use super::chart::{self, PLOT_SIZE};
use super::labels::Labels;
use super::theme::Theme;
use super::PlotError;

/// A conditional indirect effect over a grid of moderator values, with its bootstrap interval.
#[derive(Debug, Clone, PartialEq)]
pub struct IndirectCurve {
    /// Variables along the path, X first and Y last.
    pub path: Vec<String>,
    pub moderator: String,
    pub grid: Vec<f64>,
    pub estimate: Vec<f64>,
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
    /// Index of moderated mediation with its interval (index, lower, upper), when it exists.
    pub index: Option<(f64, f64, f64)>,
    /// The moderator's observed minimum and maximum.
    pub observed_range: (f64, f64),
    /// Confidence level in percent.
    pub conf: f64,
}

/// The plot of an [`IndirectCurve`], ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct IndirectPlot {
    pub curve: IndirectCurve,
    pub title: String,
    pub x_label: String,
    pub caption: String,
    pub theme: Theme,
}

impl IndirectPlot {
    /// Checks the curve and words the title and caption.
    pub fn new(
        curve: IndirectCurve,
        labels: &Labels,
        theme: Theme,
        decimals: usize,
    ) -> Result<Self, PlotError> {
        let n = curve.grid.len();
        let bad = |message: String| PlotError::Input {
            figure: "conditional indirect effect plot".into(),
            message,
        };
        if n < 2 {
            return Err(bad(format!(
                "the grid has {n} point(s); at least 2 are needed"
            )));
        }
        for (name, v) in [
            ("estimate", &curve.estimate),
            ("lower", &curve.lower),
            ("upper", &curve.upper),
        ] {
            if v.len() != n {
                return Err(bad(format!(
                    "{name} has {} values for {n} grid points",
                    v.len()
                )));
            }
        }
        if curve.path.len() < 2 {
            return Err(bad("the path needs at least X and Y".into()));
        }
        let path: Vec<String> = curve.path.iter().map(|v| labels.var(v)).collect();
        let mut caption = format!("Band: {}% bootstrap confidence interval.", curve.conf);
        if let Some((i, lo, hi)) = curve.index {
            caption += &format!(
                " Index of moderated mediation: {i:.d$}, {}% CI [{lo:.d$}, {hi:.d$}].",
                curve.conf,
                d = decimals
            );
        }
        Ok(IndirectPlot {
            title: format!("Indirect effect {}", path.join(" → ")),
            x_label: labels.var(&curve.moderator),
            caption,
            curve,
            theme,
        })
    }
}

impl Figure for IndirectPlot {
    fn title(&self) -> String {
        "conditional indirect effect plot".into()
    }

    fn size_pt(&self) -> (f64, f64) {
        PLOT_SIZE
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, s: f64) -> Result<(), String>
    where
        DB::ErrorType: 'static,
    {
        let t = &self.theme;
        let c = &self.curve;
        let plot_area = chart::with_caption(area, s, Some(&self.caption), t)?;
        let (g0, g1) = chart::range(
            c.grid
                .iter()
                .copied()
                .chain([c.observed_range.0, c.observed_range.1]),
        );
        let xr = chart::padded(g0, g1, 0.03);
        let (y0, y1) = chart::range(c.lower.iter().chain(&c.upper).copied().chain([0.0]));
        let (ylo, yhi) = chart::padded(y0, y1, 0.08);
        let yr = (ylo - (yhi - ylo) * 0.08, yhi);
        let mut ch = chart::frame(
            &plot_area,
            s,
            t,
            chart::Axes {
                title: &self.title,
                x_label: &self.x_label,
                y_label: "Conditional indirect effect",
                x: xr,
                y: yr,
                x_names: None,
            },
        )?;
        chart::zero_line(&mut ch, xr, yr, s)?;
        let color = t.series(1);
        chart::band(&mut ch, &c.grid, &c.lower, &c.upper, color, 0.18)?;
        ch.draw_series(LineSeries::new(
            c.grid.iter().copied().zip(c.estimate.iter().copied()),
            color.stroke_width((2.0 * s).max(1.0) as u32),
        ))
        .map_err(super::canvas::err)?;
        chart::observed_bracket(
            &mut ch,
            c.observed_range,
            yr,
            &format!("observed range of {}", self.x_label),
            t,
            s,
        )?;
        Ok(())
    }
}

/// Conditional indirect effect curves from an analysis' bootstrap draws, for every path whose
/// indirect effect is probed along one numeric moderator. Along such a path the effect is a
/// polynomial in the moderator whose degree is the number of moderated stages; when the probes
/// outnumber that degree, each draw's polynomial is fixed exactly by its values at the probes
/// (Lagrange interpolation), so the band at every grid point is the percentile interval of the
/// draws' own curves. Paths with too few probes for their degree are skipped.
pub fn indirect_curves(analysis: &crate::analysis::Analysis) -> Vec<IndirectCurve> {
    use crate::effects::EffectKind;
    let Some(draws) = &analysis.draws else {
        return Vec::new();
    };
    let m = draws.names.len();
    let conf = analysis.options.conf;
    let mut out = Vec::new();
    let mut paths: Vec<(Vec<String>, String)> = Vec::new();
    for e in &analysis.effects {
        if e.def.kind == EffectKind::Indirect && e.def.moderators.len() == 1 {
            let key = (e.def.path.clone(), e.def.moderators[0].0.clone());
            if !paths.contains(&key) {
                paths.push(key);
            }
        }
    }
    for (path, w) in paths {
        let Some((_, points)) = analysis.probes.iter().find(|(n, _)| *n == w) else {
            continue;
        };
        // (probe value, effect index) of this path's conditional effects.
        let at: Vec<(f64, usize)> = analysis
            .effects
            .iter()
            .enumerate()
            .filter(|(i, e)| {
                *i < m
                    && e.def.kind == EffectKind::Indirect
                    && e.def.path == path
                    && e.def.moderators.len() == 1
                    && e.def.moderators[0].0 == w
            })
            .filter_map(|(i, e)| {
                let p = points.iter().find(|p| p.label == e.def.moderators[0].1)?;
                p.value.is_finite().then_some((p.value, i))
            })
            .collect();
        let degree = moderated_stages(analysis, &path, &w);
        let mut xs: Vec<f64> = at.iter().map(|a| a.0).collect();
        xs.sort_by(f64::total_cmp);
        xs.dedup();
        if degree == 0 || xs.len() != at.len() || at.len() < degree + 1 {
            continue;
        }
        let Some(observed) = observed_range(analysis, &w) else {
            continue;
        };
        let n = 101;
        let nodes: Vec<f64> = at.iter().map(|a| a.0).collect();
        // The probes are on the grid, so the curve shows the reported effects and intervals.
        let mut grid: Vec<f64> = (0..n)
            .map(|i| observed.0 + (observed.1 - observed.0) * i as f64 / (n - 1) as f64)
            .chain(nodes.iter().copied())
            .collect();
        grid.sort_by(f64::total_cmp);
        grid.dedup();
        let interpolate = |ys: &[f64], x: f64| lagrange(&nodes, ys, x);
        let point: Vec<f64> = at.iter().map(|a| analysis.effects[a.1].effect).collect();
        let rows: Vec<Vec<f64>> = draws
            .values
            .chunks(m)
            .map(|row| at.iter().map(|a| row[a.1]).collect())
            .collect();
        let mut estimate = Vec::with_capacity(grid.len());
        let mut lower = Vec::with_capacity(grid.len());
        let mut upper = Vec::with_capacity(grid.len());
        for &g in &grid {
            // At a probe, the draws themselves (interpolation would only add rounding).
            let probe = at.iter().position(|a| a.0 == g);
            let est = probe.map_or_else(|| interpolate(&point, g), |k| point[k]);
            let col: Vec<f64> = rows
                .iter()
                .map(|r| probe.map_or_else(|| interpolate(r, g), |k| r[k]))
                .collect();
            let s = crate::inference::summarise_with(
                &col,
                est,
                conf,
                crate::inference::CiMethod::Percentile,
                0.0,
            );
            estimate.push(est);
            lower.push(s.lower);
            upper.push(s.upper);
        }
        let index = analysis
            .effects
            .iter()
            .find(|e| {
                e.def.kind == EffectKind::IndexOfModeratedMediation
                    && e.def.path == path
                    && e.def.label.as_deref() == Some(w.as_str())
            })
            .map(|e| (e.effect, e.ci_lower, e.ci_upper));
        out.push(IndirectCurve {
            path,
            moderator: w,
            grid,
            estimate,
            lower,
            upper,
            index,
            observed_range: observed,
            conf,
        });
    }
    out
}

/// How many stages of `path` the moderator `w` moderates (the degree of the indirect effect in w).
fn moderated_stages(analysis: &crate::analysis::Analysis, path: &[String], w: &str) -> usize {
    path.windows(2)
        .filter(|st| {
            analysis
                .spec
                .equations
                .iter()
                .find(|e| e.outcome == st[1])
                .is_some_and(|e| {
                    e.terms.iter().any(|t| {
                        t.factors.len() > 1
                            && t.factors.contains(&st[0])
                            && t.factors.iter().any(|f| f == w)
                    })
                })
        })
        .count()
}

/// The observed minimum and maximum of a numeric moderator (from any equation it enters).
fn observed_range(analysis: &crate::analysis::Analysis, w: &str) -> Option<(f64, f64)> {
    analysis.equations.iter().find_map(|(fit, _)| {
        let j = fit.index_of(w)?;
        let s = fit.column_stats.get(j)?;
        (s.max > s.min).then_some((s.min, s.max))
    })
}

/// The polynomial through `(xs[i], ys[i])` evaluated at `x`.
fn lagrange(xs: &[f64], ys: &[f64], x: f64) -> f64 {
    (0..xs.len())
        .map(|i| {
            let basis: f64 = (0..xs.len())
                .filter(|&j| j != i)
                .map(|j| (x - xs[j]) / (xs[i] - xs[j]))
                .product();
            ys[i] * basis
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lagrange_reproduces_a_quadratic() {
        let f = |x: f64| 0.5 - 2.0 * x + 0.25 * x * x;
        let xs = [1.0, 2.5, 4.0];
        let ys: Vec<f64> = xs.iter().map(|&x| f(x)).collect();
        for x in [0.0, 1.7, 3.3, 6.0] {
            assert!((lagrange(&xs, &ys, x) - f(x)).abs() < 1e-12);
        }
    }

    #[test]
    fn mismatched_curves_are_typed_errors() {
        let c = IndirectCurve {
            path: vec!["x".into(), "m".into(), "y".into()],
            moderator: "w".into(),
            grid: vec![0.0, 1.0, 2.0],
            estimate: vec![0.1, 0.2],
            lower: vec![0.0; 3],
            upper: vec![0.3; 3],
            index: None,
            observed_range: (0.0, 2.0),
            conf: 95.0,
        };
        let e = IndirectPlot::new(c, &Labels::default(), Theme::default(), 3).unwrap_err();
        assert!(matches!(e, PlotError::Input { .. }), "{e}");
        assert!(e
            .to_string()
            .contains("estimate has 2 values for 3 grid points"));
    }
}
