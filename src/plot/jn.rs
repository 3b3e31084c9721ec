//! The Johnson-Neyman plot: the conditional effect of the focal predictor across the moderator
//! with its confidence band (the analysis' [`crate::analysis::JnCurve`]), the region where it is
//! significant shaded, the Johnson-Neyman points marked and the moderator's observed range shown.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::canvas::{err, Figure};
use super::chart::{self, PLOT_SIZE};
use super::font::{self, FAMILY};
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
    /// The Johnson-Neyman points as printed, in the plot and in its caption alike.
    pub point_labels: Vec<String>,
    /// What the plot shows, for a results page.
    pub heading: String,
    /// The moderator's observed minimum and maximum.
    pub observed: (f64, f64),
    pub caption: String,
    pub theme: Theme,
}

/// One plot per Johnson-Neyman result of the analysis, with file stems (points with three
/// decimals).
pub fn jn_plots(analysis: &Analysis, labels: &Labels, theme: Theme) -> Vec<(String, JnPlot)> {
    jn_plots_with(analysis, labels, theme, 3)
}

/// As [`jn_plots`], the Johnson-Neyman points printed with `decimals` decimals in the plot and
/// its caption.
pub fn jn_plots_with(
    analysis: &Analysis,
    labels: &Labels,
    theme: Theme,
    decimals: usize,
) -> Vec<(String, JnPlot)> {
    let conf = analysis.options.conf;
    // In greys a fill would look like the band: the region is hatched instead.
    let shaded = if theme.greyscale { "hatched" } else { "shaded" };
    analysis
        .johnson_neyman
        .iter()
        .map(|jn| {
            let c = &jn.curve;
            let (w, effect, lower, upper) = (c.w.clone(), c.effect.clone(), c.lower.clone(), c.upper.clone());
            let observed = chart::range(jn.table.iter().map(|r| r.value));
            let points: Vec<String> =
                jn.points.iter().map(|p| format!("{p:.decimals$}")).collect();
            let spans = significant_spans(&w, &lower, &upper);
            let caption = if points.is_empty() {
                let where_ = if spans.is_empty() { "nowhere" } else { "everywhere" };
                format!(
                    "Band: {conf}% confidence interval; {shaded}: where the effect differs from zero ({where_} in the observed range of {}: no Johnson-Neyman point).",
                    labels.var(&jn.moderator)
                )
            } else {
                format!(
                    "Band: {conf}% confidence interval; {shaded}: where the effect differs from zero. Johnson-Neyman point(s): {}.",
                    points.join(", ")
                )
            };
            let stem = format!(
                "jn_{}_on_{}_by_{}",
                super::interaction::sanitize(&jn.focal),
                super::interaction::sanitize(&jn.outcome),
                super::interaction::sanitize(&jn.moderator)
            );
            let heading = format!(
                "Johnson-Neyman plot: the conditional effect of {} on {} across the observed range of {} ({}), with its {conf}% confidence band{}",
                labels.term(&jn.focal),
                labels.var(&jn.outcome),
                labels.var(&jn.moderator),
                super::interaction::range_text(observed, decimals),
                if points.is_empty() {
                    "; no Johnson-Neyman point".to_string()
                } else {
                    format!("; Johnson-Neyman point(s) at {}", points.join(", "))
                }
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
                point_labels: points,
                heading,
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
            if t.greyscale {
                hatch(&mut ch, (a, b), xr, yr, s)?;
            } else {
                ch.draw_series(std::iter::once(Rectangle::new(
                    [(a, yr.0), (b, yr.1)],
                    t.shade().filled(),
                )))
                .map_err(err)?;
            }
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
        let size = t.font_pt * 0.85;
        let style = TextStyle::from((FAMILY, font::px(size, s)).into_font()).color(&accent);
        for (p, label) in self.points.iter().zip(&self.point_labels) {
            chart::vline(
                &mut ch,
                *p,
                yr,
                accent.stroke_width((1.2 * s).max(1.0) as u32),
                s,
            )?;
            // Inside the plot area: to the right of the line, or to its left when the label
            // would run past the right edge.
            let room = (xr.1 - p) / (xr.1 - xr.0) * chart::data_width_pt(&ch, s);
            let (text, anchor) = if font::text_width(&format!(" {label}"), size) < room {
                (format!(" {label}"), HPos::Left)
            } else {
                (format!("{label} "), HPos::Right)
            };
            ch.draw_series(std::iter::once(Text::new(
                text,
                (*p, yr.1),
                style.clone().pos(Pos::new(anchor, VPos::Top)),
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

/// Diagonal hatching over `span` of the x axis (the greyscale region of significance, which a
/// grey fill would not tell from the grey confidence band): lines at 45 degrees on the page,
/// 6 pt apart.
fn hatch<DB: DrawingBackend>(
    ch: &mut chart::Chart<'_, DB>,
    span: (f64, f64),
    xr: (f64, f64),
    yr: (f64, f64),
    s: f64,
) -> Result<(), String> {
    let (w_pt, h_pt) = (chart::data_width_pt(ch, s), chart::data_height_pt(ch, s));
    if w_pt <= 0.0 || h_pt <= 0.0 {
        return Ok(());
    }
    // x units per point; a 45-degree line rises the plot's height over this many x units.
    let per_pt = (xr.1 - xr.0) / w_pt;
    let run = h_pt * per_pt;
    let step = 6.0 * per_pt;
    let mut lines = Vec::new();
    let mut x = span.0 - run;
    while x < span.1 {
        // The line from (x, bottom) to (x + run, top), clipped to the span.
        let (t0, t1) = (
            ((span.0 - x) / run).clamp(0.0, 1.0),
            ((span.1 - x) / run).clamp(0.0, 1.0),
        );
        if t1 > t0 {
            let at = |t: f64| (x + t * run, yr.0 + t * (yr.1 - yr.0));
            lines.push(PathElement::new(
                vec![at(t0), at(t1)],
                RGBColor(150, 150, 150).stroke_width((0.8 * s).max(1.0) as u32),
            ));
        }
        x += step;
    }
    ch.draw_series(lines).map_err(err)?;
    Ok(())
}
