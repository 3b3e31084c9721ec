//! Where each coefficient sits on its arrow. A label is centred on its own arrow (a white patch
//! with the number, so it reads as that arrow's) and must be clear of every box, every group's
//! frame and name, every other arrow, its own arrowhead and every label placed before it; it
//! slides along its arrow from the middle outwards until it is. Short arrows choose first, as
//! they have the fewest places.

use super::ir::{polyline, Diagram, Node, Rect};
use crate::plot::font::text_width;

/// Straight pieces a curve is checked as.
pub const CURVE_PIECES: usize = 24;

/// A point, in points.
type Point = (f64, f64);

/// A line a label must keep clear of: an arrow (with its index) or a side of a group's frame.
#[derive(Debug, Clone, Copy)]
struct Line {
    arrow: Option<usize>,
    a: Point,
    b: Point,
}

/// A label that found no clear place: its arrow and how badly it clashes.
type Failure = (usize, usize);

/// Blank space kept around a label, in points.
const CLEARANCE: f64 = 1.5;
/// Length of an arrowhead, which a label must leave visible.
pub const HEAD: f64 = 7.0;

/// Size of the white patch behind a label of `lines` at `size` points.
pub fn label_size(text: &str, size: f64) -> (f64, f64) {
    let lines: Vec<&str> = text.split('\n').collect();
    let w = lines
        .iter()
        .map(|l| text_width(l, size))
        .fold(0.0, f64::max);
    (w + 0.3 * size, lines.len() as f64 * 1.2 * size + 0.3 * size)
}

/// Line height of arrow labels.
pub fn label_line_h(size: f64) -> f64 {
    1.2 * size
}

/// A group's name as lines that fit inside a frame `frame_w` wide.
pub fn group_lines(label: &str, frame_w: f64, size: f64) -> Vec<String> {
    super::layout::wrap(label, (frame_w - 8.0 - 0.6 * size).max(size), size)
}

/// Height of a group's name of `n` lines.
pub fn group_name_h(n: usize, size: f64) -> f64 {
    n as f64 * label_line_h(size) + 0.2 * size
}

/// The rectangle of a group's name at the top of its frame.
pub fn group_name_rect(frame: &Rect, label: &str, size: f64) -> Rect {
    let lines = group_lines(label, frame.w, size);
    let w = lines
        .iter()
        .map(|l| text_width(l, size))
        .fold(0.0, f64::max)
        + 0.6 * size;
    let h = group_name_h(lines.len(), size);
    Rect {
        x: frame.x - frame.w / 2.0 + 4.0 + w / 2.0,
        y: frame.y - frame.h / 2.0 + 2.0 + h / 2.0,
        w,
        h,
    }
}

/// The sides of a rectangle as segments.
pub fn sides(r: &Rect) -> [((f64, f64), (f64, f64)); 4] {
    let (x0, x1) = (r.x - r.w / 2.0, r.x + r.w / 2.0);
    let (y0, y1) = (r.y - r.h / 2.0, r.y + r.h / 2.0);
    [
        ((x0, y0), (x1, y0)),
        ((x1, y0), (x1, y1)),
        ((x1, y1), (x0, y1)),
        ((x0, y1), (x0, y0)),
    ]
}

/// Fractions of the arrow's length where a label may be centred, most preferred first.
fn candidates() -> Vec<f64> {
    let mut out = vec![0.5];
    for k in 1..=23 {
        let d = 0.02 * k as f64;
        out.push(0.5 - d);
        out.push(0.5 + d);
    }
    out
}

/// How many labels found no clear place: covering a box or another label, or only crossed by
/// other arrows. Compared in that order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Clashes {
    pub covering: usize,
    pub crossed: usize,
}

impl Clashes {
    pub fn none(&self) -> bool {
        self.covering == 0 && self.crossed == 0
    }
}

/// Places every arrow's label (those finding no place clear of everything at the spot with the
/// fewest clashes) and says how many clash. Labels are placed one at a time, shortest arrow
/// first; when some find no clear place, the placement is tried again with those first, and the
/// attempt with the fewest clashes kept.
pub fn place_labels(d: &mut Diagram) -> Clashes {
    let segments: Vec<Line> = (0..d.edges.len())
        .filter_map(|i| {
            d.segment(i).map(|(a, b)| Line {
                arrow: Some(i),
                a,
                b,
            })
        })
        .collect();
    let mut order: Vec<(usize, f64)> = segments
        .iter()
        .filter_map(|l| l.arrow.map(|i| (i, l)))
        .filter(|(i, _)| d.edges[*i].label.is_some())
        .map(|(i, l)| (i, (l.b.0 - l.a.0).hypot(l.b.1 - l.a.1)))
        .collect();
    order.sort_by(|x, y| x.1.total_cmp(&y.1).then(x.0.cmp(&y.0)));
    let mut order: Vec<usize> = order.into_iter().map(|o| o.0).collect();
    let mut best: Option<(Clashes, Vec<(usize, Rect)>)> = None;
    for _ in 0..ATTEMPTS {
        let (placed, failed) = attempt(d, &segments, &order);
        let score = Clashes {
            covering: failed.iter().filter(|f| f.1 >= COVERS).count(),
            crossed: failed.iter().filter(|f| f.1 < COVERS).count(),
        };
        if best.as_ref().is_none_or(|(c, _)| score < *c) {
            best = Some((score, placed));
        }
        if failed.is_empty() {
            break;
        }
        // The labels that found no place go first next time.
        let failed: Vec<usize> = failed.into_iter().map(|f| f.0).collect();
        order.retain(|i| !failed.contains(i));
        order.splice(0..0, failed);
    }
    let (clashing, placed) = best.unwrap_or_default();
    for (i, r) in placed {
        d.edges[i].label_rect = Some(r);
    }
    clashing
}

/// The clash of a label covering a box or another label.
const COVERS: usize = 10;

/// Tries to place labels in placement order.
const ATTEMPTS: usize = 4;

/// One placement of the labels of `order`: where each went, and those that found no clear place
/// with how badly they clash.
fn attempt(d: &Diagram, segments: &[Line], order: &[usize]) -> (Vec<(usize, Rect)>, Vec<Failure>) {
    let size = d.label_pt;
    let mut lines: Vec<Line> = segments.to_vec();
    let mut taken: Vec<Rect> = d.nodes.iter().map(Node::rect).collect();
    // Curved lines (placed by their own layout, labels included) are obstacles as their pieces.
    for (i, e) in d.edges.iter().enumerate() {
        let Some(p) = d.curve(i) else { continue };
        lines.extend(polyline(&p, CURVE_PIECES).windows(2).map(|w| Line {
            arrow: Some(i),
            a: w[0],
            b: w[1],
        }));
        taken.extend(e.label_rect);
    }
    for g in &d.groups {
        lines.extend(
            sides(&g.rect)
                .iter()
                .map(|&(a, b)| Line { arrow: None, a, b }),
        );
        taken.push(group_name_rect(&g.rect, &g.label, size));
    }
    let mut placed = Vec::new();
    let mut failed = Vec::new();
    for &i in order {
        let (Some(text), Some((a, b))) = (&d.edges[i].label, d.segment(i)) else {
            continue;
        };
        let (w, h) = label_size(text, size);
        let spot = Spot { a, b, w, h };
        let mut best: Option<(usize, Rect)> = None;
        for t in candidates() {
            let Some(r) = spot.at(t) else { continue };
            let c = clashes(&r, i, &lines, &taken);
            if best.as_ref().is_none_or(|(b, _)| c < *b) {
                best = Some((c, r));
            }
            if c == 0 {
                break;
            }
        }
        let (c, r) = best.unwrap_or((COVERS, spot.centre()));
        if c > 0 {
            failed.push((i, c));
        }
        taken.push(r);
        placed.push((i, r));
    }
    (placed, failed)
}

/// A label of size `w` x `h` on the arrow from `a` to `b`.
struct Spot {
    a: (f64, f64),
    b: (f64, f64),
    w: f64,
    h: f64,
}

impl Spot {
    fn centre(&self) -> Rect {
        Rect {
            x: (self.a.0 + self.b.0) / 2.0,
            y: (self.a.1 + self.b.1) / 2.0,
            w: self.w,
            h: self.h,
        }
    }

    /// The label centred at fraction `t` of the arrow, if it leaves the arrowhead visible and
    /// stays on the arrow.
    fn at(&self, t: f64) -> Option<Rect> {
        let (dx, dy) = (self.b.0 - self.a.0, self.b.1 - self.a.1);
        let len = dx.hypot(dy);
        if len < 1e-9 {
            return None;
        }
        // How far the patch reaches along the arrow from its centre.
        let reach = (dx.abs() * self.w / 2.0 + dy.abs() * self.h / 2.0) / len;
        let along = t * len;
        if along - reach < CLEARANCE || along + reach > len - HEAD - CLEARANCE {
            return None;
        }
        Some(Rect {
            x: self.a.0 + t * dx,
            y: self.a.1 + t * dy,
            w: self.w,
            h: self.h,
        })
    }
}

/// How badly the label `r` of arrow `own` clashes (with [`CLEARANCE`]): ten for each box or
/// label it touches, one for each other line.
fn clashes(r: &Rect, own: usize, lines: &[Line], taken: &[Rect]) -> usize {
    let grown = Rect {
        w: r.w + 2.0 * CLEARANCE,
        h: r.h + 2.0 * CLEARANCE,
        ..*r
    };
    // Covering a box or another label is worse than crossing a line.
    COVERS * taken.iter().filter(|o| o.overlaps(&grown)).count()
        + lines
            .iter()
            .filter(|l| l.arrow != Some(own) && grown.crosses(l.a, l.b))
            .count()
}
