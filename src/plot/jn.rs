//! The Johnson-Neyman plot: the conditional effect of the focal predictor across the moderator
//! with its confidence band (the analysis' [`crate::analysis::JnCurve`]), the region where it is
//! significant shaded, the Johnson-Neyman points marked and the moderator's observed range shown.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::canvas::{err, Figure};
use super::chart::{self, PLOT_SIZE};
use super::font::FAMILY;
use super::labels::Labels;
use super::theme::Theme;
use crate::analysis::Analysis;

/// A Johnson-Neyman plot, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct JnPlot {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub w: Vec<f64>,
    pub effect: Vec<f64>,
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
    pub points: Vec<f64>,
    /// The moderator's observed minimum and maximum.
    pub observed: (f64, f64),
    pub caption: String,
    pub theme: Theme,
}

/// One plot per Johnson-Neyman result of the analysis, with file stems.
pub fn jn_plots(analysis: &Analysis, labels: &Labels, theme: Theme) -> Vec<(String, JnPlot)> {
    let conf = analysis.options.conf;
    analysis
        .johnson_neyman
        .iter()
        .map(|jn| {
            let c = &jn.curve;
            let (w, effect, lower, upper) = (c.w.clone(), c.effect.clone(), c.lower.clone(), c.upper.clone());
            let observed = chart::range(jn.table.iter().map(|r| r.value));
            let points = jn.points.iter().map(|p| format!("{:.3}", p)).collect::<Vec<_>>();
            let spans = significant_spans(&w, &lower, &upper);
            let caption = if points.is_empty() {
                let where_ = if spans.is_empty() { "nowhere" } else { "everywhere" };
                format!(
                    "Band: {conf}% confidence interval; shaded: where the effect differs from zero ({where_} in the observed range of {}: no Johnson-Neyman point).",
                    labels.var(&jn.moderator)
                )
            } else {
                format!(
                    "Band: {conf}% confidence interval; shaded: where the effect differs from zero. Johnson-Neyman point(s): {}.",
                    points.join(", ")
                )
            };
            let stem = format!(
                "jn_{}_on_{}_by_{}",
                super::interaction::sanitize(&jn.focal),
                super::interaction::sanitize(&jn.outcome),
                super::interaction::sanitize(&jn.moderator)
            );
            let plot = JnPlot {
                title: format!(
                    "Conditional effect of {} on {}",
                    labels.term(&jn.focal),
                    labels.var(&jn.outcome)
                ),
                x_label: labels.var(&jn.moderator),
                y_label: format!("Effect of {}", labels.term(&jn.focal)),
                w,
                effect,
                lower,
                upper,
                points: jn.points.clone(),
                observed,
                caption,
                theme,
            };
            (stem, plot)
        })
        .collect()
}

/// Runs of consecutive grid points where the band excludes zero, as `(from, to)` in w.
pub fn significant_spans(w: &[f64], lower: &[f64], upper: &[f64]) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for i in 0..w.len() {
        let sig = lower[i] > 0.0 || upper[i] < 0.0;
        match (sig, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((w[s], w[i - 1]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((w[s], w[w.len() - 1]));
    }
    out
}

impl Figure for JnPlot {
    fn title(&self) -> String {
        "Johnson-Neyman plot".into()
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
        let xr = chart::padded(self.observed.0, self.observed.1, 0.03);
        let (y0, y1) = chart::range(self.lower.iter().chain(&self.upper).copied().chain([0.0]));
        let (ylo, yhi) = chart::padded(y0, y1, 0.08);
        // Room below for the observed-range bracket.
        let yr = (ylo - (yhi - ylo) * 0.08, yhi);
        let mut ch = chart::frame(
            &plot_area,
            s,
            t,
            chart::Axes {
                title: &self.title,
                x_label: &self.x_label,
                y_label: &self.y_label,
                x: xr,
                y: yr,
                x_names: None,
            },
        )?;
        for (a, b) in significant_spans(&self.w, &self.lower, &self.upper) {
            ch.draw_series(std::iter::once(Rectangle::new(
                [(a, yr.0), (b, yr.1)],
                t.shade().filled(),
            )))
            .map_err(err)?;
        }
        chart::zero_line(&mut ch, xr, yr, s)?;
        let color = t.series(0);
        chart::band(&mut ch, &self.w, &self.lower, &self.upper, color, 0.15)?;
        let w = (2.0 * s).max(1.0) as u32;
        ch.draw_series(LineSeries::new(
            self.w.iter().copied().zip(self.effect.iter().copied()),
            color.stroke_width(w),
        ))
        .map_err(err)?;
        for lo_hi in [&self.lower, &self.upper] {
            ch.draw_series(LineSeries::new(
                self.w.iter().copied().zip(lo_hi.iter().copied()),
                color.mix(0.6).stroke_width((1.0 * s).max(1.0) as u32),
            ))
            .map_err(err)?;
        }
        let accent = t.accent();
        let style = TextStyle::from((FAMILY, t.font_pt * 0.85 * s).into_font())
            .color(&accent)
            .pos(Pos::new(HPos::Left, VPos::Top));
        for p in &self.points {
            chart::vline(
                &mut ch,
                *p,
                yr,
                accent.stroke_width((1.2 * s).max(1.0) as u32),
                s,
            )?;
            ch.draw_series(std::iter::once(Text::new(
                format!(" {}", chart::tick(*p)),
                (*p, yr.1),
                style.clone(),
            )))
            .map_err(err)?;
        }
        chart::observed_bracket(
            &mut ch,
            self.observed,
            (yr.0, yr.1),
            &format!("observed range of {}", self.x_label),
            &self.points,
            t,
            s,
        )?;
        Ok(())
    }
}
