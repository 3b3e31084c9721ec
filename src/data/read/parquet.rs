//! Parquet input and `Dataset` <-> `polars::DataFrame` conversion (feature `polars`).
//!
//! Numeric columns (integers, floats, decimals) are numeric with nulls missing; booleans are
//! numeric 0/1; dates, times and durations are numeric in polars' physical unit (days since
//! 1970-01-01 for dates, the column's time unit since the epoch for date-times); string,
//! categorical and enum columns are categorical. Nested and binary columns are refused with an
//! error naming the column. Case `i` (1-based) is reported as line `i + 1`.

use std::fs::File;
use std::path::Path;

use polars::prelude::{
    DataFrame, DataType, FrozenCategories, NamedFrom, ParquetReader, SerReader, Series,
};

use super::{build_dataset, io_error, Cell, ColumnKind, RawColumn, RawTable, ReadOptions};
use crate::data::{Column, DataError, Dataset};

pub(super) fn read(path: &Path) -> Result<RawTable, DataError> {
    let file = File::open(path).map_err(|e| io_error(path, e))?;
    let df = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        ParquetReader::new(file).finish()
    }))
    .map_err(|_| {
        io_error(
            path,
            "malformed Parquet file (the Parquet reader failed on it)",
        )
    })?
    .map_err(|e| io_error(path, format!("not a readable Parquet file: {e}")))?;
    raw_table(&path.display().to_string(), &df)
}

/// Converts a polars data frame to a data set, typing its columns as the Parquet reader does.
/// `source` names the data in messages.
pub fn from_polars(source: &str, df: &DataFrame) -> Result<Dataset, DataError> {
    build_dataset(raw_table(source, df)?, &ReadOptions::default())
}

/// Converts a data set to a polars data frame: numeric columns become `Float64` (missing values
/// null) and categorical ones `Enum`s with the data set's levels in order. Variable and value
/// labels are not carried over. A numeric column with a bad cell recorded at read time (text or
/// an infinite value) is an error rather than silently becoming null.
pub fn to_polars(data: &Dataset) -> Result<DataFrame, DataError> {
    let err = |name: &str, e: polars::prelude::PolarsError| DataError::Transform {
        column: name.to_string(),
        message: format!("cannot convert to a polars column: {e}"),
    };
    let columns = data
        .variables()
        .iter()
        .map(|v| {
            data.check_problem(v)?;
            let name = v.name.as_str();
            let series = match &v.data {
                Column::Numeric(x) => Series::new(
                    name.into(),
                    x.iter()
                        .map(|x| (!x.is_nan()).then_some(*x))
                        .collect::<Vec<_>>(),
                ),
                Column::Categorical { codes, levels } => {
                    let text: Vec<Option<&str>> = codes
                        .iter()
                        .map(|c| c.and_then(|c| levels.get(c as usize)).map(String::as_str))
                        .collect();
                    let cats = FrozenCategories::new(levels.iter().map(String::as_str))
                        .map_err(|e| err(name, e))?;
                    Series::new(name.into(), text)
                        .cast(&DataType::from_frozen_categories(cats))
                        .map_err(|e| err(name, e))?
                }
            };
            Ok(series.into())
        })
        .collect::<Result<Vec<_>, DataError>>()?;
    DataFrame::new(data.n_rows(), columns)
        .map_err(|e| DataError::Invalid(format!("'{}': {e}", data.source)))
}

fn raw_table(source: &str, df: &DataFrame) -> Result<RawTable, DataError> {
    let n = df.height();
    if df.width() == 0 || n == 0 {
        return Err(DataError::EmptyFile {
            path: source.to_string(),
        });
    }
    let columns = df
        .columns()
        .iter()
        .map(|c| raw_column(source, c))
        .collect::<Result<_, _>>()?;
    Ok(RawTable {
        source: source.to_string(),
        columns,
        lines: (0..n as u64).map(|i| i + 2).collect(),
        notes: Vec::new(),
    })
}

fn raw_column(source: &str, col: &polars::prelude::Column) -> Result<RawColumn, DataError> {
    let name = col.name().to_string();
    let dtype = col.dtype().clone();
    let fail = |e: polars::prelude::PolarsError| {
        DataError::Invalid(format!(
            "'{source}' column '{name}' ({dtype}): cannot read it: {e}"
        ))
    };
    let (cells, kind): (Vec<Cell>, Option<ColumnKind>) =
        if dtype.is_string() || dtype.is_categorical() || dtype.is_enum() {
            let s = col.cast(&DataType::String).map_err(fail)?;
            let cells = s
                .str()
                .map_err(fail)?
                .iter()
                .map(|v| match v.map(str::trim) {
                    Some(t) if !t.is_empty() => Cell::Text(t.to_string()),
                    _ => Cell::Missing,
                })
                .collect();
            (cells, Some(ColumnKind::Categorical))
        } else if dtype.is_numeric() || dtype.is_bool() || dtype.is_temporal() {
            let physical = if dtype.is_temporal() {
                col.to_physical_repr()
            } else {
                col.clone()
            };
            let s = physical.cast(&DataType::Float64).map_err(fail)?;
            let cells = s
                .f64()
                .map_err(fail)?
                .iter()
                .map(|v| v.map_or(Cell::Missing, Cell::Number))
                .collect();
            (cells, Some(ColumnKind::Numeric))
        } else if dtype.is_null() {
            (vec![Cell::Missing; col.len()], None)
        } else {
            return Err(DataError::Invalid(format!(
                "'{source}' column '{name}' has type {dtype}, which cipa cannot use; \
             keep only numeric, boolean, date and text columns"
            )));
        };
    Ok(RawColumn {
        name,
        cells,
        file_kind: kind,
        ..Default::default()
    })
}
