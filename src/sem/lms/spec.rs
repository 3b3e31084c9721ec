//! The latent product term of a model, split off so the rest is an ordinary linear SEM for the
//! engine's parameter table: `y ~ f + g + f:g` becomes `y ~ f + g` plus [`Interaction`].
//!
//! A factor that is a data column (`y ~ f + w + f:w`) enters as the engine's single-indicator
//! latent of an observed regression variable (lavaan's all-y "dummy" latent: loading 1, residual
//! variance 0, its mean and variance free under fixed.x = FALSE), which is how modsem's LMS
//! takes an observed variable into an interaction (modsem's vignette `observed_lms_qml` and
//! `auto.fix.single` in R/modsem_da.R). Its residual variance being 0, it cannot be the factor
//! integrated over: the quadrature runs over the latent one (conditional.rs).

use crate::spec::flat::{FlatModel, Modifier, Pos, RelOp, Relation};

use super::super::SemError;

/// How many latent product terms LMS handles here (one quadrature dimension).
pub const MAX_INTERACTIONS: usize = 1;

/// `outcome ~ ω·a:b` between two latent variables.
#[derive(Debug, Clone, PartialEq)]
pub struct Interaction {
    pub outcome: String,
    /// The factor integrated over by quadrature (an exogenous latent).
    pub a: String,
    /// The other factor.
    pub b: String,
    /// The factor that is a data column, when one is (a latent × observed product).
    pub observed: Option<String>,
    /// ω fixed at a value (`0*f:g`), or free.
    pub fixed: Option<f64>,
    pub label: String,
    pub start: Option<f64>,
    pub pos: Pos,
}

impl Interaction {
    /// The observed factor's name, or "" (no factor is named "").
    pub fn observed_name(&self) -> &str {
        self.observed.as_deref().unwrap_or("")
    }
}

/// The model without its latent product term, and the term. Products of observed variables
/// stay (the engine fits them as columns); a three-way product or more than
/// [`MAX_INTERACTIONS`] latent ones are refused naming the term.
pub fn split(
    flat: &FlatModel,
    columns: &[String],
) -> Result<(FlatModel, Option<Interaction>), SemError> {
    let latents: Vec<&str> = flat
        .relations
        .iter()
        .filter(|r| r.op == RelOp::Measure)
        .map(|r| r.lhs.as_str())
        .collect();
    let is_latent = |v: &str| latents.contains(&v);
    let mut rest = flat.clone();
    rest.relations.clear();
    let mut found: Vec<Interaction> = Vec::new();
    for rel in &flat.relations {
        let product = rel.op == RelOp::Regress && rel.rhs.len() > 1;
        if !product || rel.rhs.iter().all(|f| !is_latent(f)) {
            rest.relations.push(rel.clone());
            continue;
        }
        let term = rel.rhs.join(":");
        for f in &rel.rhs {
            if !is_latent(f) && !columns.iter().any(|c| c == f) {
                return Err(SemError::LatentWithoutIndicators {
                    name: f.clone(),
                    pos: rel.pos,
                });
            }
        }
        if rel.rhs.len() > 2 {
            return Err(SemError::Unsupported {
                what: format!(
                    "the product term '{term}' under LMS (it takes a product of two variables, \
                     one of them latent; for a three-way product use --interaction dmc)"
                ),
                pos: rel.pos,
            });
        }
        let observed = rel.rhs.iter().find(|f| !is_latent(f)).cloned();
        found.push(Interaction {
            outcome: rel.lhs.clone(),
            a: rel.rhs[0].clone(),
            b: rel.rhs[1].clone(),
            observed,
            fixed: rel.modifier.fixed.first().copied().flatten(),
            label: rel
                .modifier
                .labels
                .first()
                .cloned()
                .flatten()
                .unwrap_or_default(),
            start: rel.modifier.start.first().copied(),
            pos: rel.pos,
        });
        if found.len() > MAX_INTERACTIONS {
            return Err(SemError::Unsupported {
                // Unsupported appends "is not supported yet": the advice goes in parentheses.
                what: format!(
                    "LMS with a second latent product term ('{term}'; it estimates at most \
                     {MAX_INTERACTIONS} latent interaction, one quadrature dimension: fit \
                     several with --interaction dmc)"
                ),
                pos: rel.pos,
            });
        }
    }
    if let Some(it) = found.first() {
        with_observed_factor_path(&mut rest, it);
    }
    Ok((rest, found.pop()))
}

/// Makes the observed factor of a latent × observed product a regression variable of the
/// outcome, so the engine gives it its single-indicator latent: a model that leaves out its
/// main effect (`y ~ f + f:w`) gets `y ~ 0*w`, the path fixed at the 0 the model says.
fn with_observed_factor_path(rest: &mut FlatModel, it: &Interaction) {
    let Some(w) = &it.observed else {
        return;
    };
    let present = rest
        .relations
        .iter()
        .any(|r| r.op == RelOp::Regress && r.lhs == it.outcome && r.rhs == [w.clone()]);
    if !present {
        rest.relations.push(Relation {
            lhs: it.outcome.clone(),
            op: RelOp::Regress,
            rhs: vec![w.clone()],
            modifier: Modifier {
                fixed: vec![Some(0.0)],
                ..Modifier::default()
            },
            pos: it.pos,
            lhs_pos: it.pos,
        });
    }
}

/// Refuses what LMS cannot fit yet before anything is estimated: `:=` and `==`/`<`/`>` (its
/// parameters are the mixture's θ and ω, which the engine's constraint and delta-method code
/// do not index) and a label the product term shares with another row (an equality). Without
/// this, a `:=` naming the product term's label (`y ~ a*f:g; ind := a*b`) was reported as "the
/// label 'a' names no parameter": the term is split off before the engine's table is built.
pub fn refuse_constraints(flat: &FlatModel, it: &Interaction) -> Result<(), SemError> {
    const ADVICE: &str = "LMS fits no := or ==, <, > yet, whatever labels they use; a label on \
                          the product term ('y ~ a*f:g') only names its coefficient in the \
                          report; --interaction dmc, the default, fits := and constraints on \
                          every label, the product term's included";
    let first_defined = flat
        .defined
        .first()
        .map(|d| (format!("'{} := {}'", d.name, d.text), d.pos));
    let first_constraint = flat
        .constraints
        .first()
        .map(|c| (format!("'{}'", c.text), c.pos));
    if let Some((text, pos)) = first_defined.or(first_constraint) {
        return Err(SemError::Unsupported {
            what: format!("{text} under --interaction lms ({ADVICE})"),
            pos,
        });
    }
    if it.label.is_empty() {
        return Ok(());
    }
    let is_term = |r: &Relation| r.lhs == it.outcome && r.rhs == [it.a.clone(), it.b.clone()];
    let shared = flat
        .relations
        .iter()
        .find(|r| !is_term(r) && r.modifier.labels.iter().flatten().any(|l| *l == it.label));
    match shared {
        Some(r) => Err(SemError::Unsupported {
            what: format!(
                "the label '{}' on the product term and on another row (line {}) under \
                 --interaction lms (a shared label makes them equal, a constraint: {ADVICE})",
                it.label, r.pos.line
            ),
            pos: it.pos,
        }),
        None => Ok(()),
    }
}
