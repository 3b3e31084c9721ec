use std::path::Path;

use super::{io_error, Cell, RawColumn, RawTable};
use crate::data::DataError;

pub(super) fn read(path: &Path, delimiter: u8) -> Result<RawTable, DataError> {
    let bytes = std::fs::read(path).map_err(|e| io_error(path, e))?;
    parse(&path.display().to_string(), &bytes, delimiter)
}

/// Parses delimited text with a header line. Cells are trimmed; numbers are recognised here and
/// typed later by the builder.
pub(super) fn parse(source: &str, bytes: &[u8], delimiter: u8) -> Result<RawTable, DataError> {
    let empty = || DataError::EmptyFile {
        path: source.to_string(),
    };
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(empty());
    }
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .from_reader(bytes);
    let mut records = rdr.byte_records();
    // Line numbers come from byte offsets, not from the csv crate's line counter, which is off by
    // one for files with CRLF line ends (BurntSushi/rust-csv#395).
    let newlines: Vec<usize> = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i)
        .collect();
    // With CRLF the reported offset can point at the previous line's terminator: skip it.
    let line_at = |pos: Option<&csv::Position>| -> u64 {
        pos.map_or(0, |p| {
            let mut b = p.byte() as usize;
            while b < bytes.len() && matches!(bytes[b], b'\r' | b'\n') {
                b += 1;
            }
            newlines.partition_point(|&nl| nl < b) as u64 + 1
        })
    };
    let parse_err = |e: csv::Error| {
        let line = line_at(e.position());
        DataError::Parse {
            path: source.to_string(),
            line,
            message: e.to_string(),
        }
    };
    let header = match records.next() {
        Some(r) => r.map_err(parse_err)?,
        None => return Err(empty()),
    };
    let mut columns: Vec<RawColumn> = header
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let name = String::from_utf8_lossy(h)
                .trim()
                .trim_start_matches('\u{feff}')
                .to_string();
            RawColumn {
                name: if name.is_empty() {
                    format!("V{}", i + 1)
                } else {
                    name
                },
                ..Default::default()
            }
        })
        .collect();
    let mut lines = Vec::new();
    for rec in records {
        let rec = rec.map_err(parse_err)?;
        let line = line_at(rec.position());
        // A blank line at the end (or anywhere) is not a row.
        if rec.len() == 1 && rec[0].iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if rec.len() != columns.len() {
            return Err(DataError::RaggedRow {
                path: source.to_string(),
                line,
                expected: columns.len(),
                found: rec.len(),
            });
        }
        for (col, field) in columns.iter_mut().zip(rec.iter()) {
            col.cells.push(text_cell(&String::from_utf8_lossy(field)));
        }
        lines.push(line);
    }
    if lines.is_empty() {
        return Err(empty());
    }
    Ok(RawTable {
        source: source.to_string(),
        columns,
        lines,
    })
}

/// A trimmed text cell: a number where it parses as one, otherwise text (missing tokens are
/// recognised by the builder, which knows the user's codes).
pub(super) fn text_cell(s: &str) -> Cell {
    let t = s.trim();
    if t.is_empty() {
        return Cell::Missing;
    }
    match t.parse::<f64>() {
        Ok(x) if !x.is_nan() => Cell::Number(x),
        _ => Cell::Text(t.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn line_numbers_with_lf_crlf_and_quoted_newlines() {
        for text in ["a,b\n1,2\n3,4\n", "a,b\r\n1,2\r\n3,4\r\n"] {
            let t = parse("t", text.as_bytes(), b',').unwrap();
            assert_eq!(t.lines, vec![2, 3], "{text:?}");
        }
        let t = parse("t", b"a,b\n\"x\ny\",2\n3,4\n", b',').unwrap();
        assert_eq!(t.lines, vec![2, 4]);
        let err = parse("t", b"a,b\r\n1,2\r\n1,2,3\r\n", b',').unwrap_err();
        assert!(err.to_string().contains("line 3"), "{err}");
    }
}
