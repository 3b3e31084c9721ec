//! Builder stage for `[cluster]`: firms nested in clusters (countries, regions, industries), an id
//! column and a normal random intercept per cluster on chosen equations, so that data for
//! cluster-robust inference (`cipa sem --cluster`) come from a design like any other.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::builder::Builder;
use super::Equation;
use crate::simulate::SimulateError;

/// Most clusters a design may have: far beyond the countries of the world or the NUTS-3
/// regions of Europe; a damaged count would allocate one intercept per cluster.
const MAX_CLUSTERS: usize = 1_000_000;
/// Largest SD of a random intercept: on a construct (variance 1) an SD of 10 already puts 99%
/// of its variance between clusters.
const MAX_INTERCEPT_SD: f64 = 10.0;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCluster {
    /// The id column written (1..=count), e.g. `country`.
    name: String,
    #[serde(default)]
    label: String,
    count: usize,
    /// Equation outcome -> SD of its cluster random intercept.
    #[serde(default)]
    intercept_sd: BTreeMap<String, f64>,
}

/// Firms drawn uniformly into `count` clusters; each cluster adds u_c ~ N(0, sd²) to the linear
/// predictor of each equation in `intercept_sd`, on top of its error (a construct calibrated to
/// variance 1 then has variance 1 + sd², an intraclass correlation of sd² / (1 + sd²), and its
/// items and the outcomes it drives inherit the clustering).
#[derive(Debug, Clone, PartialEq)]
pub struct Clustering {
    pub column: String,
    pub label: String,
    pub count: usize,
    /// (equation index, SD of the random intercept), in the order of the equations.
    pub intercept_sd: Vec<(usize, f64)>,
}

impl Builder {
    pub(super) fn cluster(
        &self,
        raw: RawCluster,
        equations: &[Equation],
    ) -> Result<Clustering, SimulateError> {
        let what = format!("[cluster] '{}'", raw.name);
        let name_ok = !raw.name.is_empty()
            && !raw.name.starts_with(|c: char| c.is_ascii_digit())
            && raw
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !name_ok {
            return Err(self.invalid(format!(
                "{what} is not a usable column name: use letters, digits and '_', not starting with a digit"
            )));
        }
        if !(2..=MAX_CLUSTERS).contains(&raw.count) {
            return Err(self.invalid(format!(
                "{what}: count {} must be 2 to {MAX_CLUSTERS} clusters (cluster-robust standard errors want 30 or more)",
                raw.count
            )));
        }
        let mut intercept_sd = Vec::new();
        for (outcome, sd) in raw.intercept_sd {
            let node = self.lookup(&outcome, "[cluster] intercept_sd")?;
            let Some(eq) = equations.iter().position(|e| e.outcome == node) else {
                return Err(self.invalid(format!(
                    "{what}: '{outcome}' has no [[equation]]; a random intercept goes on an equation's outcome (for an exogenous construct, give it an equation with its paths)"
                )));
            };
            if !(sd.is_finite() && (0.0..=MAX_INTERCEPT_SD).contains(&sd)) {
                return Err(self.invalid(format!(
                    "{what}: intercept_sd of '{outcome}' is {sd}; give an SD from 0 to {MAX_INTERCEPT_SD}"
                )));
            }
            intercept_sd.push((eq, sd));
        }
        intercept_sd.sort_by_key(|&(eq, _)| eq);
        Ok(Clustering {
            column: raw.name,
            label: raw.label,
            count: raw.count,
            intercept_sd,
        })
    }
}

/// The id column's name is not one the design already writes (an item, a construct, firm_id).
pub(super) fn check_column(design: &super::Design) -> Result<(), SimulateError> {
    let Some(c) = &design.cluster else {
        return Ok(());
    };
    let columns = crate::simulate::generate::column_names(design);
    if columns.iter().filter(|x| **x == c.column).count() > 1 {
        return Err(SimulateError::Invalid {
            source_name: design.source.clone(),
            message: format!(
                "[cluster] '{}' is also a column of the design; give the cluster id another name",
                c.column
            ),
        });
    }
    Ok(())
}
