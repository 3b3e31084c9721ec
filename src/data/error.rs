use thiserror::Error;

/// Everything that can be wrong with a data file or a request for its columns.
///
/// Rows are reported as the file shows them: 1-based with the header as line 1 (for SPSS, Stata and
/// Parquet files, which have no header line, case `i` is reported as line `i + 1` so the convention
/// holds for every format).
#[derive(Debug, Error, Clone, PartialEq)]
#[non_exhaustive]
pub enum DataError {
    #[error("data file '{path}' not found; check the path (relative paths start from the current directory)")]
    FileNotFound { path: String },
    #[error("cannot read '{path}': {message}")]
    Io { path: String, message: String },
    #[error("'{path}': unsupported file type '{ext}'; cipa reads .csv, .tsv, .txt, .sav, .zsav, .dta and .xlsx{polars}",
        polars = if cfg!(feature = "polars") { ", .parquet" } else { " (.parquet with the `polars` feature)" })]
    UnsupportedFormat { path: String, ext: String },
    #[error("'{path}' is empty: it needs a header line and at least one data row")]
    EmptyFile { path: String },
    #[error("'{path}' line {line}: expected {expected} fields as in the header, found {found}; check for an unquoted delimiter or a missing value")]
    RaggedRow {
        path: String,
        line: u64,
        expected: usize,
        found: usize,
    },
    #[error("'{path}': column name '{name}' appears more than once (columns {first} and {second}); rename one of them")]
    DuplicateColumn {
        path: String,
        name: String,
        first: usize,
        second: usize,
    },
    #[error("'{path}' line {line}: {message}")]
    Parse {
        path: String,
        line: u64,
        message: String,
    },
    #[error("unknown column '{name}' in '{path}'{}", suggest(suggestions))]
    UnknownColumn {
        path: String,
        name: String,
        suggestions: Vec<String>,
    },
    #[error("'{path}' column '{column}' line {line}: value '{value}' is not a number{hint}; fix it, declare it missing (--missing {value}) or treat the column as categorical (--categorical {column})", hint = number_hint(value))]
    NonNumeric {
        path: String,
        column: String,
        line: u64,
        value: String,
    },
    #[error("'{path}' column '{column}' line {line}: value '{value}' is not finite; cipa needs finite numbers (write missing values as an empty cell, NA or .)")]
    NonFinite {
        path: String,
        column: String,
        line: u64,
        value: String,
    },
    #[error("'{path}' column '{column}' is empty: none of its {n} cells holds a value (after empty cells and missing codes); check the file and the column name, or leave the column out")]
    EmptyColumn {
        path: String,
        column: String,
        n: usize,
    },
    #[error("column '{column}' is categorical (values such as '{example}') but is used where a number is needed{hint}; recode it, or use it as a categorical predictor", hint = number_hint(example))]
    NotNumeric { column: String, example: String },
    #[error("column '{column}' is constant ({value}) in the {n} rows used{after}; a constant cannot be a predictor or an outcome: drop it from the model",
        after = dropped_note(.dropped))]
    ConstantColumn {
        column: String,
        value: String,
        n: usize,
        dropped: usize,
    },
    #[error("only {n} complete rows for {k} parameters{detail}; a model needs more rows than parameters: use fewer predictors or check the missing values")]
    TooFewRows { n: usize, k: usize, detail: String },
    #[error("column '{column}': {message}")]
    Transform { column: String, message: String },
    #[error("column '{column}': {message}")]
    Categorical { column: String, message: String },
    #[error("column '{column}': {message}")]
    Event { column: String, message: String },
    #[error("{0}")]
    Invalid(String),
}

/// What reads a value that is a number in a spreadsheet's notation.
fn number_hint(value: &str) -> &'static str {
    if crate::data::read::looks_like_decimal_comma(value) {
        " (it is written with a decimal comma: --decimal , reads those)"
    } else {
        ""
    }
}

fn suggest(s: &[String]) -> String {
    match s.len() {
        0 => "; check the spelling (names are case-sensitive)".to_string(),
        1 => format!("; did you mean '{}'?", s[0]),
        _ => format!("; did you mean one of: {}?", s.join(", ")),
    }
}

fn dropped_note(dropped: &usize) -> String {
    if *dropped > 0 {
        format!(" after {dropped} rows with missing values were dropped")
    } else {
        String::new()
    }
}
