//! The SEM dialect's checks across statements, then the flat model: one row per (lhs, op, rhs)
//! in the order written (lavaan's flattening of `y1 + y2 ~ x1 + x2`), no relation written twice,
//! no label that is also a variable, and defined parameters and constraints that use only labels
//! and earlier defined parameters.

use std::collections::{HashMap, HashSet};

use crate::spec::flat::{Constraint, FlatDefined, FlatModel, RelOp, Relation};
use crate::spec::SpecError;

use super::check::{check_defined, unknown_label, LabelUse};
use super::parse::{RawDefined, Spanned, Statement};
use super::sem::{RawConstraint, RawRelation};
use super::Source;

pub(super) fn lower(src: &Source, statements: Vec<Statement>) -> Result<FlatModel, SpecError> {
    let mut relations = Vec::new();
    let mut defs = Vec::new();
    let mut constraints = Vec::new();
    for s in statements {
        match s {
            Statement::Relation(r) => relations.push(r),
            Statement::Defined(d) => defs.push(d),
            Statement::Constraint(c) => constraints.push(c),
            // The SEM dialect parses regressions as relations.
            Statement::Equation(e) => {
                return Err(src.error(e.outcome.pos, "internal: a path equation in a SEM model"))
            }
        }
    }
    if relations.is_empty() {
        return Err(SpecError::Invalid(format!(
            "{}: the model has no relations; write at least one line such as 'f =~ x1 + x2 + x3' \
             or 'y ~ x'",
            src.name
        )));
    }
    let variables: HashSet<&str> = relations
        .iter()
        .flat_map(|r| {
            r.lhs.iter().map(|l| l.name.as_str()).chain(
                r.terms
                    .iter()
                    .flat_map(|t| t.factors.iter().map(|f| f.name.as_str())),
            )
        })
        .collect();
    let labels = label_uses(src, &relations, &variables)?;
    let flat_relations = flatten(src, &relations)?;
    let defined = defined(src, defs, &labels, &variables)?;
    let constraints = check_constraints(src, constraints, &labels, &defined)?;
    Ok(FlatModel {
        relations: flat_relations,
        defined,
        constraints,
    })
}

/// Every label with the relation it names; a label may name several parameters (equality), but
/// is never a variable of the model.
fn label_uses(
    src: &Source,
    relations: &[RawRelation],
    variables: &HashSet<&str>,
) -> Result<Vec<LabelUse>, SpecError> {
    let mut uses = Vec::new();
    for r in relations {
        for t in &r.terms {
            let term = if t.factors.is_empty() {
                "1".to_string()
            } else {
                t.name()
            };
            for label in &t.labels {
                if variables.contains(label.name.as_str()) {
                    return Err(src.error(
                        label.pos,
                        format!(
                            "the label '{}' is also a variable in the model; a modifier before \
                             '*' names or fixes the parameter of the term after it ({}*{term} \
                             labels the parameter of '{term}'), so choose a label that is not a \
                             variable (products of variables are written with ':')",
                            label.name, label.name
                        ),
                    ));
                }
                for lhs in &r.lhs {
                    uses.push(LabelUse {
                        label: label.clone(),
                        outcome: lhs.name.clone(),
                        term: term.clone(),
                    });
                }
            }
        }
    }
    Ok(uses)
}

/// One row per left-hand name and term; a relation written in two statements is an error.
fn flatten(src: &Source, relations: &[RawRelation]) -> Result<Vec<Relation>, SpecError> {
    let mut out = Vec::new();
    let mut seen: HashMap<(String, RelOp, Vec<String>), usize> = HashMap::new();
    for r in relations {
        for lhs in &r.lhs {
            for t in &r.terms {
                let rhs: Vec<String> = t.factors.iter().map(|f| f.name.clone()).collect();
                let op = if rhs.is_empty() {
                    RelOp::Intercept
                } else {
                    r.op
                };
                let key = relation_key(&lhs.name, op, &rhs);
                if let Some(&line) = seen.get(&key) {
                    let written = if rhs.is_empty() {
                        format!("{} ~ 1", lhs.name)
                    } else {
                        format!("{} {} {}", lhs.name, op.symbol(), rhs.join(":"))
                    };
                    let at = if line == t.pos.line {
                        "earlier on this line".to_string()
                    } else {
                        format!("on line {line}")
                    };
                    return Err(src.error(
                        t.pos,
                        format!(
                            "'{written}' is already in the model ({at}); write each relation \
                             once, with all its modifiers"
                        ),
                    ));
                }
                seen.insert(key, t.pos.line);
                out.push(Relation {
                    lhs: lhs.name.clone(),
                    op,
                    rhs,
                    modifier: t.modifier.clone(),
                    pos: t.pos,
                    lhs_pos: lhs.pos,
                });
            }
        }
    }
    Ok(out)
}

/// `a ~~ b` and `b ~~ a` are one covariance; `x:w` and `w:x` are one product.
fn relation_key(lhs: &str, op: RelOp, rhs: &[String]) -> (String, RelOp, Vec<String>) {
    let mut rhs = rhs.to_vec();
    rhs.sort_unstable();
    match (op, rhs.first()) {
        (RelOp::Covary, Some(r)) if r.as_str() < lhs => (r.clone(), op, vec![lhs.to_string()]),
        _ => (lhs.to_string(), op, rhs),
    }
}

fn defined(
    src: &Source,
    defs: Vec<RawDefined>,
    labels: &[LabelUse],
    variables: &HashSet<&str>,
) -> Result<Vec<FlatDefined>, SpecError> {
    let positions: Vec<_> = defs.iter().map(|d| d.name.pos).collect();
    let checked = check_defined(src, defs, labels, variables, true)?;
    Ok(checked
        .into_iter()
        .zip(positions)
        .map(|(d, pos)| FlatDefined {
            name: d.name,
            expr: d.expr,
            text: d.text,
            pos,
        })
        .collect())
}

/// A constraint uses labels and defined parameters only.
fn check_constraints(
    src: &Source,
    constraints: Vec<RawConstraint>,
    labels: &[LabelUse],
    defined: &[FlatDefined],
) -> Result<Vec<Constraint>, SpecError> {
    let mut label_names: Vec<&str> = Vec::new();
    let mut seen = HashSet::new();
    for l in labels {
        if seen.insert(l.label.name.as_str()) {
            label_names.push(l.label.name.as_str());
        }
    }
    let defined_names: Vec<Spanned> = defined
        .iter()
        .map(|d| Spanned {
            name: d.name.clone(),
            pos: d.pos,
        })
        .collect();
    let defined_refs: Vec<&Spanned> = defined_names.iter().collect();
    let known: HashSet<&str> = label_names
        .iter()
        .copied()
        .chain(defined.iter().map(|d| d.name.as_str()))
        .collect();
    constraints
        .into_iter()
        .map(|c| {
            if let Some(r) = c.refs.iter().find(|r| !known.contains(r.name.as_str())) {
                return Err(src.error(r.pos, unknown_label(&r.name, &label_names, &defined_refs)));
            }
            Ok(Constraint {
                lhs: c.lhs,
                op: c.op,
                rhs: c.rhs,
                pos: c.pos,
                text: c.text,
            })
        })
        .collect()
}
