//! Builder stage for the structural equations: their product terms and their outcomes (an
//! endogenous construct, or a new normal, lognormal, count or binary column).

use super::builder::Builder;
use super::{Equation, Node, NodeKind, OutcomeKind, RawEquation};
use crate::simulate::SimulateError;

/// (term name as written with `:`, factor node indices, coefficient), as in [`Equation::terms`].
type Term = (String, Vec<usize>, f64);

impl Builder {
    /// Equations in the order written: each may use what is declared or computed before it.
    pub(super) fn equations(
        &mut self,
        raw: Vec<RawEquation>,
    ) -> Result<Vec<Equation>, SimulateError> {
        let mut equations = Vec::new();
        for e in raw {
            let terms = self.terms(&e)?;
            let outcome = match self.nodes.iter().position(|n| n.name == e.outcome) {
                Some(i) => self.construct_outcome(&e, i, &terms, &equations)?,
                None => self.new_outcome(&e, equations.len())?,
            };
            if let Some(s) = e.error_sd {
                if !(s >= 0.0 && s.is_finite()) {
                    return Err(self.invalid(format!(
                        "equation of '{}': error_sd {s} must be >= 0",
                        e.outcome
                    )));
                }
            }
            if !e.intercept.is_finite() {
                return Err(self.invalid(format!(
                    "equation of '{}': intercept {} must be a finite number",
                    e.outcome, e.intercept
                )));
            }
            equations.push(Equation {
                outcome,
                intercept: e.intercept,
                error_sd: e.error_sd,
                terms,
            });
        }
        Ok(equations)
    }

    fn terms(&self, e: &RawEquation) -> Result<Vec<Term>, SimulateError> {
        let mut terms = Vec::new();
        for (term, coef) in &e.terms {
            let factors = self.factors(&e.outcome, term)?;
            if !coef.is_finite() {
                return Err(self.invalid(format!("term '{term}': coefficient must be finite")));
            }
            terms.push((term.replace(' ', ""), factors, *coef));
        }
        Ok(terms)
    }

    /// The node indices multiplied in `term` (`a:b`, `x^2`), each already available.
    fn factors(&self, outcome: &str, term: &str) -> Result<Vec<usize>, SimulateError> {
        let mut factors = Vec::new();
        for written in term.split(':').map(str::trim) {
            // `x^2`: a quadratic path, the factor repeated (the generator multiplies).
            let (f, power) = split_power(written).map_err(|m| {
                self.invalid(format!("equation of '{outcome}': term '{term}': {m}"))
            })?;
            let i = self.lookup(f, &format!("the equation of '{outcome}'"))?;
            if matches!(self.nodes[i].kind, NodeKind::Categorical { .. }) {
                return Err(self.invalid(format!(
                    "equation of '{outcome}': categorical '{f}' cannot enter a term; declare an indicator for a level (indicators = {{ name = \"level\" }})"
                )));
            }
            if self.nodes[i].equation.is_none()
                && !self.is_exogenous(i)
                && !self.is_derived_numeric(i)
            {
                return Err(
                    self.invalid(format!("equation of '{outcome}': '{f}' is not available"))
                );
            }
            if factors.contains(&i) {
                return Err(self.invalid(format!(
                    "term '{term}' uses '{f}' twice; write a power as {f}^2"
                )));
            }
            factors.extend(std::iter::repeat_n(i, power));
        }
        Ok(factors)
    }

    /// The outcome is the declared node `i`: it must be a construct without an equation yet.
    fn construct_outcome(
        &mut self,
        e: &RawEquation,
        i: usize,
        terms: &[Term],
        earlier: &[Equation],
    ) -> Result<usize, SimulateError> {
        let is_construct = matches!(self.nodes[i].kind, NodeKind::Construct { .. });
        if !is_construct || e.kind != "construct" {
            return Err(self.invalid(format!(
                "'{}' is declared as a {}; an equation's outcome is either a declared construct (kind = \"construct\") or a new name",
                e.outcome,
                if is_construct { "construct" } else { "variable" }
            )));
        }
        if self.nodes[i].equation.is_some() {
            return Err(self.invalid(format!("'{}' has two equations", e.outcome)));
        }
        if terms.iter().any(|(_, f, _)| f.contains(&i)) {
            return Err(self.invalid(format!("'{}' is regressed on itself", e.outcome)));
        }
        // A construct used before its equation would be exogenous and endogenous at once.
        if earlier
            .iter()
            .any(|q| q.terms.iter().any(|(_, f, _)| f.contains(&i)))
        {
            return Err(self.invalid(format!(
                "'{}' is used by an earlier equation; write the equations in causal order",
                e.outcome
            )));
        }
        self.nodes[i].equation = Some(earlier.len());
        Ok(i)
    }

    /// The outcome is a new column of the equation's `kind`; `equation` is its index.
    fn new_outcome(&mut self, e: &RawEquation, equation: usize) -> Result<usize, SimulateError> {
        let kind = self.outcome_kind(e)?;
        let drawn = matches!(kind, OutcomeKind::Count | OutcomeKind::Binary);
        if drawn && e.error_sd.is_some() {
            return Err(self.invalid(format!(
                "equation of '{}': a {} outcome has no error_sd (its randomness is the Poisson or Bernoulli draw)",
                e.outcome, e.kind
            )));
        }
        self.check_bounds(&format!("equation of '{}'", e.outcome), e.min, e.max)?;
        self.check_decimals(&format!("equation of '{}'", e.outcome), e.decimals)?;
        if !drawn && !e.error_sd.is_some_and(|s| s > 0.0) {
            return Err(self.invalid(format!(
                "equation of '{}': a {} outcome needs error_sd > 0",
                e.outcome, e.kind
            )));
        }
        self.add(Node {
            name: e.outcome.clone(),
            label: e.label.clone(),
            level: String::new(),
            kind: NodeKind::Outcome {
                kind,
                min: e.min,
                max: e.max,
                // Counts and 0/1 outcomes are whole numbers.
                decimals: if drawn { 0 } else { e.decimals },
            },
            equation: Some(equation),
        })
    }

    fn outcome_kind(&self, e: &RawEquation) -> Result<OutcomeKind, SimulateError> {
        match e.kind.as_str() {
            "normal" => Ok(OutcomeKind::Normal),
            "lognormal" => Ok(OutcomeKind::Lognormal),
            "count" => Ok(OutcomeKind::Count),
            "binary" => Ok(OutcomeKind::Binary),
            "construct" => Err(self.invalid(format!(
                "equation of '{}': no construct of that name; declare it as [[construct]] or give kind = normal, lognormal, count or binary",
                e.outcome
            ))),
            k => Err(self.invalid(format!(
                "equation of '{}': kind '{k}' must be construct, normal, lognormal, count or binary",
                e.outcome
            ))),
        }
    }
}

/// `x` -> (`x`, 1); `x^2` -> (`x`, 2); `x^3` -> (`x`, 3); any other power is an error.
fn split_power(written: &str) -> Result<(&str, usize), String> {
    let Some((base, k)) = written.split_once('^') else {
        return Ok((written, 1));
    };
    match k.trim() {
        "2" => Ok((base.trim(), 2)),
        "3" => Ok((base.trim(), 3)),
        _ => Err(format!(
            "a power is written {}^2 or {}^3",
            base.trim(),
            base.trim()
        )),
    }
}
