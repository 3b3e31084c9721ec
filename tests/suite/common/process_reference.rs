//! The published PROCESS v4 output in `../shared/reference/process_v4_published.csv` (described in
//! `../shared/reference/README.md` and `tests/golden/PROCESS_CASES.md`): one printed number a row,
//! keyed by the exact PROCESS call and a `quantity` string
//! `<block> | <section> | <row> | <column>` (fewer parts when a section has one row).
//!
//! This module reads the file, splits quantity strings, derives the comparison tolerance from the
//! printed digits and matches PENDING patterns. It knows nothing about cipa's API; the mapping of
//! quantities onto cipa's results lives in `tests/suite/replication_process.rs`.

use std::path::{Path, PathBuf};

/// The reference file, relative to the crate root.
pub const REFERENCE: &str = "../shared/reference/process_v4_published.csv";

/// Columns of bootstrap quantities: they depend on the random-number stream.
pub const BOOTSTRAP_COLUMNS: [&str; 3] = ["BootSE", "BootLLCI", "BootULCI"];

/// Monte-Carlo tolerance of bootstrap quantities, as the reference file states it ("agree within
/// ~0.02 abs (or ~10% of BootSE)"): the larger of these two, plus half a unit of the printed digit.
pub const MC_ABS: f64 = 0.02;
pub const MC_REL_BOOT_SE: f64 = 0.10;

/// `../shared` relative to the crate root, or `None` after printing the skip message.
pub fn shared_or_skip() -> Option<PathBuf> {
    let dir = super::shared_root();
    if dir.is_dir() && dir.join("reference/process_v4_published.csv").is_file() {
        Some(dir)
    } else {
        println!("skipping: ../shared not found");
        None
    }
}

/// One published number.
#[derive(Debug, Clone)]
pub struct Row {
    /// 1-based line of the file (header = line 1), for messages.
    pub line: usize,
    pub dataset: String,
    pub model: String,
    pub call: String,
    pub quantity: String,
    pub value: f64,
    pub printed: String,
    pub tolerance: String,
    pub source: String,
}

impl Row {
    /// The parts of the quantity string, trimmed.
    pub fn parts(&self) -> Vec<&str> {
        split_quantity(&self.quantity)
    }

    /// The last part: the column of the printed table (`coeff`, `se`, `BootLLCI`, ...).
    pub fn column(&self) -> &str {
        self.parts().last().copied().unwrap_or("")
    }

    /// A bootstrap quantity (BootSE, BootLLCI, BootULCI).
    pub fn is_bootstrap(&self) -> bool {
        BOOTSTRAP_COLUMNS.contains(&self.column())
    }

    /// Number of decimals printed.
    pub fn decimals(&self) -> usize {
        decimals(&self.printed)
    }

    /// Half a unit of the last printed digit.
    pub fn half_unit(&self) -> f64 {
        half_unit(&self.printed)
    }

    /// The absolute tolerance stated in the `tolerance` column (`abs 0.005 ...`), if any.
    pub fn stated_abs(&self) -> Option<f64> {
        let t = self.tolerance.trim();
        let rest = t.strip_prefix("abs ")?;
        rest.split_whitespace().next()?.parse().ok()
    }

    /// The quantity with its column replaced by `column` (the same table row, another column).
    pub fn sibling(&self, column: &str) -> String {
        let mut parts = self.parts();
        parts.pop();
        parts.push(column);
        parts.join(" | ")
    }
}

/// Splits a quantity string at ` | `.
pub fn split_quantity(q: &str) -> Vec<&str> {
    q.split('|').map(str::trim).collect()
}

/// Reads the reference file.
pub fn read_rows(path: &Path) -> Vec<Row> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_path(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let header: Vec<String> = rdr
        .headers()
        .unwrap_or_else(|e| panic!("{}: bad header: {e}", path.display()))
        .iter()
        .map(str::to_string)
        .collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{}: no column '{name}'", path.display()))
    };
    let (jd, jm, jc, jq, jv, jp, jt, js) = (
        col("dataset"),
        col("model"),
        col("call"),
        col("quantity"),
        col("value"),
        col("printed"),
        col("tolerance"),
        col("source"),
    );
    rdr.records()
        .enumerate()
        .map(|(i, r)| {
            let r = r.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let value = super::parse_number(&r[jv], path);
            Row {
                line: i + 2,
                dataset: r[jd].to_string(),
                model: r[jm].to_string(),
                call: r[jc].to_string(),
                quantity: r[jq].to_string(),
                value,
                printed: r[jp].to_string(),
                tolerance: r[jt].to_string(),
                source: r[js].to_string(),
            }
        })
        .collect()
}

/// The rows grouped by call, calls in order of first appearance.
pub fn group_by_call(rows: &[Row]) -> Vec<(String, Vec<Row>)> {
    let mut out: Vec<(String, Vec<Row>)> = Vec::new();
    for r in rows {
        match out.iter_mut().find(|(c, _)| *c == r.call) {
            Some((_, v)) => v.push(r.clone()),
            None => out.push((r.call.clone(), vec![r.clone()])),
        }
    }
    out
}

/// Digits after the decimal point of a printed number (`-0.0456` -> 4, `207` -> 0).
pub fn decimals(printed: &str) -> usize {
    printed.trim().split_once('.').map_or(0, |(_, frac)| {
        frac.chars().take_while(char::is_ascii_digit).count()
    })
}

/// Half a unit of the last printed digit: 0.00005 for `0.0454`, 0.005 for `22.54`.
pub fn half_unit(printed: &str) -> f64 {
    0.5 * 10f64.powi(-(decimals(printed) as i32))
}

/// Whether `actual` prints as `expected` at the given half unit (with a hair of slack for values
/// printed from a number that lies exactly on a rounding boundary).
pub fn within(actual: f64, expected: f64, tol: f64) -> bool {
    actual.is_finite() && (actual - expected).abs() <= tol * (1.0 + 1e-9) + 1e-12
}

/// `name=value` assignments of a row label (`gender=0.000,age=30.000`), each with half a unit of
/// its printed precision.
pub fn assignments(label: &str) -> Option<Vec<(String, f64, f64)>> {
    label
        .split(',')
        .map(|a| {
            let (name, v) = a.split_once('=')?;
            let value: f64 = v.trim().parse().ok()?;
            Some((name.trim().to_string(), value, half_unit(v)))
        })
        .collect()
}

/// Glob match with `*` (any run of characters, including none); everything else literal.
pub fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut i, mut j) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while j < t.len() {
        if i < p.len() && p[i] == '*' {
            star = Some((i, j));
            i += 1;
        } else if i < p.len() && p[i] == t[j] {
            i += 1;
            j += 1;
        } else if let Some((si, sj)) = star {
            i = si + 1;
            j = sj + 1;
            star = Some((si, sj + 1));
        } else {
            return false;
        }
    }
    while i < p.len() && p[i] == '*' {
        i += 1;
    }
    i == p.len()
}
