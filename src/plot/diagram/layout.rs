//! Automatic layout, left to right: X in the first column, each mediator in the column of its
//! depth in the causal chain (parallel mediators stacked in one column above the X -> Y line,
//! serial ones in sequence, long chains zig-zagging so arrows that skip a mediator clear its box),
//! Y in the last column. Other boxes (moderators and products in statistical diagrams,
//! covariates) stack below the line in the column before the first box they point to.
//! Conceptual moderators sit above or below everything, over the arrows they moderate.

use std::collections::BTreeMap;

use super::ir::{Diagram, DiagramKind, Edge, Key, Node, NodeKind, Rect, Route, Target};
use crate::plot::font::text_width;

/// Spacing and type sizes, in points.
#[derive(Debug, Clone, Copy)]
pub struct Spacing {
    /// Box labels.
    pub font_pt: f64,
    /// Arrow labels and the caption: at least 8 pt, the smallest text journals print.
    pub label_pt: f64,
    /// Height of a box with one line of text.
    pub box_h: f64,
    pub pad_x: f64,
    pub min_w: f64,
    /// Box labels wrap to lines no wider than this.
    pub wrap_w: f64,
    pub col_gap: f64,
    /// Distance between the centres of one-line boxes in adjacent rows.
    pub row_gap: f64,
    pub margin: f64,
    /// Statistical diagrams: the height kept free around an arrow passing a column (room for
    /// its label).
    pub passage: f64,
    /// Statistical diagrams: the distance between the ends of arrows sharing a box's side that
    /// boxes grow tall enough for.
    pub end_step: f64,
    /// Statistical diagrams: arrows sharing a box's side ordered by slope (see
    /// [`Diagram::ends_by_slope`]).
    pub ends_by_slope: bool,
    /// Statistical diagrams: how much more of the room between columns goes to a gap the wider
    /// the fan of arrows crossing it into one box (0: every gap `col_gap`; see
    /// `layered::column_xs`).
    pub fan_skew: f64,
}

impl Spacing {
    pub fn for_kind(kind: DiagramKind) -> Self {
        // Statistical diagrams hold many boxes and labels: a slightly smaller type keeps them
        // within a journal's text width (6.5 in = 468 pt) with every text at 8 pt or more.
        let (font_pt, label_pt) = match kind {
            DiagramKind::Conceptual => (10.0, 9.0),
            DiagramKind::Statistical | DiagramKind::Latent => (9.0, 8.5),
        };
        Spacing {
            font_pt,
            label_pt,
            box_h: 2.4 * font_pt,
            // Statistical diagrams spend their width on the gaps their coefficients sit in.
            pad_x: match kind {
                DiagramKind::Statistical => 0.6 * font_pt,
                DiagramKind::Conceptual | DiagramKind::Latent => 1.0 * font_pt,
            },
            min_w: 4.5 * font_pt,
            wrap_w: match kind {
                DiagramKind::Conceptual => 12.0 * font_pt,
                DiagramKind::Statistical | DiagramKind::Latent => 9.5 * font_pt,
            },
            col_gap: match kind {
                DiagramKind::Conceptual => 7.0 * font_pt,
                DiagramKind::Statistical | DiagramKind::Latent => 8.0 * font_pt,
            },
            row_gap: match kind {
                DiagramKind::Conceptual => 4.8 * font_pt,
                DiagramKind::Statistical | DiagramKind::Latent => 4.4 * font_pt,
            },
            margin: 1.2 * font_pt,
            passage: 24.0,
            end_step: super::ir::SPREAD_MIN,
            ends_by_slope: kind == DiagramKind::Statistical,
            fan_skew: 0.0,
        }
    }

    /// Line height of box labels.
    pub fn line_h(&self) -> f64 {
        1.2 * self.font_pt
    }
}

/// A box waiting for a position: its grid cell when it has one (moderators of conceptual
/// diagrams are placed over their arrows instead).
#[derive(Debug, Clone)]
pub struct Pending {
    pub node: Node,
    pub cell: Option<(i32, i32)>,
    /// Extra room above the box (for the name of the group it opens).
    pub room_above: f64,
}

impl Pending {
    pub fn at(node: Node, cell: (i32, i32)) -> Self {
        Pending {
            node,
            cell: Some(cell),
            room_above: 0.0,
        }
    }
}

/// Column of each mediator: 1 + the longest chain of mediators before it.
pub fn mediator_columns(
    mediators: &[String],
    preds: &BTreeMap<String, Vec<String>>,
) -> BTreeMap<String, i32> {
    let mut col = BTreeMap::new();
    // Mediators come in causal order, so one pass sees every predecessor first; a second pass
    // makes the result independent of that order anyway.
    for _ in 0..2 {
        for m in mediators {
            let c = preds
                .get(m)
                .map(|ps| {
                    ps.iter()
                        .filter_map(|p| col.get(p))
                        .max()
                        .copied()
                        .unwrap_or(0)
                })
                .unwrap_or(0)
                + 1;
            col.insert(m.clone(), c);
        }
    }
    col
}

/// Grid cells of X, the mediators and Y. Mediators go above the X -> Y line (rows -1, -2, ...);
/// when every column holds one mediator and there are more than two, rows alternate so that an
/// arrow from X to a later mediator passes between the earlier ones.
pub fn core_cells(
    x: &str,
    y: &str,
    mediators: &[String],
    cols: &BTreeMap<String, i32>,
) -> Vec<(String, (i32, i32))> {
    let mut out = vec![(x.to_string(), (0, 0))];
    let last = cols.values().max().copied().unwrap_or(0) + 1;
    let mut per_col: BTreeMap<i32, i32> = BTreeMap::new();
    for m in mediators {
        *per_col.entry(cols[m]).or_default() += 1;
    }
    let zigzag = per_col.len() > 2 && per_col.values().all(|&n| n == 1);
    let mut used: BTreeMap<i32, i32> = BTreeMap::new();
    for m in mediators {
        let c = cols[m];
        let k = used.entry(c).or_default();
        let offset = if zigzag { (c - 1) % 2 } else { 0 };
        out.push((m.clone(), (c, -(1 + offset + *k))));
        *k += 1;
    }
    out.push((y.to_string(), (last, 0)));
    out
}

/// Lines of a box label: wrapped at spaces to the layout's width (a product breaks after its
/// `×`).
pub fn box_lines(label: &str, s: &Spacing) -> Vec<String> {
    let lines = if text_width(label, s.font_pt) > s.wrap_w && label.contains(" × ") {
        // A product that does not fit breaks after its × signs first.
        let parts: Vec<String> = label.split(" × ").map(str::to_string).collect();
        let last = parts.len() - 1;
        let mut lines: Vec<String> = Vec::new();
        for (k, part) in parts.iter().enumerate() {
            let part = if k < last {
                format!("{part} ×")
            } else {
                part.clone()
            };
            lines.extend(wrap(&part, s.wrap_w, s.font_pt));
        }
        lines
    } else {
        wrap(label, s.wrap_w, s.font_pt)
    };
    if lines.is_empty() {
        vec![String::new()]
    } else {
        lines
    }
}

/// Width of a box for its label lines.
pub fn box_width(lines: &[String], s: &Spacing) -> f64 {
    let text = lines
        .iter()
        .map(|l| text_width(l, s.font_pt))
        .fold(0.0, f64::max);
    (text + 2.0 * s.pad_x).max(s.min_w).ceil()
}

/// Height of a box with `n` lines of text.
pub fn box_height(n: usize, s: &Spacing) -> f64 {
    s.box_h + n.saturating_sub(1) as f64 * s.line_h()
}

/// Puts every pending box with a cell on the grid; returns the x of each column's centre line.
/// Rows are as tall as their tallest box, with the gap of one-line rows between them.
pub fn place_grid(pending: &mut [Pending], s: &Spacing) -> BTreeMap<i32, f64> {
    let mut widest: BTreeMap<i32, f64> = BTreeMap::new();
    let mut tallest: BTreeMap<i32, (f64, f64)> = BTreeMap::new();
    for p in pending.iter() {
        if let Some((c, r)) = p.cell {
            let w = widest.entry(c).or_insert(0.0);
            *w = w.max(p.node.w);
            let t = tallest.entry(r).or_insert((s.box_h, 0.0));
            t.0 = t.0.max(p.node.h);
            t.1 = t.1.max(p.room_above);
        }
    }
    let mut xs = BTreeMap::new();
    let mut right = 0.0;
    for (i, (c, w)) in widest.iter().enumerate() {
        let x = if i == 0 {
            w / 2.0
        } else {
            right + s.col_gap + w / 2.0
        };
        xs.insert(*c, x);
        right = x + w / 2.0;
    }
    let ys = row_centres(&tallest, s);
    for p in pending.iter_mut() {
        if let Some((c, r)) = p.cell {
            p.node.x = xs[&c];
            p.node.y = ys[&r];
            // One width per column: sides line up, so arrows between columns clear every box.
            p.node.w = widest[&c];
        }
    }
    xs
}

/// The y of each row's centre, row 0 at 0: one-line rows `row_gap` apart, taller rows and rows
/// with room above further. Empty rows between used ones count as one-line rows.
fn row_centres(tallest: &BTreeMap<i32, (f64, f64)>, s: &Spacing) -> BTreeMap<i32, f64> {
    let gap = s.row_gap - s.box_h;
    let size = |r: i32| tallest.get(&r).copied().unwrap_or((s.box_h, 0.0));
    let mut ys = BTreeMap::new();
    let (lo, hi) = match (tallest.keys().next(), tallest.keys().last()) {
        (Some(&lo), Some(&hi)) => (lo.min(0), hi.max(0)),
        _ => return ys,
    };
    ys.insert(0, 0.0);
    let mut y = 0.0;
    for r in 1..=hi {
        let ((h0, _), (h1, room)) = (size(r - 1), size(r));
        y += (h0 + h1) / 2.0 + gap + room;
        ys.insert(r, y);
    }
    let mut y = 0.0;
    for r in (lo..0).rev() {
        let ((h0, room), (h1, _)) = (size(r + 1), size(r));
        y -= (h0 + h1) / 2.0 + gap + room;
        ys.insert(r, y);
    }
    ys
}

/// Places the grid, then lifts mediators that an arrow between two other boxes would cut
/// through: each such box moves above the top of its column, as long as that lowers the number of
/// crossings (a straight arrow skipping a column of a serial-parallel model otherwise runs
/// through a box there).
pub fn untangle(pending: &mut [Pending], edges: &[Edge], s: &Spacing) {
    let crossings = |pending: &[Pending]| -> Vec<usize> {
        let d = Diagram {
            nodes: pending.iter().map(|p| p.node.clone()).collect(),
            edges: edges.to_vec(),
            ..blank(DiagramKind::Conceptual, s)
        };
        let mut hits = Vec::new();
        for (i, e) in edges.iter().enumerate() {
            let (Target::Node(to), Some((a, b))) = (&e.to, d.segment(i)) else {
                continue;
            };
            for (k, p) in pending.iter().enumerate() {
                if p.node.kind != NodeKind::Mediator || p.node.id == e.from || &p.node.id == to {
                    continue;
                }
                let r = Rect {
                    w: p.node.w - 1.0,
                    h: p.node.h - 1.0,
                    ..p.node.rect()
                };
                if r.crosses(a, b) {
                    hits.push(k);
                }
            }
        }
        hits
    };
    place_grid(pending, s);
    let mut hits = crossings(pending);
    let cells = |pending: &[Pending]| pending.iter().map(|p| p.cell).collect::<Vec<_>>();
    let mut best = (hits.len(), cells(pending));
    for step in 0..24 {
        // Lift the crossed boxes in turn (a different one each step when several are crossed).
        let Some(&k) = hits.get(step % hits.len().max(1)) else {
            break;
        };
        let Some((c, _)) = pending[k].cell else { break };
        let top = pending
            .iter()
            .filter_map(|p| p.cell)
            .filter(|(cc, _)| *cc == c)
            .map(|(_, r)| r)
            .min()
            .unwrap_or(0);
        pending[k].cell = Some((c, top - 1));
        place_grid(pending, s);
        hits = crossings(pending);
        if hits.len() < best.0 {
            best = (hits.len(), cells(pending));
        }
    }
    for (p, c) in pending.iter_mut().zip(best.1) {
        p.cell = c;
    }
    // Close rows above the X -> Y line that lifting left empty in every column, unless that
    // brings a crossing back.
    let kept = cells(pending);
    let mut r = -1;
    loop {
        let used: Vec<i32> = pending.iter().filter_map(|p| p.cell.map(|c| c.1)).collect();
        if used.iter().all(|&u| u >= r) {
            break;
        }
        if used.contains(&r) {
            r -= 1;
            continue;
        }
        for p in pending.iter_mut() {
            if let Some((c, row)) = p.cell {
                if row < r {
                    p.cell = Some((c, row + 1));
                }
            }
        }
    }
    place_grid(pending, s);
    if crossings(pending).len() > best.0 {
        for (p, c) in pending.iter_mut().zip(kept) {
            p.cell = c;
        }
        place_grid(pending, s);
    }
}

/// The next free row at or below `from` in column `col`.
pub fn free_row(pending: &[Pending], col: i32, from: i32) -> i32 {
    let mut r = from;
    while pending.iter().any(|p| p.cell == Some((col, r))) {
        r += 1;
    }
    r
}

/// Places a box without a cell centred at `(x, y)`, moving it right until it overlaps no placed
/// box (with a gap).
pub fn place_free(placed: &[Node], node: &mut Rect, x: f64, y: f64, gap: f64) {
    node.x = x;
    node.y = y;
    for _ in 0..200 {
        let r = Rect {
            w: node.w + gap,
            h: node.h + gap,
            ..*node
        };
        match placed.iter().find(|o| o.rect().overlaps(&r)) {
            Some(o) => node.x = o.x + (o.w + node.w) / 2.0 + gap,
            None => return,
        }
    }
}

/// A diagram with no boxes yet, with the type sizes of `s`.
pub fn blank(kind: DiagramKind, s: &Spacing) -> Diagram {
    Diagram {
        kind,
        nodes: Vec::new(),
        edges: Vec::new(),
        width: 0.0,
        height: 0.0,
        font_pt: s.font_pt,
        label_pt: s.label_pt,
        caption: None,
        groups: Vec::new(),
        margin: s.margin,
        ends_by_slope: s.ends_by_slope,
        key: None,
    }
}

/// The narrowest drawing (room for a caption), in points.
const MIN_WIDTH: f64 = 300.0;

/// Moves everything so the drawing starts at the margin and sets the diagram's size.
pub fn finish(d: &mut Diagram, s: &Spacing) {
    let mut rects: Vec<Rect> = d.nodes.iter().map(Node::rect).collect();
    rects.extend(d.edges.iter().filter_map(|e| e.label_rect));
    rects.extend(d.groups.iter().map(|g| g.rect));
    // Curves bulge beyond the boxes they join.
    for i in 0..d.edges.len() {
        if let Some(p) = d.curve(i) {
            rects.extend(super::ir::polyline(&p, 24).into_iter().map(|(x, y)| Rect {
                x,
                y,
                w: 2.0,
                h: 2.0,
            }));
        }
    }
    let (mut x0, mut y0, mut x1, mut y1) = (
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    );
    for r in &rects {
        x0 = x0.min(r.x - r.w / 2.0);
        x1 = x1.max(r.x + r.w / 2.0);
        y0 = y0.min(r.y - r.h / 2.0);
        y1 = y1.max(r.y + r.h / 2.0);
    }
    if rects.is_empty() {
        (x0, y0, x1, y1) = (0.0, 0.0, 0.0, 0.0);
    }
    // Narrow diagrams get the minimum width, with the drawing centred.
    let extra = ((MIN_WIDTH - (x1 - x0)) / 2.0).max(0.0);
    let (dx, dy) = (s.margin - x0 + extra, s.margin - y0);
    let shift = |r: &mut Rect| {
        r.x = round2(r.x + dx);
        r.y = round2(r.y + dy);
    };
    for n in d.nodes.iter_mut() {
        n.x = round2(n.x + dx);
        n.y = round2(n.y + dy);
    }
    for e in d.edges.iter_mut() {
        if let Some(r) = e.label_rect.as_mut() {
            shift(r);
        }
    }
    for g in d.groups.iter_mut() {
        shift(&mut g.rect);
    }
    let inner = (x1 - x0).max(MIN_WIDTH);
    let caption_h = match &d.caption {
        Some(c) => {
            let lines = caption_lines(c, inner, d.label_pt).len() as f64;
            lines * caption_line_h(d.label_pt) + 0.6 * d.font_pt
        }
        None => 0.0,
    };
    d.margin = s.margin;
    d.width = round2(inner + 2.0 * s.margin);
    d.height = round2(y1 - y0 + 2.0 * s.margin + caption_h);
}

/// Takes the caption off a finished diagram (`--no-captions`), with the room it took.
pub fn remove_caption(d: &mut Diagram) {
    if let Some(c) = d.caption.take() {
        let inner = d.width - 2.0 * d.margin;
        let lines = caption_lines(&c, inner, d.label_pt).len() as f64;
        d.height = round2(d.height - lines * caption_line_h(d.label_pt) - 0.6 * d.font_pt);
    }
}

/// Puts `key` under the finished drawing `d` (above its caption), centred, the drawing widened
/// (and centred) when the key is wider.
pub fn add_key(d: &mut Diagram, mut key: Key) {
    let caption = d.caption.clone();
    remove_caption(d);
    let inner = d.width - 2.0 * d.margin;
    let wide = inner.max(key.rect.w);
    let dx = round2((wide - inner) / 2.0);
    for n in d.nodes.iter_mut() {
        n.x += dx;
    }
    for r in d.edges.iter_mut().filter_map(|e| e.label_rect.as_mut()) {
        r.x += dx;
    }
    for g in d.groups.iter_mut() {
        g.rect.x += dx;
    }
    let gap = super::key::KEY_GAP_EM * d.label_pt;
    key.rect.x = round2(d.margin + wide / 2.0);
    key.rect.y = round2(d.height - d.margin + gap + key.rect.h / 2.0);
    d.width = round2(wide + 2.0 * d.margin);
    d.height = round2(d.height + gap + key.rect.h);
    if let Some(c) = caption {
        let lines = caption_lines(&c, wide, d.label_pt).len() as f64;
        d.height = round2(d.height + lines * caption_line_h(d.label_pt) + 0.6 * d.font_pt);
        d.caption = Some(c);
    }
    d.key = Some(key);
}

/// The caption's lines at `size` in a drawing `width` points wide (inside the margins).
pub fn caption_lines(caption: &str, width: f64, size: f64) -> Vec<String> {
    caption
        .split('\n')
        .flat_map(|para| wrap(para, width, size))
        .collect()
}

/// Line height of the caption.
pub fn caption_line_h(size: f64) -> f64 {
    1.25 * size
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// Greedy word wrap of `text` to lines no wider than `width` points at `size`.
pub fn wrap(text: &str, width: f64, size: f64) -> Vec<String> {
    wrap_with(text, width, size, text_width)
}

/// Greedy word wrap of `text` to lines no wider than `width` points at `size`, measured by
/// `measure`.
pub fn wrap_with(text: &str, width: f64, size: f64, measure: fn(&str, f64) -> f64) -> Vec<String> {
    let text_width = measure;
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let trial = if cur.is_empty() {
            word.to_string()
        } else {
            format!("{cur} {word}")
        };
        if !cur.is_empty() && text_width(&trial, size) > width {
            lines.push(std::mem::replace(&mut cur, word.to_string()));
        } else {
            cur = trial;
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// An arrow between two boxes.
pub fn arrow(from: &str, to: &str, label: Option<String>) -> Edge {
    Edge {
        from: from.to_string(),
        to: Target::Node(to.to_string()),
        label,
        at: 0.5,
        label_rect: None,
        route: Route::Auto,
    }
}
