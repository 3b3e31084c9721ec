//! The power curve of a Monte Carlo power analysis: power against sample size, one line per
//! effect, with ±1.96 Monte-Carlo standard errors as error bars and the conventional 0.80 target
//! as a dashed line. It takes plain numbers, so it knows nothing of how they were simulated.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::canvas::{err, Figure};
use super::chart::{self, PLOT_SIZE};
use super::theme::Theme;
use super::PlotError;

/// One effect's power at each sample size: `(n, power, Monte-Carlo SE)`.
#[derive(Debug, Clone, PartialEq)]
pub struct PowerSeries {
    pub name: String,
    pub points: Vec<(usize, f64, f64)>,
}

/// A power curve, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct PowerCurve {
    pub title: String,
    pub series: Vec<PowerSeries>,
    /// The target power drawn as a dashed line (0.80), if any.
    pub target: Option<f64>,
    pub caption: String,
    pub theme: Theme,
}

impl PowerCurve {
    /// Checks the series: at least one, each with finite points.
    pub fn new(
        title: impl Into<String>,
        series: Vec<PowerSeries>,
        caption: impl Into<String>,
        theme: Theme,
    ) -> Result<Self, PlotError> {
        let bad = |message: String| PlotError::Input {
            figure: "power curve".into(),
            message,
        };
        if series.is_empty() || series.iter().all(|s| s.points.is_empty()) {
            return Err(bad("there is no effect to draw".into()));
        }
        Ok(PowerCurve {
            title: title.into(),
            series,
            target: Some(0.8),
            caption: caption.into(),
            theme,
        })
    }
}

impl Figure for PowerCurve {
    fn title(&self) -> String {
        "power curve".into()
    }

    fn size_pt(&self) -> (f64, f64) {
        PLOT_SIZE
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, s: f64) -> Result<(), String>
    where
        DB::ErrorType: 'static,
    {
        let t = &self.theme;
        let plot_area = chart::with_caption(area, s, Some(&self.caption), t)?;
        let keys: Vec<chart::Key> = self
            .series
            .iter()
            .enumerate()
            .map(|(i, se)| chart::Key {
                label: se.name.clone(),
                color: t.series(i),
                dash: (0.0, 0.0),
                dot: true,
            })
            .collect();
        let plot_area = chart::legend_below(&plot_area, &keys, t, s)?;
        let ns = self
            .series
            .iter()
            .flat_map(|se| se.points.iter().map(|p| p.0 as f64));
        let (x0, x1) = chart::range(ns);
        let xr = chart::padded(x0, x1, 0.05);
        let yr = (0.0, 1.05);
        let mut ch = chart::frame(
            &plot_area,
            s,
            t,
            chart::Axes {
                title: &self.title,
                x_label: "Sample size (n)",
                y_label: "Power",
                x: xr,
                y: yr,
                x_names: None,
            },
        )?;
        if let Some(target) = self.target {
            ch.draw_series(DashedLineSeries::new(
                vec![(xr.0, target), (xr.1, target)],
                (5.0 * s) as i32,
                (4.0 * s) as i32,
                RGBColor(120, 120, 120).stroke_width((1.0 * s).max(1.0) as u32),
            ))
            .map_err(err)?;
        }
        let w = (2.0 * s).max(1.0) as u32;
        for (i, se) in self.series.iter().enumerate() {
            let color = t.series(i);
            let pts: Vec<(f64, f64)> = se
                .points
                .iter()
                .filter(|p| p.1.is_finite())
                .map(|p| (p.0 as f64, p.1))
                .collect();
            ch.draw_series(LineSeries::new(pts.clone(), color.stroke_width(w)))
                .map_err(err)?;
            ch.draw_series(
                pts.iter()
                    .map(|&(x, y)| Circle::new((x, y), (3.0 * s) as i32, color.filled())),
            )
            .map_err(err)?;
            for p in se
                .points
                .iter()
                .filter(|p| p.1.is_finite() && p.2.is_finite())
            {
                let (x, lo, hi) = (
                    p.0 as f64,
                    (p.1 - 1.96 * p.2).max(0.0),
                    (p.1 + 1.96 * p.2).min(1.0),
                );
                ch.draw_series(std::iter::once(PathElement::new(
                    vec![(x, lo), (x, hi)],
                    color.stroke_width((1.2 * s).max(1.0) as u32),
                )))
                .map_err(err)?;
            }
        }
        Ok(())
    }
}
