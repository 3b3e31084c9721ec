//! What can be wrong with a measurement request: construct definitions, items, and models that
//! cannot be estimated. Each variant names the construct or item and says what to do.

use thiserror::Error;

/// Errors of the measurement layer (constructs, reliability, CFA, validity, collinearity).
#[derive(Debug, Error, Clone, PartialEq)]
#[non_exhaustive]
pub enum MeasureError {
    #[error("construct definition '{text}': {message}; write it as NAME=item1,item2,-item3 (a leading '-' marks a reverse-coded item)")]
    Syntax { text: String, message: String },
    #[error(
        "construct '{construct}' is defined more than once; give each construct one definition"
    )]
    DuplicateConstruct { construct: String },
    #[error("item '{item}' appears in constructs '{first}' and '{second}'; in a measurement model each item measures one construct")]
    SharedItem {
        item: String,
        first: String,
        second: String,
    },
    #[error("construct '{construct}' reverse-codes item '{item}' but no scale range was given; add --scale MIN,MAX (for example --scale 1,7)")]
    NoScaleRange { construct: String, item: String },
    #[error("item '{item}' has the value {value} on line {line} of '{file}', outside --scale {min},{max}; its values run from {observed_min} to {observed_max}: give the item's real range, e.g. --scale {suggest_min},{suggest_max}, or fix the value")]
    OutsideScale {
        file: String,
        item: String,
        line: u64,
        value: f64,
        min: f64,
        max: f64,
        observed_min: f64,
        observed_max: f64,
        suggest_min: f64,
        suggest_max: f64,
    },
    #[error("construct '{construct}': {count} item(s) given, but {what} needs at least {needed}; add items or drop the construct from this analysis")]
    TooFewItems {
        construct: String,
        count: usize,
        needed: usize,
        what: &'static str,
    },
    #[error("item '{item}' of construct '{construct}' is constant (every used row is {value}); it carries no information: drop it from the construct")]
    ConstantItem {
        construct: String,
        item: String,
        value: f64,
    },
    #[error("the marker item '{item}' given with --marker is constant (every used row is {value}); a marker must vary to estimate common-method variance: choose another marker or drop --marker")]
    ConstantMarker { item: String, value: f64 },
    #[error("only {n} row(s) are complete on {what}, but at least {needed} are needed; use data with more complete rows or fewer items")]
    TooFewRows {
        what: String,
        n: usize,
        needed: usize,
    },
    #[error("the covariance matrix of {items:?} is not positive definite: '{dependent}' is (nearly) a linear combination of the variables before it, or there are fewer rows than variables; drop '{dependent}' or a variable it duplicates")]
    NotPositiveDefinite {
        items: Vec<String>,
        /// The first variable that is (nearly) a linear combination of the ones before it.
        dependent: String,
    },
    #[error("the measurement model is not identified: {reason}")]
    Unidentified { reason: String },
    #[error("the CFA did not converge: {reason}; check the items (a near-constant item, an item that belongs to no factor) or simplify the model")]
    NotConverged { reason: String },
    #[error("marker item '{item}' is also an item of construct '{construct}'; a marker variable must be theoretically unrelated to the constructs")]
    MarkerInConstruct { item: String, construct: String },
    #[error("{0}")]
    Invalid(String),
}
