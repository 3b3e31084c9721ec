//! Layered layout of a statistical diagram, after Sugiyama, Tagawa and Toda (1981), "Methods for
//! visual understanding of hierarchical system structures": boxes stay in their columns; an
//! arrow that skips columns gets a placeholder in each column it passes, so no box is put in its
//! way; the order within each column is chosen by barycentre sweeps to reduce crossings; then
//! each box moves towards the mean height of the boxes it is joined to (placeholders pull harder,
//! keeping long arrows straight), each column packed in its order with room between boxes
//! (isotonic regression by pool-adjacent-violators). An outcome thus sits amid its predictors,
//! and arrows fan in from both sides instead of rising steeply from below.

use std::collections::BTreeMap;

use super::ir::{slope_order, spread_offset_within, Edge, Target, SPREAD_MAX_STATISTICAL};
use super::layout::{Pending, Spacing};

/// How much harder a placeholder pulls than a box.
const STRAIGHT: f64 = 4.0;
/// Rounds of moving boxes towards their neighbours.
const ROUNDS: usize = 60;
/// Rounds, after those, of only making way for arrows.
const SETTLE: usize = 10;

/// One thing in a column: a box (or a group's boxes as one block), or a placeholder.
#[derive(Debug, Clone)]
struct Item {
    col: i32,
    h: f64,
    y: f64,
    /// Where it starts in its column's order.
    key: f64,
    /// For a placeholder: its arrow's ends.
    ends: Option<Ends>,
}

/// A placeholder's arrow: its index, and the height kept free around it (the room it needs to
/// pass between two boxes with its label, plus any extra the caller asked for).
#[derive(Debug, Clone, Copy)]
struct Ends {
    edge: usize,
    room: f64,
}

/// Where the boxes are, for working out where arrows run: each box's item and offset from the
/// item's centre, height and column, and each arrow's boxes (tail, head).
struct Boxes {
    of_box: Vec<(usize, f64)>,
    h: Vec<f64>,
    col: Vec<i32>,
    arrows: Vec<Option<(usize, usize)>>,
    /// Each box's arrows leaving by its right side, and arriving at its left side.
    out: Vec<Vec<usize>>,
    into: Vec<Vec<usize>>,
    /// Arrows sharing a side in the order of their slopes (else of their other ends' heights).
    by_slope: bool,
}

impl Boxes {
    fn y(&self, items: &[Item], i: usize) -> f64 {
        items[self.of_box[i].0].y + self.of_box[i].1
    }

    /// The offset of arrow `k` on the right side of its tail box (`outgoing`) or the left side
    /// of its head box, as [`Diagram::segment`](super::ir::Diagram::segment) spreads them.
    fn offset(&self, items: &[Item], xs: &Columns, k: usize, outgoing: bool) -> f64 {
        let Some((a, b)) = self.arrows[k] else {
            return 0.0;
        };
        let me = if outgoing { a } else { b };
        let side = if outgoing {
            &self.out[me]
        } else {
            &self.into[me]
        };
        let mut others: Vec<(f64, f64, usize)> = side
            .iter()
            .filter_map(|&j| {
                let (ja, jb) = self.arrows[j]?;
                let other = if outgoing { jb } else { ja };
                let gap = (xs.centre(self.col[other]) - xs.centre(self.col[me])).abs();
                let order = if self.by_slope {
                    slope_order(self.y(items, me), self.y(items, other), gap)
                } else {
                    self.y(items, other)
                };
                Some((order, xs.centre(self.col[other]), j))
            })
            .collect();
        others.sort_by(|p, q| {
            p.0.total_cmp(&q.0)
                .then(p.1.total_cmp(&q.1))
                .then(p.2.cmp(&q.2))
        });
        let pos = others.iter().position(|o| o.2 == k).unwrap_or(0);
        spread_offset_within(pos, others.len(), self.h[me], SPREAD_MAX_STATISTICAL)
    }
}

impl Item {
    fn placeholder(&self) -> bool {
        self.ends.is_some()
    }
}

/// A join between items in adjacent columns, with its pull.
#[derive(Debug, Clone, Copy)]
struct Link {
    a: usize,
    b: usize,
    w: f64,
}

/// The items and links of `pending` and `edges`: blocks of consecutive boxes sharing a `block`
/// id become one item (their boxes stacked `inner` apart), and each arrow skipping columns gets
/// placeholders keeping `passage_h` (plus the arrow's `extra`) free. Returns the items, the
/// links, and where the boxes and arrows are.
fn build(
    pending: &[Pending],
    blocks: &[Option<usize>],
    edges: &[Edge],
    inner: f64,
    extra: &[f64],
    passage_h: f64,
    by_slope: bool,
) -> (Vec<Item>, Vec<Link>, Boxes) {
    let (mut items, of_box) = stack(pending, blocks, inner);
    let index: BTreeMap<&str, usize> = pending
        .iter()
        .enumerate()
        .map(|(i, p)| (p.node.id.as_str(), i))
        .collect();
    let mut links = Vec::new();
    let mut arrows = Vec::new();
    for (k, e) in edges.iter().enumerate() {
        let ends = match &e.to {
            Target::Node(to) => index
                .get(e.from.as_str())
                .zip(index.get(to.as_str()))
                .map(|(&a, &b)| (a, b))
                .filter(|&(a, b)| items[of_box[b].0].col > items[of_box[a].0].col),
            Target::Edge(_) => None,
        };
        arrows.push(ends);
        let Some((ba, bb)) = ends else { continue };
        let room = passage_h + extra.get(k).copied().unwrap_or(0.0);
        let (a, b) = (of_box[ba].0, of_box[bb].0);
        link(
            &mut items,
            &mut links,
            (a, b),
            Ends { edge: k, room },
            passage_h,
        );
    }
    let mut out = vec![Vec::new(); pending.len()];
    let mut into = vec![Vec::new(); pending.len()];
    for (k, a) in arrows.iter().enumerate() {
        if let Some((ta, hb)) = a {
            out[*ta].push(k);
            into[*hb].push(k);
        }
    }
    let boxes = Boxes {
        h: pending.iter().map(|p| p.node.h).collect(),
        col: pending.iter().map(|p| p.cell.map_or(0, |c| c.0)).collect(),
        of_box,
        arrows,
        out,
        into,
        by_slope,
    };
    (items, links, boxes)
}

/// One item per box, or per block of consecutive boxes with one `blocks` id (stacked `inner`
/// apart, the first with its room above); each box's item and offset from the item's centre.
fn stack(
    pending: &[Pending],
    blocks: &[Option<usize>],
    inner: f64,
) -> (Vec<Item>, Vec<(usize, f64)>) {
    let mut items: Vec<Item> = Vec::new();
    let mut of_box: Vec<(usize, f64)> = Vec::new();
    let mut members: Vec<Vec<usize>> = Vec::new();
    for (i, p) in pending.iter().enumerate() {
        let (col, row) = p.cell.unwrap_or((0, 0));
        let same = i > 0 && blocks[i].is_some() && blocks[i] == blocks[i - 1];
        if same {
            let k = items.len() - 1;
            items[k].h += inner + p.node.h;
            members[k].push(i);
        } else {
            items.push(Item {
                col,
                h: p.node.h + p.room_above,
                y: 0.0,
                key: f64::from(row),
                ends: None,
            });
            members.push(vec![i]);
        }
        of_box.push((items.len() - 1, 0.0));
    }
    for (k, ms) in members.iter().enumerate() {
        let mut top = -items[k].h / 2.0 + pending[ms[0]].room_above;
        for &i in ms {
            of_box[i].1 = top + pending[i].node.h / 2.0;
            top += pending[i].node.h + inner;
        }
    }
    (items, of_box)
}

/// Links item `a` to item `b` through a placeholder in each column between them; a placeholder
/// starts in its column's order where the line between the two would be.
fn link(items: &mut Vec<Item>, links: &mut Vec<Link>, (a, b): (usize, usize), ends: Ends, h: f64) {
    let (ca, cb) = (items[a].col, items[b].col);
    let (ka, kb) = (items[a].key, items[b].key);
    let mut prev = a;
    for c in ca + 1..cb {
        let t = f64::from(c - ca) / f64::from(cb - ca);
        items.push(Item {
            col: c,
            h,
            y: 0.0,
            key: ka + t * (kb - ka),
            ends: Some(ends),
        });
        let d = items.len() - 1;
        links.push(Link {
            a: prev,
            b: d,
            w: STRAIGHT,
        });
        prev = d;
    }
    let w = if prev == a { 1.0 } else { STRAIGHT };
    links.push(Link { a: prev, b, w });
}

/// The items of each column, in order of their keys.
fn columns(items: &[Item]) -> BTreeMap<i32, Vec<usize>> {
    let mut cols: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
    for (i, it) in items.iter().enumerate() {
        cols.entry(it.col).or_default().push(i);
    }
    for v in cols.values_mut() {
        v.sort_by(|&a, &b| items[a].key.total_cmp(&items[b].key).then(a.cmp(&b)));
    }
    cols
}

/// Crossings between the links of adjacent columns, for the order `pos`.
fn crossings(items: &[Item], links: &[Link], pos: &[usize]) -> usize {
    let mut n = 0;
    for (k, l) in links.iter().enumerate() {
        for m in links[k + 1..]
            .iter()
            .filter(|m| items[m.a].col == items[l.a].col)
        {
            let da = pos[l.a] as i64 - pos[m.a] as i64;
            let db = pos[l.b] as i64 - pos[m.b] as i64;
            if da * db < 0 {
                n += 1;
            }
        }
    }
    n
}

fn positions(cols: &BTreeMap<i32, Vec<usize>>, n: usize) -> Vec<usize> {
    let mut pos = vec![0; n];
    for v in cols.values() {
        for (k, &i) in v.iter().enumerate() {
            pos[i] = k;
        }
    }
    pos
}

/// Reorders each column by the mean position of its neighbours in the column before (forward
/// sweeps) or after (backward); items without such neighbours keep their place. Keeps the order
/// with the fewest crossings, the starting order on a tie.
fn order(items: &[Item], links: &[Link], cols: &mut BTreeMap<i32, Vec<usize>>) {
    let n = items.len();
    let mut best = (crossings(items, links, &positions(cols, n)), cols.clone());
    let keys: Vec<i32> = cols.keys().copied().collect();
    for sweep in 0..8 {
        let forward = sweep % 2 == 0;
        let seq: Vec<i32> = if forward {
            keys.clone()
        } else {
            keys.iter().rev().copied().collect()
        };
        for c in seq {
            let pos = positions(cols, n);
            let col = cols.get_mut(&c).expect("a column");
            let bary = |i: usize, k: usize| {
                let ns: Vec<f64> = links
                    .iter()
                    .filter_map(|l| match forward {
                        true if l.b == i => Some(pos[l.a] as f64),
                        false if l.a == i => Some(pos[l.b] as f64),
                        _ => None,
                    })
                    .collect();
                if ns.is_empty() {
                    k as f64
                } else {
                    ns.iter().sum::<f64>() / ns.len() as f64
                }
            };
            let mut keyed: Vec<(f64, usize)> = col
                .iter()
                .enumerate()
                .map(|(k, &i)| (bary(i, k), i))
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
            *col = keyed.into_iter().map(|(_, i)| i).collect();
        }
        let c = crossings(items, links, &positions(cols, n));
        if c < best.0 {
            best = (c, cols.clone());
        }
    }
    *cols = best.1;
    balance(items, links, cols);
}

/// Splits the boxes of each column after the first that have no arrow from the column before
/// (predictors of the next column's outcome only, like a second-stage moderator): half go to the
/// top of the column, half to the bottom, so their outcome sits amid its predictors instead of
/// above all of them. Their arrows all run to the right; the change is kept only if it adds no
/// crossing.
fn balance(items: &[Item], links: &[Link], cols: &mut BTreeMap<i32, Vec<usize>>) {
    let keys: Vec<i32> = cols.keys().copied().collect();
    let n = items.len();
    for c in keys.into_iter().skip(1) {
        let v = cols[&c].clone();
        let free = |i: &usize| !items[*i].placeholder() && !links.iter().any(|l| l.b == *i);
        let (loose, rest): (Vec<usize>, Vec<usize>) = v.iter().partition(|i| free(i));
        if loose.len() < 2 || !rest.iter().any(|&i| !items[i].placeholder()) {
            continue;
        }
        let top = loose.len() / 2;
        let candidate: Vec<usize> = loose[..top]
            .iter()
            .chain(&rest)
            .chain(&loose[top..])
            .copied()
            .collect();
        let before = crossings(items, links, &positions(cols, n));
        let mut trial = cols.clone();
        trial.insert(c, candidate);
        if crossings(items, links, &positions(&trial, n)) <= before {
            *cols = trial;
        }
    }
}

/// Positions `y` in order, each as near its `want` as it can be (in weighted least squares) with
/// `sep[k]` between the centres of items k and k+1: isotonic regression (pool adjacent
/// violators) of `want` minus the cumulative separations.
fn pack(want: &[f64], weight: &[f64], sep: &[f64]) -> Vec<f64> {
    let mut offset = vec![0.0; want.len()];
    for k in 1..want.len() {
        offset[k] = offset[k - 1] + sep[k - 1];
    }
    // Blocks of (weighted sum, total weight, count), each block's value its weighted mean.
    let mut blocks: Vec<(f64, f64, usize)> = Vec::new();
    for ((w, o), &g) in want.iter().zip(&offset).zip(weight) {
        blocks.push((g * (w - o), g, 1));
        while blocks.len() > 1 {
            let (s1, g1, n1) = blocks[blocks.len() - 1];
            let (s0, g0, n0) = blocks[blocks.len() - 2];
            if s0 / g0 <= s1 / g1 {
                break;
            }
            blocks.pop();
            let last = blocks.len() - 1;
            blocks[last] = (s0 + s1, g0 + g1, n0 + n1);
        }
    }
    let mut out = Vec::with_capacity(want.len());
    for (s, g, n) in blocks {
        for _ in 0..n {
            out.push(s / g + offset[out.len()]);
        }
    }
    out
}

/// Where the arrow of placeholder `i` crosses its column, and the height it needs there: the
/// straight line from its tail box's right side to its head box's left side, at the points the
/// diagram spreads it to, sloping across the column's width.
fn passage(items: &[Item], boxes: &Boxes, i: usize, xs: &Columns) -> (f64, f64) {
    let Some(e) = items[i].ends else {
        return (items[i].y, items[i].h);
    };
    let Some((a, b)) = boxes.arrows[e.edge] else {
        return (items[i].y, items[i].h);
    };
    let tail = (
        xs.right(boxes.col[a]),
        boxes.y(items, a) + boxes.offset(items, xs, e.edge, true),
    );
    let head = (
        xs.left(boxes.col[b]),
        boxes.y(items, b) + boxes.offset(items, xs, e.edge, false),
    );
    let slope = if head.0 > tail.0 {
        (head.1 - tail.1) / (head.0 - tail.0)
    } else {
        0.0
    };
    let x = xs.centre(items[i].col);
    (
        tail.1 + slope * (x - tail.0),
        e.room + slope.abs() * xs.width(items[i].col),
    )
}

/// The x extent of each column.
struct Columns {
    centre: BTreeMap<i32, f64>,
    width: BTreeMap<i32, f64>,
}

impl Columns {
    fn centre(&self, c: i32) -> f64 {
        self.centre.get(&c).copied().unwrap_or(0.0)
    }
    fn width(&self, c: i32) -> f64 {
        self.width.get(&c).copied().unwrap_or(0.0)
    }
    fn left(&self, c: i32) -> f64 {
        self.centre(c) - self.width(c) / 2.0
    }
    fn right(&self, c: i32) -> f64 {
        self.centre(c) + self.width(c) / 2.0
    }
}

/// How firmly a placeholder holds its place on its arrow when a column is packed: boxes move
/// out of an arrow's way, not the other way round.
const FIRM: f64 = 1000.0;

/// Moves every box towards the weighted mean height of its neighbours, column by column, for
/// [`ROUNDS`] rounds; each placeholder stays where its straight arrow crosses its column, so the
/// boxes of that column make way for the arrow.
fn relax(
    items: &mut [Item],
    boxes: &Boxes,
    links: &[Link],
    cols: &BTreeMap<i32, Vec<usize>>,
    xs: &Columns,
    gap: f64,
    warm: bool,
) {
    if !warm {
        for v in cols.values() {
            let mut y = 0.0;
            for &i in v {
                items[i].y = y + items[i].h / 2.0;
                y += items[i].h + gap;
            }
        }
    }
    // Each item's neighbours with the pull of the link.
    let mut near: Vec<Vec<(usize, f64)>> = vec![Vec::new(); items.len()];
    for l in links {
        near[l.a].push((l.b, l.w));
        near[l.b].push((l.a, l.w));
    }
    let keys: Vec<i32> = cols.keys().copied().collect();
    let rounds = if warm { ROUNDS / 3 } else { ROUNDS };
    for round in 0..rounds + SETTLE {
        // The last rounds only let boxes make way for the arrows as they end up, pulling nothing.
        let settle = round >= rounds;
        let seq: Vec<i32> = if round % 2 == 0 || settle {
            keys.clone()
        } else {
            keys.iter().rev().copied().collect()
        };
        for c in seq {
            let v = sort_passing(items, boxes, &cols[&c], xs);
            pack_column(items, boxes, &near, &v, xs, gap, settle);
        }
    }
}

/// The column's order with its placeholders, in the slots placeholders hold, sorted by where
/// their arrows now cross the column: arrows cannot be held apart in an order they do not run in.
fn sort_passing(items: &[Item], boxes: &Boxes, v: &[usize], xs: &Columns) -> Vec<usize> {
    let mut passing: Vec<(f64, usize)> = v
        .iter()
        .filter(|&&i| items[i].placeholder())
        .map(|&i| (passage(items, boxes, i, xs).0, i))
        .collect();
    passing.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut next = passing.into_iter().map(|p| p.1);
    v.iter()
        .map(|&i| {
            if items[i].placeholder() {
                next.next().unwrap_or(i)
            } else {
                i
            }
        })
        .collect()
}

/// Packs one column: placeholders where their arrows cross it, boxes as near their neighbours'
/// weighted mean height as room allows (at their own height when `settle`).
fn pack_column(
    items: &mut [Item],
    boxes: &Boxes,
    near: &[Vec<(usize, f64)>],
    v: &[usize],
    xs: &Columns,
    gap: f64,
    settle: bool,
) {
    for &i in v {
        if items[i].placeholder() {
            let (y, h) = passage(items, boxes, i, xs);
            items[i].y = y;
            items[i].h = h;
        }
    }
    let want: Vec<f64> = v
        .iter()
        .map(|&i| {
            if items[i].placeholder() || settle {
                return items[i].y;
            }
            let (mut s, mut w) = (0.0, 0.0);
            for &(o, lw) in &near[i] {
                s += lw * items[o].y;
                w += lw;
            }
            if w > 0.0 {
                s / w
            } else {
                items[i].y
            }
        })
        .collect();
    let weight: Vec<f64> = v
        .iter()
        .map(|&i| if items[i].placeholder() { FIRM } else { 1.0 })
        .collect();
    let sep: Vec<f64> = v
        .windows(2)
        .map(|p| {
            let (a, b) = (&items[p[0]], &items[p[1]]);
            if a.placeholder() && b.placeholder() {
                // Two arrows may pass close to each other.
                (a.ends.map_or(0.0, |e| e.room) + b.ends.map_or(0.0, |e| e.room)) / 4.0
            } else {
                (a.h + b.h) / 2.0 + gap
            }
        })
        .collect();
    for (&i, y) in v.iter().zip(pack(&want, &weight, &sep)) {
        items[i].y = y;
    }
}

/// Rounds of moving wedged boxes.
const REPAIRS: usize = 30;
/// Room kept between an arrow and a box it passes, in points.
const CLEAR: f64 = 3.0;

/// Finds, in each column, the first box an arrow passing the column runs through, and moves it
/// to that arrow's other side in the column's order (the side its centre is on if it was
/// already on the other, else past it). Returns whether anything moved.
fn unwedge(
    items: &[Item],
    boxes: &Boxes,
    xs: &Columns,
    cols: &mut BTreeMap<i32, Vec<usize>>,
) -> bool {
    let mut moved = false;
    for (&c, v) in cols.iter_mut() {
        let w = xs.width(c);
        let mut hit = None;
        'find: for (pi, &p) in v.iter().enumerate() {
            if !items[p].placeholder() {
                continue;
            }
            let (y, h) = passage(items, boxes, p, xs);
            let reach = (h - items[p].ends.map_or(0.0, |e| e.room)).max(0.0) / 2.0;
            let (lo, hi) = (y - reach, y + reach);
            debug_assert!(w >= 0.0);
            for (bi, &b) in v.iter().enumerate() {
                if items[b].placeholder() {
                    continue;
                }
                let (top, bottom) = (
                    items[b].y - items[b].h / 2.0 - CLEAR,
                    items[b].y + items[b].h / 2.0 + CLEAR,
                );
                if hi > top && lo < bottom {
                    hit = Some((pi, bi));
                    break 'find;
                }
            }
        }
        if let Some((pi, bi)) = hit {
            let b = v.remove(bi);
            let pi = if bi < pi { pi - 1 } else { pi };
            if bi <= pi {
                v.insert(pi + 1, b);
            } else {
                v.insert(pi, b);
            }
            moved = true;
        }
    }
    moved
}

/// Places the boxes of `pending` (each with a cell giving its column and a starting row):
/// heights as described in the module documentation, columns left to right `s.col_gap` apart.
/// Boxes with the same `blocks` id that follow each other stay together `inner` apart. An arrow
/// passing a column keeps `s.passage` free around it (half that from another arrow). Arrow `k`
/// gets `extra[k]` more room where it passes other columns (when a first layout ran it through a
/// box).
pub fn place(
    pending: &mut [Pending],
    blocks: &[Option<usize>],
    edges: &[Edge],
    inner: f64,
    extra: &[f64],
    s: &Spacing,
) {
    let (mut items, links, boxes) = build(
        pending,
        blocks,
        edges,
        inner,
        extra,
        s.passage,
        s.ends_by_slope,
    );
    let mut cols = columns(&items);
    order(&items, &links, &mut cols);
    let xs = column_xs(pending, edges, s);
    let gap = s.row_gap - s.box_h;
    relax(&mut items, &boxes, &links, &cols, &xs, gap, false);
    // A box wedged between arrows with too little room between them lies on one of them: it
    // moves to that arrow's other side, until no arrow runs through a box.
    for _ in 0..REPAIRS {
        let moved = unwedge(&items, &boxes, &xs, &mut cols);
        if !moved {
            break;
        }
        relax(&mut items, &boxes, &links, &cols, &xs, gap, true);
    }
    for (p, &(item, off)) in pending.iter_mut().zip(&boxes.of_box) {
        let c = p.cell.map_or(0, |c| c.0);
        p.node.x = xs.centre(c);
        p.node.w = xs.width(c);
        p.node.y = items[item].y + off;
    }
}

/// Columns left to right, each as wide as its widest box, `s.col_gap` apart on average; with
/// `s.fan_skew`, a gap crossed by a wide fan of arrows into one box takes more of the room and
/// the others less (none below [`MIN_GAP`]), the drawing as wide as with even gaps. A fan's
/// arrows run nearly parallel near its box and leave their coefficients room only where they
/// are far apart; a wider gap flattens them.
fn column_xs(pending: &[Pending], edges: &[Edge], s: &Spacing) -> Columns {
    let mut width: BTreeMap<i32, f64> = BTreeMap::new();
    for p in pending {
        let c = p.cell.map_or(0, |c| c.0);
        let w = width.entry(c).or_insert(0.0);
        *w = w.max(p.node.w);
    }
    let gaps = gap_widths(pending, edges, &width, s);
    let mut centre = BTreeMap::new();
    let mut right = 0.0;
    for (i, (c, w)) in width.iter().enumerate() {
        let x = if i == 0 {
            w / 2.0
        } else {
            right + gaps[i - 1] + w / 2.0
        };
        centre.insert(*c, x);
        right = x + w / 2.0;
    }
    Columns { centre, width }
}

/// The narrowest gap between columns when gaps are uneven, in points.
const MIN_GAP: f64 = 30.0;

/// The gap before each column after the first (see [`column_xs`]): the room of even gaps
/// `s.col_gap` wide, shared beyond [`MIN_GAP`] each in proportion to the widest fan crossing
/// the gap (arrows from the column before into one box of the column after), raised to the
/// power `s.fan_skew`.
fn gap_widths(
    pending: &[Pending],
    edges: &[Edge],
    width: &BTreeMap<i32, f64>,
    s: &Spacing,
) -> Vec<f64> {
    let cols: Vec<i32> = width.keys().copied().collect();
    let n = cols.len().saturating_sub(1);
    if n < 2 || s.fan_skew == 0.0 || s.col_gap <= MIN_GAP {
        return vec![s.col_gap; n];
    }
    let col_of: BTreeMap<&str, i32> = pending
        .iter()
        .map(|p| (p.node.id.as_str(), p.cell.map_or(0, |c| c.0)))
        .collect();
    let mut into: BTreeMap<&str, Vec<i32>> = BTreeMap::new();
    for e in edges {
        let (Target::Node(to), Some(&from)) = (&e.to, col_of.get(e.from.as_str())) else {
            continue;
        };
        into.entry(to.as_str()).or_default().push(from);
    }
    let fan = |k: usize| {
        into.iter()
            .filter(|(b, _)| col_of.get(*b) == Some(&cols[k + 1]))
            .map(|(_, from)| from.iter().filter(|&&c| c == cols[k]).count())
            .max()
            .unwrap_or(0)
            .max(1) as f64
    };
    let weights: Vec<f64> = (0..n).map(|k| fan(k).powf(s.fan_skew)).collect();
    let total: f64 = weights.iter().sum();
    let spare = n as f64 * (s.col_gap - MIN_GAP);
    weights
        .iter()
        .map(|w| MIN_GAP + spare * w / total)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pack_keeps_order_and_room() {
        let one = [1.0; 3];
        assert_eq!(pack(&[0.0, 10.0], &one[..2], &[5.0]), vec![0.0, 10.0]);
        assert_eq!(pack(&[0.0, 0.0], &one[..2], &[10.0]), vec![-5.0, 5.0]);
        assert_eq!(
            pack(&[5.0, 0.0, 20.0], &one, &[4.0, 4.0]),
            vec![0.5, 4.5, 20.0]
        );
        // A firm item stays; the others make way.
        assert_eq!(
            pack(&[0.0, 0.0], &[1000.0, 1.0], &[10.0]),
            vec![-10.0 / 1001.0, 10.0 - 10.0 / 1001.0]
        );
    }
}
