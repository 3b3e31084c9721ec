use crate::data::{Coding, Dataset};
use crate::error::Result;
use crate::inference::CovType;

use super::design::{build_design, Design, Term};
use super::fit::EquationFit;
use super::logistic::{fit_logistic_design, LogisticOptions};
use super::ols::fit_ols_design;

/// One regression equation: `outcome ~ constant + terms`, with codings for categorical
/// predictors, an optional cluster variable and a confidence level.
#[derive(Debug, Clone, PartialEq)]
pub struct Regression {
    pub outcome: String,
    pub terms: Vec<String>,
    pub codings: Vec<(String, Coding)>,
    pub cluster: Option<String>,
    /// Confidence level in percent (95 by default).
    pub conf: f64,
}

impl Regression {
    /// `outcome ~ terms`; a term is a variable name or a product such as `x:w`.
    pub fn new(outcome: &str, terms: &[&str]) -> Self {
        Regression {
            outcome: outcome.to_string(),
            terms: terms.iter().map(|t| t.to_string()).collect(),
            codings: Vec::new(),
            cluster: None,
            conf: 95.0,
        }
    }

    /// Treats `variable` as categorical with the given coding.
    pub fn coding(mut self, variable: &str, coding: Coding) -> Self {
        self.codings.retain(|(v, _)| v != variable);
        self.codings.push((variable.to_string(), coding));
        self
    }

    pub fn cluster(mut self, variable: &str) -> Self {
        self.cluster = Some(variable.to_string());
        self
    }

    pub fn conf(mut self, level: f64) -> Self {
        self.conf = level;
        self
    }

    fn check(&self) -> Result<Vec<Term>> {
        if !(self.conf > 0.0 && self.conf < 100.0) {
            return Err(crate::Error::Usage(format!(
                "confidence level {} is not between 0 and 100 (exclusive); use e.g. 95",
                self.conf
            )));
        }
        Ok(self
            .terms
            .iter()
            .map(|t| Term::parse(t))
            .collect::<Result<Vec<_>, _>>()?)
    }

    /// The numeric design this equation gives on `data`.
    pub fn design(&self, data: &Dataset, binary_outcome: bool) -> Result<Design> {
        let terms = self.check()?;
        build_design(
            data,
            &self.outcome,
            &terms,
            &self.codings,
            self.cluster.as_deref(),
            binary_outcome,
        )
    }

    /// Fits by OLS. With a cluster variable the covariance is CR1 whatever `cov` says.
    pub fn fit_ols(&self, data: &Dataset, cov: CovType) -> Result<EquationFit> {
        let design = self.design(data, false)?;
        let cov = if self.cluster.is_some() {
            CovType::Cr1
        } else {
            cov
        };
        fit_ols_design(&design, cov, self.conf, self.cluster.as_deref())
    }

    /// Fits a logistic regression by Newton-Raphson.
    pub fn fit_logistic(&self, data: &Dataset, opts: &LogisticOptions) -> Result<EquationFit> {
        let design = self.design(data, true)?;
        fit_logistic_design(&design, self.conf, opts)
    }
}
