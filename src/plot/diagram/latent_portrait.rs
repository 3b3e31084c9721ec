//! The portrait arrangement of a latent path diagram, for models too wide for a journal's text
//! width (6.5 in) in columns: a page's text block is taller than wide (6.5 x 9 in), so the
//! structural part folds into two columns. The exogenous latents stand on the left with their
//! indicators fanned out on their left, as AMOS draws them; every later node (mediators, then
//! outcomes, in causal order) stands one under the other on the right, its indicators stacked
//! on its right, so causes sit left of or above their effects. An observed covariate pointing
//! only into the topmost (bottommost) node of the right column sits straight above (below) it,
//! its arrow short and clear of the arrows between the columns.

use super::ir::{Route, Side, Target};
use super::latent_layout::{
    column_blocks, column_gap, put, stack_ys, Block, Place, Scene, Structure, BLOCK_GAP,
};
use super::layout::Spacing;
use crate::plot::labels::Labels;

/// The gap between the two columns, in shares of the columns' usual gap: the arrows between
/// them run diagonally and cross, and their labels need room to stand apart.
const GAP_SHARE: f64 = 1.1;
/// Between two covariates of one row.
const ROW_GAP: f64 = 12.0;

/// The nodes of the portrait's parts.
struct Parts {
    left: Vec<String>,
    right: Vec<String>,
    above: Vec<String>,
    below: Vec<String>,
}

/// Places every block of `s` (by causal `columns`) in the portrait arrangement.
pub(super) fn place(
    scene: &mut Scene,
    s: &Structure,
    columns: &[Vec<String>],
    labels: &Labels,
    sp: &Spacing,
) {
    let parts = parts(scene, s, columns);
    let left = column_blocks(scene, s, &parts.left, labels, sp);
    let right = column_blocks(scene, s, &parts.right, labels, sp);
    let reach_right = left.iter().map(|b| b.right).fold(0.0, f64::max);
    let node_left = right.iter().map(|b| b.node.w / 2.0).fold(0.0, f64::max);
    let x = reach_right + GAP_SHARE * column_gap(s, sp, &scene.room) + node_left;
    put_column(scene, left, 0.0);
    let (up, down) = put_column(scene, right, x);
    let above = column_blocks(scene, s, &parts.above, labels, sp);
    put_row(scene, above, x, up, -1.0);
    let below = column_blocks(scene, s, &parts.below, labels, sp);
    put_row(scene, below, x, down, 1.0);
}

/// Splits the structural nodes: the first column's (but the covariates moved), the later
/// columns' in causal order, and the covariates moved above or below the right column.
fn parts(scene: &Scene, s: &Structure, columns: &[Vec<String>]) -> Parts {
    let right: Vec<String> = columns.iter().skip(1).flatten().cloned().collect();
    let mut p = Parts {
        left: Vec::new(),
        right: Vec::new(),
        above: Vec::new(),
        below: Vec::new(),
    };
    let (Some(first), Some(last)) = (right.first(), right.last()) else {
        p.left = columns.iter().flatten().cloned().collect();
        return p;
    };
    for v in columns.first().into_iter().flatten() {
        let targets: Vec<&String> = s
            .arrows
            .iter()
            .filter(|a| &a.from == v)
            .map(|a| &a.to)
            .collect();
        let covariate = scene.place.get(v) == Some(&Place::Alone) && !targets.is_empty();
        if covariate && targets.iter().all(|t| *t == first) {
            p.above.push(v.clone());
        } else if covariate && right.len() > 1 && targets.iter().all(|t| *t == last) {
            p.below.push(v.clone());
        } else {
            p.left.push(v.clone());
        }
    }
    p.right = right;
    p
}

/// Puts a column's blocks one under the other at `x`, centred on 0; returns how far the column
/// reaches up and down from its centre.
fn put_column(scene: &mut Scene, blocks: Vec<Block>, x: f64) -> (f64, f64) {
    let ys = stack_ys(&blocks);
    let up = blocks
        .iter()
        .zip(&ys)
        .map(|(b, y)| b.up - y)
        .fold(0.0, f64::max);
    let down = blocks
        .iter()
        .zip(&ys)
        .map(|(b, y)| b.down + y)
        .fold(0.0, f64::max);
    for (b, y) in blocks.into_iter().zip(ys) {
        put(scene, b, x, y);
    }
    (up, down)
}

/// Puts blocks side by side, centred on `x`, beyond `reach` from the centre (`sign` -1 above,
/// +1 below).
fn put_row(scene: &mut Scene, blocks: Vec<Block>, x: f64, reach: f64, sign: f64) {
    let width: f64 = blocks.iter().map(|b| b.left + b.right).sum::<f64>()
        + ROW_GAP * blocks.len().saturating_sub(1) as f64;
    let mut at = x - width / 2.0;
    for b in blocks {
        let y = sign * (reach + BLOCK_GAP + if sign < 0.0 { b.down } else { b.up });
        let cx = at + b.left;
        at += b.left + b.right + ROW_GAP;
        put(scene, b, cx, y);
    }
}

/// Moves curve ends off the points where the portrait's straight arrows meet a node: a lone
/// covariance end on an ellipse's side (where the arrow to the other column leaves) slides
/// towards the curve's other end, and the variance loop on top of (below) a node of the right
/// column or a covariate (where the arrows down the column and from the covariates arrive)
/// slides to the left half, away from the indicators on the right.
pub(super) fn lean_ends(scene: &mut Scene) {
    let d = &mut scene.d;
    for i in 0..d.edges.len() {
        let e = &d.edges[i];
        let (Route::Curve(c), Target::Node(to)) = (e.route, &e.to) else {
            continue;
        };
        let (Some(a), Some(b)) = (d.node(&e.from), d.node(to)) else {
            continue;
        };
        let vertical = matches!(c.from_side, Side::Top | Side::Bottom);
        let mut c = c;
        if e.from == *to {
            let beside = scene.place.get(&e.from) != Some(&Place::Left);
            if !vertical || !beside || !scene.column.contains_key(&e.from) {
                continue;
            }
            c.from_offset -= LEAN * a.w / 2.0;
            c.to_offset -= LEAN * a.w / 2.0;
        } else if !vertical && c.from_side == c.to_side {
            let toward = |end: &super::ir::Node, other: &super::ir::Node, off: f64| {
                if off != 0.0 || !end.is_ellipse() {
                    return off;
                }
                (other.y - end.y).signum() * LEAN * end.h / 2.0
            };
            c.from_offset = toward(a, b, c.from_offset);
            c.to_offset = toward(b, a, c.to_offset);
        } else {
            continue;
        }
        d.edges[i].route = Route::Curve(c);
    }
}

/// How far a moved curve end goes, in shares of the half side.
const LEAN: f64 = 0.5;
