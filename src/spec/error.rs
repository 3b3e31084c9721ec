use thiserror::Error;

/// A model specification that cannot be used: a syntax error with its position, a template that
/// does not fit the roles given, or a spec that does not fit the data.
#[derive(Debug, Error, Clone, PartialEq)]
#[non_exhaustive]
pub enum SpecError {
    /// A syntax error; `snippet` is the offending line with a caret under the column.
    #[error("{source_name}:{line}:{column}: {message}\n{snippet}")]
    Syntax {
        source_name: String,
        line: usize,
        column: usize,
        message: String,
        snippet: String,
    },
    #[error("PROCESS model {model} is not available; cipa has models {available}")]
    UnknownModel { model: u32, available: String },
    #[error("PROCESS model {model} {message}")]
    Roles { model: u32, message: String },
    #[error("model template '{file}': {message}")]
    Template { file: String, message: String },
    #[error("{0}")]
    Invalid(String),
}
