use thiserror::Error;

/// What can be wrong with a simulation design or request.
#[derive(Debug, Error, Clone, PartialEq)]
#[non_exhaustive]
pub enum SimulateError {
    #[error("cannot read design '{path}': {message}")]
    Io { path: String, message: String },
    #[error("design '{source_name}': {message}")]
    Toml {
        source_name: String,
        message: String,
    },
    #[error("design '{source_name}': {message}")]
    Invalid {
        source_name: String,
        message: String,
    },
    #[error(
        "design '{source_name}': unknown variable '{name}' in {place}{}",
        suggest(suggestions)
    )]
    UnknownVariable {
        source_name: String,
        name: String,
        place: String,
        suggestions: Vec<String>,
    },
    #[error("unknown shipped example '{name}'; the examples are: {known}")]
    UnknownExample { name: String, known: String },
    #[error("{0}")]
    Usage(String),
}

fn suggest(s: &[String]) -> String {
    if s.is_empty() {
        "; variables must be declared (construct, variable, categorical indicator or an earlier equation's outcome) before an equation uses them".into()
    } else {
        format!("; did you mean {}?", s.join(", "))
    }
}
