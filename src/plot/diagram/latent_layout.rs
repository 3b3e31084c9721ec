//! Layout of latent path diagrams, as AMOS and semPlot draw them: the structural part (latents
//! and observed variables in regressions) in columns by causal depth, left to right; the
//! indicators of an exogenous latent stacked on its left, those of an endogenous latent in a row
//! below it (above it for the first of several in a column). When that is too wide for a
//! journal's text width, the indicators of the last column's latents stack on their right, as
//! AMOS draws an outcome factor. Covariances are curves on the
//! outer sides of the boxes they join, so they bow away from the model; an arrow with a box in
//! its way is bent over (or under) everything between its ends.

use std::collections::BTreeMap;

use super::build::new_node;
use super::coef_labels::{label_size, place_labels, Clashes, CURVE_PIECES};
use super::ir::{
    polyline, spread_offset, Curve, Diagram, DiagramKind, Node, NodeKind, Rect, Route, Side, Target,
};
use super::latent::Link;
use super::latent_curves::{covariance_curves, place_curve_labels};
use super::latent_portrait;
use super::layout::{self, arrow, Spacing};
use super::statistical::{MIN_PRINT_PT, TEXT_WIDTH};
use crate::plot::labels::Labels;

/// What a latent diagram draws (built from the parameter table by `latent`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Structure {
    pub latents: Vec<String>,
    /// Latents and observed variables of the regressions, in model order.
    pub structural: Vec<String>,
    /// Regressions and loadings of latents or regressed variables, tail to head.
    pub arrows: Vec<Link>,
    /// Loadings on indicators.
    pub loadings: Vec<Link>,
    pub covariances: Vec<Link>,
    pub variances: Vec<Link>,
}

/// Where a latent's indicators sit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    Left,
    /// Stacked on the right (the outcome factors of the last column, in the narrower layout).
    Right,
    Above,
    Below,
    /// No indicators (an observed variable, or a latent measured only by latents).
    Alone,
}

impl Place {
    /// The side of an indicator that faces its latent (where its loading arrives).
    fn inner(self) -> Side {
        match self {
            Place::Left => Side::Right,
            Place::Right => Side::Left,
            Place::Above => Side::Bottom,
            Place::Below | Place::Alone => Side::Top,
        }
    }

    /// The side of an indicator facing away from its latent (where its curves attach).
    pub(super) fn outer(self) -> Side {
        match self {
            Place::Left => Side::Left,
            Place::Right => Side::Right,
            Place::Above => Side::Top,
            Place::Below | Place::Alone => Side::Bottom,
        }
    }
}

/// Distance between a latent and its stack of indicators (plus a share of the stack's height,
/// so the outer loadings do not get steep).
const STACK_GAP_X: f64 = 48.0;
/// Distance between a latent and its row of indicators.
const ROW_GAP_Y: f64 = 58.0;
/// Between neighbouring indicators of a row, and of a stack.
const ROW_GAP_X: f64 = 16.0;
const STACK_GAP_Y: f64 = 9.0;
/// Between blocks (a structural node with its indicators) of one column.
pub(super) const BLOCK_GAP: f64 = 52.0;
/// Between the blocks of neighbouring columns.
const BLOCKS_APART: f64 = 24.0;
/// Between the stacks of two latents of the first column.
const STACKS_GAP: f64 = 26.0;
/// Room for curves bowing out of a stack or row.
const CURVE_ROOM: f64 = 44.0;

/// The layout's working state: the diagram so far and where each structural node's indicators
/// went.
pub(super) struct Scene {
    pub d: Diagram,
    pub place: BTreeMap<String, Place>,
    /// Indicator -> the latent whose block holds it.
    pub owner: BTreeMap<String, String>,
    /// Column of each structural node.
    pub column: BTreeMap<String, usize>,
    /// The distances between columns, blocks and indicators.
    pub room: Room,
    /// Laid out in the portrait arrangement.
    pub portrait: bool,
}

/// Distances the layout keeps, in points: the usual ones, or tighter ones for a model too wide
/// for a journal's text width.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Room {
    /// Between neighbouring structural nodes, beyond the widest arrow label, and at least this
    /// share of the spacing's column gap.
    column_extra: f64,
    column_share: f64,
    /// Between the blocks of neighbouring columns.
    blocks_apart: f64,
    /// The share of the indicators' pitch between two neighbouring loading labels of a row, and
    /// the least gap between the indicators.
    row_share: f64,
    row_gap: f64,
    /// Between a latent and its stack of indicators (at least), and that in widest labels.
    stack_gap: f64,
    stack_labels: f64,
}

const USUAL: Room = Room {
    column_extra: 36.0,
    column_share: 1.0,
    blocks_apart: BLOCKS_APART,
    row_share: 0.75,
    row_gap: ROW_GAP_X,
    stack_gap: STACK_GAP_X,
    stack_labels: 1.5,
};

/// Labels of a row's loadings staggered (the search slides them along their arrows), a
/// narrower margin around structural labels and blocks.
const TIGHT: Room = Room {
    column_extra: 16.0,
    column_share: 0.6,
    blocks_apart: 12.0,
    row_share: 1.25,
    row_gap: 8.0,
    stack_gap: 32.0,
    stack_labels: 1.1,
};

/// Lays out `s` with `labels` for the boxes: with the usual room, or, when that is wider than a
/// journal's text width allows for 8 pt print, with the tight room if that is narrower and
/// places its labels no worse.
pub fn layout(s: &Structure, labels: &Labels, caption: Option<String>) -> Diagram {
    let sp = Spacing::for_kind(DiagramKind::Latent);
    let (usual, clashes) = layout_with(s, labels, caption.clone(), USUAL, Arrangement::Columns);
    let max_width = TEXT_WIDTH * sp.font_pt.min(sp.label_pt) / MIN_PRINT_PT;
    if usual.width <= max_width {
        return usual;
    }
    let mut best = (usual, clashes);
    // Tighter room first; then the last column's indicators stacked on the right (with the
    // usual room, then the tight), which takes a row of indicators out of the width; then the
    // portrait, which folds every column past the first into one. The portrait is taken only
    // when no line of it passes through a box.
    let candidates = [
        (TIGHT, Arrangement::Columns),
        (USUAL, Arrangement::OutcomeRight),
        (TIGHT, Arrangement::OutcomeRight),
        (USUAL, Arrangement::Portrait),
        (TIGHT, Arrangement::Portrait),
    ];
    for (room, arrangement) in candidates {
        let (d, c) = layout_with(s, labels, caption.clone(), room, arrangement);
        let crossed =
            arrangement == Arrangement::Portrait && (0..d.edges.len()).any(|i| blocked(&d, i));
        let worse = overlaps(&d) > overlaps(&best.0) || c > best.1 || crossed;
        if d.width < best.0.width && !worse {
            best = (d, c);
        }
        if best.0.width <= max_width {
            break;
        }
    }
    best.0
}

/// Overlaps among a diagram's labels, curves' labels included, and of labels over boxes.
fn overlaps(d: &Diagram) -> usize {
    let rects: Vec<Rect> = d.edges.iter().filter_map(|e| e.label_rect).collect();
    let boxes = d.nodes.iter().map(Node::rect);
    let mut n = 0;
    for (k, a) in rects.iter().enumerate() {
        n += rects[k + 1..].iter().filter(|b| a.overlaps(b)).count();
        n += boxes.clone().filter(|b| a.overlaps(b)).count();
    }
    n
}

fn layout_with(
    s: &Structure,
    labels: &Labels,
    caption: Option<String>,
    room: Room,
    arrangement: Arrangement,
) -> (Diagram, Clashes) {
    let sp = Spacing::for_kind(DiagramKind::Latent);
    let columns = columns(s);
    let mut scene = Scene {
        d: layout::blank(DiagramKind::Latent, &sp),
        place: places(s, &columns, arrangement),
        owner: BTreeMap::new(),
        column: BTreeMap::new(),
        room,
        portrait: arrangement == Arrangement::Portrait,
    };
    let portrait = scene.portrait;
    for (c, col) in columns.iter().enumerate() {
        for v in col {
            // The portrait's second column holds every node past the first column.
            scene
                .column
                .insert(v.clone(), if portrait { c.min(1) } else { c });
        }
    }
    if portrait {
        latent_portrait::place(&mut scene, s, &columns, labels, &sp);
    } else {
        place_blocks(&mut scene, s, &columns, labels, &sp);
    }
    add_arrows(&mut scene, s);
    covariance_curves(&mut scene, s);
    place_curve_labels(&mut scene.d);
    let clashes = place_labels(&mut scene.d);
    scene.d.caption = caption;
    layout::finish(&mut scene.d, &sp);
    (scene.d, clashes)
}

/// The structural nodes by causal depth: a column is one more than the deepest node pointing
/// into it (capped, so a cycle cannot run away).
fn columns(s: &Structure) -> Vec<Vec<String>> {
    let mut depth: BTreeMap<&str, usize> = s.structural.iter().map(|v| (v.as_str(), 0)).collect();
    let cap = s.structural.len();
    for _ in 0..cap {
        let mut changed = false;
        for a in &s.arrows {
            let (Some(&f), Some(&t)) = (depth.get(a.from.as_str()), depth.get(a.to.as_str()))
            else {
                continue;
            };
            if t < f + 1 && f < cap {
                depth.insert(a.to.as_str(), f + 1);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut cols: Vec<Vec<String>> = Vec::new();
    for v in &s.structural {
        let k = depth[v.as_str()];
        if cols.len() <= k {
            cols.resize(k + 1, Vec::new());
        }
        cols[k].push(v.clone());
    }
    cols.retain(|c| !c.is_empty());
    cols
}

/// How the blocks are arranged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Arrangement {
    /// A column per causal depth, the indicators of later columns' latents in rows.
    Columns,
    /// As `Columns`, the last column's indicators stacked on the right.
    OutcomeRight,
    /// The first column as in `Columns`; every later node in a second column, one under the
    /// other in causal order, with its indicators stacked on its right (`latent_portrait`).
    Portrait,
}

/// Where each structural node's indicators go under `arrangement`.
fn places(
    s: &Structure,
    columns: &[Vec<String>],
    arrangement: Arrangement,
) -> BTreeMap<String, Place> {
    let right = |c: usize| match arrangement {
        Arrangement::Columns => false,
        Arrangement::OutcomeRight => c == columns.len().saturating_sub(1),
        Arrangement::Portrait => true,
    };
    let mut out = BTreeMap::new();
    for (c, col) in columns.iter().enumerate() {
        for (r, v) in col.iter().enumerate() {
            let has_items = s.loadings.iter().any(|l| &l.from == v);
            let p = if !has_items {
                Place::Alone
            } else if c == 0 {
                Place::Left
            } else if right(c) {
                Place::Right
            } else if col.len() > 1 && r == 0 {
                Place::Above
            } else {
                Place::Below
            };
            out.insert(v.clone(), p);
        }
    }
    out
}

/// A structural node with its indicators, relative to the node's centre, and how far the block
/// reaches each way.
pub(super) struct Block {
    pub node: Node,
    pub place: Place,
    pub items: Vec<Node>,
    pub left: f64,
    pub right: f64,
    pub up: f64,
    pub down: f64,
}

/// Builds every block, stacks the blocks of a column around a common axis and puts the columns
/// side by side.
fn place_blocks(
    scene: &mut Scene,
    s: &Structure,
    columns: &[Vec<String>],
    labels: &Labels,
    sp: &Spacing,
) {
    let gap = column_gap(s, sp, &scene.room);
    let mut x = 0.0;
    let mut prev_right: Option<(f64, f64)> = None;
    let mut extra = 0.0;
    for col in columns {
        let blocks = column_blocks(scene, s, col, labels, sp);
        // The nodes of neighbouring columns are `gap` apart (room for an arrow's label), the
        // blocks (wider, with their indicators) at least `BLOCKS_APART`.
        let reach = |f: fn(&Block) -> f64| blocks.iter().map(f).fold(0.0, f64::max);
        let (left, right) = (reach(|b| b.left), reach(|b| b.right));
        let (node_left, node_right) = (reach(|b| b.node.w / 2.0), reach(|b| b.node.w / 2.0));
        if let Some((pr, pnr)) = prev_right {
            x += (pnr + gap + extra + node_left).max(pr + scene.room.blocks_apart + left);
        }
        prev_right = Some((right, node_right));
        // A covariance between nodes of this column bows into the gap to the next: room for
        // its label beside the arrows' labels.
        extra = s
            .covariances
            .iter()
            .filter(|c| col.contains(&c.from) && col.contains(&c.to))
            .map(|c| label_size(&c.label, sp.label_pt).0 + 12.0)
            .fold(0.0, f64::max);
        let ys = stack_ys(&blocks);
        for (b, y) in blocks.into_iter().zip(ys) {
            put(scene, b, x, y);
        }
    }
}

/// The blocks of one column's nodes, noting which latent holds each indicator. Latents of a
/// column share their width, so curves beside them clear each other.
pub(super) fn column_blocks(
    scene: &mut Scene,
    s: &Structure,
    col: &[String],
    labels: &Labels,
    sp: &Spacing,
) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    for v in col {
        let b = block(scene, s, v, labels, sp);
        for it in &b.items {
            scene.owner.insert(it.id.clone(), v.clone());
        }
        blocks.push(b);
    }
    let w = blocks
        .iter()
        .filter(|b| b.node.is_ellipse())
        .map(|b| b.node.w)
        .fold(0.0, f64::max);
    for b in blocks.iter_mut().filter(|b| b.node.is_ellipse()) {
        b.node.w = w;
        b.left = b.left.max(w / 2.0);
        b.right = b.right.max(w / 2.0);
    }
    blocks
}

/// The centres of a column's blocks one under the other, centred on 0.
pub(super) fn stack_ys(blocks: &[Block]) -> Vec<f64> {
    let mut ys = Vec::new();
    let mut y = 0.0;
    for (k, b) in blocks.iter().enumerate() {
        if k > 0 {
            // Nothing passes between two stacks of the first column but their curves.
            let stacks = b.place == Place::Left && blocks[k - 1].place == Place::Left;
            let gap = if stacks { STACKS_GAP } else { BLOCK_GAP };
            y += blocks[k - 1].down + gap + b.up;
        }
        ys.push(y);
    }
    let mid = ys.iter().sum::<f64>() / ys.len().max(1) as f64;
    ys.iter().map(|y| y - mid).collect()
}

/// Room between columns for the widest label on a structural arrow.
pub(super) fn column_gap(s: &Structure, sp: &Spacing, room: &Room) -> f64 {
    let widest = s
        .arrows
        .iter()
        .map(|a| label_size(&a.label, sp.label_pt).0)
        .fold(0.0, f64::max);
    (widest + room.column_extra).max(room.column_share * sp.col_gap)
}

pub(super) fn put(scene: &mut Scene, b: Block, x: f64, y: f64) {
    let mut node = b.node;
    node.x = x;
    node.y = y;
    for mut it in b.items {
        it.x += x;
        it.y += y;
        scene.d.nodes.push(it);
    }
    scene.d.nodes.push(node);
}

/// The block of structural node `v`: its box or ellipse and its indicators placed around it.
pub(super) fn block(scene: &Scene, s: &Structure, v: &str, labels: &Labels, sp: &Spacing) -> Block {
    let latent = s.latents.iter().any(|l| l == v);
    let node = if latent {
        ellipse(v, labels, sp)
    } else {
        new_node(v, labels.var(v), NodeKind::Predictor, sp)
    };
    let place = scene.place.get(v).copied().unwrap_or(Place::Alone);
    // Items are many and their names short: narrower boxes than the structural ones.
    let item_sp = Spacing {
        min_w: 3.2 * sp.font_pt,
        ..*sp
    };
    let mut items: Vec<Node> = s
        .loadings
        .iter()
        .filter(|l| l.from == v && !scene.owner.contains_key(&l.to))
        .map(|l| new_node(&l.to, labels.var(&l.to), NodeKind::Indicator, &item_sp))
        .collect();
    items.dedup_by(|a, b| a.id == b.id);
    // An indicator loading on two latents sits with the first.
    let (iw, ih) = items
        .iter()
        .fold((0.0f64, 0.0f64), |(w, h), n| (w.max(n.w), h.max(n.h)));
    for it in items.iter_mut() {
        it.w = iw;
        it.h = ih;
    }
    let n = items.len() as f64;
    // Neighbouring loadings' labels must fit side by side (a row) or one above the other (a
    // stack) near the indicators.
    let (lw, lh) = s
        .loadings
        .iter()
        .filter(|l| l.from == v)
        .map(|l| label_size(&l.label, sp.label_pt))
        .fold((0.0f64, 0.0f64), |(w, h), (a, b)| (w.max(a), h.max(b)));
    // The labels of the items' variance loops sit side by side beyond a row.
    let loop_w = s
        .variances
        .iter()
        .filter(|l| items.iter().any(|i| i.id == l.from))
        .map(|l| label_size(&l.label, sp.label_pt).0 + 4.0)
        .fold(0.0f64, f64::max);
    // Loadings fan out from the latent, so two labels at 60% of their arrows (where the last
    // clear place usually is) stand 60% of the indicators' pitch apart.
    // Two-line labels (intervals) get longer arrows instead, to stand at staggered heights.
    let spread = if lh > 2.0 * sp.label_pt {
        1.0
    } else {
        scene.room.row_share
    };
    let gap_x = scene
        .room
        .row_gap
        .max((lw + 3.0) / spread - iw)
        .max(loop_w - iw);
    let gap_y = STACK_GAP_Y.max((lh + 3.0) / 0.6 - ih);
    let own_curves = s
        .covariances
        .iter()
        .chain(&s.variances)
        .any(|c| items.iter().any(|i| i.id == c.from) || items.iter().any(|i| i.id == c.to));
    let room = if own_curves { CURVE_ROOM } else { 0.0 };
    let (hw, hh) = (node.w / 2.0, node.h / 2.0);
    let mut b = Block {
        left: hw,
        right: hw,
        up: hh,
        down: hh,
        node,
        place,
        items,
    };
    match place {
        Place::Left | Place::Right => {
            let total = n * ih + (n - 1.0) * gap_y;
            let r = &scene.room;
            let dx = hw + r.stack_gap.max(r.stack_labels * lw) + 0.1 * total + iw / 2.0;
            let sign = if place == Place::Right { 1.0 } else { -1.0 };
            for (k, it) in b.items.iter_mut().enumerate() {
                it.x = sign * dx;
                it.y = -total / 2.0 + ih / 2.0 + k as f64 * (ih + gap_y);
            }
            if place == Place::Right {
                b.right = dx + iw / 2.0 + room;
            } else {
                b.left = dx + iw / 2.0 + room;
            }
            b.up = hh.max(total / 2.0);
            b.down = b.up;
        }
        Place::Above | Place::Below => {
            let total = n * iw + (n - 1.0) * gap_x;
            let dy = hh + ROW_GAP_Y.max(4.0 * lh) + ih / 2.0;
            let sign = if place == Place::Below { 1.0 } else { -1.0 };
            for (k, it) in b.items.iter_mut().enumerate() {
                it.x = -total / 2.0 + iw / 2.0 + k as f64 * (iw + gap_x);
                it.y = sign * dy;
            }
            b.left = hw.max(total / 2.0);
            b.right = b.left;
            let reach = dy + ih / 2.0 + room;
            if place == Place::Below {
                b.down = reach;
            } else {
                b.up = reach;
            }
        }
        Place::Alone => {}
    }
    // A loop on the structural node itself.
    if s.variances.iter().any(|c| c.from == v) {
        b.up += CURVE_ROOM / 2.0;
        b.down += CURVE_ROOM / 2.0;
    }
    b
}

/// A latent's ellipse, wide and tall enough for its label to fit inside.
fn ellipse(v: &str, labels: &Labels, sp: &Spacing) -> Node {
    let mut n = new_node(v, labels.var(v), NodeKind::Latent, sp);
    // A rectangle inscribed in an ellipse of √2 times its size fits exactly.
    n.w = (n.w * 1.3).max(1.5 * sp.min_w);
    n.h *= 1.4;
    n
}

/// Loadings into their indicators' inner sides and regressions straight, bent around any box in
/// their way.
fn add_arrows(scene: &mut Scene, s: &Structure) {
    for l in &s.loadings {
        let mut e = arrow(&l.from, &l.to, Some(l.label.clone()));
        if scene.owner.get(&l.to) == Some(&l.from) {
            let place = scene.place.get(&l.from).copied().unwrap_or(Place::Alone);
            e.route = Route::IntoSide(place.inner());
        }
        scene.d.edges.push(e);
    }
    for a in &s.arrows {
        scene
            .d
            .edges
            .push(arrow(&a.from, &a.to, Some(a.label.clone())));
        let i = scene.d.edges.len() - 1;
        if blocked(&scene.d, i) {
            if let Some(c) = detour(scene, i, !s.variances.is_empty()) {
                scene.d.edges[i].route = Route::Curve(c);
            }
        }
    }
}

/// Whether arrow `i` (straight or curved) passes through a box other than its ends.
pub(super) fn blocked(d: &Diagram, i: usize) -> bool {
    let e = &d.edges[i];
    let Target::Node(to) = &e.to else {
        return false;
    };
    let others: Vec<Rect> = d
        .nodes
        .iter()
        .filter(|n| n.id != e.from && &n.id != to)
        .map(Node::rect)
        .collect();
    let pieces: Vec<((f64, f64), (f64, f64))> = match (d.segment(i), d.curve(i)) {
        (Some(seg), _) => vec![seg],
        (None, Some(p)) => polyline(&p, CURVE_PIECES)
            .windows(2)
            .map(|w| (w[0], w[1]))
            .collect(),
        (None, None) => return false,
    };
    pieces
        .iter()
        .any(|&(a, b)| others.iter().any(|r| r.crosses(a, b)))
}

/// A curve over (or under) the boxes between the ends of arrow `i`, leaving and entering at the
/// sides without indicators; the flatter of the two that clears every box (and, with `loops`,
/// the variance loops on them).
fn detour(scene: &Scene, i: usize, loops: bool) -> Option<Curve> {
    let d = &scene.d;
    let e = &d.edges[i];
    let Target::Node(to) = &e.to else {
        return None;
    };
    let free = |v: &str, side: Side| {
        let p = scene.place.get(v).copied().unwrap_or(Place::Alone);
        !matches!(
            (p, side),
            (Place::Above, Side::Top) | (Place::Below, Side::Bottom)
        )
    };
    let mut best: Option<Curve> = None;
    for side in [Side::Top, Side::Bottom] {
        if !free(&e.from, side) || !free(to, side) {
            continue;
        }
        let mut c = Curve {
            from_side: side,
            to_side: side,
            from_offset: 0.0,
            to_offset: 0.0,
            bulge: 24.0,
            two_headed: false,
        };
        let mut trial = d.clone();
        for _ in 0..24 {
            trial.edges[i].route = Route::Curve(c);
            if !blocked(&trial, i) {
                break;
            }
            c.bulge *= 1.2;
        }
        if !blocked(&trial, i) && best.is_none_or(|b| c.bulge < b.bulge) {
            best = Some(c);
        }
    }
    best.map(|mut c| {
        // Room above the boxes for the label at the curve's apex, and for the variance loops
        // on them with their labels.
        c.bulge += if loops { 56.0 } else { 16.0 };
        c
    })
}

/// A curve's end on a side: the position of its other end along the side (the sort key), the
/// curve, and whether this is its tail.
type End = (f64, usize, bool);

/// Offsets of curve ends sharing a side of a box, spread in the order of their other ends.
pub(super) fn spread_ends(d: &mut Diagram) {
    let mut ends: BTreeMap<(String, u8), Vec<End>> = BTreeMap::new();
    for (i, e) in d.edges.iter().enumerate() {
        let (Route::Curve(c), Target::Node(to)) = (&e.route, &e.to) else {
            continue;
        };
        let (Some(a), Some(b)) = (d.node(&e.from), d.node(to)) else {
            continue;
        };
        let along = |n: &Node, side: Side| match side {
            Side::Left | Side::Right => n.y,
            Side::Top | Side::Bottom => n.x,
        };
        // A loop's two ends sort around the box's own position.
        let (ka, kb) = if e.from == *to {
            (along(a, c.from_side) - 0.1, along(a, c.to_side) + 0.1)
        } else {
            (along(b, c.from_side), along(a, c.to_side))
        };
        ends.entry((e.from.clone(), c.from_side as u8))
            .or_default()
            .push((ka, i, true));
        ends.entry((to.clone(), c.to_side as u8))
            .or_default()
            .push((kb, i, false));
    }
    for ((node, side), mut list) in ends {
        list.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
        let Some(n) = d.node(&node) else { continue };
        let len = if side == Side::Left as u8 || side == Side::Right as u8 {
            n.h
        } else {
            n.w
        };
        let count = list.len();
        for (pos, (_, i, tail)) in list.into_iter().enumerate() {
            let off = spread_offset(pos, count, len);
            if let Route::Curve(c) = &mut d.edges[i].route {
                if tail {
                    c.from_offset = off;
                } else {
                    c.to_offset = off;
                }
            }
        }
    }
}
