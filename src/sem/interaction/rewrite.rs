//! The model side of double-mean centring: each latent product term `a:b` of a regression
//! becomes a latent `a:b` measured by the products of a's and b's indicators (an observed factor
//! is its own single indicator, as in modsem), with the residual covariances the pairing calls
//! for. modsem builds the same model (`R/modsem_pi.R`, `createRelDf` in `R/model_pi.R`,
//! `getParTableResCov.simple` in `R/residual_cov_pi.R`); the code here is cipa's own.

use crate::data::{closest_names, Dataset};
use crate::spec::flat::{FlatModel, Modifier, Pos, RelOp, Relation};

use super::super::SemError;
use super::{DmcPairs, ProductIndicator};

/// One latent product term as it will be built.
pub(super) struct Term {
    pub name: String,
    pub factors: Vec<String>,
    pub indicators: Vec<ProductIndicator>,
    pub residual_covariances: Vec<(String, String)>,
    pub pos: Pos,
}

/// The rewritten model and what it needs from the data.
pub(super) struct Plan {
    pub terms: Vec<Term>,
    pub model: FlatModel,
    /// The original model's observed variables (the rows used are complete on these).
    pub observed: Vec<String>,
}

/// The latent product terms of `flat` (a product of a regression with a factor that is not a
/// data column), by name; an observed product (`x:w` of two columns) is products.rs's.
pub fn latent_products(flat: &FlatModel, data: &Dataset) -> Vec<String> {
    let latents = latent_names(flat);
    let mut out: Vec<String> = Vec::new();
    for rel in flat
        .relations
        .iter()
        .filter(|r| is_latent_term(r, &latents, data))
    {
        let name = rel.rhs.join(":");
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

fn latent_names(flat: &FlatModel) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in flat.relations.iter().filter(|r| r.op == RelOp::Measure) {
        if !out.contains(&r.lhs) {
            out.push(r.lhs.clone());
        }
    }
    out
}

fn is_latent_term(rel: &Relation, latents: &[String], data: &Dataset) -> bool {
    rel.op == RelOp::Regress
        && rel.rhs.len() > 1
        && rel
            .rhs
            .iter()
            .any(|f| latents.contains(f) || !data.contains(f))
}

/// The rewritten model; `terms` is empty (and `model` a copy) when there is no latent product.
pub(super) fn plan(flat: &FlatModel, data: &Dataset, pairs: DmcPairs) -> Result<Plan, SemError> {
    let latents = latent_names(flat);
    let mut model = flat.clone();
    let mut terms: Vec<Term> = Vec::new();
    for rel in model.relations.iter_mut() {
        if !is_latent_term(rel, &latents, data) {
            continue;
        }
        check_factors(rel, &latents, data)?;
        let same = |t: &&Term| {
            let mut a = t.factors.clone();
            let mut b = rel.rhs.clone();
            a.sort();
            b.sort();
            a == b
        };
        let name = match terms.iter().find(same) {
            Some(t) => t.name.clone(),
            None => {
                let t = new_term(rel, flat, &latents, data, pairs)?;
                let name = t.name.clone();
                terms.push(t);
                name
            }
        };
        rel.rhs = vec![name];
    }
    let shared = if pairs == DmcPairs::All {
        shared_item_covariances(&mut terms, &latents, flat)
    } else {
        Vec::new()
    };
    append_measurement(&mut model, &terms, &shared);
    Ok(Plan {
        observed: observed_names(flat, &latents, data),
        terms,
        model,
    })
}

/// Every factor a latent (with indicators) or a data column, and two of them.
fn check_factors(rel: &Relation, latents: &[String], data: &Dataset) -> Result<(), SemError> {
    let term = rel.rhs.join(":");
    for f in &rel.rhs {
        if latents.contains(f) || data.contains(f) {
            continue;
        }
        let mut known: Vec<&str> = data.names().collect();
        known.extend(latents.iter().map(String::as_str));
        let suggestions = closest_names(f, known.into_iter());
        if suggestions.is_empty() {
            return Err(SemError::LatentWithoutIndicators {
                name: f.clone(),
                pos: rel.pos,
            });
        }
        return Err(SemError::UnknownVariable {
            name: f.clone(),
            pos: rel.pos,
            suggestions,
        });
    }
    // A factor repeated (`f:f`) is refused by the syntax with its position.
    if rel.rhs.len() > 2 {
        return Err(SemError::Unsupported {
            what: format!("the three-way latent product '{term}' (write two-way products)"),
            pos: rel.pos,
        });
    }
    Ok(())
}

/// The indicators of each factor (an observed factor its own), and their products.
fn new_term(
    rel: &Relation,
    flat: &FlatModel,
    latents: &[String],
    data: &Dataset,
    pairs: DmcPairs,
) -> Result<Term, SemError> {
    let name = rel.rhs.join(":");
    let mut lists: Vec<Vec<String>> = Vec::new();
    for f in &rel.rhs {
        if !latents.contains(f) {
            lists.push(vec![f.clone()]);
            continue;
        }
        let items: Vec<String> = flat
            .relations
            .iter()
            .filter(|r| r.op == RelOp::Measure && &r.lhs == f)
            .map(|r| r.rhs.join(":"))
            .collect();
        if let Some(l) = items.iter().find(|i| latents.contains(i)) {
            return Err(SemError::Unsupported {
                what: format!(
                    "the product '{name}' of the higher-order factor '{f}' (its indicator '{l}' is latent, so it has no observed products)"
                ),
                pos: rel.pos,
            });
        }
        lists.push(items);
    }
    let indicators: Vec<ProductIndicator> = item_pairs(&lists[0], &lists[1], pairs)
        .into_iter()
        .map(|items| ProductIndicator {
            name: items.join(":"),
            items,
        })
        .collect();
    if let Some(clash) = indicators.iter().find(|p| data.contains(&p.name)) {
        return Err(SemError::Unsupported {
            what: format!(
                "a data column named '{}' beside the latent product '{name}', whose product indicator has that name (rename the column)",
                clash.name
            ),
            pos: rel.pos,
        });
    }
    Ok(Term {
        name,
        factors: rel.rhs.clone(),
        indicators,
        residual_covariances: Vec::new(),
        pos: rel.pos,
    })
}

/// All pairs in `expand.grid` order (the first list varies fastest), or matched pairs up to the
/// shorter list.
fn item_pairs(a: &[String], b: &[String], pairs: DmcPairs) -> Vec<Vec<String>> {
    match pairs {
        DmcPairs::Matched => a
            .iter()
            .zip(b)
            .map(|(x, z)| vec![x.clone(), z.clone()])
            .collect(),
        DmcPairs::All => {
            let mut out: Vec<Vec<String>> = Vec::new();
            for z in b {
                for x in a {
                    out.push(vec![x.clone(), z.clone()]);
                }
            }
            out
        }
    }
}

/// Residual covariances between product indicators (of one term or of two) that share an
/// indicator of a latent (modsem's "simple" method with `res.cov.across = TRUE`). An observed
/// factor shared by two products is not counted: it carries no measurement error, so the
/// products' residuals (e_i·w, e_j·w) are uncorrelated, while modsem frees every such pair and
/// warns that the model is then likely not identified.
fn shared_item_covariances(
    terms: &mut [Term],
    latents: &[String],
    flat: &FlatModel,
) -> Vec<(String, String)> {
    let with_error = |item: &str| {
        flat.relations
            .iter()
            .any(|r| r.op == RelOp::Measure && r.rhs.join(":") == item && latents.contains(&r.lhs))
    };
    let all: Vec<(usize, &ProductIndicator)> = terms
        .iter()
        .enumerate()
        .flat_map(|(t, term)| term.indicators.iter().map(move |p| (t, p)))
        .collect();
    let mut out = Vec::new();
    let mut per_term: Vec<Vec<(String, String)>> = vec![Vec::new(); terms.len()];
    for (i, (ta, a)) in all.iter().enumerate() {
        for (_, b) in &all[i + 1..] {
            if a.items.iter().any(|x| b.items.contains(x) && with_error(x)) {
                let pair = (a.name.clone(), b.name.clone());
                per_term[*ta].push(pair.clone());
                out.push(pair);
            }
        }
    }
    for (t, covs) in terms.iter_mut().zip(per_term) {
        t.residual_covariances = covs;
    }
    out
}

/// The product latents' `=~` rows and the residual covariances, after the model as written.
fn append_measurement(model: &mut FlatModel, terms: &[Term], shared: &[(String, String)]) {
    let rel = |lhs: &str, op: RelOp, rhs: &str, pos: Pos| Relation {
        lhs: lhs.to_string(),
        op,
        rhs: vec![rhs.to_string()],
        modifier: Modifier::default(),
        pos,
        lhs_pos: pos,
    };
    for t in terms {
        for p in &t.indicators {
            model
                .relations
                .push(rel(&t.name, RelOp::Measure, &p.name, t.pos));
        }
    }
    for (a, b) in shared {
        let pos = terms
            .iter()
            .find(|t| t.indicators.iter().any(|p| &p.name == a))
            .map_or(Pos::default(), |t| t.pos);
        model.relations.push(rel(a, RelOp::Covary, b, pos));
    }
}

/// Observed variables of the model as written (products of columns by their factors).
fn observed_names(flat: &FlatModel, latents: &[String], data: &Dataset) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in &flat.relations {
        for v in std::iter::once(&r.lhs).chain(&r.rhs) {
            if !latents.contains(v) && data.contains(v) && !out.contains(v) {
                out.push(v.clone());
            }
        }
    }
    out
}
