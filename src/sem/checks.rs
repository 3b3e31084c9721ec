//! Admissibility checks of a fitted model, as warnings (lavaan 0.6-14's
//! `lav_object_post_check`, which warns and keeps the solution, plus the standardized loadings
//! above 1 that a Heywood case produces): negative variances, a latent covariance matrix
//! V(η) or a residual covariance matrix Θ that is not positive definite (an eigenvalue below
//! −ε^¾). Each names the parameters or variables involved. An unidentified model is not here:
//! it is the typed error `SemError::Unidentified` (vcov.rs).

use serde::Serialize;

use super::implied::Implied;
use super::linalg::{symmetric_eigen, Mat};
use super::partable::{Op, ParTable};

/// Something inadmissible in an estimate that ML does not prevent (no bounds, as lavaan).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SemWarning {
    /// A variance estimated below zero (a Heywood case).
    NegativeVariance { parameter: String, estimate: f64 },
    /// A standardized loading above 1 in absolute value.
    StandardizedLoadingAboveOne { parameter: String, std_all: f64 },
    /// The latents' covariance matrix is not positive definite; `variables` are those in the
    /// direction of its most negative eigenvalue.
    LatentCovNotPositiveDefinite {
        variables: Vec<String>,
        smallest_eigenvalue: f64,
    },
    /// The observed variables' residual covariance matrix is not positive definite.
    ResidualCovNotPositiveDefinite {
        variables: Vec<String>,
        smallest_eigenvalue: f64,
    },
}

impl std::fmt::Display for SemWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SemWarning::NegativeVariance {
                parameter,
                estimate,
            } => write!(
                f,
                "the variance {parameter} is estimated negative ({estimate:.4}): a Heywood case; \
                 the solution is not admissible (check the model, or fix the variance)"
            ),
            SemWarning::StandardizedLoadingAboveOne { parameter, std_all } => write!(
                f,
                "the standardized loading {parameter} is {std_all:.4}, above 1 in absolute \
                 value: a Heywood case"
            ),
            SemWarning::LatentCovNotPositiveDefinite {
                variables,
                smallest_eigenvalue,
            } => write!(
                f,
                "the covariance matrix of the latent variables is not positive definite \
                 (smallest eigenvalue {smallest_eigenvalue:.3e}; involves {})",
                variables.join(", ")
            ),
            SemWarning::ResidualCovNotPositiveDefinite {
                variables,
                smallest_eigenvalue,
            } => write!(
                f,
                "the residual covariance matrix of the observed variables is not positive \
                 definite (smallest eigenvalue {smallest_eigenvalue:.3e}; involves {})",
                variables.join(", ")
            ),
        }
    }
}

/// lavaan's threshold for a negative eigenvalue: −ε^¾.
fn negative_eigen() -> f64 {
    -f64::EPSILON.powf(0.75)
}

/// The warnings of a fit: `values` are the rows' estimates, `std_all` their std.all values,
/// `theta` the residual covariance matrix Θ.
pub fn warnings(
    pt: &ParTable,
    values: &[f64],
    std_all: &[f64],
    imp: &Implied,
    theta: &Mat,
) -> Vec<SemWarning> {
    let mut out = Vec::new();
    for (i, r) in pt.rows.iter().enumerate() {
        if r.op == Op::Covary && r.lhs == r.rhs && values[i] < 0.0 {
            out.push(SemWarning::NegativeVariance {
                parameter: pt.row_name(i),
                estimate: values[i],
            });
        }
    }
    for (i, r) in pt.rows.iter().enumerate() {
        if r.op == Op::Measure && std_all[i].abs() > 1.0 {
            out.push(SemWarning::StandardizedLoadingAboveOne {
                parameter: pt.row_name(i),
                std_all: std_all[i],
            });
        }
    }
    // lavaan checks the matrices only when no variance of their kind is negative (that
    // warning already says it).
    let negative_var = |latent: bool| {
        out.iter().any(|w| match w {
            SemWarning::NegativeVariance { parameter, .. } => {
                let name = parameter.split(' ').next().unwrap_or_default();
                pt.lv.iter().any(|l| l == name) == latent
            }
            _ => false,
        })
    };
    let (lv_neg, ov_neg) = (negative_var(true), negative_var(false));
    let k = pt.lv.len();
    if k > 0 && !lv_neg {
        let veta = imp.veta.select(&(0..k).collect::<Vec<_>>());
        if let Some((variables, smallest_eigenvalue)) = not_pd(&veta, &pt.lv) {
            out.push(SemWarning::LatentCovNotPositiveDefinite {
                variables,
                smallest_eigenvalue,
            });
        }
    }
    if !ov_neg {
        if let Some((variables, smallest_eigenvalue)) = not_pd(theta, &pt.ov) {
            out.push(SemWarning::ResidualCovNotPositiveDefinite {
                variables,
                smallest_eigenvalue,
            });
        }
    }
    out
}

/// The variables along the most negative eigenvalue (weights above a tenth of the largest),
/// when it is below −ε^¾.
fn not_pd(m: &Mat, names: &[String]) -> Option<(Vec<String>, f64)> {
    let (vals, vecs) = symmetric_eigen(m);
    let lo = *vals.first()?;
    if lo >= negative_eigen() {
        return None;
    }
    let v = vecs.col(0);
    let top = v.iter().fold(0.0f64, |a, x| a.max(x.abs()));
    let vars = (0..v.len())
        .filter(|&i| v[i].abs() > 0.1 * top)
        .filter_map(|i| names.get(i).cloned())
        .collect();
    Some((vars, lo))
}
