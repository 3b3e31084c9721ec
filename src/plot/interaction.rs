//! The interaction plot: predicted outcome against the focal predictor at each probe value of
//! the moderator(s), with confidence bands, from an equation's coefficients and covariance.
//! Other predictors are held at their means in the analysis sample (design column means, so a
//! categorical covariate enters at its sample proportions). A categorical focal predictor is
//! shown at its levels with interval bars.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::canvas::{err, Figure};
use super::chart::{self, PLOT_SIZE};
use super::labels::{split_factors, Labels};
use super::theme::Theme;
use super::PlotError;
use crate::analysis::{Analysis, ConditionalEffects};
use crate::estimation::{EquationFit, Method, Summary, CONSTANT};
use crate::numeric::dist::{t_quantile, z_quantile};

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

/// The value of design factor `f` for a prediction: the focal or moderator value when set,
/// otherwise the mean of its own column (or, failing that, of the whole column).
fn row(fit: &EquationFit, set: &[(String, f64)]) -> Vec<f64> {
    let mean_of = |f: &str| {
        fit.index_of(f)
            .and_then(|j| fit.column_stats.get(j))
            .map(|c| c.mean)
    };
    fit.coefficients
        .iter()
        .enumerate()
        .map(|(j, c)| {
            if c.term == CONSTANT {
                return 1.0;
            }
            let fs = split_factors(&c.term);
            if !fs.iter().any(|f| set.iter().any(|(g, _)| g == f)) {
                return fit.column_stats.get(j).map_or(f64::NAN, |s| s.mean);
            }
            fs.iter()
                .map(|f| {
                    set.iter()
                        .find(|(g, _)| g == f)
                        .map(|(_, v)| *v)
                        .or_else(|| mean_of(f))
                        .unwrap_or(f64::NAN)
                })
                .product()
        })
        .collect()
}

/// Prediction, lower and upper bound at design row `l` (probabilities for a logistic equation).
fn predict(fit: &EquationFit, l: &[f64], crit: f64) -> (f64, f64, f64) {
    let eta: f64 = l
        .iter()
        .zip(&fit.coefficients)
        .map(|(a, c)| a * c.estimate)
        .sum();
    let k = l.len();
    let var: f64 = (0..k)
        .map(|i| l[i] * (0..k).map(|j| fit.cov[i * k + j] * l[j]).sum::<f64>())
        .sum();
    let se = var.max(0.0).sqrt();
    let (lo, hi) = (eta - crit * se, eta + crit * se);
    match fit.method {
        Method::Ols => (eta, lo, hi),
        Method::Logistic => {
            let p = |v: f64| 1.0 / (1.0 + (-v).exp());
            (p(eta), p(lo), p(hi))
        }
    }
}

/// The critical value of the analysis' intervals for an equation.
pub(crate) fn critical(fit: &EquationFit, conf: f64) -> f64 {
    match &fit.summary {
        Summary::Ols(s) => t_quantile(0.5 + conf / 200.0, s.df2),
        Summary::Logistic(_) => z_quantile(0.5 + conf / 200.0),
    }
}

/// Design factors and probe points of each moderator: `(factors, [(label, codes)])`.
type Probes = Vec<(String, Vec<String>, Vec<(String, Vec<f64>)>)>;

fn moderator_probes(analysis: &Analysis, fit: &EquationFit, names: &[String]) -> Option<Probes> {
    names
        .iter()
        .map(|m| {
            let (_, points) = analysis.probes.iter().find(|(n, _)| n == m)?;
            let factors = match fit.coding.iter().find(|c| &c.variable == m) {
                Some(info) => info.columns.iter().map(|c| c.name.clone()).collect(),
                None => vec![m.clone()],
            };
            let pts = points
                .iter()
                .map(|p| (p.label.clone(), p.codes.clone()))
                .collect();
            Some((m.clone(), factors, pts))
        })
        .collect()
}

/// Every combination of probe points: label and factor settings.
fn combinations(probes: &Probes, labels: &Labels) -> Vec<(String, Vec<(String, f64)>)> {
    let mut out = vec![(String::new(), Vec::new())];
    for (name, factors, points) in probes {
        let mut next = Vec::new();
        for (label, set) in &out {
            for (pl, codes) in points {
                let l = format!(
                    "{}{} = {pl}",
                    if label.is_empty() { "" } else { ", " },
                    labels.var(name)
                );
                let mut s = set.clone();
                s.extend(factors.iter().cloned().zip(codes.iter().copied()));
                next.push((format!("{label}{l}"), s));
            }
        }
        out = next;
    }
    out
}

/// Interaction plots for every moderated focal predictor of an analysis: one per
/// [`ConditionalEffects`] of a numeric focal predictor, and one per outcome for a categorical
/// focal predictor (all its coded columns together). Returns file stems with the plots.
pub fn interaction_plots(
    analysis: &Analysis,
    labels: &Labels,
    theme: Theme,
) -> Result<Vec<(String, InteractionPlot)>, PlotError> {
    let conf = analysis.options.conf;
    let mut out = Vec::new();
    let mut done: Vec<(String, String)> = Vec::new();
    for ce in &analysis.conditional {
        let Some((fit, _)) = analysis
            .equations
            .iter()
            .find(|(f, _)| f.outcome == ce.outcome)
        else {
            continue;
        };
        let base = ce.focal.split('[').next().unwrap_or(&ce.focal).to_string();
        if done.contains(&(ce.outcome.clone(), base.clone())) {
            continue;
        }
        done.push((ce.outcome.clone(), base.clone()));
        let Some(probes) = moderator_probes(analysis, fit, &ce.moderators) else {
            continue;
        };
        let plot = build(fit, ce, &base, &probes, labels, theme, conf)?;
        let stem = format!(
            "interaction_{}_on_{}",
            sanitize(&base),
            sanitize(&ce.outcome)
        );
        out.push((stem, plot));
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

/// Focal values along the x axis, the factor settings at each, and level names if categorical.
type FocalGrid = (Vec<f64>, Vec<Vec<(String, f64)>>, Option<Vec<String>>);

fn build(
    fit: &EquationFit,
    ce: &ConditionalEffects,
    base: &str,
    probes: &Probes,
    labels: &Labels,
    theme: Theme,
    conf: f64,
) -> Result<InteractionPlot, PlotError> {
    let crit = critical(fit, conf);
    let coding = fit.coding.iter().find(|c| c.variable == base);
    // Focal settings along the x axis.
    let (x, settings, levels): FocalGrid = match coding {
        Some(info) => {
            let xs = (0..info.levels.len()).map(|i| i as f64).collect();
            let sets = (0..info.levels.len())
                .map(|i| {
                    info.columns
                        .iter()
                        .map(|c| (c.name.clone(), c.values[i]))
                        .collect()
                })
                .collect();
            (xs, sets, Some(info.levels.clone()))
        }
        None => {
            let j = fit
                .index_of(&ce.focal)
                .ok_or_else(|| PlotError::NotApplicable {
                    figure: "interaction plot".into(),
                    message: format!(
                        "'{}' is not a column of the equation of '{}'",
                        ce.focal, ce.outcome
                    ),
                })?;
            let st = fit.column_stats[j];
            let n = 61;
            let xs: Vec<f64> = (0..n)
                .map(|i| st.min + (st.max - st.min) * i as f64 / (n - 1) as f64)
                .collect();
            let sets = xs.iter().map(|v| vec![(ce.focal.clone(), *v)]).collect();
            (xs, sets, None)
        }
    };
    let lines = combinations(probes, labels)
        .into_iter()
        .map(|(label, mods)| {
            let mut line = Line {
                label,
                fit: vec![],
                lower: vec![],
                upper: vec![],
            };
            for s in &settings {
                let mut all = s.clone();
                all.extend(mods.iter().cloned());
                let (f, lo, hi) = predict(fit, &row(fit, &all), crit);
                line.fit.push(f);
                line.lower.push(lo);
                line.upper.push(hi);
            }
            line
        })
        .collect();
    let y_label = match fit.method {
        Method::Ols => format!("Predicted {}", labels.var(&ce.outcome)),
        Method::Logistic => format!("Predicted probability of {}", labels.var(&ce.outcome)),
    };
    let mods: Vec<String> = ce.moderators.iter().map(|m| labels.var(m)).collect();
    let mut caption = format!(
        "Lines: predicted values at the probe values of {}; {}: {conf}% confidence intervals.",
        mods.join(" and "),
        if levels.is_some() { "bars" } else { "bands" }
    );
    let others = fit.coefficients.iter().filter(|c| {
        c.term != CONSTANT
            && split_factors(&c.term).iter().all(|f| {
                f.split('[').next() != Some(base) && !probes.iter().any(|(_, fs, _)| fs.contains(f))
            })
    });
    let others: Vec<String> = others.map(|c| labels.term(&c.term)).collect();
    if !others.is_empty() {
        caption += &format!(" Held at their means: {}.", others.join(", "));
    }
    let source = match (coding, probes.as_slice()) {
        (None, [(name, factors, points)]) if factors.len() == 1 && factors[0] == *name => {
            let values: Option<Vec<f64>> = points
                .iter()
                .map(|(_, c)| c.first().copied().filter(|v| v.is_finite()))
                .collect();
            values.map(|v| (ce.focal.clone(), ce.outcome.clone(), name.clone(), v))
        }
        _ => None,
    };
    Ok(InteractionPlot {
        title: format!(
            "{} × {} on {}",
            labels.var(base),
            mods.join(" × "),
            labels.var(&ce.outcome)
        ),
        x_label: labels.var(base),
        y_label,
        x,
        levels,
        lines,
        caption,
        theme,
        points: Vec::new(),
        source,
    })
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
