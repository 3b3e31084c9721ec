//! The latent product term of a model, split off so the rest is an ordinary linear SEM for the
//! engine's parameter table: `y ~ f + g + f:g` becomes `y ~ f + g` plus [`Interaction`].

use crate::spec::flat::{FlatModel, Pos, RelOp};

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
    /// ω fixed at a value (`0*f:g`), or free.
    pub fixed: Option<f64>,
    pub label: String,
    pub start: Option<f64>,
    pub pos: Pos,
}

/// The model without its latent product term, and the term. Products of observed variables
/// stay (the engine fits them as columns); a latent × observed product or more than
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
        if rel.rhs.len() > 2 || !rel.rhs.iter().all(|f| is_latent(f)) {
            return Err(SemError::Unsupported {
                what: format!(
                    "the product term '{term}' under LMS (it takes a product of two latent \
                     variables; for a latent × observed or three-way product use \
                     --interaction dmc)"
                ),
                pos: rel.pos,
            });
        }
        found.push(Interaction {
            outcome: rel.lhs.clone(),
            a: rel.rhs[0].clone(),
            b: rel.rhs[1].clone(),
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
    Ok((rest, found.pop()))
}
