//! Readers. Every format is turned into a [`RawTable`] of cells, and one builder turns cells into
//! typed columns, so type inference, missing codes and cell problems behave the same for CSV,
//! SPSS, Stata, Excel and Parquet.

mod build;
mod csv;
mod excel;
pub mod memory;
mod numbers;
mod packed;
#[cfg(feature = "polars")]
pub mod parquet;
#[cfg(feature = "polars")]
pub use parquet::{from_polars, to_polars};
mod spss;
mod stata;
mod xls_check;

use std::path::Path;

pub use build::build_dataset;
pub use numbers::{looks_like_decimal_comma, Decimal};
pub use packed::{CellRef, PackedCells};

use super::{DataError, Dataset};

/// One cell as a reader found it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Missing,
    Number(f64),
    Text(String),
}

/// A column as read, before typing.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawColumn {
    pub name: String,
    pub label: Option<String>,
    pub cells: Vec<Cell>,
    /// Value labels (code -> label) stored in the file.
    pub value_labels: Vec<(f64, String)>,
    /// The file's own type for the column, where it has one (SPSS string vs numeric variables);
    /// `None` lets the builder infer it.
    pub file_kind: Option<ColumnKind>,
    /// The cells stored compactly, as the text reader stores them (a reader fills either this
    /// or `cells`).
    pub packed: PackedCells,
}

impl RawColumn {
    /// The column's cells, compactly, whichever way the reader stored them.
    pub fn take_cells(&mut self) -> PackedCells {
        if self.cells.is_empty() {
            std::mem::take(&mut self.packed)
        } else {
            PackedCells::from(std::mem::take(&mut self.cells))
        }
    }
}

/// A table as read: columns of cells and the file line of each row.
#[derive(Debug, Clone, PartialEq)]
pub struct RawTable {
    pub source: String,
    pub columns: Vec<RawColumn>,
    pub lines: Vec<u64>,
    /// How the file was read, where that is worth saying (a detected delimiter, encoding or
    /// decimal mark; thousands separators and percentages).
    pub notes: Vec<String>,
}

/// How a column is to be typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    Numeric,
    Categorical,
}

/// Options for reading a data file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReadOptions {
    /// Extra numeric codes that mean "missing" (for example -99 and 999), applied to every column.
    pub missing_codes: Vec<f64>,
    /// Extra text tokens that mean "missing", besides the defaults (empty, `NA`, `.`, `NaN`).
    pub missing_tokens: Vec<String>,
    /// Column types that override inference: (column, kind).
    pub kinds: Vec<(String, ColumnKind)>,
    /// Field delimiter for text files; by default the one of `,` `;` tab that the header line
    /// holds most often (`,` for .csv and tab for .tsv/.tab/.txt when it holds none).
    pub delimiter: Option<u8>,
    /// Decimal mark of text files; by default detected from the cells (a point unless the file
    /// is not comma-separated and writes decimal commas).
    pub decimal: Option<Decimal>,
    /// Worksheet to read from an Excel workbook (name); the first one by default.
    pub sheet: Option<String>,
}

/// Reads a data file, choosing the reader from the file extension.
pub fn read_path(path: impl AsRef<Path>, opts: &ReadOptions) -> Result<Dataset, DataError> {
    let path = path.as_ref();
    let shown = path.display().to_string();
    if !path.exists() {
        return Err(DataError::FileNotFound { path: shown });
    }
    if path.is_dir() {
        return Err(DataError::Io {
            path: shown,
            message: "is a directory, not a data file".into(),
        });
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let raw = match ext.as_str() {
        "csv" => csv::read(path, text_format(opts, b','))?,
        "tsv" | "tab" | "txt" | "dat" => csv::read(path, text_format(opts, b'\t'))?,
        "sav" | "zsav" => spss::read(path)?,
        "dta" => stata::read(path)?,
        "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => excel::read(path, opts.sheet.as_deref())?,
        #[cfg(feature = "polars")]
        "parquet" | "pq" => parquet::read(path)?,
        _ => return Err(DataError::UnsupportedFormat { path: shown, ext }),
    };
    build_dataset(raw, opts)
}

/// Reads delimited text from memory (for tests, notebooks and piped data).
pub fn read_csv_str(
    source: &str,
    text: &str,
    delimiter: u8,
    opts: &ReadOptions,
) -> Result<Dataset, DataError> {
    let format = csv::TextFormat {
        delimiter: Some(delimiter),
        default_delimiter: delimiter,
        decimal: opts.decimal,
    };
    build_dataset(csv::parse(source, text.as_bytes(), format)?, opts)
}

fn text_format(opts: &ReadOptions, default_delimiter: u8) -> csv::TextFormat {
    csv::TextFormat {
        delimiter: opts.delimiter,
        default_delimiter,
        decimal: opts.decimal,
    }
}

fn io_error(path: &Path, e: impl std::fmt::Display) -> DataError {
    DataError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

thread_local! {
    static IN_GUARD: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// True while a third-party parser runs under [`guard`]: a panic there is turned into an error
/// about the file, so a panic hook should stay silent.
pub fn in_guarded_parser() -> bool {
    IN_GUARD.with(|g| g.get())
}

/// Runs a third-party parser, turning a panic on a malformed file into an error naming the file.
fn guard<T>(path: &Path, what: &str, f: impl FnOnce() -> T) -> Result<T, DataError> {
    IN_GUARD.with(|g| g.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    IN_GUARD.with(|g| g.set(false));
    result.map_err(|_| io_error(path, format!("malformed {what} (the reader failed on it)")))
}
