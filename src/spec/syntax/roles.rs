//! X, Y and the mediators of a model written in the syntax, from its paths.

use std::collections::{HashMap, HashSet};

use crate::spec::SpecError;

use super::ParsedSyntax;

/// Finds the focal antecedent X, the final outcome Y and the mediators (in causal order) of a
/// parsed model, from its paths alone. A path runs from each variable in a term (a product term
/// `x:w` counts for both `x` and `w`) to the equation's outcome.
///
/// - **Y** is the one outcome that is not a predictor in any equation. None or several is an error
///   that lists them and suggests `--y`.
/// - **Mediators** are the outcomes other than Y that lie on a directed path from an exogenous
///   variable (one without an equation) to Y: every outcome is reached from some exogenous
///   variable, so these are the outcomes with a path to Y. They come in the order of
///   [`ParsedSyntax::equations`] (causal order).
/// - **X** is the one exogenous variable with a path to Y through at least one mediator and a path
///   (direct or through other mediators) to every mediator. A model without mediators, or with no
///   such variable, or with several (a first-stage moderator `w` in `m ~ x + w + x:w` qualifies as
///   much as `x` does; so does a covariate entered in every equation) is an error that lists them
///   and suggests `--x`.
///
/// Returns `(x, y, mediators)`.
pub fn infer_roles(p: &ParsedSyntax) -> Result<(String, String, Vec<String>), SpecError> {
    infer_roles_with(p, None, None)
}

/// [`infer_roles`] with X and/or Y given (as by `--x` and `--y`). A given Y must be an outcome; the
/// mediators are then the other outcomes with a path to it. A given X must be a variable without
/// an equation and have a path to Y; it need not reach every mediator.
pub fn infer_roles_with(
    p: &ParsedSyntax,
    x: Option<&str>,
    y: Option<&str>,
) -> Result<(String, String, Vec<String>), SpecError> {
    let graph = Graph::new(p);
    let y = match y {
        Some(y) => graph.check_given_y(y)?,
        None => graph.final_outcome()?,
    };
    let to_y = graph.ancestors(y);
    let mediators: Vec<&str> = graph
        .outcomes
        .iter()
        .copied()
        .filter(|o| *o != y && to_y.contains(o))
        .collect();
    let x = match x {
        Some(x) => graph.check_given_x(x, y, &to_y)?,
        None => graph.focal_x(y, &mediators)?,
    };
    Ok((
        x.to_string(),
        y.to_string(),
        mediators.into_iter().map(str::to_string).collect(),
    ))
}

impl<'p> Graph<'p> {
    /// A Y given by `--y` must be an outcome of the model.
    fn check_given_y<'a>(&self, y: &'a str) -> Result<&'a str, SpecError> {
        if !self.outcomes.contains(&y) {
            return Err(SpecError::Invalid(format!(
                "Y '{y}' is not an outcome of the model (outcomes: {})",
                self.outcomes.join(", ")
            )));
        }
        Ok(y)
    }

    /// Y when not given: the one outcome that predicts nothing else.
    fn final_outcome(&self) -> Result<&'p str, SpecError> {
        let finals: Vec<&str> = self
            .outcomes
            .iter()
            .copied()
            .filter(|o| !self.predictors.contains(o))
            .collect();
        match finals.as_slice() {
            [y] => Ok(*y),
            [] => Err(SpecError::Invalid(
                "the model has no final outcome (an outcome that predicts nothing \
                 else); name Y with --y"
                    .to_string(),
            )),
            several => Err(SpecError::Invalid(format!(
                "the model has several final outcomes ({}), outcomes that predict \
                 nothing else; name the focal outcome with --y",
                several.join(", ")
            ))),
        }
    }

    /// An X given by `--x` must be a variable without an equation with a path to Y.
    fn check_given_x<'a>(
        &self,
        x: &'a str,
        y: &str,
        to_y: &HashSet<&str>,
    ) -> Result<&'a str, SpecError> {
        if self.outcomes.contains(&x) {
            return Err(SpecError::Invalid(format!(
                "X '{x}' has its own equation; X must be a variable that is not an outcome"
            )));
        }
        if !self.exogenous.contains(&x) {
            return Err(SpecError::Invalid(format!(
                "X '{x}' is not a variable of the model (variables without an equation: {})",
                self.exogenous.join(", ")
            )));
        }
        if !to_y.contains(x) {
            return Err(SpecError::Invalid(format!(
                "X '{x}' has no path to Y '{y}'"
            )));
        }
        Ok(x)
    }

    /// X when not given: the one variable without an equation that reaches every mediator.
    fn focal_x(&self, y: &str, mediators: &[&str]) -> Result<&'p str, SpecError> {
        if mediators.is_empty() {
            return Err(SpecError::Invalid(format!(
                "cannot tell which variable is X: no outcome other than '{y}' lies on a path \
                 to '{y}', so the model has no mediators; name X with --x"
            )));
        }
        let candidates: Vec<&'p str> = self
            .exogenous
            .iter()
            .copied()
            .filter(|v| {
                let reach = self.descendants(v);
                mediators.iter().all(|m| reach.contains(m))
            })
            .collect();
        match candidates.as_slice() {
            [x] => Ok(*x),
            [] => Err(SpecError::Invalid(format!(
                "cannot tell which variable is X: no variable has a path to every \
                 mediator ({}); name X with --x",
                mediators.join(", ")
            ))),
            several => Err(SpecError::Invalid(format!(
                "several variables could be X ({}): each has a path to every mediator \
                 ({}) and through them to '{y}'; name X with --x",
                several.join(", "),
                mediators.join(", ")
            ))),
        }
    }
}

struct Graph<'p> {
    /// Outcomes in causal order.
    outcomes: Vec<&'p str>,
    /// Variables that appear in some term.
    predictors: HashSet<&'p str>,
    /// Variables without an equation, in order of first appearance.
    exogenous: Vec<&'p str>,
    /// For each outcome, the variables in its terms.
    parents: HashMap<&'p str, Vec<&'p str>>,
    /// For each variable, the outcomes whose terms use it.
    children: HashMap<&'p str, Vec<&'p str>>,
}

impl<'p> Graph<'p> {
    fn new(p: &'p ParsedSyntax) -> Self {
        let outcomes: Vec<&str> = p.equations.iter().map(|e| e.outcome.as_str()).collect();
        let outcome_set: HashSet<&str> = outcomes.iter().copied().collect();
        let mut predictors = HashSet::new();
        let mut exogenous = Vec::new();
        let mut parents: HashMap<&str, Vec<&str>> = HashMap::new();
        let mut children: HashMap<&str, Vec<&str>> = HashMap::new();
        for e in &p.equations {
            let outcome = e.outcome.as_str();
            let mut seen = HashSet::new();
            for f in e.terms.iter().flat_map(|t| t.factors.iter()) {
                let f = f.as_str();
                if !seen.insert(f) {
                    continue;
                }
                parents.entry(outcome).or_default().push(f);
                children.entry(f).or_default().push(outcome);
                if predictors.insert(f) && !outcome_set.contains(f) {
                    exogenous.push(f);
                }
            }
        }
        Graph {
            outcomes,
            predictors,
            exogenous,
            parents,
            children,
        }
    }

    /// Every variable with a directed path to `v`.
    fn ancestors(&self, v: &str) -> HashSet<&'p str> {
        reach(&self.parents, v)
    }

    /// Every variable `v` has a directed path to.
    fn descendants(&self, v: &str) -> HashSet<&'p str> {
        reach(&self.children, v)
    }
}

/// The nodes reachable from `v` along `edges` (not `v` itself, unless on a cycle).
fn reach<'p>(edges: &HashMap<&'p str, Vec<&'p str>>, v: &str) -> HashSet<&'p str> {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut stack: Vec<&str> = edges.get(v).cloned().unwrap_or_default();
    while let Some(u) = stack.pop() {
        if seen.insert(u) {
            if let Some(next) = edges.get(u) {
                stack.extend(next.iter().copied());
            }
        }
    }
    seen
}

/// The moderators of a syntax model: those given (W, then Z), then every other variable that a
/// product term multiplies by a path variable (X, a mediator or Y), in order of appearance, so a
/// third moderator and beyond needs no flag of its own.
pub fn infer_moderators(
    p: &ParsedSyntax,
    x: &str,
    mediators: &[String],
    y: &str,
    given: &[String],
) -> Vec<String> {
    let is_path = |f: &str| f == x || f == y || mediators.iter().any(|m| m == f);
    let mut out = given.to_vec();
    for t in p.equations.iter().flat_map(|e| &e.terms) {
        if t.factors.len() < 2 || !t.factors.iter().any(|f| is_path(f)) {
            continue;
        }
        for f in &t.factors {
            if !is_path(f) && !out.contains(f) {
                out.push(f.clone());
            }
        }
    }
    out
}
