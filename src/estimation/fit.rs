use serde::Serialize;

use crate::data::CodedColumn;
use crate::inference::CovType;

/// Name of the intercept in every output.
pub const CONSTANT: &str = "constant";

/// How an equation was estimated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    Ols,
    Logistic,
}

/// One row of a coefficient table. `stat` is t for OLS and z for logistic regression (the JSON
/// field is named `t` or `z` accordingly by the report layer).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coefficient {
    pub term: String,
    pub estimate: f64,
    pub se: f64,
    pub stat: f64,
    pub p: f64,
    pub ci_lower: f64,
    pub ci_upper: f64,
}

/// Model summary of an OLS equation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OlsSummary {
    pub r2: f64,
    pub adj_r2: f64,
    /// Residual mean square, SSE / (n - k).
    pub mse: f64,
    /// Overall F: the classical F with OLS standard errors, a Wald F with a robust covariance
    /// (as PROCESS reports it).
    pub f: f64,
    pub df1: f64,
    pub df2: f64,
    pub p: f64,
}

/// Model summary of a logistic equation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogisticSummary {
    /// -2 log-likelihood of the fitted model.
    pub neg2ll: f64,
    /// -2 log-likelihood of the intercept-only model.
    pub neg2ll_null: f64,
    /// Likelihood-ratio chi-square against the intercept-only model, its df and p.
    pub chisq: f64,
    pub df: f64,
    pub p: f64,
    pub mcfadden: f64,
    pub cox_snell: f64,
    pub nagelkerke: f64,
    pub iterations: usize,
}

/// Model summary by method.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Summary {
    Ols(OlsSummary),
    Logistic(LogisticSummary),
}

/// The generated columns of one categorical predictor and what each means.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodingInfo {
    pub variable: String,
    pub contrast: crate::data::Contrast,
    /// Levels with the reference first; each column's `values` follow this order.
    pub levels: Vec<String>,
    pub columns: Vec<CodedColumn>,
}

/// A fitted equation: coefficients with their covariance and tests, and the model summary.
/// Immutable; asking for another covariance type ([`crate::estimation::Regression::fit_ols`]
/// with another [`CovType`]) gives a new value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EquationFit {
    pub outcome: String,
    pub method: Method,
    pub n: usize,
    pub n_dropped: usize,
    /// File lines (header = line 1) of the rows dropped for missing values.
    pub dropped_rows: Vec<u64>,
    pub cov_type: CovType,
    /// Cluster variable and number of clusters, for cluster-robust covariances.
    pub cluster: Option<(String, usize)>,
    /// Confidence level of the intervals, in percent.
    pub conf: f64,
    pub coefficients: Vec<Coefficient>,
    pub summary: Summary,
    pub coding: Vec<CodingInfo>,
    /// Coefficient covariance, row-major `k × k`, in the order of `coefficients`.
    #[serde(skip)]
    pub cov: Vec<f64>,
    /// `(X'X)⁻¹` for OLS, the inverse information for logistic regression (row-major `k × k`).
    #[serde(skip)]
    pub xtx_inv: Vec<f64>,
    #[serde(skip)]
    pub residuals: Vec<f64>,
    #[serde(skip)]
    pub fitted: Vec<f64>,
    /// Notes for the reader (for example near-collinearity).
    pub warnings: Vec<String>,
    /// Mean, minimum and maximum of each design column over the rows used, in the order of
    /// `coefficients`: plots predict at covariates' means over the observed range of X and W.
    #[serde(skip)]
    pub column_stats: Vec<ColumnStats>,
}

/// Mean, minimum and maximum of one design column.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ColumnStats {
    pub mean: f64,
    pub min: f64,
    pub max: f64,
}

impl ColumnStats {
    /// Of a column's values (all finite in a design).
    pub fn of(values: &[f64]) -> Self {
        let n = values.len().max(1) as f64;
        ColumnStats {
            mean: values.iter().sum::<f64>() / n,
            min: values.iter().copied().fold(f64::INFINITY, f64::min),
            max: values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        }
    }
}

impl EquationFit {
    pub fn k(&self) -> usize {
        self.coefficients.len()
    }

    pub fn estimates(&self) -> Vec<f64> {
        self.coefficients.iter().map(|c| c.estimate).collect()
    }

    pub fn coefficient(&self, term: &str) -> Option<&Coefficient> {
        self.coefficients.iter().find(|c| c.term == term)
    }

    pub fn index_of(&self, term: &str) -> Option<usize> {
        self.coefficients.iter().position(|c| c.term == term)
    }
}

/// A column name with categorical level tags removed: `group[2]:x` -> `group:x`, so a test can name
/// a categorical term by its variables. Level tags may themselves contain `:` (`g[b:eff]`), so the
/// name is split only at colons outside brackets.
pub fn term_base(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut depth = 0usize;
    for ch in name.chars() {
        match ch {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(ch),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::term_base;

    #[test]
    fn term_base_strips_level_tags() {
        assert_eq!(term_base("x"), "x");
        assert_eq!(term_base("g[2]:x"), "g:x");
        assert_eq!(term_base("g[b:eff]:x"), "g:x");
        assert_eq!(term_base("x:g[b>a]"), "x:g");
    }
}
