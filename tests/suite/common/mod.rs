//! Helpers shared by the integration tests: locating the public datasets in `../shared`, reading
//! the golden CSV files written by R, and comparing numbers with the project's tolerances.
//!
//! Every test binary compiles this module on its own and uses only part of it.
#![allow(dead_code)]

pub mod cli;
pub mod hs;
pub mod process_models;
pub mod process_reference;

use std::collections::HashMap;
use std::fmt::Display;
use std::path::{Path, PathBuf};

/// Relative tolerance for estimates, standard errors and test statistics (agreement with R).
pub const REL_TOL: f64 = 1e-8;
/// Relative tolerance for p-values of at least [`P_FLOOR`].
pub const P_REL_TOL: f64 = 1e-6;
/// Below this, p-values are only required to be below it too.
pub const P_FLOOR: f64 = 1e-300;
/// Absolute tolerance for values that are (nearly) zero.
pub const ABS_TOL: f64 = 1e-12;

/// The crate root (the directory holding Cargo.toml).
pub fn crate_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` relative to the crate root, or the folder the environment variable `CIPA_SHARED`
/// names (a git worktree has no `../shared` beside it).
pub fn shared_root() -> PathBuf {
    std::env::var_os("CIPA_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate_root().join("../shared"))
}

/// `../shared/datasets` (see [`shared_root`]), if it exists.
pub fn shared_datasets() -> Option<PathBuf> {
    let dir = shared_root().join("datasets");
    dir.is_dir().then_some(dir)
}

/// `../shared/datasets`, or `None` after printing the skip message the test suite uses:
///
/// ```ignore
/// let Some(_datasets) = common::shared_or_skip() else { return };
/// ```
pub fn shared_or_skip() -> Option<PathBuf> {
    let dir = shared_datasets();
    if dir.is_none() {
        println!("skipping: ../shared/datasets not found");
    }
    dir
}

/// `../shared/<rel>` (a file or folder), or `None` after printing the skip message naming it.
pub fn shared_or_skip_file(rel: &str) -> Option<PathBuf> {
    let path = shared_root().join(rel);
    if path.exists() {
        Some(path)
    } else {
        println!("skipping: ../shared/{rel} not found");
        None
    }
}

/// A data file read with the default options (panics naming the file).
pub fn read_data(path: &Path) -> cipa::data::Dataset {
    cipa::data::read_path(path, &cipa::data::ReadOptions::default())
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The example data `datasets/sme_example.csv`, with its missing values (-99) as missing.
pub fn sme_example() -> cipa::data::Dataset {
    let path = crate_root().join("datasets/sme_example.csv");
    let opts = cipa::data::ReadOptions {
        missing_codes: vec![-99.0],
        ..cipa::data::ReadOptions::default()
    };
    cipa::data::read_path(&path, &opts).expect("datasets/sme_example.csv reads")
}

/// PROCESS model `model` with the given roles.
pub fn process_model(model: u32, roles: &cipa::spec::Roles) -> cipa::spec::ModelSpec {
    cipa::spec::template::template(model)
        .unwrap_or_else(|e| panic!("model {model}: {e}"))
        .instantiate(roles)
        .unwrap_or_else(|e| panic!("model {model}: {e}"))
}

/// The golden folder of a case: `tests/golden/<case>`.
pub fn golden_dir(case: &str) -> PathBuf {
    crate_root().join("tests/golden").join(case)
}

/// The HolzingerSwineford1939 cells the FIML golden case blanks (tests/golden/sem_hs_fiml/
/// blank.csv): (data row counted from 0, column name).
pub fn hs_fiml_blank_cells() -> Vec<(usize, String)> {
    let blank = Table::read(&golden_dir("sem_hs_fiml").join("blank.csv"));
    // blank.csv gives file lines; the header is line 1.
    blank
        .numbers("line")
        .iter()
        .map(|&line| line as usize - 2)
        .zip(blank.texts("column"))
        .collect()
}

/// A CSV file as written by R's `write.csv`: a header and rows of text cells.
#[derive(Debug, Clone)]
pub struct Table {
    pub path: PathBuf,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn read(path: &Path) -> Table {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_path(path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let header = rdr
            .headers()
            .unwrap_or_else(|e| panic!("{}: bad header: {e}", path.display()))
            .iter()
            .map(str::to_string)
            .collect();
        let rows = rdr
            .records()
            .map(|r| {
                r.unwrap_or_else(|e| panic!("{}: {e}", path.display()))
                    .iter()
                    .map(str::to_string)
                    .collect()
            })
            .collect();
        Table {
            path: path.to_path_buf(),
            header,
            rows,
        }
    }

    pub fn column_index(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{}: no column '{name}'", self.path.display()))
    }

    pub fn has_column(&self, name: &str) -> bool {
        self.header.iter().any(|h| h == name)
    }

    /// The text cells of one column.
    pub fn texts(&self, name: &str) -> Vec<String> {
        let j = self.column_index(name);
        self.rows.iter().map(|r| r[j].clone()).collect()
    }

    /// The cells of one column as numbers.
    pub fn numbers(&self, name: &str) -> Vec<f64> {
        let j = self.column_index(name);
        self.rows
            .iter()
            .map(|r| parse_number(&r[j], &self.path))
            .collect()
    }
}

/// Parses a number as R prints it with `sprintf("%.17g")` (`NA`, `NaN`, `Inf`, `-Inf` included).
pub fn parse_number(s: &str, path: &Path) -> f64 {
    match s.trim() {
        "NA" | "NaN" => f64::NAN,
        "Inf" => f64::INFINITY,
        "-Inf" => f64::NEG_INFINITY,
        t => t
            .parse()
            .unwrap_or_else(|_| panic!("{}: '{t}' is not a number", path.display())),
    }
}

/// `expected.csv` of a golden case: one row per coefficient, keyed by cipa's term name.
#[derive(Debug, Clone)]
pub struct Expected {
    pub table: Table,
    pub terms: Vec<String>,
}

impl Expected {
    pub fn read(case: &str) -> Expected {
        let table = Table::read(&golden_dir(case).join("expected.csv"));
        let terms = table.texts("term");
        Expected { table, terms }
    }

    /// The value in `column` for `term`.
    pub fn get(&self, term: &str, column: &str) -> f64 {
        let i = self
            .terms
            .iter()
            .position(|t| t == term)
            .unwrap_or_else(|| panic!("{}: no term '{term}'", self.table.path.display()));
        let j = self.table.column_index(column);
        parse_number(&self.table.rows[i][j], &self.table.path)
    }
}

/// `summary.csv` of a golden case: `name,value` rows.
#[derive(Debug, Clone)]
pub struct Summary {
    pub path: PathBuf,
    pub values: HashMap<String, f64>,
    pub order: Vec<String>,
}

impl Summary {
    pub fn read(case: &str) -> Summary {
        let table = Table::read(&golden_dir(case).join("summary.csv"));
        let names = table.texts("name");
        let values = table.numbers("value");
        Summary {
            path: table.path.clone(),
            values: names.iter().cloned().zip(values).collect(),
            order: names,
        }
    }

    pub fn get(&self, name: &str) -> f64 {
        *self
            .values
            .get(name)
            .unwrap_or_else(|| panic!("{}: no row '{name}'", self.path.display()))
    }

    pub fn try_get(&self, name: &str) -> Option<f64> {
        self.values.get(name).copied()
    }
}

/// `dropped.csv` of a golden case: the file lines (header = line 1) of the rows R dropped.
pub fn read_dropped(case: &str) -> Vec<u64> {
    let table = Table::read(&golden_dir(case).join("dropped.csv"));
    table
        .numbers("line")
        .into_iter()
        .map(|x| x as u64)
        .collect()
}

/// `|a - e| <= rel·|e|`, or `|a - e| <= ABS_TOL`; two NaNs agree.
pub fn close(actual: f64, expected: f64, rel: f64) -> bool {
    if actual.is_nan() || expected.is_nan() {
        return actual.is_nan() && expected.is_nan();
    }
    if actual == expected {
        return true;
    }
    let d = (actual - expected).abs();
    d <= rel * expected.abs() || d <= ABS_TOL
}

/// p-values: relative [`P_REL_TOL`] when the expected value is at least [`P_FLOOR`]; both below
/// the floor otherwise.
pub fn close_p(actual: f64, expected: f64) -> bool {
    if actual.is_nan() || expected.is_nan() {
        return actual.is_nan() && expected.is_nan();
    }
    if expected < P_FLOOR {
        return actual < P_FLOOR;
    }
    (actual - expected).abs() <= P_REL_TOL * expected
}

/// Relative difference, for messages.
pub fn rel_diff(actual: f64, expected: f64) -> f64 {
    if expected == 0.0 {
        (actual - expected).abs()
    } else {
        ((actual - expected) / expected).abs()
    }
}

/// Collects every mismatch of a test so that one run reports all of them.
#[derive(Debug, Default)]
pub struct Checker {
    pub context: String,
    pub failures: Vec<String>,
    pub checked: usize,
    /// Largest relative difference among the values that passed, and which value it was.
    pub worst: Option<(f64, String)>,
}

impl Checker {
    pub fn new(context: impl Into<String>) -> Checker {
        Checker {
            context: context.into(),
            ..Default::default()
        }
    }

    /// A value compared to [`REL_TOL`].
    pub fn num(&mut self, what: impl Display, actual: f64, expected: f64) {
        self.num_tol(what, actual, expected, REL_TOL);
    }

    pub fn num_tol(&mut self, what: impl Display, actual: f64, expected: f64, rel: f64) {
        self.checked += 1;
        if !close(actual, expected, rel) {
            self.failures.push(format!(
                "{what}: cipa {actual:.17e}, R {expected:.17e} (relative difference {:.2e})",
                rel_diff(actual, expected)
            ));
        } else if expected.abs() > ABS_TOL {
            let r = rel_diff(actual, expected);
            if self.worst.as_ref().is_none_or(|(w, _)| r > *w) {
                self.worst = Some((r, what.to_string()));
            }
        }
    }

    /// A p-value.
    pub fn p(&mut self, what: impl Display, actual: f64, expected: f64) {
        self.checked += 1;
        if !close_p(actual, expected) {
            self.failures.push(format!(
                "{what}: cipa p {actual:.17e}, R {expected:.17e} (relative difference {:.2e})",
                rel_diff(actual, expected)
            ));
        }
    }

    /// An exact comparison.
    pub fn eq<T: PartialEq + std::fmt::Debug>(
        &mut self,
        what: impl Display,
        actual: T,
        expected: T,
    ) {
        self.checked += 1;
        if actual != expected {
            self.failures
                .push(format!("{what}: cipa {actual:?}, expected {expected:?}"));
        }
    }

    pub fn fail(&mut self, message: impl Into<String>) {
        self.checked += 1;
        self.failures.push(message.into());
    }

    /// Panics with every mismatch found, or prints how many values matched.
    pub fn finish(self) {
        if self.failures.is_empty() {
            match &self.worst {
                Some((r, what)) => println!(
                    "{}: {} values match (largest relative difference {r:.2e}, {what})",
                    self.context, self.checked
                ),
                None => println!("{}: {} values match", self.context, self.checked),
            }
            return;
        }
        panic!(
            "{}: {} of {} checks failed:\n  {}",
            self.context,
            self.failures.len(),
            self.checked,
            self.failures.join("\n  ")
        );
    }
}
