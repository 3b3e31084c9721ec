use super::{DataError, Dataset};

/// The rows complete on a set of variables (listwise deletion) and the rows dropped.
#[derive(Debug, Clone, PartialEq)]
pub struct CompleteCases {
    /// Indices (0-based, into the data set) of the rows kept.
    pub rows: Vec<usize>,
    /// File lines (header = line 1) of the rows dropped for a missing value.
    pub dropped_lines: Vec<u64>,
}

impl CompleteCases {
    pub fn n_dropped(&self) -> usize {
        self.dropped_lines.len()
    }
}

/// Listwise deletion over `vars`: a row is kept when none of them is missing. Unknown columns and
/// columns with a bad cell are reported here, before any estimation.
pub fn complete_cases(data: &Dataset, vars: &[&str]) -> Result<CompleteCases, DataError> {
    let cols = vars
        .iter()
        .map(|name| {
            let v = data.var(name)?;
            data.check_problem(v)?;
            // Named here: otherwise the model would only report that no complete rows are left.
            if data.n_rows() > 0 && (0..data.n_rows()).all(|i| v.data.is_missing(i)) {
                return Err(DataError::EmptyColumn {
                    path: data.source.clone(),
                    column: v.name.clone(),
                    n: data.n_rows(),
                });
            }
            Ok(&v.data)
        })
        .collect::<Result<Vec<_>, DataError>>()?;
    let mut rows = Vec::with_capacity(data.n_rows());
    let mut dropped_lines = Vec::new();
    for i in 0..data.n_rows() {
        if cols.iter().any(|c| c.is_missing(i)) {
            dropped_lines.push(data.lines()[i]);
        } else {
            rows.push(i);
        }
    }
    Ok(CompleteCases {
        rows,
        dropped_lines,
    })
}
