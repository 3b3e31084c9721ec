//! Stata `.dta` input (every release, 102 to 119) through the `dta` crate.
//!
//! Numeric variables become numeric columns (Stata's missing values `.` and `.a` to `.z` are
//! missing) and string variables, `strL` included, categorical ones. Variable labels and the value
//! labels of the label set attached to each variable are kept. `float` values are read as the
//! shortest decimal that Stata stored (`1.1`, not `1.100000023841858`), as Stata displays them.

use std::path::Path;

use dta::stata::dta::dta_error::DtaError;
use dta::stata::dta::dta_reader::DtaReader;
use dta::stata::dta::long_string_ref::LongStringRef;
use dta::stata::dta::long_string_table::LongStringTable;
use dta::stata::dta::value::Value;
use dta::stata::dta::value_label_table::ValueLabelTable;
use dta::stata::dta::variable_type::VariableType;

use super::{guard, io_error, Cell, ColumnKind, RawColumn, RawTable};
use crate::data::DataError;

/// A cell before `strL` references are resolved.
enum Slot {
    Cell(Cell),
    Long(LongStringRef),
}

pub(super) fn read(path: &Path) -> Result<RawTable, DataError> {
    let source = path.display().to_string();
    let bad = |e: DtaError| io_error(path, format!("not a readable Stata file: {e}"));
    let read = guard(path, "Stata file", || read_file(path))?;
    let (columns, n) = read.map_err(bad)?;
    if columns.is_empty() || n == 0 {
        return Err(DataError::EmptyFile { path: source });
    }
    Ok(RawTable {
        source,
        columns,
        lines: (0..n as u64).map(|i| i + 2).collect(),
        notes: Vec::new(),
    })
}

fn read_file(path: &Path) -> Result<(Vec<RawColumn>, usize), DtaError> {
    let mut characteristics = DtaReader::new()
        .from_path(path)?
        .read_header()?
        .read_schema()?;
    characteristics.skip_to_end()?;
    let mut records = characteristics.into_record_reader()?;
    let variables = records.schema().variables().to_vec();

    let mut slots: Vec<Vec<Slot>> = variables.iter().map(|_| Vec::new()).collect();
    let mut n = 0usize;
    while let Some(record) = records.read_record()? {
        for (col, value) in slots.iter_mut().zip(record.values()) {
            col.push(slot(value));
        }
        n += 1;
    }

    let mut long_strings = LongStringTable::for_reading();
    let mut long_reader = records.into_long_string_reader()?;
    long_reader.read_remaining_into(&mut long_strings)?;
    let encoding = long_reader.encoding();
    let mut label_reader = long_reader.into_value_label_reader()?;
    let mut label_sets = ValueLabelTable::new();
    label_reader.read_remaining_into(&mut label_sets)?;

    let columns = variables
        .iter()
        .zip(slots)
        .map(|(var, col)| {
            let kind = match var.variable_type() {
                VariableType::FixedString(_) | VariableType::LongString => ColumnKind::Categorical,
                _ => ColumnKind::Numeric,
            };
            let cells = col
                .into_iter()
                .map(|s| match s {
                    Slot::Cell(c) => c,
                    Slot::Long(r) => long_strings
                        .get(&r)
                        .and_then(|ls| ls.data_str(encoding).map(|t| text(&t)))
                        .unwrap_or(Cell::Missing),
                })
                .collect();
            let label = Some(var.label().trim())
                .filter(|l| !l.is_empty())
                .map(str::to_string);
            let value_labels = Some(var.value_label_name())
                .filter(|n| !n.is_empty())
                .and_then(|n| label_sets.get(n))
                .map(|set| {
                    set.entries()
                        .iter()
                        .map(|e| (f64::from(e.value()), e.label().to_string()))
                        .collect()
                })
                .unwrap_or_default();
            RawColumn {
                name: var.name().to_string(),
                label,
                cells,
                value_labels,
                file_kind: Some(kind),
            }
        })
        .collect();
    Ok((columns, n))
}

fn slot(value: &Value<'_>) -> Slot {
    let num = |x: Option<f64>| Slot::Cell(x.map_or(Cell::Missing, Cell::Number));
    match value {
        Value::Byte(v) => num(v.present().map(f64::from)),
        Value::Int(v) => num(v.present().map(f64::from)),
        Value::Long(v) => num(v.present().map(f64::from)),
        Value::Float(v) => num(v.present().map(float_to_f64)),
        Value::Double(v) => num(v.present()),
        Value::String(s) => Slot::Cell(text(s)),
        Value::LongStringRef(r) => Slot::Long(*r),
    }
}

/// The shortest decimal that reads back as the same `f32`, as an `f64`.
fn float_to_f64(x: f32) -> f64 {
    x.to_string().parse().unwrap_or(f64::from(x))
}

fn text(s: &str) -> Cell {
    let t = s.trim();
    if t.is_empty() {
        Cell::Missing
    } else {
        Cell::Text(t.to_string())
    }
}
