//! The design builder: checks a parsed TOML design stage by stage (constructs, variables,
//! categoricals, equations, derived columns, correlations, missingness) and assembles a
//! [`Design`]. Each stage may use only the nodes declared before it, as the file is read.

use super::{Design, Node, NodeKind, RawDesign, MAX_DECIMALS};
use crate::data::closest_names;
use crate::simulate::SimulateError;

pub(super) struct Builder {
    pub(super) source: String,
    pub(super) nodes: Vec<Node>,
}

impl Builder {
    pub(super) fn new(source: &str) -> Self {
        Builder {
            source: source.into(),
            nodes: Vec::new(),
        }
    }

    /// The stages in the order the checks were written, so that the first error a broken
    /// design reports does not depend on how the builder is split.
    pub(super) fn build(mut self, raw: RawDesign) -> Result<Design, SimulateError> {
        let default_m = raw.measurement;
        for c in raw.constructs {
            self.construct(c, default_m)?;
        }
        for v in raw.variables {
            self.variable(v)?;
        }
        for c in raw.categoricals {
            self.categorical(c)?;
        }
        let equations = self.equations(raw.equations)?;
        for d in raw.derived {
            self.derived(d)?;
        }
        let (exogenous, correlation) = self.correlations(&raw.correlations)?;
        let missing = self.missingness(raw.missing)?;
        let cluster = match raw.cluster {
            Some(c) => Some(self.cluster(c, &equations)?),
            None => None,
        };
        let design = Design {
            name: raw.name,
            description: raw.description,
            source: self.source,
            nodes: self.nodes,
            exogenous,
            correlation,
            equations,
            missing,
            cluster,
        };
        super::missing::check_columns(&design)?;
        super::cluster::check_column(&design)?;
        Ok(design)
    }

    pub(super) fn invalid(&self, message: impl Into<String>) -> SimulateError {
        SimulateError::Invalid {
            source_name: self.source.clone(),
            message: message.into(),
        }
    }

    /// `min` and `max` of a variable, outcome or derived column: finite, and min not above max
    /// (a value is clipped to [min, max], so reversed bounds would give every row one value).
    pub(super) fn check_bounds(
        &self,
        what: &str,
        min: Option<f64>,
        max: Option<f64>,
    ) -> Result<(), SimulateError> {
        for (key, v) in [("min", min), ("max", max)] {
            if v.is_some_and(|v| !v.is_finite()) {
                return Err(self.invalid(format!("{what}: {key} must be a finite number")));
            }
        }
        if let (Some(lo), Some(hi)) = (min, max) {
            if lo > hi {
                return Err(self.invalid(format!(
                    "{what}: min {lo} is greater than max {hi}; values are clipped to [min, max], so swap them"
                )));
            }
        }
        Ok(())
    }

    /// Decimals written to the CSV: a double has about 17 significant digits, and a damaged
    /// count would make every number a string of gigabytes.
    pub(super) fn check_decimals(&self, what: &str, decimals: u32) -> Result<(), SimulateError> {
        if decimals <= MAX_DECIMALS {
            return Ok(());
        }
        Err(self.invalid(format!(
            "{what}: decimals {decimals} must be at most {MAX_DECIMALS}"
        )))
    }

    pub(super) fn lookup(&self, name: &str, place: &str) -> Result<usize, SimulateError> {
        self.nodes
            .iter()
            .position(|n| n.name == name)
            .ok_or_else(|| SimulateError::UnknownVariable {
                source_name: self.source.clone(),
                name: name.into(),
                place: place.into(),
                suggestions: closest_names(name, self.nodes.iter().map(|n| n.name.as_str())),
            })
    }

    pub(super) fn add(&mut self, node: Node) -> Result<usize, SimulateError> {
        let name = &node.name;
        let ok = !name.is_empty()
            && !name.starts_with(|c: char| c.is_ascii_digit())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !ok {
            return Err(self.invalid(format!(
                "'{name}' is not a usable column name: use letters, digits and '_', not starting with a digit"
            )));
        }
        if name == "firm_id" || self.nodes.iter().any(|n| &n.name == name) {
            return Err(self.invalid(format!("the name '{name}' is used twice")));
        }
        self.nodes.push(node);
        Ok(self.nodes.len() - 1)
    }

    pub(super) fn probability(&self, what: &str, p: f64) -> Result<(), SimulateError> {
        if (0.0..1.0).contains(&p) {
            Ok(())
        } else {
            Err(self.invalid(format!("{what} {p} must be a share in [0, 1)")))
        }
    }

    /// Drawn from the joint normal: constructs without an equation, variables and categoricals
    /// (indicators are functions of their categorical).
    pub(super) fn is_exogenous(&self, i: usize) -> bool {
        let n = &self.nodes[i];
        match n.kind {
            NodeKind::Construct { .. } => n.equation.is_none(),
            NodeKind::Variable { .. } | NodeKind::Categorical { .. } => true,
            _ => false,
        }
    }

    pub(super) fn is_derived_numeric(&self, i: usize) -> bool {
        matches!(self.nodes[i].kind, NodeKind::Indicator { .. })
    }
}
