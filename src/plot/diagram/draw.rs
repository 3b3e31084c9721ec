//! Diagrams drawn with plotters (SVG and PNG share this code).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::coef_labels::{group_lines, group_name_rect, label_line_h, HEAD};
use super::ir::{Diagram, NodeKind};
use super::layout::{caption_line_h, caption_lines};
use crate::plot::canvas::{err, Figure};
use crate::plot::font::FAMILY;
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
        self.draw_caption(area, s)
    }
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
    let style = TextStyle::from((FAMILY, size * s).into_font())
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
            let half = 3.0;
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
            let tri = vec![
                p(b.0, b.1),
                p(base.0 - half * uy, base.1 + half * ux),
                p(base.0 + half * uy, base.1 - half * ux),
            ];
            area.draw(&Polygon::new(tri, BLACK.filled())).map_err(err)?;
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
                centred_lines(
                    area,
                    &lines,
                    (r.x, r.y),
                    d.label_pt,
                    label_line_h(d.label_pt),
                    s,
                )?;
            }
        }
        Ok(())
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
            let (x0, y0) = p(n.x - n.w / 2.0, n.y - n.h / 2.0);
            let (x1, y1) = p(n.x + n.w / 2.0, n.y + n.h / 2.0);
            area.draw(&Rectangle::new(
                [(x0, y0), (x1, y1)],
                self.theme.node_fill(core).filled(),
            ))
            .map_err(err)?;
            area.draw(&Rectangle::new([(x0, y0), (x1, y1)], line))
                .map_err(err)?;
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
            centred_lines(
                area,
                &lines,
                (t.x, t.y),
                d.label_pt,
                label_line_h(d.label_pt),
                s,
            )?;
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
        let style = TextStyle::from((FAMILY, size * s).into_font())
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
