//! Latent interactions (issue 12): a product term in a regression with a latent factor
//! (`speed ~ visual + textual + visual:textual`, `IP ~ CA + dist + CA:dist`).
//!
//! By double-mean-centred product indicators (Lin, Wen, Marsh & Lin 2010, *Structural Equation
//! Modeling* 17, 374-391; semTools' `indProd(meanC = TRUE, doubleMC = TRUE)`; modsem's
//! `method = "dblcent"`, `R/method_settings_pi.R`): the product term becomes a latent whose
//! indicators are data columns, the products of the factors' centred indicators, centred again
//! (`columns.rs`); the model gains its `=~` rows and the residual covariances the method calls
//! for (`rewrite.rs`), and the engine then fits an ordinary model by ML. LMS is another helper's
//! (`--interaction lms`); until it is wired in it is refused with a typed error.

mod columns;
mod rewrite;

#[cfg(test)]
mod tests;

use std::borrow::Cow;

use serde::Serialize;

use crate::data::Dataset;
use crate::spec::flat::FlatModel;

use super::{Missing, SemError};

pub use columns::double_mean_centred;
pub use rewrite::latent_products;

/// How a latent product term is estimated (`cipa sem --interaction`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InteractionMethod {
    /// Double-mean-centred product indicators (modsem's default "dblcent").
    #[default]
    Dmc,
    /// Latent moderated structural equations (Klein & Moosbrugger 2000).
    Lms,
}

/// Which products of the factors' indicators become product indicators (`--dmc-pairs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DmcPairs {
    /// Every pair x_i·z_j (modsem's `match = FALSE`), with a residual covariance between two
    /// products that share an indicator of a latent (modsem's `res.cov.method = "simple"`).
    #[default]
    All,
    /// Pairs in indicator order x_1·z_1, x_2·z_2, … up to the shorter list (semTools'
    /// `match = TRUE`; modsem's `match.recycle = FALSE`), without residual covariances.
    Matched,
}

/// The interaction options of a fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct InteractionOptions {
    pub method: InteractionMethod,
    pub pairs: DmcPairs,
}

/// One product indicator: its column name and the indicators it multiplies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProductIndicator {
    pub name: String,
    pub items: Vec<String>,
}

/// A latent product term as the fit built it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProductLatent {
    /// The term as written, `visual:textual` (the latent's name in the parameters).
    pub name: String,
    /// Its factors; an observed factor is its own single indicator.
    pub factors: Vec<String>,
    pub indicators: Vec<ProductIndicator>,
    /// Residual covariances freed between product indicators that share an item.
    pub residual_covariances: Vec<(String, String)>,
    pub pairs: DmcPairs,
    /// Rows the centring means were computed from.
    pub n_rows: usize,
    /// How the term was estimated: `dmc` (the indicators above) or `lms` (none: sem::lms).
    pub method: InteractionMethod,
    /// Under LMS, each factor's model-implied moments at the estimate (over the quadrature
    /// mixture; the product is of the factors as they are, uncentred); empty under DMC, whose
    /// factors are centred and whose variances come from the parameter table.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub factor_moments: Vec<FactorMoments>,
    /// Under DMC, the value each observed factor was centred at in the products (its mean over
    /// the rows used; over all groups in a multi-group fit): where its simple slopes put the
    /// product's zero. A latent factor's is its model-implied mean (0 in one group).
    #[serde(skip)]
    pub centres: Vec<(String, f64)>,
}

/// A factor's model-implied mean and variance under LMS.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactorMoments {
    pub name: String,
    /// False for an observed factor (its single-indicator latent).
    pub latent: bool,
    pub mean: f64,
    pub variance: f64,
}

/// A model with its latent products expanded: the rewritten model, the data with the product
/// indicators, and what was built (empty when the model has no latent product).
pub struct Expanded<'a> {
    pub flat: Cow<'a, FlatModel>,
    pub data: Cow<'a, Dataset>,
    pub products: Vec<ProductLatent>,
}

/// Whether `flat` has a product term with a latent factor (what --interaction chooses how to fit).
pub fn has_latent_products(flat: &FlatModel, data: &Dataset) -> Result<bool, SemError> {
    Ok(!rewrite::plan(flat, data, DmcPairs::All)?.terms.is_empty())
}

/// Expands every latent product term of `flat` (idempotent: a model already expanded comes back
/// borrowed). The centring means are those of the rows the fit uses: the listwise complete rows
/// of the model's observed variables, or under FIML each column's observed values.
pub fn expand<'a>(
    flat: &'a FlatModel,
    data: &'a Dataset,
    opts: &InteractionOptions,
    missing: Missing,
) -> Result<Expanded<'a>, SemError> {
    expand_rows(flat, data, opts, missing, &|_| true)
}

/// [`expand`] for a multi-group fit on `group_column`: the products are built and centred once
/// over the rows of every group (those with the group observed), as modsem 1.0 does with
/// `group =` (`R/modsem_pi.R`: `createProdInds()` centres over the listwise-complete data, the
/// group column aside, and lavaan then fits the groups). LMS has no multi-group likelihood here:
/// it is refused naming the term, with DMC as the way to fit it.
pub fn expand_grouped<'a>(
    flat: &'a FlatModel,
    data: &'a Dataset,
    opts: &InteractionOptions,
    missing: Missing,
    group_column: &str,
) -> Result<Expanded<'a>, SemError> {
    if opts.method == InteractionMethod::Lms {
        if let Some(t) = rewrite::plan(flat, data, opts.pairs)?.terms.first() {
            return Err(SemError::Unsupported {
                what: format!(
                    "LMS estimation of the latent product '{}' with --group (multiple groups); fit it with --interaction dmc and --group, or by LMS in each group on its own",
                    t.name
                ),
                pos: t.pos,
            });
        }
    }
    let group = data.var(group_column)?;
    expand_rows(flat, data, opts, missing, &|r| !group.data.is_missing(r))
}

fn expand_rows<'a>(
    flat: &'a FlatModel,
    data: &'a Dataset,
    opts: &InteractionOptions,
    missing: Missing,
    keep: &dyn Fn(usize) -> bool,
) -> Result<Expanded<'a>, SemError> {
    let plan = rewrite::plan(flat, data, opts.pairs)?;
    if plan.terms.is_empty() {
        return Ok(Expanded {
            flat: Cow::Borrowed(flat),
            data: Cow::Borrowed(data),
            products: Vec::new(),
        });
    }
    if opts.method == InteractionMethod::Lms {
        // LMS fits the product term itself (sem::lms), with no product indicators; sem::fit
        // sends such models there before expanding, so reaching here is a caller's mistake.
        return Err(SemError::InteractionUnavailable {
            method: "LMS".into(),
            advice: "fit the model with sem::fit, which sends LMS models to sem::lms".into(),
        });
    }
    let (out, rows) = columns::with_product_columns(&plan, data, missing, keep)?;
    let mut products = Vec::with_capacity(plan.terms.len());
    for t in &plan.terms {
        let mut centres = Vec::new();
        for f in t.factors.iter().filter(|f| data.contains(f)) {
            centres.push((f.clone(), columns::centring_mean(data.numeric(f)?, &rows)));
        }
        products.push(ProductLatent {
            name: t.name.clone(),
            factors: t.factors.clone(),
            indicators: t.indicators.clone(),
            residual_covariances: t.residual_covariances.clone(),
            pairs: opts.pairs,
            n_rows: rows.len(),
            method: InteractionMethod::Dmc,
            factor_moments: Vec::new(),
            centres,
        });
    }
    Ok(Expanded {
        flat: Cow::Owned(plan.model),
        data: Cow::Owned(out),
        products,
    })
}

/// The model-implied variance of latent `name` at the estimate (diag V(η) =
/// (I − B)⁻¹Ψ(I − B)⁻ᵀ, lavaan's `computeVETA`): a latent moderator is probed at 0 ± its SD.
pub fn latent_variance(fit: &super::SemFit, name: &str) -> Result<f64, SemError> {
    let src = fit
        .source
        .as_deref()
        .ok_or_else(|| SemError::UnsupportedOption {
            what: "the variance of a latent of a fit without its parameter table".into(),
        })?;
    let k =
        src.table
            .lv
            .iter()
            .position(|l| l == name)
            .ok_or_else(|| SemError::UnsupportedOption {
                what: format!("the variance of '{name}', which is not a latent of the model"),
            })?;
    let model = super::model::Model::new(&src.table, &src.sample);
    let (_, imp) = model
        .implied(&fit.theta)
        .ok_or_else(|| SemError::Unidentified {
            parameters: vec!["(I - B is singular at the estimate)".into()],
        })?;
    Ok(imp.veta[(k, k)])
}

/// The model-implied mean of latent `name` at the estimate (E(η) = (I − B)⁻¹α): 0 in one group
/// and wherever the latent means are fixed, free in groups 2+ under equal intercepts.
pub fn latent_mean(fit: &super::SemFit, name: &str) -> Result<f64, SemError> {
    let src = fit
        .source
        .as_deref()
        .ok_or_else(|| SemError::UnsupportedOption {
            what: "the mean of a latent of a fit without its parameter table".into(),
        })?;
    let Some(k) = src.table.lv.iter().position(|l| l == name) else {
        return Err(SemError::UnsupportedOption {
            what: format!("the mean of '{name}', which is not a latent of the model"),
        });
    };
    let model = super::model::Model::new(&src.table, &src.sample);
    let (_, imp) = model
        .implied(&fit.theta)
        .ok_or_else(|| SemError::Unidentified {
            parameters: vec!["(I - B is singular at the estimate)".into()],
        })?;
    Ok(imp.eta_mean.get(k).copied().unwrap_or(0.0))
}
