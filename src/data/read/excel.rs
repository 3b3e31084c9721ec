//! Excel and OpenDocument spreadsheets (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`) through
//! `calamine`.
//!
//! The first non-empty row of the sheet is the header. Rows are reported with their worksheet row
//! number. Numbers and dates (as Excel serial numbers) are numbers, booleans 0/1, text is read as
//! in a CSV file, and an error cell such as `#DIV/0!` is kept as its text so that the column
//! reports it with its row.

use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};

use super::csv::text_cell;
use super::{guard, io_error, Cell, RawColumn, RawTable};
use crate::data::DataError;

pub(super) fn read(path: &Path, sheet: Option<&str>) -> Result<RawTable, DataError> {
    let source = path.display().to_string();
    let range = guard(path, "spreadsheet", || {
        let mut book = open_workbook_auto(path)
            .map_err(|e| io_error(path, format!("not a readable spreadsheet: {e}")))?;
        let names = book.sheet_names();
        let name = match sheet {
            None => names.first().cloned().ok_or_else(|| DataError::EmptyFile {
                path: source.clone(),
            })?,
            Some(s) if names.iter().any(|n| n == s) => s.to_string(),
            Some(s) => {
                return Err(DataError::Invalid(format!(
                    "'{source}' has no sheet named '{s}'; its sheets are: {}",
                    names
                        .iter()
                        .map(|n| format!("'{n}'"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )))
            }
        };
        book.worksheet_range(&name)
            .map_err(|e| io_error(path, format!("cannot read sheet '{name}': {e}")))
    })??;

    let Some((row0, _)) = range.start() else {
        return Err(DataError::EmptyFile { path: source });
    };
    let width = range.width();
    // Worksheet row numbers are 1-based; the range starts at 0-based row `row0`.
    let mut rows = range
        .rows()
        .enumerate()
        .map(|(i, r)| (u64::from(row0) + i as u64 + 1, r))
        .filter(|(_, r)| r.iter().any(|c| !matches!(c, Data::Empty)));
    let Some((_, header)) = rows.next() else {
        return Err(DataError::EmptyFile { path: source });
    };
    let mut columns: Vec<RawColumn> = (0..width)
        .map(|j| {
            let name = header.get(j).map(header_name).unwrap_or_default();
            RawColumn {
                name: if name.is_empty() {
                    format!("V{}", j + 1)
                } else {
                    name
                },
                ..Default::default()
            }
        })
        .collect();
    let mut lines = Vec::new();
    for (line, row) in rows {
        for (j, col) in columns.iter_mut().enumerate() {
            col.cells.push(row.get(j).map_or(Cell::Missing, cell));
        }
        lines.push(line);
    }
    if lines.is_empty() {
        return Err(DataError::EmptyFile { path: source });
    }
    Ok(RawTable {
        source,
        columns,
        lines,
        notes: Vec::new(),
    })
}

fn header_name(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::Float(x) => crate::data::format_number(*x),
        other => other.to_string().trim().to_string(),
    }
}

fn cell(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Missing,
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(x) => Cell::Number(*x),
        Data::Bool(b) => Cell::Number(if *b { 1.0 } else { 0.0 }),
        Data::DateTime(dt) => Cell::Number(dt.as_f64()),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => text_cell(s),
        Data::Error(e) => Cell::Text(e.to_string()),
    }
}
