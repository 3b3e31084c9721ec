use std::path::Path;

use super::numbers::{self, Decimal, DecimalVotes, Detected, Written};
use super::{io_error, Cell, PackedCells, RawColumn, RawTable};
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
    let source = path.display().to_string();
    let size = std::fs::metadata(path)
        .map_err(|e| io_error(path, e))?
        .len();
    super::memory::check_text_file(&source, path, size)?;
    let bytes = std::fs::read(path).map_err(|e| io_error(path, e))?;
    let (text, encoding_note) = decode_owned(&source, bytes);
    parse_text(&source, &text, encoding_note, format)
}

/// Parses delimited text with a header line. Text that is not UTF-8 is decoded (UTF-16 with a
/// byte-order mark, else Windows-1252/Latin-1); the delimiter and decimal mark are detected when
/// not given; cells are trimmed, and numbers are recognised here (typed later by the builder).
/// How the file was read, when it is not the plain default, is said in the table's notes.
pub(super) fn parse(source: &str, bytes: &[u8], format: TextFormat) -> Result<RawTable, DataError> {
    let (text, encoding_note) = decode(source, bytes);
    parse_text(source, &text, encoding_note, format)
}

/// Reads the records one at a time into compact columns ([`PackedCells`]): the text is held
/// once, each cell costs 8 bytes, and the decimal mark, when it must be detected, is found by a
/// first pass over the records that stores nothing.
fn parse_text(
    source: &str,
    text: &str,
    encoding_note: Option<String>,
    format: TextFormat,
) -> Result<RawTable, DataError> {
    let empty = || DataError::EmptyFile {
        path: source.to_string(),
    };
    let mut notes = Vec::new();
    notes.extend(encoding_note);
    if text.bytes().all(|b| b.is_ascii_whitespace()) {
        return Err(empty());
    }
    let delimiter = match format.delimiter {
        Some(d) => d,
        None => {
            let d = detect_delimiter(text, format.default_delimiter);
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
    let (mut records, header) = Records::open(source, text, delimiter)?;
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
        None => detect_decimal(source, text, delimiter, &columns)?,
    };
    let mut seen = Forms::default();
    let mut lines = Vec::new();
    while let Some(line) = records.next_row()? {
        if lines.len() == ROWS_BEFORE_ESTIMATE {
            let rows = records.estimated_rows(lines.len());
            lines.reserve(rows);
            columns.iter_mut().for_each(|c| c.packed.reserve(rows));
        }
        for (j, (col, field)) in columns.iter_mut().zip(records.fields()).enumerate() {
            let written = number_field(&field, decimal, &mut col.packed);
            if let Some(w) = written {
                seen.record(w, j, line, field.trim());
            }
        }
        lines.push(line);
    }
    if lines.is_empty() {
        return Err(empty());
    }
    columns.iter_mut().for_each(|c| c.packed.finish());
    notes.extend(seen.notes(source, &columns, format.decimal.is_none()));
    Ok(RawTable {
        source: source.to_string(),
        columns,
        lines,
        notes,
    })
}

/// Rows read before the columns reserve room for the rest of the file, estimated from the bytes
/// those rows took (so the columns do not grow by doubling, which can hold twice their size).
const ROWS_BEFORE_ESTIMATE: usize = 1024;

/// The decimal mark the cells imply: a pass over the records storing nothing, which stops once
/// a decimal point settles it. It meets a malformed or ragged record before the second pass
/// would, so the errors are those of one pass.
fn detect_decimal(
    source: &str,
    text: &str,
    delimiter: u8,
    columns: &[RawColumn],
) -> Result<Decimal, DataError> {
    if delimiter == b',' {
        return Ok(Decimal::Point);
    }
    let (mut records, _) = Records::open(source, text, delimiter)?;
    let mut votes = DecimalVotes::default();
    while !votes.settled() && records.next_row()?.is_some() {
        records.fields().for_each(|f| votes.add(&f));
    }
    match votes.result(delimiter) {
        Detected::Mark(d) => Ok(d),
        Detected::Ambiguous(example) => Err(ambiguous(source, text, delimiter, columns, &example)),
    }
}

/// The data records of a delimited text, one at a time, with each one's file line.
struct Records<'a> {
    source: &'a str,
    bytes: &'a [u8],
    reader: csv::Reader<&'a [u8]>,
    record: csv::ByteRecord,
    width: usize,
    /// Newlines before byte `counted`, so lines are counted once as the records advance.
    counted: usize,
    newlines: u64,
}

impl<'a> Records<'a> {
    /// The records after the header, and the header's fields.
    fn open(
        source: &'a str,
        text: &'a str,
        delimiter: u8,
    ) -> Result<(Self, Vec<String>), DataError> {
        let bytes = text.as_bytes();
        let reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(false)
            .from_reader(bytes);
        let mut r = Records {
            source,
            bytes,
            reader,
            record: csv::ByteRecord::new(),
            width: 0,
            counted: 0,
            newlines: 0,
        };
        if !r.read()? {
            return Err(DataError::EmptyFile {
                path: source.to_string(),
            });
        }
        let header: Vec<String> = r
            .record
            .iter()
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect();
        r.width = header.len();
        Ok((r, header))
    }

    fn read(&mut self) -> Result<bool, DataError> {
        match self.reader.read_byte_record(&mut self.record) {
            Ok(more) => Ok(more),
            Err(e) => {
                let line = self.line_at(e.position());
                Err(DataError::Parse {
                    path: self.source.to_string(),
                    line,
                    message: e.to_string(),
                })
            }
        }
    }

    /// The next data row's file line (its fields are then [`Records::fields`]); blank lines
    /// are no rows, and a row of another width than the header's is an error.
    fn next_row(&mut self) -> Result<Option<u64>, DataError> {
        loop {
            if !self.read()? {
                return Ok(None);
            }
            let position = self.record.position().cloned();
            let line = self.line_at(position.as_ref());
            let rec = &self.record;
            if rec.len() == 1 && rec[0].iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            if rec.len() != self.width {
                return Err(DataError::RaggedRow {
                    path: self.source.to_string(),
                    line,
                    expected: self.width,
                    found: rec.len(),
                });
            }
            return Ok(Some(line));
        }
    }

    /// The fields of the row [`Records::next_row`] read (text, since the whole is text and the
    /// delimiter a single byte; a non-UTF-8 field, possible only with a non-ASCII delimiter, is
    /// read lossily, as before).
    fn fields(&self) -> impl Iterator<Item = std::borrow::Cow<'_, str>> + '_ {
        self.record.iter().map(String::from_utf8_lossy)
    }

    /// The rows a text of this size holds, judging by the `rows` read so far.
    fn estimated_rows(&self, rows: usize) -> usize {
        let done = self.reader.position().byte().max(1) as f64;
        let rest = self.bytes.len() as f64 - done;
        (rest / done * rows as f64 * 1.05) as usize
    }

    /// The file line of a position. Lines come from byte offsets, not from the csv crate's line
    /// counter, which is off by one for files with CRLF line ends (BurntSushi/rust-csv#395);
    /// with CRLF the reported offset can point at the previous line's terminator: skip it.
    fn line_at(&mut self, pos: Option<&csv::Position>) -> u64 {
        let Some(p) = pos else { return 0 };
        let mut b = (p.byte() as usize).min(self.bytes.len());
        while b < self.bytes.len() && matches!(self.bytes[b], b'\r' | b'\n') {
            b += 1;
        }
        let count = |s: &[u8]| s.iter().filter(|&&c| c == b'\n').count() as u64;
        if b >= self.counted {
            self.newlines += count(&self.bytes[self.counted..b]);
        } else {
            self.newlines -= count(&self.bytes[b..self.counted]);
        }
        self.counted = b;
        self.newlines + 1
    }
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
    (text, Some(windows_1252_note(source)))
}

/// As [`decode`], taking the file's bytes: UTF-8 text becomes the string without a copy, and a
/// decoded copy replaces the bytes, so the file is held once.
fn decode_owned(source: &str, mut bytes: Vec<u8>) -> (String, Option<String>) {
    if encoding_rs::Encoding::for_bom(&bytes).is_some_and(|(e, _)| e == encoding_rs::UTF_8)
        && std::str::from_utf8(&bytes[3..]).is_ok()
    {
        bytes.drain(..3);
    } else if encoding_rs::Encoding::for_bom(&bytes).is_some() {
        let (text, note) = decode(source, &bytes);
        return (text.into_owned(), note);
    }
    match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(e) => {
            let bytes = e.into_bytes();
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&bytes);
            (text.into_owned(), Some(windows_1252_note(source)))
        }
    }
}

fn windows_1252_note(source: &str) -> String {
    format!(
        "'{source}' is not UTF-8 text, so it was read as Windows-1252 (Latin-1), the encoding of Excel and SPSS exports on Windows; save it as UTF-8 if its accented letters look wrong"
    )
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

/// Adds a cell to `cells`: trimmed, a number under the file's decimal mark (returning how it
/// was written, when that was more than plain digits), else missing or text.
fn number_field(field: &str, decimal: Decimal, cells: &mut PackedCells) -> Option<Written> {
    let t = field.trim();
    if t.is_empty() {
        cells.push_missing();
        return None;
    }
    match numbers::parse(t, decimal) {
        // "NaN" stays text: the builder reads it as missing, as R and pandas write it.
        Some((x, _)) if x.is_nan() => cells.push_text(t),
        Some((x, Written::Plain)) => cells.push_number(x),
        Some((x, w)) => {
            cells.push_number(x);
            return Some(w);
        }
        // Rust reads "inf" in either mark; the builder reports it as not finite.
        None => match t.parse::<f64>() {
            Ok(x) if x.is_infinite() => cells.push_number(x),
            _ => cells.push_text(t),
        },
    }
    None
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

/// The error for a cell whose decimal mark cannot be told, naming where it is (a pass over the
/// records that found it once already, so none fails).
fn ambiguous(
    source: &str,
    text: &str,
    delimiter: u8,
    columns: &[RawColumn],
    example: &str,
) -> DataError {
    let mut at = (0, String::new());
    if let Ok((mut records, _)) = Records::open(source, text, delimiter) {
        while let Ok(Some(line)) = records.next_row() {
            let found = records
                .fields()
                .position(|f| f.trim().trim_end_matches('%').trim_end() == example);
            if let Some(j) = found {
                at = (line, columns[j].name.clone());
                break;
            }
        }
    }
    let (line, column) = at;
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
