use std::path::Path;

use super::numbers::{self, Decimal, Detected, Written};
use super::{io_error, Cell, RawColumn, RawTable};
use crate::data::DataError;

/// How a delimited text file is to be read: the delimiter and decimal mark if given (otherwise
/// detected), and the delimiter its extension implies.
#[derive(Debug, Clone, Copy)]
pub(super) struct TextFormat {
    pub delimiter: Option<u8>,
    pub default_delimiter: u8,
    pub decimal: Option<Decimal>,
}

pub(super) fn read(path: &Path, format: TextFormat) -> Result<RawTable, DataError> {
    let bytes = std::fs::read(path).map_err(|e| io_error(path, e))?;
    parse(&path.display().to_string(), &bytes, format)
}

/// Parses delimited text with a header line. Text that is not UTF-8 is decoded (UTF-16 with a
/// byte-order mark, else Windows-1252/Latin-1); the delimiter and decimal mark are detected when
/// not given; cells are trimmed, and numbers are recognised here (typed later by the builder).
/// How the file was read, when it is not the plain default, is said in the table's notes.
pub(super) fn parse(source: &str, bytes: &[u8], format: TextFormat) -> Result<RawTable, DataError> {
    let empty = || DataError::EmptyFile {
        path: source.to_string(),
    };
    let mut notes = Vec::new();
    let (text, encoding_note) = decode(source, bytes);
    notes.extend(encoding_note);
    let bytes = text.as_bytes();
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(empty());
    }
    let delimiter = match format.delimiter {
        Some(d) => d,
        None => {
            let d = detect_delimiter(&text, format.default_delimiter);
            if d != format.default_delimiter {
                notes.push(format!(
                    "'{source}' is separated by {} rather than {}, so it was read that way (--delimiter {} says so explicitly)",
                    delimiter_name(d),
                    delimiter_name(format.default_delimiter),
                    delimiter_flag(d)
                ));
            }
            d
        }
    };
    let (header, rows, lines) = records(source, bytes, delimiter)?;
    if lines.is_empty() {
        return Err(empty());
    }
    let mut columns: Vec<RawColumn> = header
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let name = h.trim().trim_start_matches('\u{feff}').to_string();
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
    let decimal = match format.decimal {
        Some(d) => d,
        None => match numbers::detect(rows.iter().flatten(), delimiter) {
            Detected::Mark(d) => d,
            Detected::Ambiguous(example) => {
                return Err(ambiguous(source, &columns, &rows, &lines, &example))
            }
        },
    };
    let mut seen = Forms::default();
    for (r, row) in rows.iter().enumerate() {
        for (j, (col, field)) in columns.iter_mut().zip(row).enumerate() {
            let (cell, written) = number_cell(field, decimal);
            if let Some(w) = written {
                seen.record(w, j, lines[r], field.trim());
            }
            col.cells.push(cell);
        }
    }
    notes.extend(seen.notes(source, &columns, format.decimal.is_none()));
    Ok(RawTable {
        source: source.to_string(),
        columns,
        lines,
        notes,
    })
}

/// The header, the data rows (as text) and each row's file line.
type Records = (Vec<String>, Vec<Vec<String>>, Vec<u64>);

fn records(source: &str, bytes: &[u8], delimiter: u8) -> Result<Records, DataError> {
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
    let text = |f: &[u8]| String::from_utf8_lossy(f).into_owned();
    let header: Vec<String> = match records.next() {
        Some(r) => r.map_err(parse_err)?.iter().map(text).collect(),
        None => {
            return Err(DataError::EmptyFile {
                path: source.to_string(),
            })
        }
    };
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    for rec in records {
        let rec = rec.map_err(parse_err)?;
        let line = line_at(rec.position());
        // A blank line at the end (or anywhere) is not a row.
        if rec.len() == 1 && rec[0].iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if rec.len() != header.len() {
            return Err(DataError::RaggedRow {
                path: source.to_string(),
                line,
                expected: header.len(),
                found: rec.len(),
            });
        }
        rows.push(rec.iter().map(text).collect());
        lines.push(line);
    }
    Ok((header, rows, lines))
}

/// The text as UTF-8, and a note when it had to be decoded: UTF-16 (Excel's "Unicode text")
/// by its byte-order mark, or Windows-1252 (a superset of Latin-1, as Excel and SPSS on Windows
/// save text) when it is not valid UTF-8.
fn decode<'a>(source: &str, bytes: &'a [u8]) -> (std::borrow::Cow<'a, str>, Option<String>) {
    use encoding_rs::{UTF_8, WINDOWS_1252};
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        let note = (enc != UTF_8).then(|| {
            format!(
                "'{source}' is {} text, so it was decoded as such",
                enc.name()
            )
        });
        return (text, note);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (std::borrow::Cow::Borrowed(text), None);
    }
    let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
    let note = format!(
        "'{source}' is not UTF-8 text, so it was read as Windows-1252 (Latin-1), the encoding of Excel and SPSS exports on Windows; save it as UTF-8 if its accented letters look wrong"
    );
    (text, Some(note))
}

/// The delimiter of the header line: the one of `,` `;` tab it holds most often outside quotes
/// (the extension's default when it holds none or ties).
fn detect_delimiter(text: &str, default: u8) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in header.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted {
            if let Some(c) = counts.iter_mut().find(|(d, _)| *d == b) {
                c.1 += 1;
            }
        }
    }
    let of = |d: u8| counts.iter().find(|(x, _)| *x == d).map_or(0, |c| c.1);
    let (best, n) = counts
        .iter()
        .copied()
        .max_by_key(|(_, n)| *n)
        .unwrap_or((default, 0));
    if n == 0 || of(default) == n {
        default
    } else {
        best
    }
}

fn delimiter_name(d: u8) -> String {
    match d {
        b'\t' => "tabs".into(),
        b',' => "commas".into(),
        b';' => "semicolons".into(),
        other => format!("'{}'", other as char),
    }
}

fn delimiter_flag(d: u8) -> String {
    match d {
        b'\t' => "tab".into(),
        other => format!("'{}'", other as char),
    }
}

/// A trimmed cell as a number under the file's decimal mark (with how it was written, when that
/// was more than plain digits), else missing or text.
fn number_cell(field: &str, decimal: Decimal) -> (Cell, Option<Written>) {
    let t = field.trim();
    if t.is_empty() {
        return (Cell::Missing, None);
    }
    match numbers::parse(t, decimal) {
        // "NaN" stays text: the builder reads it as missing, as R and pandas write it.
        Some((x, _)) if x.is_nan() => (Cell::Text(t.to_string()), None),
        Some((x, Written::Plain)) => (Cell::Number(x), None),
        Some((x, w)) => (Cell::Number(x), Some(w)),
        // Rust reads "inf" in either mark; the builder reports it as not finite.
        None => match t.parse::<f64>() {
            Ok(x) if x.is_infinite() => (Cell::Number(x), None),
            _ => (Cell::Text(t.to_string()), None),
        },
    }
}

/// The first cell of each column written in each non-plain form, for the notes.
#[derive(Default)]
struct Forms {
    /// (form, column, line, text), first occurrence per (form, column).
    first: Vec<(Written, usize, u64, String)>,
}

impl Forms {
    fn record(&mut self, w: Written, column: usize, line: u64, text: &str) {
        if !self
            .first
            .iter()
            .any(|(f, c, _, _)| *f == w && *c == column)
        {
            self.first.push((w, column, line, text.to_string()));
        }
    }

    fn notes(&self, source: &str, columns: &[RawColumn], detected: bool) -> Vec<String> {
        let of = |w: Written| -> Vec<String> {
            self.first
                .iter()
                .filter(|(f, ..)| *f == w)
                .map(|(_, c, line, t)| {
                    format!("'{}' (such as '{t}' on line {line})", columns[*c].name)
                })
                .collect()
        };
        let mut notes = Vec::new();
        let comma = of(Written::DecimalComma);
        if detected && !comma.is_empty() {
            notes.push(format!(
                "'{source}' writes numbers with decimal commas, so they were read as such: {} (--decimal , says so explicitly)",
                comma.join(", ")
            ));
        }
        let grouped = of(Written::Grouped);
        if !grouped.is_empty() {
            notes.push(format!(
                "'{source}': thousands separators were read as such in {}",
                grouped.join(", ")
            ));
        }
        let percent = of(Written::Percent);
        if !percent.is_empty() {
            notes.push(format!(
                "'{source}': percentages were read as the numbers shown (12% as 12, not 0.12) in {}",
                percent.join(", ")
            ));
        }
        notes
    }
}

fn shown(x: Option<(f64, Written)>) -> String {
    x.map_or_else(String::new, |(x, _)| crate::data::format_number(x))
}

/// The error for a cell whose decimal mark cannot be told, naming where it is.
fn ambiguous(
    source: &str,
    columns: &[RawColumn],
    rows: &[Vec<String>],
    lines: &[u64],
    example: &str,
) -> DataError {
    let (line, column) = rows
        .iter()
        .zip(lines)
        .find_map(|(row, &line)| {
            row.iter()
                .position(|f| f.trim().trim_end_matches('%').trim_end() == example)
                .map(|j| (line, columns[j].name.clone()))
        })
        .unwrap_or((0, String::new()));
    DataError::Parse {
        path: source.to_string(),
        line,
        message: format!(
            "column '{column}': '{example}' is {} with a decimal comma and {} with a thousands separator, and the file does not say which; give --decimal , or --decimal .",
            shown(numbers::parse(example, Decimal::Comma)),
            shown(numbers::parse(example, Decimal::Point)),
        ),
    }
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
    use super::{Decimal, TextFormat};

    fn parse(
        source: &str,
        bytes: &[u8],
        delimiter: u8,
    ) -> Result<super::RawTable, crate::data::DataError> {
        let format = TextFormat {
            delimiter: Some(delimiter),
            default_delimiter: delimiter,
            decimal: Some(Decimal::Point),
        };
        super::parse(source, bytes, format)
    }

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
