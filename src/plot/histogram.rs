//! Histograms of the bootstrap (or Monte Carlo) draws of each indirect effect, with the point
//! estimate and the confidence interval marked.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::canvas::{err, Figure};
use super::chart::{self, PLOT_SIZE};
use super::font::{self, FAMILY};
use super::labels::Labels;
use super::theme::Theme;
use crate::analysis::Analysis;
use crate::effects::EffectKind;

/// A histogram of draws, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct HistogramPlot {
    pub title: String,
    /// What the plot shows, for a results page (the effect with its moderator values).
    pub heading: String,
    pub x_label: String,
    /// Bin edges (one more than `counts`).
    pub edges: Vec<f64>,
    pub counts: Vec<usize>,
    pub estimate: f64,
    pub ci: (f64, f64),
    pub caption: String,
    pub theme: Theme,
}

/// Equal-width bins over the finite values: `bins` counts and their edges.
pub fn bin(values: &[f64], bins: usize) -> (Vec<f64>, Vec<usize>) {
    let (lo, hi) = chart::range(values.iter().copied());
    let bins = bins.max(1);
    if !lo.is_finite() {
        return (vec![0.0, 1.0], vec![0]);
    }
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else {
        (lo - 0.5, hi + 0.5)
    };
    let width = (hi - lo) / bins as f64;
    let edges = (0..=bins).map(|i| lo + width * i as f64).collect();
    let mut counts = vec![0; bins];
    for v in values.iter().filter(|v| v.is_finite()) {
        let k = (((v - lo) / width) as usize).min(bins - 1);
        counts[k] += 1;
    }
    (edges, counts)
}

/// One histogram per indirect effect (specific, conditional and total) with bootstrap or Monte
/// Carlo draws; file stems with the plots. Empty without draws.
pub fn histograms(
    analysis: &Analysis,
    labels: &Labels,
    theme: Theme,
    decimals: usize,
) -> Vec<(String, HistogramPlot)> {
    let Some(draws) = &analysis.draws else {
        return Vec::new();
    };
    let m = draws.names.len();
    let conf = analysis.options.conf;
    let method = analysis.bootstrap.as_ref().map_or("bootstrap", |b| {
        if b.resampling == "monte_carlo" {
            "Monte Carlo"
        } else {
            "bootstrap"
        }
    });
    let mut out = Vec::new();
    let mut k = 0;
    // Draw columns follow the order of the analysis' effects.
    for (i, e) in analysis.effects.iter().enumerate().take(m) {
        if !matches!(e.def.kind, EffectKind::Indirect | EffectKind::TotalIndirect) {
            continue;
        }
        let values: Vec<f64> = draws.values.chunks(m).map(|row| row[i]).collect();
        let (edges, counts) = bin(&values, 40);
        k += 1;
        let path: Vec<String> = e.def.path.iter().map(|v| labels.var(v)).collect();
        let title = match e.def.kind {
            EffectKind::TotalIndirect => {
                format!("Total indirect effect of {}", labels.var(&analysis.spec.x))
            }
            _ => format!("Indirect effect {}", path.join(" → ")),
        };
        let mut condition = String::new();
        if !e.def.moderators.is_empty() {
            let at: Vec<String> = e
                .def
                .moderators
                .iter()
                .map(|(m, v)| format!("{} = {}", labels.var(m), super::interaction::probe_text(v)))
                .collect();
            condition = format!(" at {}", at.join(", "));
        }

        let failed = analysis.bootstrap.as_ref().map_or(0, |b| b.failed);
        let caption = format!(
            "Indirect effect{condition}: {} {method} draws{}. Solid line: estimate {:.d$}; dashed: {conf}% CI [{:.d$}, {:.d$}].",
            draws.b,
            if failed > 0 { format!(" ({failed} failed and replaced)") } else { String::new() },
            e.effect,
            e.ci_lower,
            e.ci_upper,
            d = decimals
        );
        out.push((
            format!("bootstrap_indirect_{k:02}"),
            HistogramPlot {
                heading: format!(
                    "Histogram of the {} {method} draws of the {}{condition}, with the estimate and its {conf}% confidence interval",
                    draws.b,
                    title.replacen("Indirect", "indirect", 1).replacen("Total", "total", 1)
                ),
                // The moderator values in the title too: the conditional effects' histograms
                // would otherwise share one title.
                title: format!("{title}{condition}"),
                x_label: "Indirect effect".into(),
                edges,
                counts,
                estimate: e.effect,
                ci: (e.ci_lower, e.ci_upper),
                caption,
                theme,
            },
        ));
    }
    out
}

impl Figure for HistogramPlot {
    fn title(&self) -> String {
        "bootstrap histogram".into()
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
        let (x0, x1) =
            chart::range(
                self.edges
                    .iter()
                    .copied()
                    .chain([self.estimate, self.ci.0, self.ci.1]),
            );
        let xr = chart::padded(x0, x1, 0.03);
        let top = self.counts.iter().copied().max().unwrap_or(1).max(1) as f64;
        let yr = (0.0, top * 1.12);
        let mut ch = chart::frame(
            &plot_area,
            s,
            t,
            chart::Axes {
                title: &self.title,
                x_label: &self.x_label,
                y_label: "Draws",
                x: xr,
                y: yr,
                x_names: None,
            },
        )?;
        let fill = if t.greyscale {
            RGBColor(170, 170, 170)
        } else {
            super::theme::OKABE_ITO[2]
        };
        ch.draw_series(self.counts.iter().enumerate().map(|(i, c)| {
            Rectangle::new(
                [(self.edges[i], 0.0), (self.edges[i + 1], *c as f64)],
                fill.mix(0.55).filled(),
            )
        }))
        .map_err(err)?;
        ch.draw_series(self.counts.iter().enumerate().map(|(i, c)| {
            Rectangle::new(
                [(self.edges[i], 0.0), (self.edges[i + 1], *c as f64)],
                fill.stroke_width((0.5 * s).max(1.0) as u32),
            )
        }))
        .map_err(err)?;
        let accent = t.accent();
        let lw = (1.5 * s).max(1.0) as u32;
        for v in [self.ci.0, self.ci.1].into_iter().filter(|v| v.is_finite()) {
            chart::vline(&mut ch, v, yr, accent.stroke_width(lw), s)?;
        }
        ch.draw_series(std::iter::once(PathElement::new(
            vec![(self.estimate, 0.0), (self.estimate, yr.1)],
            BLACK.stroke_width(lw),
        )))
        .map_err(err)?;
        if 0.0 > xr.0 && 0.0 < xr.1 {
            let style = TextStyle::from((FAMILY, font::px(t.font_pt * 0.85, s)).into_font())
                .color(&RGBColor(90, 90, 90))
                .pos(Pos::new(HPos::Center, VPos::Top));
            ch.draw_series(std::iter::once(Text::new("0", (0.0, yr.1), style)))
                .map_err(err)?;
            ch.draw_series(std::iter::once(PathElement::new(
                vec![(0.0, 0.0), (0.0, yr.1 * 0.95)],
                RGBColor(90, 90, 90).stroke_width((0.8 * s).max(1.0) as u32),
            )))
            .map_err(err)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::bin;

    #[test]
    fn bins_count_every_value_once() {
        let v: Vec<f64> = (0..100)
            .map(|i| i as f64 / 10.0)
            .chain([f64::NAN])
            .collect();
        let (edges, counts) = bin(&v, 10);
        assert_eq!(edges.len(), 11);
        assert_eq!(counts.iter().sum::<usize>(), 100);
        assert_eq!(counts[9], 10, "the maximum falls in the last bin");
        let (_, c) = bin(&[2.0, 2.0], 4);
        assert_eq!(c.iter().sum::<usize>(), 2);
    }
}
