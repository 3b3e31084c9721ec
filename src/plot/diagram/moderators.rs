//! Where a conceptual diagram's moderators go. Each moderator searches for an arrangement in
//! which none of its arrows runs through a box and its box sits on no arrow (an arrow through a
//! mediator's box reads as that mediator's): its side (above or below), how far out, where along
//! the row, and where along each path its arrows land; the first arrangement without a crossing
//! wins, in order of preference (its side, nearest its paths, arrows landing mid-path). A
//! moderator of a moderator (Z in a three-way interaction) is tried first beside the arrow it
//! moderates, level with where it lands, as Hayes draws it; its arrows must also cross no other
//! arrow.

use super::build::new_node;
use super::conceptual::Onto;
use super::ir::{segments_cross, Diagram, Edge, Node, NodeKind, Rect, Target};
use super::layout::{self, Spacing};
use crate::plot::labels::Labels;
use crate::spec::ModelSpec;

/// How many moderators' arrows a moderator's arrows sit on top of (0: onto paths only).
fn depth(onto: &[Onto], m: &str, guard: usize) -> usize {
    if guard == 0 {
        return 0;
    }
    onto.iter()
        .filter(|o| o.moderator == m)
        .filter_map(|o| o.via.as_deref())
        .map(|v| 1 + depth(onto, v, guard - 1))
        .max()
        .unwrap_or(0)
}

/// The moderators in the order they are placed: each after the moderators whose arrows it
/// points onto, otherwise in order of first appearance.
fn placing_order(onto: &[Onto]) -> Vec<String> {
    let mut order: Vec<String> = Vec::new();
    for o in onto {
        if !order.contains(&o.moderator) {
            order.push(o.moderator.clone());
        }
    }
    order.sort_by_key(|m| depth(onto, m, onto.len()));
    order
}

/// The arrow a moderator's arrow lands on: the path, or `via`'s arrow onto it.
fn resolve(edges: &[Edge], o: &Onto) -> Option<usize> {
    match &o.via {
        None => Some(o.path),
        Some(v) => edges
            .iter()
            .position(|e| &e.from == v && e.to == Target::Edge(o.path)),
    }
}

/// Adds a box for each moderating variable (unless it is already drawn, like X in model 74) and
/// its arrows onto the arrows it moderates.
pub(super) fn place_moderators(
    d: &mut Diagram,
    nodes: &mut Vec<Node>,
    onto: &[Onto],
    spec: &ModelSpec,
    labels: &Labels,
    s: &Spacing,
) {
    let top = nodes.iter().map(|n| n.y - n.h / 2.0).fold(0.0, f64::min) + s.box_h / 2.0;
    let bottom = nodes.iter().map(|n| n.y + n.h / 2.0).fold(0.0, f64::max) - s.box_h / 2.0;
    let has_mediators = !spec.mediators.is_empty();
    let mut sides: Vec<(String, bool)> = Vec::new();
    let mut rows = (top - s.row_gap, bottom + s.row_gap);
    for m in placing_order(onto) {
        let mine: Vec<&Onto> = onto.iter().filter(|o| o.moderator == m).collect();
        let targets: Vec<usize> = mine.iter().filter_map(|o| resolve(&d.edges, o)).collect();
        let second = mine.iter().any(|o| o.via.is_some());
        let touches_mediator = mine.iter().any(|o| {
            let e = &d.edges[o.path];
            spec.mediators.contains(&e.from)
                || matches!(&e.to, Target::Node(t) if spec.mediators.contains(t))
        });
        let shares = sides.iter().find(|(other, _)| {
            onto.iter()
                .any(|p| &p.moderator == other && mine.iter().any(|o| o.path == p.path))
        });
        let preferred = match shares {
            Some((_, other_above)) => !other_above,
            None => !has_mediators || touches_mediator,
        };
        let kind = if spec.covariates.contains(&m) {
            NodeKind::Covariate
        } else {
            NodeKind::Moderator
        };
        d.nodes = nodes.clone();
        let direct: Vec<bool> = mine
            .iter()
            .map(|o| {
                o.via.is_none()
                    && d.edges[o.path].from == spec.x
                    && d.edges[o.path].to == Target::Node(spec.y.clone())
            })
            .collect();
        let scene = Scene {
            segments: (0..d.edges.len()).map(|i| d.segment(i)).collect(),
            nodes: nodes.as_slice(),
            drawn: nodes.iter().find(|n| n.id == m).cloned(),
            proto: new_node(&m, labels.var(&m), kind, s),
            targets: &targets,
            rows,
            // A moderator others point onto gets long arrows, with room beside them.
            min_out: u8::from(onto.iter().any(|o| o.via.as_deref() == Some(m.as_str()))),
            second,
            crowded: Vec::new(),
            s,
        }
        .with_crowding();
        let arr = scene.search(preferred, has_mediators, &direct);
        for (&i, &at) in targets.iter().zip(&arr.ats) {
            d.edges.push(Edge {
                from: m.clone(),
                to: Target::Edge(i),
                label: None,
                at,
                label_rect: None,
                route: Default::default(),
            });
        }
        sides.push((m.clone(), arr.above));
        rows = arr.rows;
        if let Some(r) = arr.node {
            let mut node = scene.proto.clone();
            (node.x, node.y) = (r.x, r.y);
            nodes.push(node);
        }
    }
    d.nodes = nodes.clone();
}

/// One way to draw a moderator: its side, how many rows further out than the next free row, the
/// x its box is centred near (None: over the points its arrows land on), an explicit centre
/// height (beside the arrow it moderates), where each arrow lands, and (once placed) its box and
/// the rows above and below the drawing.
#[derive(Debug, Clone)]
struct Arrangement {
    above: bool,
    out: u8,
    x: Option<f64>,
    y: Option<f64>,
    ats: Vec<f64>,
    /// Where its box goes (None when it is already drawn).
    node: Option<Rect>,
    rows: (f64, f64),
}

/// An arrow's visible part: from its tail to its head.
type Segment = ((f64, f64), (f64, f64));

/// What a moderator is placed among: the arrows so far with their segments, the boxes so far.
struct Scene<'a> {
    segments: Vec<Option<Segment>>,
    nodes: &'a [Node],
    /// The moderator's box when it is already drawn (X in model 74).
    drawn: Option<Node>,
    proto: Node,
    targets: &'a [usize],
    rows: (f64, f64),
    /// Rows further out than the next free one, at least.
    min_out: u8,
    /// A moderator of another moderator's arrow.
    second: bool,
    /// For each target and each landing fraction in [`AT`]: whether another arrow passes
    /// within [`LANDING_CLEAR`] of the point.
    crowded: Vec<[bool; AT.len()]>,
    s: &'a Spacing,
}

/// Where along a path a moderator's arrow may land, most preferred first.
const AT: [f64; 13] = [
    0.5, 0.4, 0.6, 0.3, 0.7, 0.25, 0.75, 0.2, 0.8, 0.15, 0.85, 0.1, 0.9,
];

/// A crossing through a box outweighs any number of crossings between arrows and crowded
/// landings (a moderator of twenty paths may crowd every landing).
const BOX_CROSSING: usize = 100_000;
/// Moderators with at most this many arrows get the finer search.
const FEW: usize = 6;
/// Arrangements tried after the first that crosses no box.
const LOOKAHEAD: usize = 10;
/// Shortest moderator arrow, in points (an arrowhead is 7).
const MIN_ARROW: f64 = 20.0;
/// A shorter arrow weighs as much as this many crossings between arrows.
const SHORT_ARROW: usize = 20;
/// Two arrows of one moderator closer than this (radians, about 15 degrees) count as a clash.
const CLOSE_ANGLE: f64 = 0.26;

/// An arrow landing next to another arrow: worse than soft clashes, better than a crossing.
const CROWDED: usize = 100;

/// How far a landing point stays from every arrow but its own, in points.
const LANDING_CLEAR: f64 = 4.0;

/// Distance from `p` to the segment `a`-`b`.
fn distance_to_segment(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (p.0 - a.0 - t * dx).hypot(p.1 - a.1 - t * dy)
}

/// The angle between the directions of two arrows.
fn angle(a: (f64, f64), p: (f64, f64), b: (f64, f64), q: (f64, f64)) -> f64 {
    let u = (p.0 - a.0, p.1 - a.1);
    let v = (q.0 - b.0, q.1 - b.1);
    let (nu, nv) = (u.0.hypot(u.1), v.0.hypot(v.1));
    if nu < 1e-9 || nv < 1e-9 {
        return 0.0;
    }
    ((u.0 * v.0 + u.1 * v.1) / (nu * nv))
        .clamp(-1.0, 1.0)
        .acos()
}

impl Scene<'_> {
    /// Fills in [`Scene::crowded`].
    fn with_crowding(mut self) -> Self {
        self.crowded = self
            .targets
            .iter()
            .map(|&i| {
                AT.map(|at| {
                    self.point(i, at).is_some_and(|p| {
                        self.segments
                            .iter()
                            .enumerate()
                            .filter(|(j, _)| *j != i)
                            .filter_map(|(_, s)| *s)
                            .any(|(c, d)| distance_to_segment(p, c, d) < LANDING_CLEAR)
                    })
                })
            })
            .collect();
        self
    }

    /// Whether landing at `at` on target `k` would be next to another arrow.
    fn is_crowded(&self, k: usize, at: f64) -> bool {
        AT.iter()
            .position(|&a| (a - at).abs() < 1e-9)
            .is_some_and(|x| self.crowded.get(k).is_some_and(|c| c[x]))
    }

    fn point(&self, i: usize, at: f64) -> Option<(f64, f64)> {
        let (a, b) = self.segments.get(i).copied().flatten()?;
        Some((a.0 + at * (b.0 - a.0), a.1 + at * (b.1 - a.1)))
    }

    /// The arrangements to try, most preferred first.
    fn configs(&self, preferred: bool) -> Vec<Arrangement> {
        let mut out = Vec::new();
        let fresh = |above, o, x, y| Arrangement {
            above,
            out: o,
            x,
            y,
            ats: vec![0.5; self.targets.len()],
            node: None,
            rows: self.rows,
        };
        if self.second && self.drawn.is_none() {
            // Between the arrows it moderates, when there are several.
            if self.targets.len() > 1 {
                for at in [0.5, 0.4, 0.6, 0.3, 0.7] {
                    let ps: Vec<(f64, f64)> = self
                        .targets
                        .iter()
                        .filter_map(|&i| self.point(i, at))
                        .collect();
                    let n = ps.len().max(1) as f64;
                    let c = (
                        ps.iter().map(|p| p.0).sum::<f64>() / n,
                        ps.iter().map(|p| p.1).sum::<f64>() / n,
                    );
                    let mut a = fresh(preferred, 0, Some(c.0), Some(c.1));
                    a.ats = vec![at; self.targets.len()];
                    out.push(a);
                }
            }
            // Beside each arrow it moderates (the first few), level with the landing point,
            // right then left.
            let gap = 0.8 * self.s.col_gap + self.proto.w / 2.0;
            for k in 0..self.targets.len().min(FEW) {
                for at in [0.5, 0.4, 0.6, 0.3, 0.7] {
                    let Some(p) = self.point(self.targets[k], at) else {
                        continue;
                    };
                    for dx in [gap, -gap] {
                        let mut a = fresh(preferred, 0, Some(p.0 + dx), Some(p.1));
                        a.ats[k] = at;
                        out.push(a);
                    }
                }
            }
        }
        let sides: &[bool] = if self.drawn.is_some() {
            &[true]
        } else {
            &[preferred, !preferred]
        };
        // Column centres and the gaps between columns, nearest the middle of the paths first.
        let mut xs: Vec<f64> = self.nodes.iter().map(|n| n.x).collect();
        xs.sort_by(f64::total_cmp);
        xs.dedup_by(|a, b| (*a - *b).abs() < 1.0);
        let mut spots = xs.clone();
        spots.extend(xs.windows(2).map(|w| (w[0] + w[1]) / 2.0));
        for o in self.min_out..self.min_out + 2 {
            for &above in sides {
                out.push(fresh(above, o, None, None));
                if self.drawn.is_none() {
                    for &x in &spots {
                        out.push(fresh(above, o, Some(x), None));
                    }
                }
            }
        }
        out
    }

    /// The first arrangement without a crossing, else the one with the fewest.
    fn search(&self, preferred: bool, has_mediators: bool, direct: &[bool]) -> Arrangement {
        let mut best: Option<(usize, Arrangement)> = None;
        // Once an arrangement crosses no box, a few more are tried for fewer soft clashes.
        let mut left = usize::MAX;
        for mut arr in self.configs(preferred) {
            if left == 0 {
                break;
            }
            if arr.y.is_none() {
                // An arrow from above onto the X -> Y line would cross the mediators' boxes at
                // the middle: it starts a quarter of the way along instead.
                for (at, &d) in arr.ats.iter_mut().zip(direct) {
                    if d && has_mediators && arr.above {
                        *at = 0.25;
                    }
                }
            }
            let bound = best.as_ref().map_or(usize::MAX, |b| b.0);
            let mut score = self.score(&mut arr, bound);
            // Coordinate descent over where each arrow lands: always against a box crossing, and
            // against soft clashes when there are few arrows (it costs arrows x landing points).
            let descend =
                |score: usize| score >= BOX_CROSSING || (score > 0 && self.targets.len() <= FEW);
            // Against a box crossing, or with few arrows, two rounds over every landing point;
            // against soft clashes of many arrows, one round over the five likeliest.
            let (rounds, ats) = if self.targets.len() <= FEW || score >= BOX_CROSSING {
                (2, &AT[..])
            } else {
                (1, &AT[..5])
            };
            for _ in 0..rounds {
                if !descend(score) {
                    break;
                }
                for k in 0..self.targets.len() {
                    for &at in ats.iter() {
                        let mut trial = arr.clone();
                        trial.ats[k] = at;
                        let t = self.score(&mut trial, score);
                        if t < score {
                            (arr, score) = (trial, t);
                        }
                    }
                }
            }
            if score == 0 {
                return arr;
            }
            if score < BOX_CROSSING {
                left = left.min(LOOKAHEAD);
            }
            left = left.saturating_sub(1);
            if best.as_ref().is_none_or(|(b, _)| score < *b) {
                best = Some((score, arr));
            }
        }
        best.map(|b| b.1).unwrap_or(Arrangement {
            above: preferred,
            out: 0,
            x: None,
            y: None,
            ats: vec![0.5; self.targets.len()],
            node: None,
            rows: self.rows,
        })
    }

    /// The moderator's box where `arr` puts it (also setting `arr`'s box and rows).
    fn place(&self, arr: &mut Arrangement, points: &[(f64, f64)]) -> Rect {
        let s = self.s;
        if let Some(n) = &self.drawn {
            return n.rect();
        }
        let mut node = self.proto.rect();
        if let (Some(x), Some(y)) = (arr.x, arr.y) {
            layout::place_free(self.nodes, &mut node, x, y, s.font_pt);
            arr.node = Some(node);
            return node;
        }
        let x = arr.x.unwrap_or_else(|| {
            points.iter().map(|p| p.0).sum::<f64>() / points.len().max(1) as f64
        });
        let (mut above_row, mut below_row) = self.rows;
        let shift = f64::from(arr.out) * s.row_gap;
        let y = if arr.above {
            above_row - shift
        } else {
            below_row + shift
        };
        layout::place_free(self.nodes, &mut node, x, y, s.font_pt);
        if node.x - x > node.w {
            // No room in this row near its arrows: open a new row further out.
            if arr.above {
                above_row = y - s.row_gap;
            } else {
                below_row = y + s.row_gap;
            }
            let y = if arr.above { above_row } else { below_row };
            layout::place_free(self.nodes, &mut node, x, y, s.font_pt);
        } else if arr.above {
            above_row = above_row.min(y);
        } else {
            below_row = below_row.max(y);
        }
        arr.rows = (above_row, below_row);
        arr.node = Some(node);
        node
    }

    /// Places the box as `arr` says and scores it: [`BOX_CROSSING`] for each of the moderator's
    /// arrows through a box and each arrow through its box; [`CROWDED`] for each of its arrows
    /// landing where another arrow passes; [`SHORT_ARROW`] for each of its arrows
    /// shorter than [`MIN_ARROW`]; one for each pair of its arrows
    /// leaving nearly side by side and, for a moderator of a moderator, each arrow its arrows
    /// cross (a first moderator may cross a path, as in Hayes' templates).
    /// Stops counting once past `bound` (the caller only wants to know it is worse).
    fn score(&self, arr: &mut Arrangement, bound: usize) -> usize {
        let points: Vec<(f64, f64)> = self
            .targets
            .iter()
            .zip(&arr.ats)
            .filter_map(|(&i, &at)| self.point(i, at))
            .collect();
        let me = self.place(arr, &points);
        // A quarter point inside the border: touching is not crossing, but a line that grazes a
        // corner by less than the final rounding to hundredths would.
        let shrunk = |r: Rect| Rect {
            w: r.w - 0.5,
            h: r.h - 0.5,
            ..r
        };
        let mut hits = 0;
        let mine = |n: &Node| n.id == self.proto.id;
        let tails: Vec<(f64, f64)> = points.iter().map(|p| me.exit_towards(*p)).collect();
        for (k, (a, p)) in tails.iter().zip(&points).enumerate() {
            hits += BOX_CROSSING
                * self
                    .nodes
                    .iter()
                    .filter(|n| !mine(n) && shrunk(n.rect()).crosses(*a, *p))
                    .count();
            if self.second {
                hits += self
                    .segments
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| Some(j) != self.targets.get(k))
                    .filter_map(|(_, s)| *s)
                    .filter(|(c, d)| segments_cross(*a, *p, *c, *d))
                    .count();
            }
            // An arrow landing where another arrow passes would read as landing on either.
            let own =
                points.len() <= FEW
                    && tails.iter().zip(&points).enumerate().any(|(j, (b, q))| {
                        j != k && distance_to_segment(*p, *b, *q) < LANDING_CLEAR
                    });
            if own || self.is_crowded(k, arr.ats[k]) {
                hits += CROWDED;
            }
            // An arrow hardly longer than its head is hard to see.
            if (p.0 - a.0).hypot(p.1 - a.1) < MIN_ARROW {
                hits += SHORT_ARROW;
            }
            // Two arrows of one moderator leaving side by side read as one (checked for a few
            // arrows: with many, some pairs are always close).
            for (b, q) in tails.iter().zip(&points).skip(k + 1) {
                if points.len() <= FEW && angle(*a, *p, *b, *q) < CLOSE_ANGLE {
                    hits += 1;
                }
            }
            if hits > bound {
                return hits;
            }
        }
        if self.drawn.is_none() {
            let r = shrunk(me);
            hits += BOX_CROSSING
                * self
                    .segments
                    .iter()
                    .flatten()
                    .filter(|(a, b)| r.crosses(*a, *b))
                    .count();
        }
        hits
    }
}
