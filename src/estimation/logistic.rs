use crate::error::Result;

use super::design::Design;
use super::fit::EquationFit;

/// Options for Newton-Raphson.
#[derive(Debug, Clone, PartialEq)]
pub struct LogisticOptions {
    pub max_iter: usize,
    /// Convergence when the change in -2LL falls below this.
    pub tol: f64,
}

impl Default for LogisticOptions {
    fn default() -> Self {
        LogisticOptions {
            max_iter: 100,
            tol: 1e-10,
        }
    }
}

/// Fits a logistic regression on a prepared design (outcome coded 0/1).
pub fn fit_logistic_design(
    _d: &Design,
    _conf: f64,
    _opts: &LogisticOptions,
) -> Result<EquationFit> {
    Err(crate::Error::Usage(
        "logistic regression is not implemented yet".into(),
    ))
}
