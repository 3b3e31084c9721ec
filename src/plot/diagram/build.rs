//! What the two diagram builders share: the role each variable plays, and new boxes.

use std::collections::BTreeMap;

use super::ir::{Node, NodeKind};
use super::layout::{self, Spacing};
use crate::plot::labels::split_factors;
use crate::spec::ModelSpec;

/// The variable a design factor belongs to: `g[2]` -> `g`.
pub(super) fn base(f: &str) -> &str {
    f.split('[').next().unwrap_or(f)
}

/// Roles of the variables of a model, as the diagrams need them.
pub(super) struct Roles<'a> {
    pub spec: &'a ModelSpec,
}

impl Roles<'_> {
    /// X or a mediator: a variable whose arrows carry effects.
    pub fn causal(&self, f: &str) -> bool {
        let b = base(f);
        b == self.spec.x || self.spec.mediators.iter().any(|m| m == b)
    }

    pub fn kind(&self, term: &str) -> NodeKind {
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

    /// Grid cells of X, the mediators and Y.
    pub fn core(&self) -> Vec<(String, (i32, i32))> {
        let s = self.spec;
        let cols = layout::mediator_columns(&s.mediators, &self.mediator_preds());
        layout::core_cells(&s.x, &s.y, &s.mediators, &cols)
    }
}

/// A box for `label`, wrapped and sized for the layout, not yet placed.
pub(super) fn new_node(id: &str, label: String, kind: NodeKind, s: &Spacing) -> Node {
    new_node_lines(id, label.clone(), layout::box_lines(&label, s), kind, s)
}

/// A box showing `lines` (the label wrapped, perhaps with a note under it).
pub(super) fn new_node_lines(
    id: &str,
    label: String,
    lines: Vec<String>,
    kind: NodeKind,
    s: &Spacing,
) -> Node {
    Node {
        id: id.to_string(),
        w: layout::box_width(&lines, s),
        h: layout::box_height(lines.len(), s),
        label,
        lines,
        kind,
        x: 0.0,
        y: 0.0,
    }
}
