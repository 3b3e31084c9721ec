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
    /// The other moderators' probe values the curve holds fixed: (moderator, value label).
    pub fixed: Vec<(String, String)>,
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
        let at = curve
            .fixed
            .iter()
            .map(|(m, v)| format!("{} = {}", labels.var(m), super::interaction::probe_text(v)))
            .collect::<Vec<_>>()
            .join(", ");
        Ok(IndirectPlot {
            title: if at.is_empty() {
                format!("Indirect effect {}", path.join(" → "))
            } else {
                format!("Indirect effect {} at {at}", path.join(" → "))
            },
            x_label: labels.var(&curve.moderator),
            caption,
            curve,
            theme,
        })
    }
}

impl IndirectPlot {
    /// What the plot shows, for a results page: the path, the moderator it runs along and the
    /// values the other moderators are held at.
    pub fn heading(&self) -> String {
        let c = &self.curve;
        format!(
            "Conditional indirect effect plot ({}): the indirect effect across the observed range of {} ({}), with its {}% bootstrap confidence band",
            self.title,
            self.x_label,
            super::interaction::range_text(c.observed_range, 3),
            c.conf
        )
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
            &[],
            t,
            s,
        )?;
        Ok(())
    }
}

/// The analysis' conditional indirect effect curves (each moderated specific indirect effect
/// over a numeric moderator's observed range, with pointwise intervals from the same draws and
/// interval method as its probed effects), ready to plot. Total indirect effects are left out.
pub fn indirect_curves(analysis: &crate::analysis::Analysis) -> Vec<IndirectCurve> {
    analysis
        .indirect_curves
        .iter()
        .filter(|c| c.def.kind == crate::effects::EffectKind::Indirect)
        .map(|c| IndirectCurve {
            path: c.def.path.clone(),
            moderator: c.def.moderator.clone(),
            grid: c.grid.clone(),
            estimate: c.estimate.clone(),
            lower: c.lower.clone(),
            upper: c.upper.clone(),
            index: c.index,
            observed_range: (c.grid[0], c.grid[c.grid.len() - 1]),
            conf: analysis.options.conf,
            fixed: c.def.fixed.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
            fixed: Vec::new(),
        };
        let e = IndirectPlot::new(c, &Labels::default(), Theme::default(), 3).unwrap_err();
        assert!(matches!(e, PlotError::Input { .. }), "{e}");
        assert!(e
            .to_string()
            .contains("estimate has 2 values for 3 grid points"));
    }
}
