//! Diagrams drawn with plotters (SVG and PNG share this code).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::ir::{Diagram, NodeKind};
use super::layout::wrap;
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
        let d = self.diagram;
        let line = BLACK.stroke_width(px(1.0, s).max(1) as u32);
        let p = |x: f64, y: f64| (px(x, s), px(y, s));
        for i in 0..d.edges.len() {
            let Some((a, b)) = d.segment(i) else { continue };
            let (dx, dy) = (b.0 - a.0, b.1 - a.1);
            let len = (dx * dx + dy * dy).sqrt();
            if len < 1e-9 {
                continue;
            }
            let (ux, uy) = (dx / len, dy / len);
            let (head, half) = (7.0, 3.0);
            let base = (b.0 - head * ux, b.1 - head * uy);
            area.draw(&PathElement::new(
                vec![p(a.0, a.1), p(base.0, base.1)],
                line,
            ))
            .map_err(err)?;
            let tri = vec![
                p(b.0, b.1),
                p(base.0 - half * uy, base.1 + half * ux),
                p(base.0 + half * uy, base.1 - half * ux),
            ];
            area.draw(&Polygon::new(tri, BLACK.filled())).map_err(err)?;
        }
        let centred = Pos::new(HPos::Center, VPos::Center);
        let label_style = TextStyle::from((FAMILY, d.font_pt * 0.9 * s).into_font())
            .color(&BLACK)
            .pos(centred);
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
                area.draw(&Text::new(l.clone(), p(r.x, r.y), label_style.clone()))
                    .map_err(err)?;
            }
        }
        let node_style = TextStyle::from((FAMILY, d.font_pt * s).into_font())
            .color(&BLACK)
            .pos(centred);
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
            area.draw(&Text::new(n.label.clone(), p(n.x, n.y), node_style.clone()))
                .map_err(err)?;
        }
        if let Some(c) = &d.caption {
            let size = d.font_pt * 0.85;
            let margin = 12.0;
            let lines = wrap(c, d.width - 2.0 * margin, size);
            let style = TextStyle::from((FAMILY, size * s).into_font())
                .color(&BLACK)
                .pos(Pos::new(HPos::Left, VPos::Bottom));
            let n = lines.len() as f64;
            for (k, l) in lines.iter().enumerate() {
                let y = d.height - margin * 0.6 - (n - 1.0 - k as f64) * size * 1.25;
                area.draw(&Text::new(l.clone(), p(margin, y), style.clone()))
                    .map_err(err)?;
            }
        }
        Ok(())
    }
}
