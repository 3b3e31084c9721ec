//! The figure of a curvilinear effect (issue 15): the fitted curve with its pointwise confidence
//! band, the turning point (dashed) with Fieller's interval shaded, and the observed cases (for a
//! logistic equation, each case's predicted probability on the probability curve). It draws the
//! numbers `effects::quadratic_curve` computed.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::effects::QuadraticCurve;

use super::canvas::{err, Figure};
use super::chart::{self, PLOT_SIZE};
use super::theme::Theme;
use super::PlotError;

/// A curvilinear-effect figure, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct QuadraticPlot {
    pub curve: QuadraticCurve,
    pub theme: Theme,
}

impl QuadraticPlot {
    /// Checks that the curve has finite points to draw.
    pub fn new(curve: QuadraticCurve, theme: Theme) -> Result<Self, PlotError> {
        if curve.x.len() < 2 || curve.fit.iter().any(|v| !v.is_finite()) {
            return Err(PlotError::Input {
                figure: "curvilinear effect".into(),
                message: format!("the curve of '{}' has no finite points", curve.variable),
            });
        }
        Ok(QuadraticPlot { curve, theme })
    }

    fn caption(&self) -> String {
        let c = &self.curve;
        let mut s = format!("Band: pointwise {}% confidence interval", c.conf);
        if c.turning_point.is_some() {
            s += if c.interval.is_some() {
                "; dashed line: turning point, shaded: Fieller's interval"
            } else {
                "; dashed line: turning point (Fieller's interval unbounded)"
            };
        }
        if !c.held_at_means.is_empty() {
            s += &format!("; {} at means", c.held_at_means.join(", "));
        }
        s + "."
    }
}

impl Figure for QuadraticPlot {
    fn title(&self) -> String {
        format!("curvilinear effect of {}", self.curve.variable)
    }

    fn size_pt(&self) -> (f64, f64) {
        PLOT_SIZE
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, s: f64) -> Result<(), String>
    where
        DB::ErrorType: 'static,
    {
        let (t, c) = (&self.theme, &self.curve);
        let plot_area = chart::with_caption(area, s, Some(&self.caption()), t)?;
        let xr = chart::padded(c.x[0], c.x[c.x.len() - 1], 0.03);
        let ys = c
            .lower
            .iter()
            .chain(&c.upper)
            .chain(c.cases.iter().map(|p| &p.1))
            .copied()
            .filter(|v| v.is_finite());
        let yr = if c.probability {
            (0.0, 1.0)
        } else {
            let (a, b) = chart::range(ys);
            chart::padded(a, b, 0.05)
        };
        let y_label = if c.probability {
            format!("P({} = 1)", c.outcome)
        } else {
            c.outcome.clone()
        };
        let title = format!("{} on {}", c.outcome, c.variable);
        let mut ch = chart::frame(
            &plot_area,
            s,
            t,
            chart::Axes {
                title: &title,
                x_label: &c.variable,
                y_label: &y_label,
                x: xr,
                y: yr,
                x_names: None,
            },
        )?;
        if let Some((lo, hi)) = c.interval {
            let (lo, hi) = (lo.max(xr.0), hi.min(xr.1));
            if lo < hi {
                chart::band(
                    &mut ch,
                    &[lo, hi],
                    &[yr.0, yr.0],
                    &[yr.1, yr.1],
                    t.shade(),
                    0.6,
                )?;
            }
        }
        let color = t.series(0);
        chart::band(&mut ch, &c.x, &c.lower, &c.upper, color, 0.2)?;
        let dot = t.series(1).mix(0.5).filled();
        ch.draw_series(
            c.cases
                .iter()
                .filter(|p| p.1.is_finite())
                .map(|&(x, y)| Circle::new((x, y), (1.8 * s) as i32, dot)),
        )
        .map_err(err)?;
        let pts: Vec<(f64, f64)> = c.x.iter().copied().zip(c.fit.iter().copied()).collect();
        ch.draw_series(LineSeries::new(
            pts,
            color.stroke_width((2.0 * s).max(1.0) as u32),
        ))
        .map_err(err)?;
        if let Some(x) = c.turning_point.filter(|x| *x >= xr.0 && *x <= xr.1) {
            let style = RGBColor(60, 60, 60).stroke_width((1.2 * s).max(1.0) as u32);
            chart::vline(&mut ch, x, yr, style, s)?;
        }
        Ok(())
    }
}
