//! What a fit says about its own constraints: each user-written `==`, `<`, `>` with its slack at
//! the estimate (lavaan's summary() "Constraints" block, |lhs − rhs|), and which optimizer the
//! pipeline used, so reports state what was done rather than assume the unconstrained path.

use super::{constraints, model::Model, nonlinear::Constraints, Missing, SemFit};

/// One constraint as written and |lhs − rhs| at θ̂ (0 for a met equality or an active
/// inequality; an inactive inequality's distance from its bound).
#[derive(Debug, Clone, PartialEq)]
pub struct ConstraintValue {
    pub text: String,
    pub slack: f64,
}

impl SemFit {
    /// The user's constraints with their slack at the estimate; equalities implied by shared
    /// labels are left out (lavaan does not print them either). Empty without a source.
    pub fn constraint_values(&self) -> Vec<ConstraintValue> {
        let Some(src) = self.source.as_deref() else {
            return Vec::new();
        };
        let pt = &src.table;
        let model = Model::new(pt, &src.sample);
        let values = Constraints::new(pt)
            .eval(&model, &self.theta)
            .map(|(v, _)| v)
            .unwrap_or_default();
        pt.equalities
            .iter()
            .chain(&pt.inequalities)
            .zip(
                values
                    .iter()
                    .map(|v| v.abs())
                    .chain(std::iter::repeat(f64::NAN)),
            )
            .filter(|(c, _)| !c.text.ends_with("(shared label)"))
            .map(|(c, slack)| ConstraintValue {
                text: c.text.clone(),
                slack,
            })
            .collect()
    }

    /// The optimizer the pipeline chose for this fit, in words for the report header.
    pub fn optimizer(&self) -> &'static str {
        if self.options.missing == Missing::Fiml {
            return "BFGS then Newton on the casewise likelihood";
        }
        let lagrangian = self.source.as_deref().is_some_and(|src| {
            let model = Model::new(&src.table, &src.sample);
            constraints::needs_lagrangian(&src.table, &model.base)
        });
        if lagrangian {
            "augmented Lagrangian (Fisher scoring / Newton inside)"
        } else {
            "Fisher scoring / BFGS"
        }
    }
}
