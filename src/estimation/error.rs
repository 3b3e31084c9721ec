use thiserror::Error;

/// A model that cannot be estimated from the data it was given.
#[derive(Debug, Error, Clone, PartialEq)]
#[non_exhaustive]
pub enum EstimationError {
    #[error("perfect collinearity: '{dependent}' is a linear combination of {}; drop one of these terms or combine them",
        list(involved))]
    Collinear {
        dependent: String,
        involved: Vec<String>,
    },
    #[error("outcome '{column}' must be binary for logistic regression, but it has {n_values} distinct values ({examples}); recode it to two values (0/1)")]
    NotBinary {
        column: String,
        n_values: usize,
        examples: String,
    },
    #[error("{kind} separation in the logistic model for '{outcome}': {detail}; maximum-likelihood estimates do not exist. Remove or merge the predictor(s) involved, or use a penalised (Firth) model")]
    Separation {
        outcome: String,
        kind: &'static str,
        detail: String,
    },
    #[error("logistic regression for '{outcome}' did not converge in {iterations} iterations (last change in -2LL {change:.3e}); check for separation or extreme predictor scales")]
    NoConvergence {
        outcome: String,
        iterations: usize,
        change: f64,
    },
    #[error("cluster variable '{column}' has {clusters} cluster(s) in the rows used; cluster-robust standard errors need at least 2 (and many more to be trustworthy)")]
    TooFewClusters { column: String, clusters: usize },
    #[error("term '{term}' appears more than once in the model")]
    DuplicateTerm { term: String },
    #[error("invalid term '{term}': {message}")]
    BadTerm { term: String, message: String },
    #[error("term(s) {} are not in the model for '{outcome}'", list(terms))]
    UnknownTerms { outcome: String, terms: Vec<String> },
}

fn list(v: &[String]) -> String {
    match v.len() {
        0 => "nothing (it is zero in every row)".to_string(),
        _ => v
            .iter()
            .map(|s| format!("'{s}'"))
            .collect::<Vec<_>>()
            .join(", "),
    }
}
