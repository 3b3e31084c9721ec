//! SPSS `.sav` / `.zsav` input through the `ambers` crate.
//!
//! Numeric variables become numeric columns and string variables categorical ones. System-missing
//! values and the user-missing values declared in the file (discrete values and ranges) are
//! missing. Dates, times and durations are kept as SPSS stores them: seconds since 14 Oct 1582
//! (dates and date-times) or seconds (durations), so user-missing values apply to them as written.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use ambers::{MissingSpec, SpssMetadata, Value};
use arrow::array::{
    Array, ArrayRef, Date32Array, DurationMicrosecondArray, Float64Array, LargeStringArray,
    StringArray, StringViewArray, TimestampMicrosecondArray,
};
use arrow::datatypes::{DataType, TimeUnit};

use super::{guard, io_error, Cell, ColumnKind, RawColumn, RawTable};
use crate::data::DataError;

/// Days from the SPSS epoch (1582-10-14) to the Unix epoch (1970-01-01).
const SPSS_EPOCH_DAYS: f64 = 141_428.0;
const SECONDS_PER_DAY: f64 = 86_400.0;

pub(super) fn read(path: &Path) -> Result<RawTable, DataError> {
    let source = path.display().to_string();
    let file = File::open(path).map_err(|e| io_error(path, e))?;
    let (batch, meta) = guard(path, "SPSS file", || {
        ambers::read_sav_from_reader(BufReader::new(file))
    })?
    .map_err(|e| io_error(path, format!("not a readable SPSS file: {e}")))?;

    let n = batch.num_rows();
    let schema = batch.schema();
    if schema.fields().is_empty() || n == 0 {
        return Err(DataError::EmptyFile { path: source });
    }
    let mut columns = Vec::with_capacity(batch.num_columns());
    for (field, array) in schema.fields().iter().zip(batch.columns()) {
        let name = field.name().clone();
        let missing = meta
            .variable_missing_values
            .get(&name)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let (cells, kind) = convert(array, missing).ok_or_else(|| {
            io_error(
                path,
                format!(
                    "variable '{name}' has a type cipa cannot read ({})",
                    field.data_type()
                ),
            )
        })?;
        columns.push(RawColumn {
            label: variable_label(&meta, &name),
            value_labels: value_labels(&meta, &name),
            file_kind: Some(kind),
            cells,
            name,
            packed: Default::default(),
        });
    }
    Ok(RawTable {
        source,
        columns,
        lines: (0..n as u64).map(|i| i + 2).collect(),
        notes: Vec::new(),
    })
}

/// The cells of one column and its kind, or `None` for an array type SPSS files do not produce.
fn convert(array: &ArrayRef, missing: &[MissingSpec]) -> Option<(Vec<Cell>, ColumnKind)> {
    let numeric = |values: Vec<Option<f64>>| {
        let cells = values
            .into_iter()
            .map(|v| match v {
                Some(x) if !is_user_missing_number(x, missing) => Cell::Number(x),
                _ => Cell::Missing,
            })
            .collect();
        Some((cells, ColumnKind::Numeric))
    };
    let any = array.as_any();
    match array.data_type() {
        DataType::Float64 => numeric(any.downcast_ref::<Float64Array>()?.iter().collect()),
        DataType::Date32 => numeric(
            any.downcast_ref::<Date32Array>()?
                .iter()
                .map(|d| d.map(|d| (f64::from(d) + SPSS_EPOCH_DAYS) * SECONDS_PER_DAY))
                .collect(),
        ),
        DataType::Timestamp(TimeUnit::Microsecond, _) => numeric(
            any.downcast_ref::<TimestampMicrosecondArray>()?
                .iter()
                .map(|t| t.map(|t| t as f64 / 1e6 + SPSS_EPOCH_DAYS * SECONDS_PER_DAY))
                .collect(),
        ),
        DataType::Duration(TimeUnit::Microsecond) => numeric(
            any.downcast_ref::<DurationMicrosecondArray>()?
                .iter()
                .map(|t| t.map(|t| t as f64 / 1e6))
                .collect(),
        ),
        DataType::Utf8View => Some(strings(
            any.downcast_ref::<StringViewArray>()?.iter(),
            missing,
        )),
        DataType::Utf8 => Some(strings(any.downcast_ref::<StringArray>()?.iter(), missing)),
        DataType::LargeUtf8 => Some(strings(
            any.downcast_ref::<LargeStringArray>()?.iter(),
            missing,
        )),
        _ => None,
    }
}

fn strings<'a>(
    values: impl Iterator<Item = Option<&'a str>>,
    missing: &[MissingSpec],
) -> (Vec<Cell>, ColumnKind) {
    let cells = values
        .map(|v| match v.map(str::trim) {
            Some(t) if !t.is_empty() && !is_user_missing_text(t, missing) => {
                Cell::Text(t.to_string())
            }
            _ => Cell::Missing,
        })
        .collect();
    (cells, ColumnKind::Categorical)
}

fn is_user_missing_number(x: f64, missing: &[MissingSpec]) -> bool {
    missing.iter().any(|m| match m {
        MissingSpec::Value(v) => x == *v,
        MissingSpec::Range { lo, hi } => *lo <= x && x <= *hi,
        MissingSpec::StringValue(_) => false,
    })
}

fn is_user_missing_text(t: &str, missing: &[MissingSpec]) -> bool {
    missing.iter().any(|m| match m {
        MissingSpec::StringValue(s) => s.trim() == t,
        _ => false,
    })
}

fn variable_label(meta: &SpssMetadata, name: &str) -> Option<String> {
    meta.label(name)
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
}

/// Value labels of a numeric variable, in the file's order. (Labels of string values are not
/// kept: the values of a string variable are already text.)
fn value_labels(meta: &SpssMetadata, name: &str) -> Vec<(f64, String)> {
    meta.value_labels(name)
        .map(|labels| {
            labels
                .iter()
                .filter_map(|(value, label)| match value {
                    Value::Numeric(code) => Some((*code, label.clone())),
                    Value::String(_) => None,
                })
                .collect()
        })
        .unwrap_or_default()
}
