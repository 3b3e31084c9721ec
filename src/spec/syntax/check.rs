//! Checks across statements: labels, defined quantities, cycles; then the causal order.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::spec::{Defined, EquationSpec, SpecError, TermSpec};

use super::parse::{label_is_variable, RawDefined, RawEquation, Spanned, Statement};
use super::{ParsedSyntax, Source};

pub(super) fn check(src: &Source, statements: Vec<Statement>) -> Result<ParsedSyntax, SpecError> {
    let mut equations = Vec::new();
    let mut defs = Vec::new();
    for s in statements {
        match s {
            Statement::Equation(e) => equations.push(e),
            Statement::Defined(d) => defs.push(d),
            // The path dialect stops at these; should one arrive, say what fits it.
            Statement::Relation(r) => {
                let pos = r.lhs.first().map(|l| l.pos).unwrap_or_default();
                return Err(src.error(pos, super::parse::SEM_MODEL));
            }
            Statement::Constraint(c) => return Err(src.error(c.pos, super::parse::SEM_MODEL)),
        }
    }
    if equations.is_empty() {
        return Err(SpecError::Invalid(format!(
            "{}: the model has no equations; write at least one line 'outcome ~ predictors'",
            src.name
        )));
    }

    let variables: HashSet<&str> = equations
        .iter()
        .flat_map(|e| {
            std::iter::once(e.outcome.name.as_str()).chain(
                e.terms
                    .iter()
                    .flat_map(|t| t.factors.iter().map(|f| f.name.as_str())),
            )
        })
        .collect();

    let labels = check_labels(src, &equations, &variables)?;
    let defined = check_defined(src, defs, &labels, &variables, false)?;
    let order = causal_order(src, &equations)?;

    let labels = labels
        .into_iter()
        .map(|l| (l.label.name, l.outcome, l.term))
        .collect();
    let mut slots: Vec<Option<RawEquation>> = equations.into_iter().map(Some).collect();
    let equations = order
        .into_iter()
        .filter_map(|k| slots.get_mut(k).and_then(Option::take))
        .map(|e| EquationSpec {
            outcome: e.outcome.name,
            terms: e
                .terms
                .into_iter()
                .map(|t| TermSpec {
                    factors: t.factors.into_iter().map(|f| f.name).collect(),
                    label: t.label.map(|l| l.name),
                })
                .collect(),
        })
        .collect();
    Ok(ParsedSyntax {
        equations,
        defined,
        labels,
    })
}

pub(super) struct LabelUse {
    pub label: Spanned,
    pub outcome: String,
    pub term: String,
}

/// Each label names one coefficient, and is not also a variable.
fn check_labels(
    src: &Source,
    equations: &[RawEquation],
    variables: &HashSet<&str>,
) -> Result<Vec<LabelUse>, SpecError> {
    let mut uses: Vec<LabelUse> = Vec::new();
    let mut first_use: HashMap<&str, usize> = HashMap::new();
    for eq in equations {
        for term in &eq.terms {
            let Some(label) = &term.label else { continue };
            let name = term.name();
            if variables.contains(label.name.as_str()) {
                return Err(src.error(term.pos, label_is_variable(&label.name, &name)));
            }
            if let Some(first) = first_use
                .get(label.name.as_str())
                .and_then(|&k| uses.get(k))
            {
                return Err(src.error(
                    label.pos,
                    format!(
                        "label '{}' is used for two coefficients ('{}' in the equation for '{}' \
                         on line {}, and '{name}' in the equation for '{}'); equality \
                         constraints are not supported: give each coefficient its own label \
                         (or fit the model with `cipa sem`, where a shared label makes \
                         coefficients equal)",
                        label.name,
                        first.term,
                        first.outcome,
                        first.label.pos.line,
                        eq.outcome.name
                    ),
                ));
            }
            first_use.insert(label.name.as_str(), uses.len());
            uses.push(LabelUse {
                label: label.clone(),
                outcome: eq.outcome.name.clone(),
                term: name,
            });
        }
    }
    Ok(uses)
}

/// Defined names are new, and their expressions use labels and earlier defined names only;
/// with `probed` (`cipa sem`) also observed variables, whose values the := is probed at.
pub(super) fn check_defined(
    src: &Source,
    defs: Vec<RawDefined>,
    labels: &[LabelUse],
    variables: &HashSet<&str>,
    probed: bool,
) -> Result<Vec<Defined>, SpecError> {
    let mut scope = DefinedScope::new(&defs, labels, variables, probed);
    for d in &defs {
        scope.check_name(src, d)?;
        scope.check_refs(src, d)?;
        scope
            .done_lines
            .insert(d.name.name.as_str(), d.name.pos.line);
        scope.done.push(&d.name);
    }
    Ok(defs
        .into_iter()
        .map(|d| Defined {
            name: d.name.name,
            expr: d.expr,
            text: d.text,
        })
        .collect())
}

/// What a defined quantity may name: the coefficient labels, the quantities defined before it
/// (`done`) and, when probed, the model's variables.
struct DefinedScope<'a> {
    /// Labels in order of first use, for suggestions.
    label_names: Vec<&'a str>,
    /// Each label's first line.
    label_lines: HashMap<&'a str, usize>,
    /// Each defined name's first line (to say "defined later").
    lines: HashMap<&'a str, usize>,
    variables: &'a HashSet<&'a str>,
    probed: bool,
    done: Vec<&'a Spanned>,
    done_lines: HashMap<&'a str, usize>,
}

impl<'a> DefinedScope<'a> {
    fn new(
        defs: &'a [RawDefined],
        labels: &'a [LabelUse],
        variables: &'a HashSet<&'a str>,
        probed: bool,
    ) -> Self {
        let mut label_names: Vec<&str> = Vec::new();
        let mut seen = HashSet::new();
        for l in labels {
            if seen.insert(l.label.name.as_str()) {
                label_names.push(l.label.name.as_str());
            }
        }
        let label_lines: HashMap<&str, usize> = labels
            .iter()
            .rev()
            .map(|l| (l.label.name.as_str(), l.label.pos.line))
            .collect();
        let mut lines: HashMap<&str, usize> = HashMap::new();
        for d in defs {
            lines.entry(d.name.name.as_str()).or_insert(d.name.pos.line);
        }
        DefinedScope {
            label_names,
            label_lines,
            lines,
            variables,
            probed,
            done: Vec::new(),
            done_lines: HashMap::new(),
        }
    }

    /// The defined name is neither defined before, nor a label, nor a variable.
    fn check_name(&self, src: &Source, d: &RawDefined) -> Result<(), SpecError> {
        let name = d.name.name.as_str();
        if let Some(first) = self.done_lines.get(name) {
            return Err(src.error(
                d.name.pos,
                format!(
                    "'{name}' is already defined on line {}; give each defined quantity its own \
                     name",
                    first
                ),
            ));
        }
        if let Some(line) = self.label_lines.get(name) {
            return Err(src.error(
                d.name.pos,
                format!(
                    "'{name}' is already a coefficient label (line {}); a defined quantity needs \
                     a new name",
                    line
                ),
            ));
        }
        if self.variables.contains(name) {
            return Err(src.error(
                d.name.pos,
                format!("'{name}' is a variable in the model; a defined quantity needs a new name"),
            ));
        }
        Ok(())
    }

    /// Every name the expression uses is in scope; the error says why one is not.
    fn check_refs(&self, src: &Source, d: &RawDefined) -> Result<(), SpecError> {
        let name = d.name.name.as_str();
        for r in &d.refs {
            let used = r.name.as_str();
            if self.label_lines.contains_key(used)
                || self.done_lines.contains_key(used)
                || (self.probed && self.variables.contains(used) && used != name)
            {
                continue;
            }
            let message = if used == name {
                format!("'{name}' is used in its own definition")
            } else if let Some(line) = self.lines.get(used) {
                format!("'{used}' is defined later (line {line}); define it before using it")
            } else if self.variables.contains(used) {
                format!(
                    "'{used}' is a variable, not a coefficient label; label its coefficient in \
                     an equation (as in 'a*{used}') and use the label here"
                )
            } else {
                unknown_label(used, &self.label_names, &self.done)
            };
            return Err(src.error(r.pos, message));
        }
        Ok(())
    }
}

pub(super) fn unknown_label(used: &str, labels: &[&str], defined: &[&Spanned]) -> String {
    let known: Vec<&str> = labels
        .iter()
        .copied()
        .chain(defined.iter().map(|s| s.name.as_str()))
        .collect();
    if known.is_empty() {
        return format!(
            "unknown label '{used}': the model has no labels; label a coefficient by writing a \
             name and '*' before its term, as in 'm ~ a*x'"
        );
    }
    let closest = known
        .iter()
        .map(|k| (strsim::levenshtein(used, k), *k))
        .filter(|(d, k)| *d <= 2 && *d < used.chars().count().max(k.chars().count()))
        .min_by_key(|(d, _)| *d);
    let hint = closest.map_or(String::new(), |(_, k)| format!("; did you mean '{k}'?"));
    format!(
        "unknown label '{used}' (labels and defined quantities so far: {}){hint}",
        known.join(", ")
    )
}

/// Equation indices in causal order: each equation after those of its predictors that are
/// outcomes; among equations that are ready, the one written first. A cycle is an error.
fn causal_order(src: &Source, equations: &[RawEquation]) -> Result<Vec<usize>, SpecError> {
    let index: HashMap<&str, usize> = equations
        .iter()
        .enumerate()
        .map(|(k, e)| (e.outcome.name.as_str(), k))
        .collect();
    // deps[k]: the equations whose outcomes equation k uses, in the order its terms name them.
    let deps: Vec<Vec<usize>> = equations
        .iter()
        .map(|e| {
            let mut seen = HashSet::new();
            e.terms
                .iter()
                .flat_map(|t| t.factors.iter())
                .filter_map(|f| index.get(f.name.as_str()).copied())
                .filter(|&j| seen.insert(j))
                .collect()
        })
        .collect();
    let n = equations.len();
    let mut waiting: Vec<usize> = deps.iter().map(Vec::len).collect();
    let mut users: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (k, d) in deps.iter().enumerate() {
        for &j in d {
            if let Some(u) = users.get_mut(j) {
                u.push(k);
            }
        }
    }
    // Among the equations whose predictors are all placed, the one written first goes next.
    let mut ready: BTreeSet<usize> = (0..n).filter(|&k| waiting.get(k) == Some(&0)).collect();
    let mut placed = vec![false; n];
    let mut order = Vec::with_capacity(n);
    while let Some(k) = ready.pop_first() {
        order.push(k);
        if let Some(p) = placed.get_mut(k) {
            *p = true;
        }
        for &u in users.get(k).map_or(&[][..], Vec::as_slice) {
            if let Some(w) = waiting.get_mut(u) {
                *w = w.saturating_sub(1);
                if *w == 0 {
                    ready.insert(u);
                }
            }
        }
    }
    if order.len() < n {
        return Err(cycle_error(src, equations, &deps, &placed));
    }
    Ok(order)
}

/// Finds a cycle among the equations not yet placed and reports it in causal order, starting at
/// the equation written first.
fn cycle_error(
    src: &Source,
    equations: &[RawEquation],
    deps: &[Vec<usize>],
    placed: &[bool],
) -> SpecError {
    let unplaced = |k: usize| !placed.get(k).copied().unwrap_or(true);
    let Some(start) = (0..equations.len()).find(|&k| unplaced(k)) else {
        return SpecError::Invalid("the model has a cycle".to_string());
    };
    // Walk backwards (from an outcome to a predictor that is an unplaced outcome) until an
    // equation repeats; every unplaced equation has such a predictor.
    let mut walk: Vec<usize> = vec![start];
    let mut cur = start;
    let cycle_back: Vec<usize> = loop {
        let next = deps
            .get(cur)
            .and_then(|d| d.iter().copied().find(|&j| unplaced(j)));
        let Some(next) = next else {
            return SpecError::Invalid("the model has a cycle".to_string());
        };
        if let Some(at) = walk.iter().position(|&k| k == next) {
            break walk.get(at..).map(<[usize]>::to_vec).unwrap_or_default();
        }
        walk.push(next);
        cur = next;
    };
    // cycle_back lists each equation after one of its predictors' reversed: causal order is the
    // reverse. Rotate to start at the equation written first.
    let mut cycle: Vec<usize> = cycle_back.into_iter().rev().collect();
    if let Some(first) = cycle
        .iter()
        .enumerate()
        .min_by_key(|(_, &k)| k)
        .map(|(i, _)| i)
    {
        cycle.rotate_left(first);
    }
    let name = |k: usize| {
        equations
            .get(k)
            .map_or(String::new(), |e| e.outcome.name.clone())
    };
    let mut path: Vec<String> = cycle.iter().map(|&k| name(k)).collect();
    if let Some(&head) = cycle.first() {
        path.push(name(head));
    }
    // Point at the predictor in the first equation that closes the cycle.
    let head = cycle.first().copied().unwrap_or(start);
    let closing = cycle.last().map(|&k| name(k)).unwrap_or_default();
    let pos = equations
        .get(head)
        .and_then(|e| {
            e.terms
                .iter()
                .flat_map(|t| t.factors.iter())
                .find(|f| f.name == closing)
                .map(|f| f.pos)
        })
        .or_else(|| equations.get(head).map(|e| e.outcome.pos));
    let message = format!(
        "the model has a cycle: {}; cipa fits recursive path models",
        path.join(" -> ")
    );
    match pos {
        Some(pos) => src.error(pos, message),
        None => SpecError::Invalid(message),
    }
}
