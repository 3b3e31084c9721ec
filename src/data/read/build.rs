use super::{Cell, ColumnKind, RawColumn, RawTable, ReadOptions};
use crate::data::dataset::{
    categorical_from_text, format_number, CellProblem, Column, ProblemKind, Variable,
};
use crate::data::{DataError, Dataset};

/// Tokens read as missing in every file, as R's `NA`, SPSS's/Stata's `.` and pandas' `NaN` write it.
pub const DEFAULT_MISSING_TOKENS: [&str; 5] = ["NA", ".", "NaN", "nan", "N/A"];

/// A column whose cells are at least this share numbers is numeric with a bad cell, not
/// categorical: a stray "n/a" or "4,5" in a Likert column is a data error to report, not a reason
/// to treat the column as 300 categories.
const NUMERIC_SHARE: f64 = 0.8;

/// Types the columns of a raw table: applies missing tokens and codes, type overrides and
/// inference, and records the first bad cell of each numeric column.
pub fn build_dataset(raw: RawTable, opts: &ReadOptions) -> Result<Dataset, DataError> {
    for (name, _) in &opts.kinds {
        if !raw.columns.iter().any(|c| &c.name == name) {
            return Err(DataError::UnknownColumn {
                path: raw.source.clone(),
                name: name.clone(),
                suggestions: crate::data::closest_names(
                    name,
                    raw.columns.iter().map(|c| c.name.as_str()),
                ),
            });
        }
    }
    let vars = raw
        .columns
        .into_iter()
        .map(|col| {
            let kind = opts
                .kinds
                .iter()
                .find(|(n, _)| *n == col.name)
                .map(|(_, k)| *k);
            build_column(col, kind, &raw.lines, opts)
        })
        .collect();
    let mut data = Dataset::with_lines(raw.source, vars, raw.lines)?;
    for n in raw.notes {
        data.add_read_note(n);
    }
    Ok(data)
}

fn is_missing(cell: &Cell, opts: &ReadOptions) -> bool {
    match cell {
        Cell::Missing => true,
        Cell::Number(x) => x.is_nan() || opts.missing_codes.contains(x),
        Cell::Text(t) => {
            DEFAULT_MISSING_TOKENS.contains(&t.as_str())
                || opts.missing_tokens.iter().any(|m| m == t)
        }
    }
}

fn build_column(
    col: RawColumn,
    kind: Option<ColumnKind>,
    lines: &[u64],
    opts: &ReadOptions,
) -> Variable {
    let cells: Vec<Cell> = col
        .cells
        .into_iter()
        .map(|c| {
            if is_missing(&c, opts) {
                Cell::Missing
            } else {
                c
            }
        })
        .collect();
    // A number in a notation the file was not read with (a decimal comma in a file read with a
    // decimal point) counts as a number here: the column is numeric with a bad cell, whose
    // message names the option that reads it, rather than categorical.
    let numberlike = |c: &Cell| match c {
        Cell::Number(_) => true,
        Cell::Text(t) => super::looks_like_decimal_comma(t),
        Cell::Missing => false,
    };
    let n_num = cells.iter().filter(|c| numberlike(c)).count();
    let n_text = cells
        .iter()
        .filter(|c| matches!(c, Cell::Text(_)) && !numberlike(c))
        .count();
    let kind = kind.or(col.file_kind).unwrap_or({
        if n_text == 0 || (n_num as f64) >= NUMERIC_SHARE * ((n_num + n_text) as f64) {
            ColumnKind::Numeric
        } else {
            ColumnKind::Categorical
        }
    });
    let mut problem = None;
    let data = match kind {
        ColumnKind::Numeric => {
            let mut note = |kind, i: usize, value: String| {
                if problem.is_none() {
                    problem = Some(CellProblem {
                        kind,
                        line: lines[i],
                        value,
                    });
                }
            };
            let values = cells
                .iter()
                .enumerate()
                .map(|(i, c)| match c {
                    Cell::Missing => f64::NAN,
                    Cell::Number(x) if x.is_finite() => *x,
                    Cell::Number(x) => {
                        note(ProblemKind::NonFinite, i, format!("{x}"));
                        f64::NAN
                    }
                    Cell::Text(t) => {
                        note(ProblemKind::NonNumeric, i, t.clone());
                        f64::NAN
                    }
                })
                .collect();
            Column::Numeric(values)
        }
        ColumnKind::Categorical => {
            let text: Vec<Option<String>> = cells
                .iter()
                .map(|c| match c {
                    Cell::Missing => None,
                    Cell::Number(x) => Some(format_number(*x)),
                    Cell::Text(t) => Some(t.clone()),
                })
                .collect();
            categorical_from_text(text.iter().map(|t| t.as_deref()))
        }
    };
    Variable {
        name: col.name,
        label: col.label,
        data,
        value_labels: col.value_labels,
        problem,
    }
}
