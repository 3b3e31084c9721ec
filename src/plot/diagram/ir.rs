//! The diagram as data: boxes with their positions and sizes, arrows between boxes or onto other
//! arrows, and labels. Layout fills in the geometry; renderers (SVG/PNG, DOT, TikZ) only read it,
//! and tests check it without rendering. Coordinates are points (1/72 inch), y pointing down,
//! `(x, y)` the centre of a box.

use serde::Serialize;

/// The share of a box's side that arrows attaching to it are spread over.
pub const SPREAD_SIDE: f64 = 0.8;
/// The largest distance between the ends of two arrows on one side of a box, in points.
pub const SPREAD_MAX: f64 = 12.0;
/// The smallest distance between them: two arrowheads side by side with a gap.
pub const SPREAD_MIN: f64 = 7.0;

/// The offset from the middle of a side `len` long of the `pos`-th of `n` arrows spread along it
/// (see [`Diagram::segment`]).
pub fn spread_offset(pos: usize, n: usize, len: f64) -> f64 {
    spread_offset_within(pos, n, len, SPREAD_MAX)
}

/// The largest distance between the ends of two arrows on one side of a box of a statistical
/// diagram, in points: there a box grows to spread a fan of arrows (each with its coefficient)
/// over its side, so the arrows run nearly parallel and their labels clear each other.
pub const SPREAD_MAX_STATISTICAL: f64 = 48.0;

/// As [`spread_offset`], with the ends at most `max` apart.
pub fn spread_offset_within(pos: usize, n: usize, len: f64, max: f64) -> f64 {
    if n < 2 {
        return 0.0;
    }
    let step = (SPREAD_SIDE * len / (n - 1) as f64).min(max);
    (pos as f64 - (n - 1) as f64 / 2.0) * step
}

/// The order along a box's side (at height `me`) of an arrow to a box at height `other`,
/// `gap` away across the columns: its slope.
pub fn slope_order(me: f64, other: f64, gap: f64) -> f64 {
    (other - me) / gap.max(1e-9)
}

/// What a box stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    /// The focal antecedent X (or one of its coded columns).
    Antecedent,
    Mediator,
    /// The final outcome Y.
    Outcome,
    Moderator,
    /// A product term (statistical diagrams).
    Product,
    Covariate,
    /// Any other predictor of a syntax model.
    Predictor,
    /// A latent variable of a SEM (drawn as an ellipse inscribed in its rectangle).
    Latent,
    /// An observed indicator of a latent variable.
    Indicator,
}

/// A box.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Node {
    /// The variable or term name (`x`, `x:w`); unique in a diagram.
    pub id: String,
    /// The text shown.
    pub label: String,
    /// The label as drawn: wrapped to lines no wider than the layout allows (one line for a
    /// short label).
    pub lines: Vec<String>,
    pub kind: NodeKind,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// An axis-aligned rectangle given by its centre and size.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    /// True when the two rectangles share more than a hairline (touching edges do not count).
    pub fn overlaps(&self, o: &Rect) -> bool {
        const EPS: f64 = 1e-6;
        (self.x - o.x).abs() < (self.w + o.w) / 2.0 - EPS
            && (self.y - o.y).abs() < (self.h + o.h) / 2.0 - EPS
    }

    /// True when the segment from `a` to `b` passes through the rectangle (Liang-Barsky).
    pub fn crosses(&self, a: (f64, f64), b: (f64, f64)) -> bool {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let (x0, x1) = (self.x - self.w / 2.0, self.x + self.w / 2.0);
        let (y0, y1) = (self.y - self.h / 2.0, self.y + self.h / 2.0);
        let (mut t0, mut t1) = (0.0f64, 1.0f64);
        for (p, q) in [
            (-dx, a.0 - x0),
            (dx, x1 - a.0),
            (-dy, a.1 - y0),
            (dy, y1 - a.1),
        ] {
            if p == 0.0 {
                if q < 0.0 {
                    return false;
                }
            } else {
                let r = q / p;
                if p < 0.0 {
                    t0 = t0.max(r);
                } else {
                    t1 = t1.min(r);
                }
                if t0 > t1 {
                    return false;
                }
            }
        }
        true
    }

    /// Where the ray from the centre towards `p` leaves the rectangle (`p` itself if inside).
    pub fn exit_towards(&self, p: (f64, f64)) -> (f64, f64) {
        let (dx, dy) = (p.0 - self.x, p.1 - self.y);
        let tx = if dx.abs() > 0.0 {
            self.w / 2.0 / dx.abs()
        } else {
            f64::INFINITY
        };
        let ty = if dy.abs() > 0.0 {
            self.h / 2.0 / dy.abs()
        } else {
            f64::INFINITY
        };
        let t = tx.min(ty).min(1.0);
        (self.x + t * dx, self.y + t * dy)
    }
}

/// True when the segments `a`-`b` and `c`-`d` cross at a point inside both (a shared end or a
/// touch within `1e-6` of an end does not count).
pub fn segments_cross(a: (f64, f64), b: (f64, f64), c: (f64, f64), d: (f64, f64)) -> bool {
    let cross = |o: (f64, f64), p: (f64, f64), q: (f64, f64)| {
        (p.0 - o.0) * (q.1 - o.1) - (p.1 - o.1) * (q.0 - o.0)
    };
    let (d1, d2) = (cross(c, d, a), cross(c, d, b));
    let (d3, d4) = (cross(a, b, c), cross(a, b, d));
    if d1 * d2 >= 0.0 || d3 * d4 >= 0.0 {
        return false;
    }
    // Where along a-b the crossing is: away from both ends.
    let t = d1 / (d1 - d2);
    let u = d3 / (d3 - d4);
    const EPS: f64 = 1e-6;
    t > EPS && t < 1.0 - EPS && u > EPS && u < 1.0 - EPS
}

impl Node {
    pub fn rect(&self) -> Rect {
        Rect {
            x: self.x,
            y: self.y,
            w: self.w,
            h: self.h,
        }
    }

    pub fn is_ellipse(&self) -> bool {
        self.kind == NodeKind::Latent
    }

    /// Where the ray from the centre towards `p` leaves the outline (box or ellipse).
    pub fn exit_towards(&self, p: (f64, f64)) -> (f64, f64) {
        if !self.is_ellipse() {
            return self.rect().exit_towards(p);
        }
        let (dx, dy) = (p.0 - self.x, p.1 - self.y);
        let r = ((dx / (self.w / 2.0)).powi(2) + (dy / (self.h / 2.0)).powi(2)).sqrt();
        if r <= 1.0 {
            return p;
        }
        (self.x + dx / r, self.y + dy / r)
    }

    /// The point of the outline on side `side`, `offset` from the side's middle along it.
    pub fn side_point(&self, side: Side, offset: f64) -> (f64, f64) {
        let (hw, hh) = (self.w / 2.0, self.h / 2.0);
        // On an ellipse the side's point bends back with the outline.
        let inset = |half_side: f64| {
            if self.is_ellipse() {
                let f = (offset / half_side).clamp(-1.0, 1.0);
                (1.0 - f * f).sqrt()
            } else {
                1.0
            }
        };
        match side {
            Side::Left => (self.x - hw * inset(hh), self.y + offset),
            Side::Right => (self.x + hw * inset(hh), self.y + offset),
            Side::Top => (self.x + offset, self.y - hh * inset(hw)),
            Side::Bottom => (self.x + offset, self.y + hh * inset(hw)),
        }
    }
}

/// Where an arrow points: a box, or (for a moderator) a point on another arrow.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    Node(String),
    /// The arrow with this index in [`Diagram::edges`], at fraction [`Edge::at`] of its length.
    Edge(usize),
}

/// An arrow.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Edge {
    pub from: String,
    pub to: Target,
    /// Text on the arrow (a coefficient in statistical diagrams); `\n` separates lines (an
    /// estimate above its confidence interval).
    pub label: Option<String>,
    /// For an arrow onto another arrow: where along it (0 = its tail, 1 = its head).
    pub at: f64,
    /// Where the label sits, when there is one (set by layout).
    pub label_rect: Option<Rect>,
    /// How the line runs between its ends.
    #[serde(skip_serializing_if = "Route::is_auto")]
    pub route: Route,
}

/// A side of a box.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Left,
    Right,
    Top,
    Bottom,
}

impl Side {
    /// The unit vector pointing out of the side (y down).
    pub fn normal(self) -> (f64, f64) {
        match self {
            Side::Left => (-1.0, 0.0),
            Side::Right => (1.0, 0.0),
            Side::Top => (0.0, -1.0),
            Side::Bottom => (0.0, 1.0),
        }
    }
}

/// A curved line: a cubic Bézier from a point on a side of its tail box to a point on a side of
/// its head box, its control points standing `bulge` out of those sides (so it leaves and
/// enters at right angles). Covariances, variances (a loop from a box to itself) and arrows
/// routed around boxes in their way.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Curve {
    pub from_side: Side,
    pub to_side: Side,
    /// Offsets of the ends from the middles of their sides, along the side (spreading lines that
    /// share a side).
    pub from_offset: f64,
    pub to_offset: f64,
    pub bulge: f64,
    /// Heads at both ends: a (co)variance.
    pub two_headed: bool,
}

/// How an arrow runs.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    /// Straight, the ends chosen by [`Diagram::segment`].
    #[default]
    Auto,
    /// Straight, ending at the middle of the given side of the head box (a latent's loading
    /// onto an indicator in a stack or row); the tail leaves its border towards that point.
    IntoSide(Side),
    Curve(Curve),
}

impl Route {
    pub fn is_auto(&self) -> bool {
        *self == Route::Auto
    }
}

/// A point on a cubic Bézier curve.
pub fn bezier(p: &[(f64, f64); 4], t: f64) -> (f64, f64) {
    let u = 1.0 - t;
    let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
    (
        a * p[0].0 + b * p[1].0 + c * p[2].0 + d * p[3].0,
        a * p[0].1 + b * p[1].1 + c * p[2].1 + d * p[3].1,
    )
}

/// The curve as `n` straight pieces (`n + 1` points), for drawing and for checking what it
/// passes.
pub fn polyline(p: &[(f64, f64); 4], n: usize) -> Vec<(f64, f64)> {
    (0..=n).map(|k| bezier(p, k as f64 / n as f64)).collect()
}

/// Conceptual (variables and what moderates which path) or statistical (every term a box, with
/// its coefficient).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DiagramKind {
    Conceptual,
    Statistical,
    /// A latent-variable (SEM) model with its estimates.
    Latent,
}

/// A laid-out diagram.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagram {
    pub kind: DiagramKind,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// Size of the drawing including margins, in points.
    pub width: f64,
    pub height: f64,
    /// Font size of box labels, in points.
    pub font_pt: f64,
    /// Font size of arrow labels and of the caption, in points.
    pub label_pt: f64,
    /// A note under the diagram (what stars mean, what is left out).
    pub caption: Option<String>,
    /// Boxes drawn as one frame: the coded columns of a categorical predictor.
    pub groups: Vec<Group>,
    /// Blank border around the drawing, in points; the caption starts at it.
    pub margin: f64,
    /// Statistical diagrams: arrows sharing a box's side are ordered by slope rather than by
    /// the height of their other ends ([`Diagram::side_order`]); layout tries both.
    #[serde(skip)]
    pub ends_by_slope: bool,
    /// Statistical diagrams whose arrows carry path symbols: the table of their coefficients
    /// under the drawing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<Key>,
}

/// A table beneath a diagram whose arrows are labelled with path symbols (`a1`, `d21`, `c'`):
/// each symbol with its coefficient, as Hayes pairs his statistical diagrams with a table of
/// the coefficients. Rows run down in blocks set side by side.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Key {
    /// Column heads (`Path`, `Coeff.`, `SE` or `95% CI`).
    pub head: Vec<String>,
    /// One row per arrow, in the order of the equations and their terms.
    pub rows: Vec<Vec<String>>,
    /// How many blocks of rows stand side by side.
    pub blocks: usize,
    /// The table's place (its size set when it is built, its position by layout).
    pub rect: Rect,
}

/// A frame around the boxes of one categorical predictor's coded columns, with its name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// The variable's label and its reference level (`Size class (ref. medium)`).
    pub label: String,
    /// Ids of the boxes inside.
    pub members: Vec<String>,
    /// The frame, including room for the label at its top (set by layout).
    pub rect: Rect,
}

impl Diagram {
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// Where along a box's side arrow `i` attaches, as an offset in points from the side's
    /// middle: the box's outgoing (`outgoing`) or incoming left-to-right arrows, ordered by
    /// [`Diagram::side_order`] (so they do not cross near the box), are spaced evenly along the
    /// side, over its middle [`SPREAD_SIDE`] and at most [`SPREAD_MAX`] apart. In a statistical
    /// diagram layout makes a box tall enough for its arrows to end at least [`SPREAD_MIN`] apart
    /// ([`Diagram::min_height`]).
    fn spread(&self, node: &str, i: usize, outgoing: bool) -> f64 {
        let Some(me) = self.node(node) else {
            return 0.0;
        };
        let others = self.side_arrows(node, outgoing);
        match others.iter().position(|&k| k == i) {
            Some(pos) => spread_offset_within(pos, others.len(), me.h, self.spread_max()),
            None => 0.0,
        }
    }

    /// The arrows leaving a box's right side (`outgoing`) or arriving at its left side, in the
    /// order of [`Diagram::side_order`].
    fn side_arrows(&self, node: &str, outgoing: bool) -> Vec<usize> {
        let Some(me) = self.node(node) else {
            return Vec::new();
        };
        let mut others: Vec<(f64, f64, usize)> = Vec::new();
        for (k, e) in self.edges.iter().enumerate() {
            let Target::Node(to) = &e.to else { continue };
            if !e.route.is_auto() {
                continue;
            }
            let (this, other) = if outgoing {
                (&e.from, to)
            } else {
                (to, &e.from)
            };
            if this != node {
                continue;
            }
            let Some(o) = self.node(other) else { continue };
            let gap = if outgoing { o.x - me.x } else { me.x - o.x };
            if gap > (me.w + o.w) / 2.0 {
                others.push((self.side_order(me, o, gap), o.x, k));
            }
        }
        others.sort_by(|a, b| {
            a.0.total_cmp(&b.0)
                .then(a.1.total_cmp(&b.1))
                .then(a.2.cmp(&b.2))
        });
        others.into_iter().map(|o| o.2).collect()
    }

    /// Where an arrow between `me` and `other` (`gap` apart across) goes in the order along
    /// `me`'s side. In a statistical diagram with [`Diagram::ends_by_slope`], by its slope: an
    /// arrow to a near box far below leaves below one to a far box a little below, so the two
    /// do not cross just off the box (where their labels would sit); otherwise by the other
    /// end's height.
    fn side_order(&self, me: &Node, other: &Node, gap: f64) -> f64 {
        match self.kind {
            DiagramKind::Statistical if self.ends_by_slope => slope_order(me.y, other.y, gap),
            _ => other.y,
        }
    }

    /// The largest distance between the ends of arrows on one side of a box.
    fn spread_max(&self) -> f64 {
        match self.kind {
            DiagramKind::Statistical => SPREAD_MAX_STATISTICAL,
            DiagramKind::Conceptual | DiagramKind::Latent => SPREAD_MAX,
        }
    }

    /// The height box `node` needs for the arrows on its left or right side to end at least
    /// [`SPREAD_MIN`] apart.
    pub fn min_height(&self, node: &str) -> f64 {
        self.min_height_for(node, SPREAD_MIN)
    }

    /// The height box `node` needs for the arrows on its left or right side to end `step` apart
    /// (at most the diagram's largest spread).
    pub fn min_height_for(&self, node: &str, step: f64) -> f64 {
        let n = self
            .side_arrows(node, true)
            .len()
            .max(self.side_arrows(node, false).len());
        if n < 2 {
            0.0
        } else {
            step.min(self.spread_max()) * (n - 1) as f64 / SPREAD_SIDE
        }
    }

    /// The control points of curved arrow `i` (None for a straight one).
    pub fn curve(&self, i: usize) -> Option<[(f64, f64); 4]> {
        let e = self.edges.get(i)?;
        let Route::Curve(c) = e.route else {
            return None;
        };
        let Target::Node(to) = &e.to else {
            return None;
        };
        let (from, to) = (self.node(&e.from)?, self.node(to)?);
        let a = from.side_point(c.from_side, c.from_offset);
        let b = to.side_point(c.to_side, c.to_offset);
        let (na, nb) = (c.from_side.normal(), c.to_side.normal());
        Some([
            a,
            (a.0 + c.bulge * na.0, a.1 + c.bulge * na.1),
            (b.0 + c.bulge * nb.0, b.1 + c.bulge * nb.1),
            b,
        ])
    }

    /// The visible segment of arrow `i`: from the border of its tail box to the border of its
    /// head box, or to the point on the arrow it moderates. None for a curved arrow
    /// ([`Diagram::curve`]).
    pub fn segment(&self, i: usize) -> Option<((f64, f64), (f64, f64))> {
        self.segment_depth(i, 0)
    }

    fn segment_depth(&self, i: usize, depth: usize) -> Option<((f64, f64), (f64, f64))> {
        let e = self.edges.get(i)?;
        let from_node = self.node(&e.from)?;
        let from = from_node.rect();
        match &e.to {
            Target::Node(id) => {
                let to_node = self.node(id)?;
                let to = to_node.rect();
                match e.route {
                    Route::Curve(_) => return None,
                    Route::IntoSide(side) => {
                        let b = to_node.side_point(side, 0.0);
                        return Some((from_node.exit_towards(b), b));
                    }
                    Route::Auto => {}
                }
                if from_node.is_ellipse() || to_node.is_ellipse() {
                    return Some((
                        from_node.exit_towards((to.x, to.y)),
                        to_node.exit_towards((from.x, from.y)),
                    ));
                }
                if to.x - from.x > (from.w + to.w) / 2.0 {
                    // Left to right between columns: leave from the right side and arrive at the
                    // left side. Boxes of a column share their width, so the line cannot cut
                    // through a neighbour in either column; arrows sharing a side are spread
                    // along it in the order of their other ends.
                    let out = self.spread(&e.from, i, true);
                    let inn = self.spread(id, i, false);
                    Some((
                        (from.x + from.w / 2.0, from.y + out),
                        (to.x - to.w / 2.0, to.y + inn),
                    ))
                } else {
                    Some((
                        from.exit_towards((to.x, to.y)),
                        to.exit_towards((from.x, from.y)),
                    ))
                }
            }
            Target::Edge(j) if depth < 4 && *j != i => {
                let (a, b) = self.segment_depth(*j, depth + 1)?;
                let p = (a.0 + e.at * (b.0 - a.0), a.1 + e.at * (b.1 - a.1));
                Some((from_node.exit_towards(p), p))
            }
            Target::Edge(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlap_and_exit_points() {
        let a = Rect {
            x: 0.0,
            y: 0.0,
            w: 10.0,
            h: 4.0,
        };
        assert!(a.overlaps(&Rect {
            x: 9.0,
            y: 0.0,
            w: 10.0,
            h: 4.0
        }));
        assert!(!a.overlaps(&Rect {
            x: 10.0,
            y: 0.0,
            w: 10.0,
            h: 4.0
        }));
        assert!(!a.overlaps(&Rect {
            x: 0.0,
            y: 5.0,
            w: 10.0,
            h: 4.0
        }));
        assert_eq!(a.exit_towards((20.0, 0.0)), (5.0, 0.0));
        assert_eq!(a.exit_towards((0.0, -8.0)), (0.0, -2.0));
        assert_eq!(a.exit_towards((1.0, 0.0)), (1.0, 0.0));
        assert!(a.crosses((-10.0, 0.0), (10.0, 0.0)));
        assert!(a.crosses((-10.0, -10.0), (10.0, 10.0)));
        assert!(!a.crosses((-10.0, 3.0), (10.0, 3.0)));
        assert!(!a.crosses((6.0, -10.0), (6.0, 10.0)));
        assert!(segments_cross(
            (0.0, 0.0),
            (2.0, 2.0),
            (0.0, 2.0),
            (2.0, 0.0)
        ));
        assert!(!segments_cross(
            (0.0, 0.0),
            (2.0, 2.0),
            (2.0, 2.0),
            (3.0, 0.0)
        ));
        assert!(!segments_cross(
            (0.0, 0.0),
            (1.0, 1.0),
            (0.0, 2.0),
            (2.0, 1.5)
        ));
    }
}
