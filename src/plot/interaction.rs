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

/// Observed cases drawn at most: beyond this a fixed random sample of them is drawn (a
/// million overlapping dots show nothing and make files of hundreds of megabytes).
pub const MAX_POINTS: usize = 3000;

/// A variable with at most this many distinct values, all on one evenly spaced grid (a Likert
/// item, a count), is jittered: its cases would otherwise sit on top of each other.
const JITTER_LEVELS: usize = 11;

/// SplitMix64 (Steele, Lea and Flood 2014): a fixed pseudo-random number per row, so sampling and
/// jitter are the same on every run and machine.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A number in [-0.5, 0.5) fixed for row `i` and stream `k`.
fn unit(i: usize, k: u64) -> f64 {
    (mix((i as u64) ^ (k << 56)) >> 11) as f64 / (1u64 << 53) as f64 - 0.5
}

/// The spacing of `values`' grid when they take at most [`JITTER_LEVELS`] evenly spaced values.
fn grid_step(values: &[f64]) -> Option<f64> {
    let levels = crate::numeric::distinct_finite(values);
    if levels.len() < 2 || levels.len() > JITTER_LEVELS {
        return None;
    }
    let step = levels[1] - levels[0];
    let even = levels
        .windows(2)
        .all(|w| ((w[1] - w[0]) - step).abs() <= 1e-9 * step.abs().max(1.0));
    even.then_some(step)
}

/// Adds the observed cases to an interaction plot of a numeric focal predictor and one numeric
/// moderator: every row of `data` with the focal predictor, the outcome and the moderator present,
/// drawn in the colour of the probe value nearest its moderator value. Beyond [`MAX_POINTS`]
/// cases a fixed random sample is drawn; a focal predictor or outcome with a few evenly spaced
/// values (a Likert item) is jittered by up to a third of its spacing. The caption says both.
/// Returns false (and leaves the plot alone) when the plot has another shape or the analysis
/// centred its variables (the lines are then on the centred scale).
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
    let mut rows: Vec<usize> = (0..xs.len().min(ys.len()).min(ws.len()))
        .filter(|&i| xs[i].is_finite() && ys[i].is_finite() && ws[i].is_finite())
        .collect();
    let total = rows.len();
    if total > MAX_POINTS {
        // The rows with the smallest fixed random numbers: a simple random sample.
        rows.sort_by_key(|&i| mix(i as u64));
        rows.truncate(MAX_POINTS);
        rows.sort_unstable();
    }
    let used = |v: &[f64]| rows.iter().map(|&i| v[i]).collect::<Vec<f64>>();
    let (jx, jy) = (grid_step(&used(xs)), grid_step(&used(ys)));
    plot.points = rows
        .iter()
        .map(|&i| {
            let c = ws[i];
            let line = probes
                .iter()
                .enumerate()
                .min_by(|(_, p), (_, q)| (*p - c).abs().total_cmp(&(*q - c).abs()))
                .map_or(0, |(k, _)| k);
            let a = xs[i] + jx.map_or(0.0, |st| st * 0.66 * unit(i, 1));
            let b = ys[i] + jy.map_or(0.0, |st| st * 0.66 * unit(i, 2));
            (a, b, line)
        })
        .collect();
    plot.caption += &if total > MAX_POINTS {
        format!(
            " Points: a random sample of {} of the {} observed cases, coloured by the nearest probe value.",
            group(MAX_POINTS),
            group(total)
        )
    } else {
        " Points: observed cases, coloured by the nearest probe value.".to_string()
    };
    let jittered: Vec<&str> = [(jx, "horizontally"), (jy, "vertically")]
        .iter()
        .filter(|(j, _)| j.is_some())
        .map(|(_, d)| *d)
        .collect();
    if !jittered.is_empty() {
        plot.caption += &format!(
            " Points jittered {} by up to a third of the scale's step, so tied values show.",
            jittered.join(" and ")
        );
    }
    true
}

/// An integer with thousands separators (`1,000,000`).
fn group(n: usize) -> String {
    let d = n.to_string();
    let mut out = String::new();
    for (k, c) in d.chars().enumerate() {
        if k > 0 && (d.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
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

/// A probe value as a figure prints it: a number with the digits it needs (`1.0000` -> `1`,
/// `1.2500` -> `1.25`, `-0.0000` -> `0`), anything else (a level's name) as it is.
pub fn probe_text(label: &str) -> String {
    let t = label.trim();
    if t.parse::<f64>().is_err() || !t.contains('.') || t.contains(['e', 'E']) {
        return label.to_string();
    }
    let out = t.trim_end_matches('0').trim_end_matches('.');
    if out == "-0" {
        "0".into()
    } else {
        out.to_string()
    }
}

/// `(lo, hi)` as "lo to hi" with `decimals` digits, trailing zeros dropped.
pub fn range_text(r: (f64, f64), decimals: usize) -> String {
    let f = |v: f64| probe_text(&format!("{v:.decimals$}"));
    format!("{} to {}", f(r.0), f(r.1))
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
                .map(|(m, p)| format!("{} = {}", labels.var(m), probe_text(p)))
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

impl InteractionPlot {
    /// What the plot shows, for a results page: the lines and the probe values they are at.
    pub fn heading(&self) -> String {
        let at: Vec<&str> = self.lines.iter().map(|l| l.label.as_str()).collect();
        let what = if self.levels.is_some() {
            "at each level of"
        } else {
            "against"
        };
        format!(
            "Interaction plot ({}): {} {what} {}, one line at each of {}",
            self.title,
            self.y_label,
            self.x_label,
            at.join("; ")
        )
    }

    /// The legend: one entry per line, dashed as its line is.
    fn keys(&self) -> Vec<chart::Key> {
        let t = &self.theme;
        self.lines
            .iter()
            .enumerate()
            .map(|(k, l)| chart::Key {
                label: l.label.clone(),
                color: t.series(k),
                dash: line_dash(t, k),
                dot: self.levels.is_some(),
            })
            .collect()
    }
}

/// Dashes telling line `k` apart in greys (points on, points off; 0: solid).
fn line_dash(t: &Theme, k: usize) -> (f64, f64) {
    match (t.greyscale, k % 3) {
        (true, 1) => (7.0, 3.0),
        (true, 2) => (2.0, 2.5),
        _ => (0.0, 0.0),
    }
}

impl Figure for InteractionPlot {
    fn title(&self) -> String {
        "interaction plot".into()
    }

    fn size_pt(&self) -> (f64, f64) {
        // Taller by the legend beyond one row: the data region keeps its size.
        let extra = chart::legend_height(&self.keys(), &self.theme, PLOT_SIZE.0);
        let one = chart::legend_height(
            &self.keys()[..1.min(self.lines.len())],
            &self.theme,
            PLOT_SIZE.0,
        );
        (PLOT_SIZE.0, PLOT_SIZE.1 + extra - one)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, s: f64) -> Result<(), String>
    where
        DB::ErrorType: 'static,
    {
        let t = &self.theme;
        let plot_area = chart::with_caption(area, s, Some(&self.caption), t)?;
        let plot_area = chart::legend_below(&plot_area, &self.keys(), t, s)?;
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
        // The legend is below the chart: the y axis spans the data alone.
        let yr = chart::padded(y0, y1, 0.06);
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
                    .map_err(err)?;
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
                let (dash, gap) = line_dash(t, k);
                if dash > 0.0 {
                    ch.draw_series(DashedLineSeries::new(
                        pts,
                        (dash * s) as i32,
                        (gap * s) as i32,
                        color.stroke_width(w),
                    ))
                    .map_err(err)?;
                } else {
                    ch.draw_series(LineSeries::new(pts, color.stroke_width(w)))
                        .map_err(err)?;
                }
            }
        }
        Ok(())
    }
}
