use std::collections::HashMap;

use super::{CellRef, ColumnKind, PackedCells, RawColumn, RawTable, ReadOptions};
use crate::data::dataset::{code_text, format_number, CellProblem, Column, ProblemKind, Variable};
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

fn is_missing_text(t: &str, opts: &ReadOptions) -> bool {
    DEFAULT_MISSING_TOKENS.contains(&t) || opts.missing_tokens.iter().any(|m| m == t)
}

fn is_missing_number(x: f64, opts: &ReadOptions) -> bool {
    x.is_nan() || opts.missing_codes.contains(&x)
}

fn build_column(
    mut col: RawColumn,
    kind: Option<ColumnKind>,
    lines: &[u64],
    opts: &ReadOptions,
) -> Variable {
    let cells = col.take_cells();
    // What each distinct text is, decided once per text rather than once per cell.
    let text_missing: Vec<bool> = cells
        .texts()
        .iter()
        .map(|t| is_missing_text(t, opts))
        .collect();
    let kind = kind
        .or(col.file_kind)
        .unwrap_or_else(|| inferred_kind(&cells, &text_missing, opts));
    let mut problem = None;
    let data = match kind {
        ColumnKind::Numeric => {
            let (values, p) = numeric_values(cells, &text_missing, lines, opts);
            problem = p;
            Column::Numeric(values)
        }
        ColumnKind::Categorical => categorical(&cells, &text_missing, opts),
    };
    Variable {
        name: col.name,
        label: col.label,
        data,
        value_labels: col.value_labels,
        problem,
    }
}

/// Numeric unless too many non-missing cells are text. A number in a notation the file was not
/// read with (a decimal comma in a file read with a decimal point) counts as a number here: the
/// column is numeric with a bad cell, whose message names the option that reads it, rather than
/// categorical.
fn inferred_kind(cells: &PackedCells, text_missing: &[bool], opts: &ReadOptions) -> ColumnKind {
    let mut n_num = cells
        .numbers()
        .iter()
        .filter(|x| !is_missing_number(**x, opts))
        .count();
    let mut n_text = 0;
    for ((t, n), missing) in cells
        .texts()
        .iter()
        .zip(cells.text_counts())
        .zip(text_missing)
    {
        if *missing {
            continue;
        }
        if super::looks_like_decimal_comma(t) {
            n_num += n;
        } else {
            n_text += n;
        }
    }
    if n_text == 0 || (n_num as f64) >= NUMERIC_SHARE * ((n_num + n_text) as f64) {
        ColumnKind::Numeric
    } else {
        ColumnKind::Categorical
    }
}

/// The column's numbers, typed in place (missing codes, text and non-finite numbers become
/// NaN), and its first bad cell (text or a non-finite number), by row.
fn numeric_values(
    cells: PackedCells,
    text_missing: &[bool],
    lines: &[u64],
    opts: &ReadOptions,
) -> (Vec<f64>, Option<CellProblem>) {
    let first_text = cells
        .text_rows()
        .iter()
        .find(|(_, id)| !text_missing[*id as usize])
        .map(|&(row, id)| (row as usize, cells.texts()[id as usize].clone()));
    // Text and missing cells are NaN already.
    let mut values = cells.into_numbers();
    let mut first_infinite = None;
    for (i, x) in values.iter_mut().enumerate() {
        if is_missing_number(*x, opts) {
            *x = f64::NAN;
        } else if !x.is_finite() {
            first_infinite.get_or_insert((i, format!("{x}")));
            *x = f64::NAN;
        }
    }
    let problem = match (first_text, first_infinite) {
        (Some((i, t)), Some((j, _))) if i < j => Some((ProblemKind::NonNumeric, i, t)),
        (_, Some((j, x))) => Some((ProblemKind::NonFinite, j, x)),
        (Some((i, t)), None) => Some((ProblemKind::NonNumeric, i, t)),
        (None, None) => None,
    };
    let problem = problem.map(|(kind, i, value)| CellProblem {
        kind,
        line: lines[i],
        value,
    });
    (values, problem)
}

/// A categorical column: numbers are levels as written by [`format_number`]. Each distinct
/// value is coded once, so a text column of a million rows and five levels costs its codes.
fn categorical(cells: &PackedCells, text_missing: &[bool], opts: &ReadOptions) -> Column {
    let mut vocab: Vec<String> = Vec::new();
    let mut index: HashMap<String, u32> = HashMap::new();
    let mut intern = |s: String| -> u32 {
        if let Some(&k) = index.get(&s) {
            return k;
        }
        let k = vocab.len() as u32;
        index.insert(s.clone(), k);
        vocab.push(s);
        k
    };
    let of_text: Vec<Option<u32>> = cells
        .texts()
        .iter()
        .zip(text_missing)
        .map(|(t, missing)| (!missing).then(|| intern(t.clone())))
        .collect();
    let mut of_number: HashMap<u64, u32> = HashMap::new();
    let ids: Vec<Option<u32>> = cells
        .iter()
        .map(|c| match c {
            CellRef::Missing => None,
            CellRef::Number(x) if is_missing_number(x, opts) => None,
            CellRef::Number(x) => Some(
                *of_number
                    .entry(x.to_bits())
                    .or_insert_with(|| intern(format_number(x))),
            ),
            CellRef::Text(_, id) => of_text[id as usize],
        })
        .collect();
    let (vocab_codes, levels) = code_text(vocab.iter().map(|s| Some(s.as_str())));
    let codes = ids
        .into_iter()
        .map(|v| v.and_then(|k| vocab_codes[k as usize]))
        .collect();
    Column::Categorical { codes, levels }
}
