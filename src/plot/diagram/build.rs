//! Diagrams from a model: the conceptual diagram from a [`ModelSpec`], the statistical diagram
//! from a spec (structure only) or from an [`Analysis`] (with coefficients).

use std::collections::BTreeMap;

use super::ir::{Diagram, DiagramKind, Edge, Node, NodeKind, Rect, Target};
use super::layout::{self, arrow, Pending, Spacing};
use crate::analysis::Analysis;
use crate::estimation::CONSTANT;
use crate::plot::labels::{split_factors, Labels};
use crate::spec::ModelSpec;

/// How coefficients are written on a statistical diagram's arrows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CoefStyle {
    /// `0.412***` (* p < .05, ** p < .01, *** p < .001).
    #[default]
    Stars,
    /// `0.412 [0.21, 0.61]`.
    Ci,
}

/// The variable a design factor belongs to: `g[2]` -> `g`.
fn base(f: &str) -> &str {
    f.split('[').next().unwrap_or(f)
}

/// Roles of the variables of a model, as the diagrams need them.
struct Roles<'a> {
    spec: &'a ModelSpec,
}

impl Roles<'_> {
    /// X or a mediator: a variable whose arrows carry effects.
    fn causal(&self, f: &str) -> bool {
        let b = base(f);
        b == self.spec.x || self.spec.mediators.iter().any(|m| m == b)
    }

    fn kind(&self, term: &str) -> NodeKind {
        let fs = split_factors(term);
        if fs.len() > 1 {
            return NodeKind::Product;
        }
        let b = base(&fs[0]);
        let s = self.spec;
        if b == s.x {
            NodeKind::Antecedent
        } else if s.mediators.iter().any(|m| m == b) {
            NodeKind::Mediator
        } else if b == s.y {
            NodeKind::Outcome
        } else if s.moderators.iter().any(|m| m == b) {
            NodeKind::Moderator
        } else if s.covariates.iter().any(|c| c == b) {
            NodeKind::Covariate
        } else {
            NodeKind::Predictor
        }
    }

    /// For each mediator, the mediators among its equation's single terms.
    fn mediator_preds(&self) -> BTreeMap<String, Vec<String>> {
        let s = self.spec;
        s.equations
            .iter()
            .filter(|e| s.mediators.contains(&e.outcome))
            .map(|e| {
                let ps = e
                    .terms
                    .iter()
                    .filter(|t| t.factors.len() == 1 && s.mediators.contains(&t.factors[0]))
                    .map(|t| t.factors[0].clone())
                    .collect();
                (e.outcome.clone(), ps)
            })
            .collect()
    }

    fn core(&self) -> Vec<(String, (i32, i32))> {
        let s = self.spec;
        let cols = layout::mediator_columns(&s.mediators, &self.mediator_preds());
        layout::core_cells(&s.x, &s.y, &s.mediators, &cols)
    }
}

fn new_node(id: &str, label: String, kind: NodeKind, s: &Spacing) -> Node {
    Node {
        id: id.to_string(),
        w: layout::box_width(&label, s),
        h: s.box_h,
        label,
        kind,
        x: 0.0,
        y: 0.0,
    }
}

/// The conceptual diagram: X, the mediators and Y with the causal arrows; each moderator an
/// arrow onto the path it moderates. Covariates are not drawn (named in the caption).
pub fn conceptual(spec: &ModelSpec, labels: &Labels) -> Diagram {
    let s = Spacing::for_kind(DiagramKind::Conceptual);
    let roles = Roles { spec };
    let mut pending: Vec<Pending> = roles
        .core()
        .into_iter()
        .map(|(id, cell)| Pending {
            node: new_node(&id, labels.var(&id), roles.kind(&id), &s),
            cell: Some(cell),
        })
        .collect();
    // Moderating variables: declared moderators and every non-focal factor of a product.
    let mut edges: Vec<Edge> = Vec::new();
    let mut onto: Vec<(String, usize)> = Vec::new();
    let mut extra: Vec<(String, String)> = Vec::new();
    let find = |edges: &[Edge], from: &str, to: &str| {
        edges
            .iter()
            .position(|e| e.from == from && e.to == Target::Node(to.to_string()))
    };
    for e in &spec.equations {
        for t in &e.terms {
            if t.factors.len() == 1 {
                let f = &t.factors[0];
                let moderating =
                    spec.moderators.contains(f)
                        || spec.covariates.contains(f)
                        || spec.equations.iter().flat_map(|q| &q.terms).any(|q| {
                            q.factors.len() > 1 && q.factors.contains(f) && !roles.causal(f)
                        });
                if roles.causal(f) || !moderating {
                    if !roles.causal(f) && !extra.iter().any(|(v, _)| v == f) {
                        extra.push((f.clone(), e.outcome.clone()));
                    }
                    if find(&edges, f, &e.outcome).is_none() {
                        edges.push(arrow(f, &e.outcome, None));
                    }
                }
            }
        }
    }
    for e in &spec.equations {
        for t in e.terms.iter().filter(|t| t.factors.len() > 1) {
            let Some(focal) = t.factors.iter().find(|f| roles.causal(f)) else {
                continue;
            };
            let idx = match find(&edges, focal, &e.outcome) {
                Some(i) => i,
                None => {
                    edges.push(arrow(focal, &e.outcome, None));
                    edges.len() - 1
                }
            };
            for g in t.factors.iter().filter(|g| *g != focal) {
                if !onto.iter().any(|(m, i)| m == g && *i == idx) {
                    onto.push((g.clone(), idx));
                }
            }
        }
    }
    // Other predictors (syntax models): below the line, before the box they point to.
    let col_of = |pending: &[Pending], id: &str| {
        pending
            .iter()
            .find(|p| p.node.id == id)
            .and_then(|p| p.cell)
            .map_or(1, |c| c.0)
    };
    for (v, target) in &extra {
        if pending.iter().any(|p| &p.node.id == v) {
            continue;
        }
        let col = (col_of(&pending, target) - 1).max(0);
        let row = layout::free_row(&pending, col, 1);
        pending.push(Pending {
            node: new_node(v, labels.var(v), roles.kind(v), &s),
            cell: Some((col, row)),
        });
    }
    layout::untangle(&mut pending, &edges, &s);
    let mut nodes: Vec<Node> = pending.into_iter().map(|p| p.node).collect();
    let mut d = Diagram {
        kind: DiagramKind::Conceptual,
        nodes: Vec::new(),
        edges,
        width: 0.0,
        height: 0.0,
        font_pt: s.font_pt,
        caption: None,
    };
    place_moderators(&mut d, &mut nodes, &onto, spec, labels, &s);
    if !spec.covariates.is_empty() {
        let names: Vec<String> = spec.covariates.iter().map(|c| labels.var(c)).collect();
        d.caption = Some(format!("Covariates not shown: {}.", names.join(", ")));
    }
    layout::finish(&mut d, &s);
    d
}

/// Adds a box for each moderating variable (unless it is already drawn, like X in model 74) and
/// its arrows onto the paths it moderates. Each moderator searches for an arrangement in which
/// none of its arrows runs through a box and its box sits on no arrow (an arrow through a
/// mediator's box reads as that mediator's): its side (above or below), how far out, where along
/// the row, and where along each path its arrows land; the first arrangement without a crossing
/// wins, in order of preference (its side, nearest its paths, arrows landing mid-path).
fn place_moderators(
    d: &mut Diagram,
    nodes: &mut Vec<Node>,
    onto: &[(String, usize)],
    spec: &ModelSpec,
    labels: &Labels,
    s: &Spacing,
) {
    let mut order: Vec<String> = Vec::new();
    for (m, _) in onto {
        if !order.contains(m) {
            order.push(m.clone());
        }
    }
    let top = nodes.iter().map(|n| n.y).fold(0.0, f64::min);
    let bottom = nodes.iter().map(|n| n.y).fold(0.0, f64::max);
    let has_mediators = !spec.mediators.is_empty();
    let mut sides: Vec<(String, bool)> = Vec::new();
    let mut rows = (top - s.row_gap, bottom + s.row_gap);
    for m in &order {
        let targets: Vec<usize> = onto
            .iter()
            .filter(|(g, _)| g == m)
            .map(|(_, i)| *i)
            .collect();
        let touches_mediator = targets.iter().any(|&i| {
            let e = &d.edges[i];
            spec.mediators.contains(&e.from)
                || matches!(&e.to, Target::Node(t) if spec.mediators.contains(t))
        });
        let shares = sides
            .iter()
            .find(|(o, _)| onto.iter().any(|(g, i)| g == o && targets.contains(i)));
        let preferred = match shares {
            Some((_, other_above)) => !other_above,
            None => !has_mediators || touches_mediator,
        };
        let kind = if spec.covariates.contains(m) {
            NodeKind::Covariate
        } else {
            NodeKind::Moderator
        };
        d.nodes = nodes.clone();
        let scene = Scene {
            segments: (0..d.edges.len()).map(|i| d.segment(i)).collect(),
            nodes: nodes.as_slice(),
            drawn: nodes.iter().find(|n| &n.id == m).cloned(),
            proto: new_node(m, labels.var(m), kind, s),
            targets: &targets,
            rows,
            s,
        };
        let direct: Vec<bool> = targets
            .iter()
            .map(|&i| d.edges[i].from == spec.x && d.edges[i].to == Target::Node(spec.y.clone()))
            .collect();
        let arr = scene.search(preferred, has_mediators, &direct);
        for (&i, &at) in targets.iter().zip(&arr.ats) {
            d.edges.push(Edge {
                from: m.clone(),
                to: Target::Edge(i),
                label: None,
                at,
                label_rect: None,
            });
        }
        sides.push((m.clone(), arr.above));
        rows = arr.rows;
        if let Some(node) = arr.node {
            nodes.push(node);
        }
    }
    d.nodes = nodes.clone();
}

/// One way to draw a moderator: its side, how many rows further out than the next free row, the
/// x its box is centred near (None: over the points its arrows land on), where each arrow lands,
/// and (once placed) its box and the rows above and below the drawing.
#[derive(Debug, Clone)]
struct Arrangement {
    above: bool,
    out: u8,
    x: Option<f64>,
    ats: Vec<f64>,
    node: Option<Node>,
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
    s: &'a Spacing,
}

/// Where along a path a moderator's arrow may land, most preferred first.
const AT: [f64; 13] = [
    0.5, 0.4, 0.6, 0.3, 0.7, 0.25, 0.75, 0.2, 0.8, 0.15, 0.85, 0.1, 0.9,
];

impl Scene<'_> {
    fn point(&self, i: usize, at: f64) -> Option<(f64, f64)> {
        let (a, b) = self.segments.get(i).copied().flatten()?;
        Some((a.0 + at * (b.0 - a.0), a.1 + at * (b.1 - a.1)))
    }

    /// The first arrangement without a crossing, else the one with the fewest.
    fn search(&self, preferred: bool, has_mediators: bool, direct: &[bool]) -> Arrangement {
        let mut configs: Vec<(bool, u8, Option<f64>)> = Vec::new();
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
        for out in 0..2 {
            for &above in sides {
                configs.push((above, out, None));
                if self.drawn.is_none() {
                    for &x in &spots {
                        configs.push((above, out, Some(x)));
                    }
                }
            }
        }
        let mut best: Option<(usize, Arrangement)> = None;
        for (above, out, x) in configs {
            // An arrow from above onto the X -> Y line would cross the mediators' boxes at the
            // middle: it starts a quarter of the way along instead.
            let ats = direct
                .iter()
                .map(|&d| {
                    if d && has_mediators && above {
                        0.25
                    } else {
                        0.5
                    }
                })
                .collect();
            let mut arr = Arrangement {
                above,
                out,
                x,
                ats,
                node: None,
                rows: self.rows,
            };
            let mut score = self.score(&mut arr);
            // Coordinate descent over where each arrow lands.
            for _ in 0..2 {
                if score == 0 {
                    break;
                }
                for k in 0..self.targets.len() {
                    for at in AT {
                        let mut trial = arr.clone();
                        trial.ats[k] = at;
                        let t = self.score(&mut trial);
                        if t < score {
                            (arr, score) = (trial, t);
                        }
                    }
                }
            }
            if score == 0 {
                return arr;
            }
            if best.as_ref().is_none_or(|(b, _)| score < *b) {
                best = Some((score, arr));
            }
        }
        best.map(|b| b.1).unwrap_or(Arrangement {
            above: preferred,
            out: 0,
            x: None,
            ats: vec![0.5; self.targets.len()],
            node: None,
            rows: self.rows,
        })
    }

    /// Places the box as `arr` says and counts the moderator's arrows through a box plus the
    /// arrows through its box.
    fn score(&self, arr: &mut Arrangement) -> usize {
        let s = self.s;
        let points: Vec<(f64, f64)> = self
            .targets
            .iter()
            .zip(&arr.ats)
            .filter_map(|(&i, &at)| self.point(i, at))
            .collect();
        let node = match &self.drawn {
            Some(n) => n.clone(),
            None => {
                let x = arr.x.unwrap_or_else(|| {
                    points.iter().map(|p| p.0).sum::<f64>() / points.len().max(1) as f64
                });
                let (mut above_row, mut below_row) = self.rows;
                let shift = f64::from(arr.out) * s.row_gap;
                let mut node = self.proto.clone();
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
                arr.node = Some(node.clone());
                node
            }
        };
        let shrunk = |n: &Node| Rect {
            w: n.w - 1.0,
            h: n.h - 1.0,
            ..n.rect()
        };
        let mut hits = 0;
        let me = node.rect();
        for p in &points {
            let a = me.exit_towards(*p);
            hits += self
                .nodes
                .iter()
                .filter(|n| n.id != node.id && shrunk(n).crosses(a, *p))
                .count();
        }
        if self.drawn.is_none() {
            let r = shrunk(&node);
            hits += self
                .segments
                .iter()
                .flatten()
                .filter(|(a, b)| r.crosses(*a, *b))
                .count();
        }
        hits
    }
}

/// One equation for the statistical diagram: outcome and (term, arrow label) pairs.
struct StatEq {
    outcome: String,
    terms: Vec<(String, Option<String>)>,
}

/// The statistical diagram of a spec's structure: every term a box with an arrow to each
/// outcome it predicts, without coefficients.
pub fn statistical_from_spec(spec: &ModelSpec, labels: &Labels) -> Diagram {
    let eqs = spec
        .equations
        .iter()
        .map(|e| StatEq {
            outcome: e.outcome.clone(),
            terms: e.terms.iter().map(|t| (t.name(), None)).collect(),
        })
        .collect::<Vec<_>>();
    statistical_layout(spec, &eqs, labels, None)
}

/// The statistical diagram of an analysis, each arrow labelled with its coefficient. `decimals`
/// digits after the point.
pub fn statistical(
    analysis: &Analysis,
    labels: &Labels,
    style: CoefStyle,
    decimals: usize,
) -> Diagram {
    let conf = analysis.options.conf;
    let eqs = analysis
        .equations
        .iter()
        .map(|(fit, _)| StatEq {
            outcome: fit.outcome.clone(),
            terms: fit
                .coefficients
                .iter()
                .filter(|c| c.term != CONSTANT)
                .map(|c| {
                    let text = match style {
                        CoefStyle::Stars => format!("{:.*}{}", decimals, c.estimate, stars(c.p)),
                        CoefStyle::Ci => format!(
                            "{:.*} [{:.*}, {:.*}]",
                            decimals, c.estimate, decimals, c.ci_lower, decimals, c.ci_upper
                        ),
                    };
                    (c.term.clone(), Some(text))
                })
                .collect(),
        })
        .collect::<Vec<_>>();
    let note = match style {
        CoefStyle::Stars => {
            "Unstandardized coefficients; * p < .05, ** p < .01, *** p < .001.".to_string()
        }
        CoefStyle::Ci => format!("Unstandardized coefficients with {conf}% confidence intervals."),
    };
    statistical_layout(&analysis.spec, &eqs, labels, Some(note))
}

/// Significance stars.
pub fn stars(p: f64) -> &'static str {
    if p < 0.001 {
        "***"
    } else if p < 0.01 {
        "**"
    } else if p < 0.05 {
        "*"
    } else {
        ""
    }
}

fn statistical_layout(
    spec: &ModelSpec,
    eqs: &[StatEq],
    labels: &Labels,
    note: Option<String>,
) -> Diagram {
    let mut s = Spacing::for_kind(DiagramKind::Statistical);
    // Room between columns for the widest coefficient label (an interval is long).
    let widest = eqs
        .iter()
        .flat_map(|e| e.terms.iter().filter_map(|(_, l)| l.as_deref()))
        .map(|l| crate::plot::font::text_width(l, s.font_pt * 0.9))
        .fold(0.0, f64::max);
    s.col_gap = s.col_gap.max(1.5 * widest + 2.0 * s.font_pt);
    let roles = Roles { spec };
    let mut pending: Vec<Pending> = roles
        .core()
        .into_iter()
        .map(|(id, cell)| Pending {
            node: new_node(&id, labels.term(&id), roles.kind(&id), &s),
            cell: Some(cell),
        })
        .collect();
    let col_of = |pending: &[Pending], id: &str| {
        pending
            .iter()
            .find(|p| p.node.id == id)
            .and_then(|p| p.cell)
            .map(|c| c.0)
    };
    let mut edges = Vec::new();
    // Terms in order of first appearance; each goes in the column before its first target.
    let mut seen: Vec<String> = Vec::new();
    for e in eqs {
        for (t, _) in &e.terms {
            if !seen.contains(t) {
                seen.push(t.clone());
            }
        }
    }
    let mut extras: Vec<(i32, &String)> = Vec::new();
    for t in &seen {
        if col_of(&pending, t).is_some() {
            continue;
        }
        let target_col = eqs
            .iter()
            .filter(|e| e.terms.iter().any(|(u, _)| u == t))
            .filter_map(|e| col_of(&pending, &e.outcome))
            .min()
            .unwrap_or(1);
        extras.push(((target_col - 1).max(0), t));
    }
    // Column by column, each column's extra boxes below those of the columns before it: arrows
    // from an earlier column that skip a column rise above them.
    extras.sort_by_key(|(c, _)| *c);
    let mut floor = 1;
    let mut deepest = 0;
    let mut current = None;
    for (col, t) in extras {
        if current != Some(col) {
            current = Some(col);
            floor = floor.max(deepest + 1);
        }
        let row = layout::free_row(&pending, col, floor);
        deepest = deepest.max(row);
        pending.push(Pending {
            node: new_node(t, labels.term(t), roles.kind(t), &s),
            cell: Some((col, row)),
        });
    }
    for e in eqs {
        for (t, label) in &e.terms {
            edges.push(arrow(t, &e.outcome, label.clone()));
        }
    }
    layout::untangle(&mut pending, &edges, &s);
    let mut d = Diagram {
        kind: DiagramKind::Statistical,
        nodes: pending.into_iter().map(|p| p.node).collect(),
        edges,
        width: 0.0,
        height: 0.0,
        font_pt: s.font_pt,
        caption: note,
    };
    layout::place_labels(&mut d);
    layout::finish(&mut d, &s);
    d
}
