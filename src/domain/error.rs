use thiserror::Error;

/// What can be wrong with a request to the field helpers (distances, size classes).
#[derive(Debug, Error, Clone, PartialEq)]
#[non_exhaustive]
pub enum DomainError {
    #[error("cannot read '{path}': {message}")]
    Io { path: String, message: String },
    #[error("'{path}' line {line}: {message}")]
    Table {
        path: String,
        line: u64,
        message: String,
    },
    #[error("'{path}': no column '{column}'; the table needs the columns {expected} (as in Hofstede's published dimension matrix)")]
    MissingColumn {
        path: String,
        column: String,
        expected: String,
    },
    #[error("unknown country '{name}' in '{path}'{}", suggest(suggestions))]
    UnknownCountry {
        path: String,
        name: String,
        suggestions: Vec<String>,
    },
    #[error(
        "'{path}': {country} has no {dimension} score; {}",
        missing_hint(dimension)
    )]
    MissingScore {
        path: String,
        country: String,
        dimension: String,
    },
    #[error(
        "'{path}': only {n} countries have a {dimension} score; a variance needs at least two"
    )]
    TooFewCountries {
        path: String,
        dimension: String,
        n: usize,
    },
    #[error("'{path}': every country has the same {dimension} score, so its variance is zero and Kogut-Singh is undefined")]
    ZeroVariance { path: String, dimension: String },
    #[error("{what} {value} is outside {range}; check that latitude and longitude are in decimal degrees and not swapped")]
    Coordinate {
        what: String,
        value: f64,
        range: &'static str,
    },
    #[error("firm size {value} is not a number of employees (a finite number >= 0)")]
    Employees { value: f64 },
    #[error("{0}")]
    Invalid(String),
}

/// The sixth and fifth dimensions are missing for many countries, and `--dims 4` leaves them out;
/// a gap in the first four cannot be worked around that way.
fn missing_hint(dimension: &str) -> &'static str {
    if matches!(dimension, "ltowvs" | "ivr") {
        "use --dims 4 if the first four dimensions are enough, or choose another country"
    } else {
        "Kogut-Singh needs every dimension it uses, so choose another country (or add its score to the table)"
    }
}

fn suggest(s: &[String]) -> String {
    if s.is_empty() {
        "; check the spelling, or use the country's code from the table's first column".into()
    } else {
        format!("; did you mean {}?", s.join(", "))
    }
}
