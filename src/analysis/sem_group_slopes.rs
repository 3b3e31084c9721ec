//! Probing the latent interactions of a multi-group fit (issue 12): in each group, the simple
//! slopes and Johnson-Neyman region of sem_slopes.rs on that group's view of the fit
//! (`GroupedFit::group_fit`: its estimates and its block of Var(θ̂)), as lavaan reports a
//! multi-group model block by block and modsem's `simple_slopes` would on one group's estimates.
//!
//! The product indicators are centred once over all groups (sem/groups/interaction.rs, as
//! modsem), so the product's zero is the pooled centre: an observed moderator's mean over every
//! group's rows, a latent's Σ (n_g/N)·κ_g of its model-implied group means κ_g (0 in every group
//! unless `--group-equal intercepts` frees the latent means of groups 2+). The slope at w is
//! g1 + g3·(w − centre); the moderator is probed at its own group's values (an observed one at
//! that group's percentiles or mean ± SD, a latent one at κ_g ± 1 model-implied SD).

use serde::Serialize;

use super::sem_slopes::{latent_slopes, LatentSlopes};
use crate::data::Dataset;
use crate::effects::probe::ProbeMethod;
use crate::sem::groups::{data::levels, GroupedFit};
use crate::sem::interaction::{latent_mean, ProductLatent};
use crate::sem::{SemError, SemFit};

/// The probing of one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupSlopes {
    /// The group's level.
    pub group: String,
    pub n: usize,
    pub slopes: Vec<LatentSlopes>,
}

/// Every product term of `fit` probed in every regression of every group. `data` is what the
/// fit was made from.
pub fn grouped_latent_slopes(
    fit: &GroupedFit,
    data: &Dataset,
    method: &ProbeMethod,
) -> Result<Vec<GroupSlopes>, SemError> {
    let mut out = Vec::new();
    for ((view, rows), res) in group_views(fit, data)?.iter().zip(&fit.groups) {
        out.push(GroupSlopes {
            group: res.level.clone(),
            n: res.n,
            slopes: latent_slopes(view, rows, method)?,
        });
    }
    Ok(out)
}

/// Each group as the single-group fit the probing reads (its estimates, block of Var(θ̂) and
/// the products with their pooled centres) with the data rows it used; empty without a latent
/// product. What the slopes and the per-group interaction plots (cli/sem_groups.rs) start from.
pub fn group_views(fit: &GroupedFit, data: &Dataset) -> Result<Vec<(SemFit, Dataset)>, SemError> {
    if fit.interactions.is_empty() {
        return Ok(Vec::new());
    }
    let views = (0..fit.groups.len())
        .map(|g| group_view(fit, g))
        .collect::<Result<Vec<_>, _>>()?;
    let products = pooled_centres(fit, &views)?;
    let rows = group_rows(fit, data)?;
    Ok(views
        .into_iter()
        .zip(rows)
        .map(|(mut view, rows)| {
            view.interactions = products.clone();
            (view, data.take_rows(&rows))
        })
        .collect())
}

/// Group g as a single-group fit whose free indices address its own block of Var(θ̂) (the view
/// keeps the stacked model's indices; the slopes read V̂ by them).
fn group_view(fit: &GroupedFit, g: usize) -> Result<SemFit, SemError> {
    let missing = || SemError::UnsupportedOption {
        what: format!("probing group {} of a fit without its estimates", g + 1),
    };
    let mut view = fit.group_fit(g).ok_or_else(missing)?;
    let start: usize = fit.groups[..g].iter().map(|r| r.theta.len()).sum();
    let len = view.theta.len();
    if view.vcov.rows != len {
        return Err(missing());
    }
    for r in &mut view.parameters {
        r.free = if r.free > start && r.free <= start + len {
            r.free - start
        } else {
            0
        };
    }
    Ok(view)
}

/// The fit's products with each latent factor's pooled centre Σ (n_g/N)·κ_g added to the
/// observed factors' centring means the expansion recorded.
fn pooled_centres(fit: &GroupedFit, views: &[SemFit]) -> Result<Vec<ProductLatent>, SemError> {
    let n_total: usize = fit.groups.iter().map(|g| g.n).sum();
    let mut out = fit.interactions.clone();
    for p in &mut out {
        for f in &p.factors {
            if p.centres.iter().any(|(n, _)| n == f) {
                continue;
            }
            let mut pooled = 0.0;
            for (v, res) in views.iter().zip(&fit.groups) {
                pooled += res.n as f64 / n_total as f64 * latent_mean(v, f)?;
            }
            p.centres.push((f.clone(), pooled));
        }
    }
    Ok(out)
}

/// The data rows (0-based) of each group the fit used: the group's rows less those dropped.
fn group_rows(fit: &GroupedFit, data: &Dataset) -> Result<Vec<Vec<usize>>, SemError> {
    let (_, of_row) = levels(data, &fit.group)?;
    let mut rows = vec![Vec::new(); fit.groups.len()];
    for (r, g) in of_row.iter().enumerate() {
        if let Some(g) = g {
            if !fit.dropped_lines.contains(&data.lines()[r]) {
                rows[*g].push(r);
            }
        }
    }
    Ok(rows)
}
