//! The interaction plot: predicted outcome against the focal predictor at each probe value of
//! the moderator(s), with confidence bands, as the analysis computed them
//! ([`crate::analysis::SimpleSlopes`]: other predictors held at their sample means, bands with
//! the critical value of the printed intervals). A categorical focal predictor is shown at its
//! levels with interval bars.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::canvas::{err, Figure};
use super::chart::{self, PLOT_SIZE};
use super::labels::Labels;
use super::theme::Theme;
use super::PlotError;
use crate::analysis::{Analysis, SimpleSlopes};

/// One line: predictions at one combination of moderator values.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub label: String,
    pub fit: Vec<f64>,
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
}

/// An interaction plot, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct InteractionPlot {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    /// Values of the focal predictor (level positions 0, 1, ... when categorical).
    pub x: Vec<f64>,
    /// Level names when the focal predictor is categorical.
    pub levels: Option<Vec<String>>,
    pub lines: Vec<Line>,
    pub caption: String,
    pub theme: Theme,
    /// Observed cases `(x, y, line)`, each with the line of the probe value nearest its
    /// moderator value (see [`add_observed`]); empty unless asked for.
    pub points: Vec<(f64, f64, usize)>,
    /// The focal variable, the outcome and the single numeric moderator with its probe values,
    /// for placing observed cases.
    pub source: Option<(String, String, String, Vec<f64>)>,
}

/// Adds the observed cases to an interaction plot of a numeric focal predictor and one numeric
/// moderator: every row of `data` with the focal predictor, the outcome and the moderator present,
/// drawn in the colour of the probe value nearest its moderator value. Returns false (and leaves
/// the plot alone) when the plot has another shape or the analysis centred its variables (the
/// lines are then on the centred scale).
pub fn add_observed(
    plot: &mut InteractionPlot,
    data: &crate::data::Dataset,
    centred: bool,
) -> bool {
    let Some((x, y, w, probes)) = plot.source.clone() else {
        return false;
    };
    if centred || plot.levels.is_some() {
        return false;
    }
    let (Ok(xs), Ok(ys), Ok(ws)) = (data.numeric(&x), data.numeric(&y), data.numeric(&w)) else {
        return false;
    };
    plot.points = xs
        .iter()
        .zip(ys)
        .zip(ws)
        .filter(|((a, b), c)| a.is_finite() && b.is_finite() && c.is_finite())
        .map(|((a, b), c)| {
            let line = probes
                .iter()
                .enumerate()
                .min_by(|(_, p), (_, q)| (*p - c).abs().total_cmp(&(*q - c).abs()))
                .map_or(0, |(k, _)| k);
            (*a, *b, line)
        })
        .collect();
    plot.caption += " Points: observed cases, coloured by the nearest probe value.";
    true
}

/// Interaction plots for every moderated focal predictor of an analysis: one per
/// [`SimpleSlopes`] (one per outcome and focal variable; a categorical focal predictor with all
/// its coded columns together). Returns file stems with the plots.
pub fn interaction_plots(
    analysis: &Analysis,
    labels: &Labels,
    theme: Theme,
) -> Result<Vec<(String, InteractionPlot)>, PlotError> {
    let conf = analysis.options.conf;
    let mut out = Vec::new();
    for s in &analysis.simple_slopes {
        let stem = format!(
            "interaction_{}_on_{}",
            sanitize(&s.focal),
            sanitize(&s.outcome)
        );
        out.push((stem, build(analysis, s, labels, theme, conf)));
    }
    Ok(out)
}

/// A file-name-safe version of a variable name.
pub fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn build(
    analysis: &Analysis,
    s: &SimpleSlopes,
    labels: &Labels,
    theme: Theme,
    conf: f64,
) -> InteractionPlot {
    let lines = s
        .lines
        .iter()
        .map(|l| Line {
            label: l
                .at
                .iter()
                .map(|(m, p)| format!("{} = {p}", labels.var(m)))
                .collect::<Vec<_>>()
                .join(", "),
            fit: l.fit.clone(),
            lower: l.lower.clone(),
            upper: l.upper.clone(),
        })
        .collect();
    let y_label = if s.probability {
        format!("Predicted probability of {}", labels.var(&s.outcome))
    } else {
        format!("Predicted {}", labels.var(&s.outcome))
    };
    let mods: Vec<String> = s.moderators.iter().map(|m| labels.var(m)).collect();
    let mut caption = format!(
        "Lines: predicted values at the probe values of {}; {}: {conf}% confidence intervals.",
        mods.join(" and "),
        if s.levels.is_some() { "bars" } else { "bands" }
    );
    let others: Vec<String> = s.held_at_means.iter().map(|t| labels.term(t)).collect();
    if !others.is_empty() {
        caption += &format!(" Held at their means: {}.", others.join(", "));
    }
    InteractionPlot {
        title: format!(
            "{} × {} on {}",
            labels.var(&s.focal),
            mods.join(" × "),
            labels.var(&s.outcome)
        ),
        x_label: labels.var(&s.focal),
        y_label,
        x: s.x.clone(),
        levels: s.levels.clone(),
        lines,
        caption,
        theme,
        points: Vec::new(),
        source: observed_source(analysis, s),
    }
}

/// For a numeric focal predictor and one numeric moderator: the focal variable, the outcome, the
/// moderator and its probe values (where [`add_observed`] places the observed cases).
fn observed_source(a: &Analysis, s: &SimpleSlopes) -> Option<(String, String, String, Vec<f64>)> {
    let [m] = s.moderators.as_slice() else {
        return None;
    };
    let (fit, _) = a.equations.iter().find(|(f, _)| f.outcome == s.outcome)?;
    if s.levels.is_some() || fit.coding.iter().any(|c| &c.variable == m) {
        return None;
    }
    let (_, points) = a.probes.iter().find(|(n, _)| n == m)?;
    let values: Option<Vec<f64>> = points
        .iter()
        .map(|p| p.codes.first().copied().filter(|v| v.is_finite()))
        .collect();
    values.map(|v| (s.focal.clone(), s.outcome.clone(), m.clone(), v))
}

impl Figure for InteractionPlot {
    fn title(&self) -> String {
        "interaction plot".into()
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
        let (x0, x1) = chart::range(self.x.iter().copied());
        let xr = if self.levels.is_some() {
            (x0 - 0.5, x1 + 0.5)
        } else if !self.points.is_empty() {
            // Observed cases at the extremes would be cut in half at the axes' edges.
            chart::padded(x0, x1, 0.02)
        } else {
            (x0, x1)
        };
        let (y0, y1) = chart::range(
            self.lines
                .iter()
                .flat_map(|l| l.lower.iter().chain(&l.upper).copied())
                .chain(self.points.iter().map(|p| p.1)),
        );
        // Room at the top for the legend.
        let (ylo, yhi) = chart::padded(y0, y1, 0.06);
        let yr = (ylo, yhi + (yhi - ylo) * 0.08 * self.lines.len() as f64);
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
                x_names: self.levels.as_deref(),
            },
        )?;
        let w = (2.0 * s).max(1.0) as u32;
        // Observed cases first, under the lines.
        for (k, _) in self.lines.iter().enumerate() {
            let color = t.series(k);
            ch.draw_series(self.points.iter().filter(|p| p.2 == k).map(|p| {
                Circle::new(
                    (p.0, p.1),
                    (1.6 * s).round() as i32,
                    color.mix(0.35).filled(),
                )
            }))
            .map_err(err)?;
        }
        let n = self.lines.len().max(1) as f64;
        for (k, line) in self.lines.iter().enumerate() {
            let color = t.series(k);
            if self.levels.is_some() {
                let dodge = (k as f64 - (n - 1.0) / 2.0) * 0.08;
                let pts: Vec<(f64, f64)> = self
                    .x
                    .iter()
                    .map(|x| x + dodge)
                    .zip(line.fit.iter().copied())
                    .collect();
                for (i, (x, _)) in pts.iter().enumerate() {
                    ch.draw_series(std::iter::once(PathElement::new(
                        vec![(*x, line.lower[i]), (*x, line.upper[i])],
                        color.stroke_width(w),
                    )))
                    .map_err(err)?;
                }
                ch.draw_series(LineSeries::new(pts.clone(), color.stroke_width(w)))
                    .map_err(err)?
                    .label(line.label.clone())
                    .legend(move |(x, y)| {
                        PathElement::new(
                            vec![(x, y), (x + (16.0 * s) as i32, y)],
                            color.stroke_width(w),
                        )
                    });
                ch.draw_series(
                    pts.iter()
                        .map(|p| Circle::new(*p, (3.0 * s) as i32, color.filled())),
                )
                .map_err(err)?;
            } else {
                chart::band(&mut ch, &self.x, &line.lower, &line.upper, color, 0.12)?;
                let pts: Vec<(f64, f64)> = self
                    .x
                    .iter()
                    .copied()
                    .zip(line.fit.iter().copied())
                    .collect();
                // In greys, dashes tell the lines apart.
                let (dash, gap) = match (t.greyscale, k % 3) {
                    (true, 1) => (7.0, 3.0),
                    (true, 2) => (2.0, 2.5),
                    _ => (0.0, 0.0),
                };
                let legend_line = move |(x, y): (i32, i32)| {
                    plotters::element::DashedPathElement::new(
                        vec![(x, y), (x + (16.0 * s) as i32, y)],
                        ((if dash > 0.0 { dash } else { 16.0 }) * s) as i32,
                        (gap * s) as i32,
                        color.stroke_width(w),
                    )
                };
                if dash > 0.0 {
                    ch.draw_series(DashedLineSeries::new(
                        pts,
                        (dash * s) as i32,
                        (gap * s) as i32,
                        color.stroke_width(w),
                    ))
                    .map_err(err)?
                    .label(line.label.clone())
                    .legend(legend_line);
                } else {
                    ch.draw_series(LineSeries::new(pts, color.stroke_width(w)))
                        .map_err(err)?
                        .label(line.label.clone())
                        .legend(legend_line);
                }
            }
        }
        chart::legend(&mut ch, t, s, SeriesLabelPosition::UpperLeft)?;
        Ok(())
    }
}
