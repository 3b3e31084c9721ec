//! Builder stage for derived columns: a count from a log (`exp_round`), a size class from a
//! headcount (`size_class`) and a combination of categoricals (`combine`).

use super::builder::Builder;
use super::{Derived, Node, NodeKind, RawDerived};
use crate::simulate::SimulateError;

impl Builder {
    pub(super) fn derived(&mut self, d: RawDerived) -> Result<(), SimulateError> {
        self.check_bounds(&format!("derived column '{}'", d.name), d.min, d.max)?;
        let from: Vec<usize> = d
            .from
            .iter()
            .map(|f| self.lookup(f, &format!("derived '{}'", d.name)))
            .collect::<Result<_, _>>()?;
        let one = |b: &Self| {
            if from.len() == 1 {
                Ok(from[0])
            } else {
                Err(b.invalid(format!("derived '{}': `from` takes one variable", d.name)))
            }
        };
        let kind = match d.transform.as_str() {
            "exp_round" => Derived::ExpRound {
                from: one(self)?,
                min: d.min,
                max: d.max,
            },
            "size_class" => Derived::SizeClass {
                from: one(self)?,
                scheme: crate::domain::SizeScheme::parse(d.scheme.as_deref().unwrap_or("eu"))
                    .map_err(|e| self.invalid(format!("derived '{}': {e}", d.name)))?,
            },
            "combine" => {
                self.check_combined(&d.name, &from)?;
                Derived::Combine {
                    from,
                    map: d.map.into_iter().collect(),
                }
            }
            t => {
                return Err(self.invalid(format!(
                    "derived '{}': transform '{t}' must be exp_round, size_class or combine",
                    d.name
                )))
            }
        };
        self.add(Node {
            name: d.name,
            label: d.label,
            level: String::new(),
            kind: NodeKind::Derived(kind),
            equation: None,
        })?;
        Ok(())
    }

    fn check_combined(&self, name: &str, from: &[usize]) -> Result<(), SimulateError> {
        if from.is_empty() {
            return Err(self.invalid(format!(
                "derived '{name}': combine needs one or more categorical variables in `from`"
            )));
        }
        for f in from {
            if !matches!(self.nodes[*f].kind, NodeKind::Categorical { .. }) {
                return Err(self.invalid(format!(
                    "derived '{name}': combine takes categorical variables; '{}' is not one",
                    self.nodes[*f].name
                )));
            }
        }
        Ok(())
    }
}
