//! Diagrams drawn with plotters (SVG and PNG share this code).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::coef_labels::{group_lines, group_name_rect, label_line_h, HEAD};
use super::ir::{polyline, Diagram, NodeKind, Route};
use super::layout::{caption_line_h, caption_lines};
use crate::plot::canvas::{err, Figure};
use crate::plot::font::{self, FAMILY};
use crate::plot::theme::Theme;

/// A diagram with the look to draw it in.
#[derive(Debug, Clone)]
pub struct DiagramFigure<'a> {
    pub diagram: &'a Diagram,
    pub theme: Theme,
}

fn px(v: f64, scale: f64) -> i32 {
    (v * scale).round() as i32
}

impl Figure for DiagramFigure<'_> {
    fn title(&self) -> String {
        format!("{:?} diagram", self.diagram.kind).to_lowercase()
    }

    fn size_pt(&self) -> (f64, f64) {
        (self.diagram.width, self.diagram.height)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        s: f64,
    ) -> Result<(), String> {
        self.draw_groups(area, s)?;
        self.draw_arrows(area, s)?;
        self.draw_labels(area, s)?;
        self.draw_boxes(area, s)?;
        self.draw_key(area, s)?;
        self.draw_caption(area, s)
    }
}

/// Points of an ellipse's outline.
const ELLIPSE_POINTS: usize = 72;

/// The unit vector from `from` to `to` (from `fallback` when the two coincide).
fn direction(from: (f64, f64), to: (f64, f64), fallback: (f64, f64)) -> (f64, f64) {
    let (mut dx, mut dy) = (to.0 - from.0, to.1 - from.1);
    if dx.hypot(dy) < 1e-9 {
        (dx, dy) = (to.0 - fallback.0, to.1 - fallback.1);
    }
    let len = dx.hypot(dy).max(1e-9);
    (dx / len, dy / len)
}

/// An arrowhead with its tip at `tip`, pointing along the unit vector `u`.
fn head<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    tip: (f64, f64),
    (ux, uy): (f64, f64),
    s: f64,
) -> Result<(), String> {
    let half = 3.0;
    let base = (tip.0 - HEAD * ux, tip.1 - HEAD * uy);
    let p = |x: f64, y: f64| (px(x, s), px(y, s));
    let tri = vec![
        p(tip.0, tip.1),
        p(base.0 - half * uy, base.1 + half * ux),
        p(base.0 + half * uy, base.1 - half * ux),
    ];
    area.draw(&Polygon::new(tri, BLACK.filled())).map_err(err)
}

/// Text lines centred on `(x, y)`, `line_h` apart.
fn centred_lines<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    lines: &[&str],
    (x, y): (f64, f64),
    size: f64,
    line_h: f64,
    s: f64,
) -> Result<(), String> {
    let style = TextStyle::from((FAMILY, font::px(size, s)).into_font())
        .color(&BLACK)
        .pos(Pos::new(HPos::Center, VPos::Center));
    let n = lines.len() as f64;
    for (k, l) in lines.iter().enumerate() {
        let ly = y + (k as f64 - (n - 1.0) / 2.0) * line_h;
        area.draw(&Text::new(
            l.to_string(),
            (px(x, s), px(ly, s)),
            style.clone(),
        ))
        .map_err(err)?;
    }
    Ok(())
}

impl DiagramFigure<'_> {
    fn draw_arrows<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        s: f64,
    ) -> Result<(), String> {
        let d = self.diagram;
        let p = |x: f64, y: f64| (px(x, s), px(y, s));
        for i in 0..d.edges.len() {
            let Some((a, b)) = d.segment(i) else { continue };
            let (dx, dy) = (b.0 - a.0, b.1 - a.1);
            let len = (dx * dx + dy * dy).sqrt();
            if len < 1e-9 {
                continue;
            }
            let (ux, uy) = (dx / len, dy / len);
            let base = (b.0 - HEAD * ux, b.1 - HEAD * uy);
            // The shaft as a thin filled quadrilateral: plotters' wide lines come out thinner at
            // some slopes.
            let w = 0.5;
            let shaft = vec![
                p(a.0 - w * uy, a.1 + w * ux),
                p(base.0 - w * uy, base.1 + w * ux),
                p(base.0 + w * uy, base.1 - w * ux),
                p(a.0 + w * uy, a.1 - w * ux),
            ];
            area.draw(&Polygon::new(shaft, BLACK.filled()))
                .map_err(err)?;
            head(area, b, (ux, uy), s)?;
        }
        self.draw_curves(area, s)
    }

    /// Curved arrows: a line through points of the curve, with a head at its end (and at its
    /// start when two-headed).
    fn draw_curves<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        s: f64,
    ) -> Result<(), String> {
        let d = self.diagram;
        let line = BLACK.stroke_width(px(1.0, s).max(1) as u32);
        for (i, e) in d.edges.iter().enumerate() {
            let (Some(c), Route::Curve(how)) = (d.curve(i), e.route) else {
                continue;
            };
            let pts: Vec<(i32, i32)> = polyline(&c, 48)
                .into_iter()
                .map(|(x, y)| (px(x, s), px(y, s)))
                .collect();
            area.draw(&PathElement::new(pts, line)).map_err(err)?;
            head(area, c[3], direction(c[2], c[3], c[0]), s)?;
            if how.two_headed {
                head(area, c[0], direction(c[1], c[0], c[3]), s)?;
            }
        }
        Ok(())
    }

    fn draw_labels<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        s: f64,
    ) -> Result<(), String> {
        let d = self.diagram;
        let p = |x: f64, y: f64| (px(x, s), px(y, s));
        for e in &d.edges {
            if let (Some(l), Some(r)) = (&e.label, e.label_rect) {
                area.draw(&Rectangle::new(
                    [
                        p(r.x - r.w / 2.0, r.y - r.h / 2.0),
                        p(r.x + r.w / 2.0, r.y + r.h / 2.0),
                    ],
                    WHITE.filled(),
                ))
                .map_err(err)?;
                let lines: Vec<&str> = l.split('\n').collect();
                self.small_text(area, &lines, (r.x, r.y), s)?;
            }
        }
        Ok(())
    }

    /// Lines of arrow-label-sized text centred on `at` (coefficients, group names).
    fn small_text<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        lines: &[&str],
        at: (f64, f64),
        s: f64,
    ) -> Result<(), String> {
        let size = self.diagram.label_pt;
        centred_lines(area, lines, at, size, label_line_h(size), s)
    }

    fn draw_boxes<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        s: f64,
    ) -> Result<(), String> {
        let d = self.diagram;
        let line = BLACK.stroke_width(px(1.0, s).max(1) as u32);
        let p = |x: f64, y: f64| (px(x, s), px(y, s));
        for n in &d.nodes {
            let core = matches!(
                n.kind,
                NodeKind::Antecedent | NodeKind::Mediator | NodeKind::Outcome
            );
            let fill = self.theme.node_fill(core || n.kind == NodeKind::Latent);
            if n.is_ellipse() {
                let outline: Vec<(i32, i32)> = (0..=ELLIPSE_POINTS)
                    .map(|k| {
                        let a = std::f64::consts::TAU * k as f64 / ELLIPSE_POINTS as f64;
                        p(n.x + n.w / 2.0 * a.cos(), n.y + n.h / 2.0 * a.sin())
                    })
                    .collect();
                area.draw(&Polygon::new(outline.clone(), fill.filled()))
                    .map_err(err)?;
                area.draw(&PathElement::new(outline, line)).map_err(err)?;
            } else {
                let (x0, y0) = p(n.x - n.w / 2.0, n.y - n.h / 2.0);
                let (x1, y1) = p(n.x + n.w / 2.0, n.y + n.h / 2.0);
                area.draw(&Rectangle::new([(x0, y0), (x1, y1)], fill.filled()))
                    .map_err(err)?;
                area.draw(&Rectangle::new([(x0, y0), (x1, y1)], line))
                    .map_err(err)?;
            }
            let lines: Vec<&str> = n.lines.iter().map(String::as_str).collect();
            centred_lines(area, &lines, (n.x, n.y), d.font_pt, 1.2 * d.font_pt, s)?;
        }
        Ok(())
    }

    /// Each group as a thin grey frame with its name in its top left corner.
    fn draw_groups<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        s: f64,
    ) -> Result<(), String> {
        let d = self.diagram;
        let grey = RGBColor(110, 110, 110).stroke_width(px(0.75, s).max(1) as u32);
        let p = |x: f64, y: f64| (px(x, s), px(y, s));
        for g in &d.groups {
            let r = g.rect;
            area.draw(&Rectangle::new(
                [
                    p(r.x - r.w / 2.0, r.y - r.h / 2.0),
                    p(r.x + r.w / 2.0, r.y + r.h / 2.0),
                ],
                grey,
            ))
            .map_err(err)?;
            let t = group_name_rect(&r, &g.label, d.label_pt);
            let lines = group_lines(&g.label, r.w, d.label_pt);
            let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
            self.small_text(area, &lines, (t.x, t.y), s)?;
        }
        Ok(())
    }

    /// The key of path symbols: its rules and text, at the arrow labels' size.
    fn draw_key<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        s: f64,
    ) -> Result<(), String> {
        let d = self.diagram;
        let Some(key) = &d.key else { return Ok(()) };
        let size = d.label_pt;
        let p = |x: f64, y: f64| (px(x, s), px(y, s));
        let rule = BLACK.stroke_width(px(0.6, s).max(1) as u32);
        for (a, b) in super::key::rules(key, size) {
            area.draw(&PathElement::new(vec![p(a.0, a.1), p(b.0, b.1)], rule))
                .map_err(err)?;
        }
        for c in super::key::cells(key, size) {
            let h = if c.right { HPos::Right } else { HPos::Left };
            let style = TextStyle::from((FAMILY, font::px(size, s)).into_font())
                .color(&BLACK)
                .pos(Pos::new(h, VPos::Center));
            area.draw(&Text::new(c.text, p(c.x, c.y), style))
                .map_err(err)?;
        }
        Ok(())
    }

    fn draw_caption<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        s: f64,
    ) -> Result<(), String> {
        let d = self.diagram;
        let Some(c) = &d.caption else { return Ok(()) };
        let size = d.label_pt;
        let lines = caption_lines(c, d.width - 2.0 * d.margin, size);
        let style = TextStyle::from((FAMILY, font::px(size, s)).into_font())
            .color(&BLACK)
            .pos(Pos::new(HPos::Left, VPos::Bottom));
        let n = lines.len() as f64;
        for (k, l) in lines.iter().enumerate() {
            let y = d.height - d.margin * 0.6 - (n - 1.0 - k as f64) * caption_line_h(size);
            area.draw(&Text::new(
                l.clone(),
                (px(d.margin, s), px(y, s)),
                style.clone(),
            ))
            .map_err(err)?;
        }
        Ok(())
    }
}
