//! The curves of a latent path diagram: covariances bowing out of the outer sides of the boxes
//! they join, variances as loops, and the labels at their apexes.

use super::coef_labels::label_size;
use super::ir::{bezier, Curve, Diagram, Rect, Route, Side, Target};
use super::latent_layout::{blocked, spread_ends, Place, Scene, Structure};
use super::layout::arrow;

/// How far a variance's loop stands out of its box.
const LOOP: f64 = 18.0;
/// Covering a box or label counts as this many crossed lines.
const COVERS: usize = 10;
/// Blank space kept around a curve's label.
const CLEAR: f64 = 1.5;

/// Adds every covariance and (when asked) variance as a two-headed curve, ends spread along the
/// sides they share.
pub(super) fn covariance_curves(scene: &mut Scene, s: &Structure) {
    let loops = !s.variances.is_empty();
    let first = scene.d.edges.len();
    for c in &s.covariances {
        let (Some(a), Some(b)) = (scene.d.node(&c.from), scene.d.node(&c.to)) else {
            continue;
        };
        let dist = (a.x - b.x).hypot(a.y - b.y);
        let from_side = side_of(scene, &c.from, &c.to);
        let to_side = side_of(scene, &c.to, &c.from);
        let mut e = arrow(&c.from, &c.to, Some(c.label.clone()));
        e.route = Route::Curve(Curve {
            from_side,
            to_side,
            from_offset: 0.0,
            to_offset: 0.0,
            bulge: 14.0 + 0.3 * dist,
            two_headed: true,
        });
        scene.d.edges.push(e);
    }
    nest(&mut scene.d, first, if loops { LOOP } else { 0.0 });
    for i in first..scene.d.edges.len() {
        unblock(&mut scene.d, i);
    }
    for v in &s.variances {
        let side = loop_side(scene, &v.from);
        let mut e = arrow(&v.from, &v.from, Some(v.label.clone()));
        e.route = Route::Curve(Curve {
            from_side: side,
            to_side: side,
            from_offset: 0.0,
            to_offset: 0.0,
            bulge: LOOP,
            two_headed: true,
        });
        scene.d.edges.push(e);
    }
    spread_ends(&mut scene.d);
    if scene.portrait {
        super::latent_portrait::lean_ends(scene);
    }
}

/// A curve through a box (between boxes on different sides of the model) tries other sides and
/// deeper bows until it passes none; it stays as it is when nothing clears.
fn unblock(d: &mut Diagram, i: usize) {
    let Route::Curve(original) = d.edges[i].route else {
        return;
    };
    if !blocked(d, i) {
        return;
    }
    let mut sides = vec![(original.from_side, original.to_side)];
    sides.extend([Side::Right, Side::Left, Side::Bottom, Side::Top].map(|s| (s, s)));
    for (from_side, to_side) in sides {
        for k in 1..=4 {
            d.edges[i].route = Route::Curve(Curve {
                from_side,
                to_side,
                bulge: original.bulge * (1.0 + 0.5 * k as f64),
                ..original
            });
            if !blocked(d, i) {
                return;
            }
        }
    }
    d.edges[i].route = Route::Curve(original);
}

/// Depths of the curves from edge `first` on that leave and enter on one side: shortest span
/// first, each one label deeper than the deepest it overlaps along the side, so nested and
/// overlapping curves keep their labels (at the apexes, 3/4 of the bulge out) apart. `base` is
/// the room taken by variance loops.
fn nest(d: &mut Diagram, first: usize, base: f64) {
    let mut arcs: Vec<(usize, f64, f64, f64)> = Vec::new();
    for i in first..d.edges.len() {
        let e = &d.edges[i];
        let (Route::Curve(c), Target::Node(to)) = (&e.route, &e.to) else {
            continue;
        };
        let (Some(a), Some(b)) = (d.node(&e.from), d.node(to)) else {
            continue;
        };
        let (lw, lh) = label_size(e.label.as_deref().unwrap_or(""), d.label_pt);
        let (pa, pb, across) = match c.from_side {
            Side::Left | Side::Right => (a.y, b.y, lw),
            Side::Top | Side::Bottom => (a.x, b.x, lh),
        };
        if c.from_side != c.to_side {
            if let Route::Curve(c) = &mut d.edges[i].route {
                c.bulge += base;
            }
            continue;
        }
        arcs.push((i, pa.min(pb), pa.max(pb), across));
    }
    arcs.sort_by(|x, y| (x.2 - x.1).total_cmp(&(y.2 - y.1)).then(x.0.cmp(&y.0)));
    // (interval, depth of its apex) of the curves set so far.
    let mut set: Vec<(f64, f64, f64)> = Vec::new();
    for (i, lo, hi, across) in arcs {
        let below = set
            .iter()
            .filter(|o| o.0 < hi - 1.0 && o.1 > lo + 1.0)
            .map(|o| o.2)
            .fold(base, f64::max);
        let apex = below + across + 6.0;
        if let Route::Curve(c) = &mut d.edges[i].route {
            c.bulge = apex / 0.75;
        }
        set.push((lo, hi, apex));
    }
}

/// The side of `v` a covariance with `other` leaves from: an indicator's outer side; beside a
/// structural node of its own column, the right side (the left one when its indicators stack
/// on its right); otherwise the side without indicators,
/// top first.
fn side_of(scene: &Scene, v: &str, other: &str) -> Side {
    if let Some(owner) = scene.owner.get(v) {
        return scene
            .place
            .get(owner)
            .copied()
            .unwrap_or(Place::Alone)
            .outer();
    }
    if scene.column.contains_key(v) && scene.column.get(v) == scene.column.get(other) {
        // Away from the indicators stacked on the right (the portrait's second column).
        return match scene.place.get(v) {
            Some(Place::Right) => Side::Left,
            _ => Side::Right,
        };
    }
    loop_side(scene, v)
}

/// The side of `v` its loop (or a covariance to another column) sits on.
fn loop_side(scene: &Scene, v: &str) -> Side {
    if let Some(owner) = scene.owner.get(v) {
        return scene
            .place
            .get(owner)
            .copied()
            .unwrap_or(Place::Alone)
            .outer();
    }
    match scene.place.get(v) {
        Some(Place::Above) => Side::Bottom,
        _ => Side::Top,
    }
}

/// Fractions of a curve where its label may sit, most preferred first.
const AT: [f64; 13] = [
    0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82, 0.14, 0.86, 0.1, 0.9,
];

/// Each curve's label at its apex, or the nearest point along it clear of every box, of the
/// labels placed before and of the straight arrows; a loop's label just beyond its tip.
pub(super) fn place_curve_labels(d: &mut Diagram) {
    let mut taken: Vec<Rect> = d.nodes.iter().map(|n| n.rect()).collect();
    // A curve's label on a straight arrow would read as that arrow's.
    let straight: Vec<_> = (0..d.edges.len()).filter_map(|j| d.segment(j)).collect();
    for i in 0..d.edges.len() {
        let (Some(p), Some(text)) = (d.curve(i), d.edges[i].label.clone()) else {
            continue;
        };
        let (w, h) = label_size(&text, d.label_pt);
        let is_loop = matches!(&d.edges[i].to, super::ir::Target::Node(t) if *t == d.edges[i].from);
        let at = |t: f64| {
            let (x, y) = bezier(&p, t);
            let (dx, dy) = if is_loop {
                // Beyond the tip, along the loop's direction out of its box.
                let Route::Curve(c) = d.edges[i].route else {
                    return Rect { x, y, w, h };
                };
                let n = c.from_side.normal();
                (n.0 * (w / 2.0 + 1.0), n.1 * (h / 2.0 + 1.0))
            } else {
                (0.0, 0.0)
            };
            Rect {
                x: x + dx,
                y: y + dy,
                w,
                h,
            }
        };
        let clashes = |r: &Rect| {
            let grown = Rect {
                w: r.w + 2.0 * CLEAR,
                h: r.h + 2.0 * CLEAR,
                ..*r
            };
            COVERS * taken.iter().filter(|o| o.overlaps(&grown)).count()
                + straight
                    .iter()
                    .filter(|(a, b)| grown.crosses(*a, *b))
                    .count()
        };
        let candidates: &[f64] = if is_loop { &[0.5] } else { &AT };
        let best = candidates
            .iter()
            .map(|&t| at(t))
            .min_by_key(|r| clashes(r))
            .unwrap_or_else(|| at(0.5));
        taken.push(best);
        d.edges[i].label_rect = Some(best);
    }
}
