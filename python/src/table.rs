//! Data between Python and cipa. In: columns prepared by `cipa/_frame.py` from a pandas
//! DataFrame, or any object with the Arrow C stream interface (`__arrow_c_stream__`: polars,
//! pyarrow), become a table of cells that cipa's one builder types as it types a file's cells
//! (so `missing=`, `categorical=` and `numeric=` act as on a file). Out: a data set as columns
//! for `_frame.py` to make a DataFrame of.

use std::ffi::CStr;

use arrow::array::{Array, ArrayRef, AsArray, RecordBatchReader};
use arrow::datatypes::{DataType, Float64Type};
use arrow::ffi_stream::{ArrowArrayStreamReader, FFI_ArrowArrayStream};
use cipa::data::read::{Cell, RawColumn, RawTable};
use cipa::data::{format_number, Column, Dataset};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyCapsule, PyDict, PyList, PyTuple};

use crate::errors::DataError;

/// A table from Python, with the level order of each categorical column that has its own
/// (a pandas Categorical's categories, an ordered Arrow dictionary).
pub struct Table {
    pub raw: RawTable,
    pub orders: Vec<(String, Vec<String>)>,
}

impl Table {
    /// The table as the source of a command's data.
    pub fn source(self) -> cipa::cli::embed::Source {
        cipa::cli::embed::Source::Table {
            table: self.raw,
            levels: self.orders,
        }
    }
}

fn f64s(bytes: &[u8]) -> Vec<f64> {
    bytes
        .chunks_exact(8)
        .map(|b| f64::from_le_bytes(b.try_into().unwrap_or([0; 8])))
        .collect()
}

fn i32s(bytes: &[u8]) -> Vec<i32> {
    bytes
        .chunks_exact(4)
        .map(|b| i32::from_le_bytes(b.try_into().unwrap_or([0; 4])))
        .collect()
}

/// A Python scalar (None, a number, text) as a cell.
fn cell(v: &Bound<'_, PyAny>) -> PyResult<Cell> {
    if v.is_none() {
        return Ok(Cell::Missing);
    }
    if let Ok(s) = v.extract::<String>() {
        return Ok(Cell::Text(s));
    }
    match v.extract::<f64>() {
        Ok(x) if x.is_nan() => Ok(Cell::Missing),
        Ok(x) => Ok(Cell::Number(x)),
        Err(_) => Ok(Cell::Text(v.str()?.to_string())),
    }
}

fn level_text(c: &Cell) -> Option<String> {
    match c {
        Cell::Number(x) => Some(format_number(*x)),
        Cell::Text(t) => Some(t.clone()),
        Cell::Missing => None,
    }
}

/// The columns `_frame.py` prepares: `("num", name, f64 bytes)`, `("text", name, [value])` and
/// `("cat", name, i32 code bytes, [category])` (code -1 = missing).
pub fn from_columns(source: &str, cols: &Bound<'_, PyList>) -> PyResult<Table> {
    let mut columns = Vec::with_capacity(cols.len());
    let mut orders = Vec::new();
    let mut n: Option<usize> = None;
    for c in cols.iter() {
        let t = c.cast::<PyTuple>()?;
        let kind: String = t.get_item(0)?.extract()?;
        let name: String = t.get_item(1)?.extract()?;
        let cells: Vec<Cell> = match kind.as_str() {
            "num" => {
                let b = t.get_item(2)?;
                let b = b.cast::<PyBytes>()?;
                f64s(b.as_bytes())
                    .into_iter()
                    .map(|x| {
                        if x.is_nan() {
                            Cell::Missing
                        } else {
                            Cell::Number(x)
                        }
                    })
                    .collect()
            }
            "text" => t
                .get_item(2)?
                .try_iter()?
                .map(|v| cell(&v?))
                .collect::<PyResult<_>>()?,
            "cat" => {
                let b = t.get_item(2)?;
                let codes = i32s(b.cast::<PyBytes>()?.as_bytes());
                let cats: Vec<Cell> = t
                    .get_item(3)?
                    .try_iter()?
                    .map(|v| cell(&v?))
                    .collect::<PyResult<_>>()?;
                orders.push((name.clone(), cats.iter().filter_map(level_text).collect()));
                codes
                    .iter()
                    .map(|&k| {
                        usize::try_from(k)
                            .ok()
                            .and_then(|k| cats.get(k).cloned())
                            .unwrap_or(Cell::Missing)
                    })
                    .collect()
            }
            other => return Err(DataError::new_err(format!("unknown column kind '{other}'"))),
        };
        if *n.get_or_insert(cells.len()) != cells.len() {
            return Err(DataError::new_err(format!(
                "column '{name}' has {} values, the others {}",
                cells.len(),
                n.unwrap_or(0)
            )));
        }
        let file_kind = (kind == "cat").then_some(cipa::data::ColumnKind::Categorical);
        columns.push(RawColumn {
            name,
            cells,
            file_kind,
            ..RawColumn::default()
        });
    }
    Ok(Table {
        raw: raw_table(source, columns, n.unwrap_or(0)),
        orders,
    })
}

/// Rows are numbered as the lines of the CSV file the table would be written to (header = 1),
/// so messages and `dropped_lines` match the command line run on that file.
fn raw_table(source: &str, columns: Vec<RawColumn>, n: usize) -> RawTable {
    RawTable {
        source: source.to_string(),
        columns,
        lines: (0..n as u64).map(|i| i + 2).collect(),
        notes: Vec::new(),
    }
}

/// A table from an object with `__arrow_c_stream__` (polars, pyarrow, ...).
pub fn from_arrow(source: &str, obj: &Bound<'_, PyAny>) -> PyResult<Table> {
    let capsule = obj.call_method0("__arrow_c_stream__")?;
    let capsule = capsule.cast::<PyCapsule>()?;
    let name: &CStr = c"arrow_array_stream";
    let ptr = capsule.pointer_checked(Some(name))?;
    // SAFETY: the capsule holds an ArrowArrayStream (the C stream interface); `from_raw` moves
    // it out and leaves a released stream behind, which the capsule's destructor skips.
    let reader =
        unsafe { ArrowArrayStreamReader::from_raw(ptr.as_ptr() as *mut FFI_ArrowArrayStream) }
            .map_err(|e| DataError::new_err(format!("cannot read the Arrow stream: {e}")))?;
    let schema = reader.schema();
    let mut batches = Vec::new();
    for b in reader {
        batches.push(b.map_err(|e| DataError::new_err(format!("Arrow stream: {e}")))?);
    }
    let n: usize = batches.iter().map(|b| b.num_rows()).sum();
    let mut columns = Vec::with_capacity(schema.fields().len());
    let mut orders = Vec::new();
    for (i, field) in schema.fields().iter().enumerate() {
        let mut col = RawColumn {
            name: field.name().clone(),
            cells: Vec::with_capacity(n),
            ..RawColumn::default()
        };
        for b in &batches {
            let order = arrow_cells(field.name(), b.column(i), &mut col)?;
            if let (Some(order), true) = (order, field.dict_is_ordered().unwrap_or(false)) {
                if !orders.iter().any(|(c, _)| c == field.name()) {
                    orders.push((field.name().clone(), order));
                }
            }
        }
        columns.push(col);
    }
    Ok(Table {
        raw: raw_table(source, columns, n),
        orders,
    })
}

fn cast(a: &ArrayRef, to: &DataType) -> Result<ArrayRef, arrow::error::ArrowError> {
    arrow::compute::cast(a, to)
}

/// Appends one Arrow array's cells to `col`; returns a dictionary's values (its level order).
fn arrow_cells(name: &str, a: &ArrayRef, col: &mut RawColumn) -> PyResult<Option<Vec<String>>> {
    let bad = |e: String| {
        DataError::new_err(format!(
            "column '{name}' has Arrow type {}, which cipa cannot read ({e}); convert it to numbers or text",
            a.data_type()
        ))
    };
    match a.data_type() {
        DataType::Null => {
            col.cells.extend((0..a.len()).map(|_| Cell::Missing));
            Ok(None)
        }
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
            let s = cast(a, &DataType::Utf8).map_err(|e| bad(e.to_string()))?;
            let s = s.as_string::<i32>();
            col.cells.extend(s.iter().map(|v| match v {
                Some(t) => Cell::Text(t.to_string()),
                None => Cell::Missing,
            }));
            Ok(None)
        }
        DataType::Dictionary(_, _) => {
            let s = cast(a, &DataType::Utf8).map_err(|e| bad(e.to_string()))?;
            let s = s.as_string::<i32>();
            col.cells.extend(s.iter().map(|v| match v {
                Some(t) => Cell::Text(t.to_string()),
                None => Cell::Missing,
            }));
            col.file_kind = Some(cipa::data::ColumnKind::Categorical);
            let dict = a.as_any_dictionary();
            let values = cast(dict.values(), &DataType::Utf8).map_err(|e| bad(e.to_string()))?;
            Ok(Some(
                values
                    .as_string::<i32>()
                    .iter()
                    .flatten()
                    .map(str::to_string)
                    .collect(),
            ))
        }
        t if t.is_numeric() || *t == DataType::Boolean => {
            let x = cast(a, &DataType::Float64).map_err(|e| bad(e.to_string()))?;
            let x = x.as_primitive::<Float64Type>();
            col.cells.extend(x.iter().map(|v| match v {
                Some(x) if !x.is_nan() => Cell::Number(x),
                _ => Cell::Missing,
            }));
            Ok(None)
        }
        _ => Err(bad("not numbers, text or categories".into())),
    }
}

/// A data set as a list of column dicts for `_frame.py`: `name`, `kind` ("num" with f64
/// `data` bytes, or "cat" with i32 `codes` bytes and `levels`), `label`, `value_labels` and
/// `problem` (`(line, value)` of the first bad cell of a numeric column, or None).
pub fn to_columns<'py>(py: Python<'py>, data: &Dataset) -> PyResult<Bound<'py, PyList>> {
    let out = PyList::empty(py);
    for v in data.variables() {
        let d = PyDict::new(py);
        d.set_item("name", &v.name)?;
        match &v.data {
            Column::Numeric(x) => {
                d.set_item("kind", "num")?;
                let bytes: Vec<u8> = x.iter().flat_map(|x| x.to_le_bytes()).collect();
                d.set_item("data", PyBytes::new(py, &bytes))?;
            }
            Column::Categorical { codes, levels } => {
                d.set_item("kind", "cat")?;
                let bytes: Vec<u8> = codes
                    .iter()
                    .flat_map(|c| c.map_or(-1i32, |k| k as i32).to_le_bytes())
                    .collect();
                d.set_item("codes", PyBytes::new(py, &bytes))?;
                d.set_item("levels", levels.clone())?;
            }
        }
        d.set_item("label", v.label.clone())?;
        d.set_item("value_labels", v.value_labels.clone())?;
        d.set_item(
            "problem",
            v.problem.as_ref().map(|p| (p.line, p.value.clone())),
        )?;
        out.append(d)?;
    }
    Ok(out)
}
