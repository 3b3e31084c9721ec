//! The conceptual diagram of a [`ModelSpec`], drawn as Hayes' templates draw it: X, the
//! mediators and Y with the causal arrows; each moderator an arrow onto the path it moderates;
//! in a three-way interaction the second moderator an arrow onto the first one's arrow (Z
//! moderating W's moderation of X -> Y in model 3). Covariates are not drawn (the caption names
//! them).

use super::build::{new_node, Roles};
use super::ir::{Diagram, DiagramKind, Edge, Target};
use super::layout::{self, arrow, Pending, Spacing};
use super::moderators::place_moderators;
use super::statistical::{MIN_PRINT_PT, TEXT_WIDTH};
use crate::plot::labels::Labels;
use crate::spec::ModelSpec;

/// One moderator arrow: `moderator` onto the causal arrow `path` (an index into the diagram's
/// arrows), or, with `via`, onto `via`'s arrow onto that path.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Onto {
    pub moderator: String,
    pub path: usize,
    pub via: Option<String>,
}

/// The conceptual diagram of `spec`, with `labels` for the variables: at the usual spacing
/// when that fits a journal's text width with its smallest text printed at 8 pt or more, else
/// at the first of ever narrower spacings that does (narrower gaps between columns, then
/// narrower boxes and label wraps), else at the narrowest (a long chain of serial mediators
/// with long names).
pub fn conceptual(spec: &ModelSpec, labels: &Labels) -> Diagram {
    let usual = Spacing::for_kind(DiagramKind::Conceptual);
    let max_width = TEXT_WIDTH * usual.font_pt.min(usual.label_pt) / MIN_PRINT_PT;
    let mut narrowest: Option<Diagram> = None;
    for s in narrower(usual) {
        let d = conceptual_with(spec, labels, &s);
        if d.width <= max_width + 1e-9 {
            return d;
        }
        if narrowest.as_ref().is_none_or(|n| d.width < n.width) {
            narrowest = Some(d);
        }
    }
    narrowest.unwrap_or_else(|| conceptual_with(spec, labels, &usual))
}

/// The usual spacing, then narrower ones: (gap between columns, narrowest box, label wrap) in
/// multiples of the font size.
fn narrower(usual: Spacing) -> impl Iterator<Item = Spacing> {
    let f = usual.font_pt;
    let steps = [
        (usual.col_gap / f, usual.min_w / f, usual.wrap_w / f),
        (5.0, 4.5, 12.0),
        (3.5, 3.5, 10.0),
        (3.0, 3.2, 8.0),
        (2.5, 3.0, 6.5),
        (2.0, 3.0, 5.0),
    ];
    steps.into_iter().map(move |(gap, min_w, wrap)| Spacing {
        col_gap: gap * f,
        min_w: min_w * f,
        wrap_w: wrap * f,
        ..usual
    })
}

fn conceptual_with(spec: &ModelSpec, labels: &Labels, s: &Spacing) -> Diagram {
    let s = *s;
    let roles = Roles { spec };
    let mut pending: Vec<Pending> = roles
        .core()
        .into_iter()
        .map(|(id, cell)| Pending::at(new_node(&id, labels.var(&id), roles.kind(&id), &s), cell))
        .collect();
    let (mut edges, extra) = causal_arrows(spec, &roles);
    let onto = moderation(spec, &roles, &mut edges);
    place_extra(&mut pending, &extra, &roles, labels, &s);
    layout::untangle(&mut pending, &edges, &s);
    let mut nodes = pending.into_iter().map(|p| p.node).collect();
    let mut d = Diagram {
        edges,
        ..layout::blank(DiagramKind::Conceptual, &s)
    };
    place_moderators(&mut d, &mut nodes, &onto, spec, labels, &s);
    if !spec.covariates.is_empty() {
        let names: Vec<String> = spec.covariates.iter().map(|c| labels.var(c)).collect();
        d.caption = Some(format!("Covariates not shown: {}.", names.join(", ")));
    }
    layout::finish(&mut d, &s);
    d
}

fn find(edges: &[Edge], from: &str, to: &str) -> Option<usize> {
    edges
        .iter()
        .position(|e| e.from == from && e.to == Target::Node(to.to_string()))
}

/// The arrows between boxes: from X and each mediator to the outcomes they predict, and from
/// each other predictor that moderates nothing (a syntax model's control variable); those
/// predictors are returned with the outcome they first point to.
fn causal_arrows(spec: &ModelSpec, roles: &Roles) -> (Vec<Edge>, Vec<(String, String)>) {
    let mut edges: Vec<Edge> = Vec::new();
    let mut extra: Vec<(String, String)> = Vec::new();
    for e in &spec.equations {
        for t in e.terms.iter().filter(|t| t.factors.len() == 1) {
            let f = &t.factors[0];
            let moderating = spec.moderators.contains(f)
                || spec.covariates.contains(f)
                || spec
                    .equations
                    .iter()
                    .flat_map(|q| &q.terms)
                    .any(|q| q.factors.len() > 1 && q.factors.contains(f) && !roles.causal(f));
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
    (edges, extra)
}

/// Which moderator points onto which arrow, from the product terms: in a product the first
/// causal factor is the focal antecedent and the others moderate its path, the first of them
/// (in the order W, Z, then any other) onto the path, each further one onto the arrow of the one
/// before. A moderator drawn onto another's arrow on a path is not also drawn onto the path:
/// its two-way product is implied, as in Hayes' templates. Adds a path arrow a product needs
/// that no single term gave.
fn moderation(spec: &ModelSpec, roles: &Roles, edges: &mut Vec<Edge>) -> Vec<Onto> {
    let rank = |g: &String| {
        spec.moderators
            .iter()
            .position(|m| m == g)
            .unwrap_or(spec.moderators.len())
    };
    let mut onto: Vec<Onto> = Vec::new();
    for e in &spec.equations {
        for t in e.terms.iter().filter(|t| t.factors.len() > 1) {
            let Some(focal) = t.factors.iter().find(|f| roles.causal(f)) else {
                continue;
            };
            let path = find(edges, focal, &e.outcome).unwrap_or_else(|| {
                edges.push(arrow(focal, &e.outcome, None));
                edges.len() - 1
            });
            let mut others: Vec<&String> = t.factors.iter().filter(|g| *g != focal).collect();
            others.sort_by_key(|g| rank(g));
            let mut via = None;
            for g in others {
                let o = Onto {
                    moderator: g.clone(),
                    path,
                    via: via.clone(),
                };
                if !onto.contains(&o) {
                    onto.push(o);
                }
                via = Some(g.clone());
            }
        }
    }
    let implied = |o: &Onto| {
        o.via.is_none()
            && onto
                .iter()
                .any(|p| p.via.is_some() && p.moderator == o.moderator && p.path == o.path)
    };
    let keep: Vec<bool> = onto.iter().map(|o| !implied(o)).collect();
    onto.into_iter()
        .zip(keep)
        .filter_map(|(o, k)| k.then_some(o))
        .collect()
}

/// Other predictors (syntax models): below the line, in the column before the box they point to.
fn place_extra(
    pending: &mut Vec<Pending>,
    extra: &[(String, String)],
    roles: &Roles,
    labels: &Labels,
    s: &Spacing,
) {
    let col_of = |pending: &[Pending], id: &str| {
        pending
            .iter()
            .find(|p| p.node.id == id)
            .and_then(|p| p.cell)
            .map_or(1, |c| c.0)
    };
    for (v, target) in extra {
        if pending.iter().any(|p| &p.node.id == v) {
            continue;
        }
        let col = (col_of(pending, target) - 1).max(0);
        let row = layout::free_row(pending, col, 1);
        pending.push(Pending::at(
            new_node(v, labels.var(v), roles.kind(v), s),
            (col, row),
        ));
    }
}
