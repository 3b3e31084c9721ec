//! Cluster-robust MLR with groups: lavaan 0.6-14's `sem(..., estimator = "MLR", group = g,
//! cluster = c)` for a single-level model. The estimates and the standard test are those of
//! the grouped ML fit; the sandwich's meat and the Yuan-Bentler Γ of each group sum that group's
//! case scores within its clusters (sem/cluster.rs's single-group rules, per group: lavaan keeps
//! one `cluster.idx` per group, lav_data.R, and applies C_g/(C_g−1) with C_g the clusters of
//! group g). Under FIML (`missing = "ml"`, groups/fiml.rs) the casewise scores of the model,
//! of the h1 and of the baseline are summed within each group's clusters the same way (the
//! single-group FIML rule of sem/cluster.rs, per group).

use crate::data::Dataset;
use crate::spec::flat::FlatModel;

use super::super::cluster::Clusters;
use super::super::{Estimator, SemError, SemOptions};
use super::{data, fit_with, GroupOptions, GroupedFit};

/// Fits `flat` in every group of `gopts.column` by ML with standard errors and test robust to
/// the clusters of column `var` (MLR only; complete data or FIML, groups/fiml.rs).
pub fn fit_clustered(
    flat: &FlatModel,
    data: &Dataset,
    opts: &SemOptions,
    gopts: &GroupOptions,
    var: &str,
) -> Result<GroupedFit, SemError> {
    if opts.estimator != Estimator::Mlr {
        return Err(SemError::Cluster {
            reason: "cluster-robust standard errors and test come with the MLR estimator (lavaan's cluster = with estimator = \"MLR\"): add --estimator mlr".into(),
        });
    }
    // Named as a column before the fit, as the single-group fit does.
    data.var(var)?;
    if var == gopts.column {
        return Err(SemError::Cluster {
            reason: format!("'{var}' is the group variable and the cluster variable; give the clusters their own column"),
        });
    }
    fit_with(flat, data, opts, gopts, Some(var))
}

/// Each group's clusters of column `var` over the rows that group uses.
pub(super) fn of_groups(
    data: &Dataset,
    gopts: &GroupOptions,
    vars: &[&str],
    var: &str,
) -> Result<Vec<Clusters>, SemError> {
    if vars.contains(&var) {
        return Err(SemError::Cluster {
            reason: format!(
                "'{var}' is a variable of the model and the cluster variable; a cluster identifier cannot be modelled"
            ),
        });
    }
    data::row_indices(data, &gopts.column, vars)?
        .iter()
        .map(|rows| Clusters::from_column(data, var, rows))
        .collect()
}
