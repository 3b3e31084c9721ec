//! Pieces shared by the plots: the axes frame, bands, the caption under a chart.

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::canvas::err;
use super::font::{self, FAMILY};
use super::theme::Theme;

/// Width and height of every plot, in points (6 × 4 inches).
pub const PLOT_SIZE: (f64, f64) = (432.0, 288.0);

/// The smallest text a figure prints, in points (journals ask for at least 8 pt at print size).
pub const MIN_PT: f64 = 8.0;

pub type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The width of a chart's plotting area, in points.
pub fn data_width_pt<DB: DrawingBackend>(ch: &Chart<'_, DB>, s: f64) -> f64 {
    let r = ch.plotting_area().get_pixel_range();
    (r.0.end - r.0.start) as f64 / s
}

/// The height of a chart's plotting area, in points.
pub fn data_height_pt<DB: DrawingBackend>(ch: &Chart<'_, DB>, s: f64) -> f64 {
    let r = ch.plotting_area().get_pixel_range();
    (r.1.end - r.1.start) as f64 / s
}

/// `[lo, hi]` widened by `frac` of its length on each side (a unit range around a single value).
pub fn padded(lo: f64, hi: f64, frac: f64) -> (f64, f64) {
    if !(lo.is_finite() && hi.is_finite()) {
        return (0.0, 1.0);
    }
    if hi - lo <= f64::EPSILON * lo.abs().max(1.0) {
        return (lo - 0.5, hi + 0.5);
    }
    let pad = (hi - lo) * frac;
    (lo - pad, hi + pad)
}

/// Minimum and maximum of the finite values.
pub fn range(values: impl IntoIterator<Item = f64>) -> (f64, f64) {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        })
}

/// Splits off the caption's lines at the bottom; returns the area left for the chart.
pub fn with_caption<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: f64,
    caption: Option<&str>,
    theme: &Theme,
) -> Result<DrawingArea<DB, Shift>, String> {
    let Some(text) = caption.filter(|c| !c.trim().is_empty()) else {
        return Ok(area.clone());
    };
    let size = theme.font_pt * 0.85;
    let margin = 10.0;
    let lines = super::diagram::wrap_with(
        text,
        PLOT_SIZE.0 - 2.0 * margin,
        size,
        super::font::text_width,
    );
    let h = lines.len() as f64 * size * 1.3 + 9.0;
    let (_, total_h) = area.dim_in_pixel();
    let split = (total_h as f64 - h * s).round() as i32;
    let (top, bottom) = area.split_vertically(split);
    let style = TextStyle::from((FAMILY, font::px(size, s)).into_font())
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Top));
    for (k, l) in lines.iter().enumerate() {
        let y = ((3.0 + k as f64 * size * 1.3) * s).round() as i32;
        bottom
            .draw(&Text::new(
                l.clone(),
                ((margin * s) as i32, y),
                style.clone(),
            ))
            .map_err(err)?;
    }
    Ok(top)
}

/// What a chart's axes show.
pub struct Axes<'t> {
    pub title: &'t str,
    pub x_label: &'t str,
    pub y_label: &'t str,
    pub x: (f64, f64),
    pub y: (f64, f64),
    /// Names for the integer ticks of a categorical x axis.
    pub x_names: Option<&'t [String]>,
}

/// Axes with a title and axis labels over the given ranges.
pub fn frame<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    s: f64,
    theme: &Theme,
    axes: Axes<'_>,
) -> Result<Chart<'a, DB>, String> {
    let Axes {
        title,
        x_label: xlab,
        y_label: ylab,
        x,
        y,
        x_names,
    } = axes;
    let f = theme.font_pt;
    let px = |v: f64| (v * s).round() as i32;
    // Axis titles share one style: long ones (long --labels) get a smaller font, then an
    // ellipsis, so that the y title stays clear of the chart title and the x title on the page.
    let (w_px, h_px) = area.dim_in_pixel();
    let y_room = h_px as f64 / s - 6.0 - 2.4 * f - 2.0 * f * 1.15;
    let x_room = w_px as f64 / s - 6.0 - 14.0 - 4.6 * f;
    let desc = axis_title_size(&[(xlab, x_room), (ylab, y_room)], f);
    let xlab = &ellipsize(xlab, desc, x_room);
    let ylab = &ellipsize(ylab, desc, y_room);
    let mut chart = ChartBuilder::on(area)
        .margin_top(px(6.0))
        .margin_right(px(14.0))
        .margin_left(px(6.0))
        .x_label_area_size(px(2.4 * f))
        .y_label_area_size(px(4.6 * f))
        .caption(
            ellipsize(title, title_size(title, f * 1.15), PLOT_SIZE.0 - 20.0),
            (FAMILY, font::px(title_size(title, f * 1.15), s)).into_font(),
        )
        .build_cartesian_2d(x.0..x.1, y.0..y.1)
        .map_err(err)?;
    chart
        .configure_mesh()
        .max_light_lines(0)
        .bold_line_style(RGBColor(232, 232, 232))
        .x_desc(xlab)
        .y_desc(ylab)
        .x_labels(7)
        .y_labels(6)
        .label_style((FAMILY, font::px(f * 0.85, s)).into_font())
        .axis_desc_style((FAMILY, font::px(desc, s)).into_font())
        .x_label_formatter(&|v| match x_names {
            Some(names) => {
                let i = v.round();
                if (v - i).abs() < 1e-9 && i >= 0.0 {
                    names.get(i as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            }
            None => tick(*v),
        })
        .y_label_formatter(&|v| tick(*v))
        .draw()
        .map_err(err)?;
    Ok(chart)
}

/// The title's font size: `size`, or smaller so that a long title fits the plot's width.
fn title_size(title: &str, size: f64) -> f64 {
    let room = PLOT_SIZE.0 - 20.0;
    let w = super::font::text_width(title, size);
    if w > room {
        (size * room / w).max(MIN_PT)
    } else {
        size
    }
}

/// The font size for axis titles: `size`, or smaller (down to 70 %) so each title fits its room.
fn axis_title_size(titles: &[(&str, f64)], size: f64) -> f64 {
    titles
        .iter()
        .map(|(t, room)| {
            let w = super::font::text_width(t, size);
            if w > *room {
                size * room / w
            } else {
                size
            }
        })
        .fold(size, f64::min)
        .max(0.7 * size)
        .max(MIN_PT)
}

/// `text`, cut with an ellipsis where it would be wider than `room` at `size`.
fn ellipsize(text: &str, size: f64, room: f64) -> String {
    if super::font::text_width(text, size) <= room {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut n = chars.len();
    while n > 1 {
        n -= 1;
        let t: String = chars[..n].iter().collect::<String>().trim_end().to_string() + "…";
        if super::font::text_width(&t, size) <= room {
            return t;
        }
    }
    "…".to_string()
}

/// A tick label without trailing noise: `0.5`, `-1.25`, `1200`.
pub fn tick(v: f64) -> String {
    let v = if v.abs() < 1e-12 { 0.0 } else { v };
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

/// A filled band between `lower` and `upper` over `x`.
pub fn band<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    x: &[f64],
    lower: &[f64],
    upper: &[f64],
    color: RGBColor,
    alpha: f64,
) -> Result<(), String> {
    let mut pts: Vec<(f64, f64)> = x.iter().zip(upper).map(|(a, b)| (*a, *b)).collect();
    pts.extend(x.iter().zip(lower).rev().map(|(a, b)| (*a, *b)));
    if pts.iter().any(|p| !p.1.is_finite()) {
        return Ok(());
    }
    chart
        .draw_series(std::iter::once(Polygon::new(
            pts,
            color.mix(alpha).filled(),
        )))
        .map_err(err)?;
    Ok(())
}

/// A dashed vertical line at `x` across the y range.
pub fn vline<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    x: f64,
    y: (f64, f64),
    style: ShapeStyle,
    s: f64,
) -> Result<(), String> {
    chart
        .draw_series(DashedLineSeries::new(
            vec![(x, y.0), (x, y.1)],
            (4.0 * s) as i32,
            (3.0 * s) as i32,
            style,
        ))
        .map_err(err)?;
    Ok(())
}

/// A horizontal line at zero when zero is in range.
pub fn zero_line<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    x: (f64, f64),
    y: (f64, f64),
    s: f64,
) -> Result<(), String> {
    if y.0 < 0.0 && y.1 > 0.0 {
        chart
            .draw_series(LineSeries::new(
                vec![(x.0, 0.0), (x.1, 0.0)],
                RGBColor(120, 120, 120).stroke_width((0.8 * s).max(1.0) as u32),
            ))
            .map_err(err)?;
    }
    Ok(())
}

/// The observed range of a moderator: a bracket along the bottom of the plot with a label. The
/// label goes in the widest stretch of the bracket between the vertical lines at `avoid` (the
/// Johnson-Neyman points), so no line strikes through it; it shrinks if that stretch is narrow.
pub fn observed_bracket<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    obs: (f64, f64),
    y: (f64, f64),
    label: &str,
    avoid: &[f64],
    theme: &Theme,
    s: f64,
) -> Result<(), String> {
    let yb = y.0 + (y.1 - y.0) * 0.03;
    let tick = (y.1 - y.0) * 0.025;
    let style = RGBColor(90, 90, 90).stroke_width((1.2 * s).max(1.0) as u32);
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![
                (obs.0, yb + tick),
                (obs.0, yb),
                (obs.1, yb),
                (obs.1, yb + tick),
            ],
            style,
        )))
        .map_err(err)?;
    let mut cuts: Vec<f64> = avoid
        .iter()
        .copied()
        .filter(|v| *v > obs.0 && *v < obs.1)
        .collect();
    cuts.sort_by(f64::total_cmp);
    let mut bounds = vec![obs.0];
    bounds.extend(cuts);
    bounds.push(obs.1);
    let (a, b) = bounds
        .windows(2)
        .map(|w| (w[0], w[1]))
        .max_by(|p, q| (p.1 - p.0).total_cmp(&(q.1 - q.0)))
        .unwrap_or(obs);
    // The stretch's width in points, from the chart's own pixel mapping.
    let px = |v: f64| chart.as_coord_spec().translate(&(v, y.0)).0 as f64 / s;
    let room = (px(b) - px(a) - 6.0).max(1.0);
    let size = (theme.font_pt * 0.85).max(MIN_PT);
    // Too narrow a stretch shortens the label rather than shrinking it below MIN_PT.
    let label = ellipsize(label, size, room);
    let t = TextStyle::from((FAMILY, font::px(size, s)).into_font())
        .color(&RGBColor(90, 90, 90))
        .pos(Pos::new(HPos::Center, VPos::Bottom));
    chart
        .draw_series(std::iter::once(Text::new(
            label,
            ((a + b) / 2.0, yb + tick * 0.8),
            t,
        )))
        .map_err(err)?;
    Ok(())
}

/// One entry of a legend: its label, colour, dash pattern in points (0: solid) and whether a
/// dot marks it (the levels of a categorical predictor).
#[derive(Debug, Clone)]
pub struct Key {
    pub label: String,
    pub color: RGBColor,
    pub dash: (f64, f64),
    pub dot: bool,
}

/// Length of a legend's line sample, and the gaps after it and between entries, in points.
const KEY_SAMPLE: f64 = 18.0;
const KEY_GAP: f64 = 4.0;
const KEY_SPACE: f64 = 14.0;

/// The entries of each legend row, filled left to right within `width` points.
fn key_rows(keys: &[Key], size: f64, width: f64) -> Vec<Vec<usize>> {
    let mut rows: Vec<Vec<usize>> = Vec::new();
    let mut used = f64::INFINITY;
    for (i, k) in keys.iter().enumerate() {
        let w = KEY_SAMPLE + KEY_GAP + super::font::text_width(&k.label, size);
        if used + KEY_SPACE + w > width {
            rows.push(Vec::new());
            used = -KEY_SPACE;
        }
        used += KEY_SPACE + w;
        if let Some(r) = rows.last_mut() {
            r.push(i);
        }
    }
    rows
}

/// The height of the legend [`legend_below`] draws in a figure `width` points wide, in points
/// (0 without keys). A figure adds it to its height, so the data region keeps its size.
pub fn legend_height(keys: &[Key], theme: &Theme, width: f64) -> f64 {
    if keys.is_empty() {
        return 0.0;
    }
    let size = (theme.font_pt * 0.85).max(MIN_PT);
    key_rows(keys, size, width - 20.0).len() as f64 * size * 1.5 + 4.0
}

/// Draws a legend in rows at the bottom of `area`, outside the data region (a legend inside it
/// covers data, or needs the y axis stretched to make room); returns the area above it for the
/// chart. Nothing is split off without keys.
pub fn legend_below<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    keys: &[Key],
    theme: &Theme,
    s: f64,
) -> Result<DrawingArea<DB, Shift>, String> {
    if keys.is_empty() {
        return Ok(area.clone());
    }
    let size = (theme.font_pt * 0.85).max(MIN_PT);
    let line_h = size * 1.5;
    let (w_px, h_px) = area.dim_in_pixel();
    let width = w_px as f64 / s - 20.0;
    let rows = key_rows(keys, size, width);
    let h = legend_height(keys, theme, width + 20.0);
    let (top, bottom) = area.split_vertically((h_px as f64 - h * s).round() as i32);
    let style = TextStyle::from((FAMILY, font::px(size, s)).into_font())
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let px = |v: f64| (v * s).round() as i32;
    for (r, row) in rows.iter().enumerate() {
        let label = |i: usize| ellipsize(&keys[i].label, size, width - KEY_SAMPLE - KEY_GAP);
        let row_w: f64 = row
            .iter()
            .map(|&i| KEY_SAMPLE + KEY_GAP + super::font::text_width(&label(i), size))
            .sum::<f64>()
            + KEY_SPACE * (row.len() as f64 - 1.0);
        let mut x = ((w_px as f64 / s) - row_w) / 2.0;
        let y = 2.0 + (r as f64 + 0.5) * line_h;
        for &i in row {
            let k = &keys[i];
            let stroke = k.color.stroke_width((2.0 * s).max(1.0) as u32);
            let ends = vec![(px(x), px(y)), (px(x + KEY_SAMPLE), px(y))];
            if k.dash.0 > 0.0 {
                bottom
                    .draw(&plotters::element::DashedPathElement::new(
                        ends,
                        px(k.dash.0),
                        px(k.dash.1),
                        stroke,
                    ))
                    .map_err(err)?;
            } else {
                bottom.draw(&PathElement::new(ends, stroke)).map_err(err)?;
            }
            if k.dot {
                bottom
                    .draw(&Circle::new(
                        (px(x + KEY_SAMPLE / 2.0), px(y)),
                        px(3.0),
                        k.color.filled(),
                    ))
                    .map_err(err)?;
            }
            let text = label(i);
            let tw = super::font::text_width(&text, size);
            bottom
                .draw(&Text::new(
                    text,
                    (px(x + KEY_SAMPLE + KEY_GAP), px(y)),
                    style.clone(),
                ))
                .map_err(err)?;
            x += KEY_SAMPLE + KEY_GAP + tw + KEY_SPACE;
        }
    }
    Ok(top)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::font::text_width;

    #[test]
    fn long_axis_titles_shrink_then_get_an_ellipsis() {
        let f = 10.0;
        assert_eq!(axis_title_size(&[("Export intensity", 200.0)], f), f);
        let long = "Export intensity as a share of total annual sales revenue in percent";
        let size = axis_title_size(&[("x", 400.0), (long, 200.0)], f);
        assert!(size < f && size >= 0.7 * f, "{size}");
        let cut = ellipsize(long, size, 200.0);
        assert!(
            cut.ends_with('…') && text_width(&cut, size) <= 200.0,
            "{cut}"
        );
        assert_eq!(ellipsize("short", size, 200.0), "short");
    }
}
