//! Excel and OpenDocument spreadsheets (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`) through
//! `calamine`.
//!
//! The first non-empty row of the sheet is the header. Rows are reported with their worksheet row
//! number. Numbers and dates (as Excel serial numbers) are numbers, booleans 0/1, text is read as
//! in a CSV file, and an error cell such as `#DIV/0!` is kept as its text so that the column
//! reports it with its row.

use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader, Sheets};

use super::csv::text_cell;
use super::{guard, io_error, Cell, RawColumn, RawTable};
use crate::data::DataError;

/// Most cells a sheet's bounding box (used columns × rows with data) may span: a stray value far
/// from the data (typed into cell XFD1048576, say) would otherwise make a table of billions of
/// empty cells and exhaust memory.
pub const MAX_CELLS: u64 = 50_000_000;

pub(super) fn read(path: &Path, sheet: Option<&str>) -> Result<RawTable, DataError> {
    let source = path.display().to_string();
    let cells = guard(path, "spreadsheet", || sheet_cells(path, &source, sheet))??;
    table(&source, cells)
}

/// The non-empty cells of the sheet asked for (the first by default), as (row, column, value)
/// with 0-based worksheet positions. Excel workbooks are read cell by cell, so a sheet whose used
/// area is huge costs only its cells; .xls and .ods come from calamine's dense range.
fn sheet_cells(
    path: &Path,
    source: &str,
    sheet: Option<&str>,
) -> Result<Vec<(u32, u32, Data)>, DataError> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if ["xlsx", "xlsm", "xlam"]
        .iter()
        .any(|x| ext.eq_ignore_ascii_case(x))
    {
        check_shared_strings(path)?;
    }
    if ["xls", "xla"].iter().any(|x| ext.eq_ignore_ascii_case(x)) {
        check_xls_dimensions(path)?;
    }
    let mut book = open_workbook_auto(path)
        .map_err(|e| io_error(path, format!("not a readable spreadsheet: {e}")))?;
    let names = book.sheet_names();
    let name = match sheet {
        None => names.first().cloned().ok_or_else(|| DataError::EmptyFile {
            path: source.to_string(),
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
    let bad =
        |e: &dyn std::fmt::Display| io_error(path, format!("cannot read sheet '{name}': {e}"));
    let mut cells = Vec::new();
    let mut keep = |pos: (u32, u32), v: Data| {
        if !matches!(v, Data::Empty) {
            cells.push((pos.0, pos.1, v));
        }
    };
    match &mut book {
        Sheets::Xlsx(x) => {
            let mut r = x.worksheet_cells_reader(&name).map_err(|e| bad(&e))?;
            while let Some(c) = r.next_cell().map_err(|e| bad(&e))? {
                keep(c.get_position(), c.get_value().clone().into());
            }
        }
        Sheets::Xlsb(x) => {
            let mut r = x.worksheet_cells_reader(&name).map_err(|e| bad(&e))?;
            while let Some(c) = r.next_cell().map_err(|e| bad(&e))? {
                keep(c.get_position(), c.get_value().clone().into());
            }
        }
        other => {
            let range = other.worksheet_range(&name).map_err(|e| bad(&e))?;
            for (r, c, v) in range.used_cells() {
                let (r0, c0) = range.start().unwrap_or((0, 0));
                keep((r0 + r as u32, c0 + c as u32), v.clone());
            }
        }
    }
    Ok(cells)
}

/// Checks the number of shared strings an Excel workbook declares (`uniqueCount` of the `<sst>`
/// element of its sharedStrings.xml; ECMA-376 Part 1, 18.4.9) before calamine reserves room for
/// that many strings, unchecked, when it opens the workbook: a 4 KB file declaring two billion
/// strings made it ask for 48 GB, and the failed allocation aborted the process (which no
/// panic guard can catch). Every shared string takes at least `<si/>` (5 bytes) of the part, and
/// no sheet cipa reads has more than [`MAX_CELLS`] cells. An archive or part that cannot be read
/// here is left to calamine, which reports it.
fn check_shared_strings(path: &Path) -> Result<(), DataError> {
    use std::io::Read;
    let Ok(file) = std::fs::File::open(path) else {
        return Ok(());
    };
    let Ok(mut archive) = zip::ZipArchive::new(file) else {
        return Ok(());
    };
    for i in 0..archive.len() {
        let Ok(part) = archive.by_index(i) else {
            continue;
        };
        let is_sst = part
            .name()
            .is_ok_and(|n| n.to_ascii_lowercase().ends_with("sharedstrings.xml"));
        if !is_sst {
            continue;
        }
        let size = part.size();
        let mut head = Vec::new();
        // The <sst> element opens the part; its attributes are in the first few hundred bytes.
        if part.take(64 * 1024).read_to_end(&mut head).is_err() {
            continue;
        }
        let Some(declared) = unique_count(&head) else {
            continue;
        };
        if declared > MAX_CELLS || declared.saturating_mul(5) > size {
            return Err(io_error(
                path,
                format!(
                    "not a readable spreadsheet: its shared-strings part declares {declared} \
                     strings, more than its {size} bytes can hold (or than cipa reads: \
                     {MAX_CELLS}); the file is damaged: open and save it again in Excel, or \
                     save the data as CSV"
                ),
            ));
        }
    }
    Ok(())
}

/// Refuses a legacy workbook (.xls) with a sheet whose DIMENSIONS record would make calamine
/// reserve more than [`MAX_CELLS`] cells (a valid .xls sheet has at most 65,536 x 256): the
/// failed reservation would abort the process (see `xls_check`).
fn check_xls_dimensions(path: &Path) -> Result<(), DataError> {
    let Ok(bytes) = std::fs::read(path) else {
        return Ok(());
    };
    if super::xls_check::directory_loops(&bytes) {
        return Err(io_error(
            path,
            "not a readable spreadsheet: the chain of sectors of its directory loops; the file \
             is damaged: open and save it again in Excel, or save the data as CSV",
        ));
    }
    match super::xls_check::largest_dimensions(&bytes) {
        Some((cells, [rf, rl, cf, cl])) if cells > MAX_CELLS => Err(io_error(
            path,
            format!(
                "not a readable spreadsheet: a sheet's DIMENSIONS record spans rows {rf} to {rl} \
                 and columns {cf} to {cl} ({cells} cells, more than an .xls sheet holds or cipa \
                 reads: {MAX_CELLS}); the file is damaged: open and save it again in Excel, or \
                 save the data as CSV"
            ),
        )),
        _ => Ok(()),
    }
}

/// The value of the first `uniqueCount="..."` attribute in `xml` (digits only), saturating.
fn unique_count(xml: &[u8]) -> Option<u64> {
    let key = b"uniqueCount=";
    let at = xml.windows(key.len()).position(|w| w == key)? + key.len();
    let rest = xml.get(at + 1..)?;
    let digits = rest.iter().take_while(|b| b.is_ascii_digit());
    Some(digits.fold(0u64, |v, &b| {
        v.saturating_mul(10).saturating_add(u64::from(b - b'0'))
    }))
}

/// The table of a sheet's cells: the first row with a value is the header, every later row with
/// a value a data row (rows reported with their worksheet row number), and every column that has
/// a value, named by its header cell or `V` and its position from the leftmost used column (a
/// column without any value, between the data and a stray cell far to the right, is no column).
fn table(source: &str, mut cells: Vec<(u32, u32, Data)>) -> Result<RawTable, DataError> {
    let empty = || DataError::EmptyFile {
        path: source.to_string(),
    };
    if cells.is_empty() {
        return Err(empty());
    }
    cells.sort_by_key(|c| (c.0, c.1));
    let mut used: Vec<u32> = cells.iter().map(|c| c.1).collect();
    used.sort_unstable();
    used.dedup();
    let first_col = used[0];
    let width = used.len();
    let mut rows: Vec<u32> = cells.iter().map(|c| c.0).collect();
    rows.dedup();
    let extent = width as u64 * rows.len() as u64;
    if extent > MAX_CELLS {
        let far = cells
            .iter()
            .max_by_key(|c| (c.1, c.0))
            .map_or_else(String::new, |c| cell_name(c.0, c.1));
        return Err(DataError::Invalid(format!(
            "'{source}': the sheet's values span {width} columns and {} rows ({extent} cells, more than cipa reads: {MAX_CELLS}); values far from the data (such as in cell {far}) usually cause this: delete them, or save just the data as CSV",
            rows.len()
        )));
    }
    let header_row = rows[0];
    let mut columns: Vec<RawColumn> = used
        .iter()
        .map(|&c| RawColumn {
            name: format!("V{}", c - first_col + 1),
            ..Default::default()
        })
        .collect();
    let slot = |col: u32| used.binary_search(&col).unwrap_or(0);
    let mut lines = Vec::new();
    let mut k = 0;
    while k < cells.len() {
        let row = cells[k].0;
        let mut values: Vec<Option<&Data>> = vec![None; width];
        while k < cells.len() && cells[k].0 == row {
            values[slot(cells[k].1)] = Some(&cells[k].2);
            k += 1;
        }
        if row == header_row {
            for (col, v) in columns.iter_mut().zip(&values) {
                let name = v.map(header_name).unwrap_or_default();
                if !name.is_empty() {
                    col.name = name;
                }
            }
            continue;
        }
        for (col, v) in columns.iter_mut().zip(&values) {
            col.cells.push(v.map_or(Cell::Missing, cell));
        }
        // Worksheet row numbers are 1-based.
        lines.push(u64::from(row) + 1);
    }
    if lines.is_empty() {
        return Err(empty());
    }
    Ok(RawTable {
        source: source.to_string(),
        columns,
        lines,
        notes: Vec::new(),
    })
}

/// `(0, 0)` -> `A1`.
fn cell_name(row: u32, col: u32) -> String {
    let mut letters = String::new();
    let mut c = col + 1;
    while c > 0 {
        let r = (c - 1) % 26;
        letters.insert(0, (b'A' + r as u8) as char);
        c = (c - 1) / 26;
    }
    format!("{letters}{}", row + 1)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_names() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(1048575, 16383), "XFD1048576");
        assert_eq!(cell_name(9, 26), "AA10");
    }

    #[test]
    fn a_huge_used_area_is_an_error_not_a_huge_table() {
        // 8,000 values on a diagonal: 8,000 used columns × 8,000 rows is 64 million cells.
        let mut cells = vec![(0, 0, Data::String("x".into()))];
        for k in 1..8000 {
            cells.push((k, k, Data::Float(f64::from(k))));
        }
        let e = table("t.xlsx", cells).unwrap_err().to_string();
        assert!(
            e.contains("8000 columns") && e.contains("save just the data as CSV"),
            "{e}"
        );
        assert!(e.contains("cell KUR8000"), "{e}");
        // A far cell on few rows is read as one more column, named by its position.
        let t = table(
            "t.xlsx",
            vec![
                (0, 0, Data::String("x".into())),
                (1, 0, Data::Float(1.0)),
                (1, 300, Data::Float(2.0)),
            ],
        )
        .unwrap();
        let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["x", "V301"]);
        assert_eq!(t.lines, vec![2]);
    }
}
