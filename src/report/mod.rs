//! The report model: what an analysis prints, independent of format. Builders turn results into a
//! [`Report`]; one renderer per format turns a report into text, Markdown, CSV, LaTeX or HTML. JSON is written
//! from the results themselves (see `json`), following the schema in docs/json-schema.md.

pub mod apa;
mod counterfactual;
mod curvilinear;
mod describe;
pub mod html;
pub mod json;
pub mod latex;
mod measure;
mod model_bootstrap;
mod omnibus;
mod page;
mod power;
mod process;
mod regress;
mod render;
mod sem;
pub mod sem_boot;
pub mod sem_groups;
pub mod sem_interaction;
pub mod sem_tests;

pub use curvilinear::quadratic_tables;
pub use describe::describe_report;
pub use measure::{measure_json, measure_report};
pub use page::{index_html, PageFigure};
pub use power::power_report;
pub use process::process_report;
pub use regress::regress_report;
pub use render::{render, table_csv, Format};
pub use sem::{add_sem_diagnostics, sem_diagnostics_json, sem_json, sem_report, SemDiagnostics};

/// A value in a table cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A number shown with a fixed number of decimals.
    Num(f64),
    /// A whole number.
    Int(i64),
    Text(String),
    Empty,
}

/// A titled table.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub title: String,
    /// Column headers; the first column holds row labels.
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
    /// Lines printed under the table.
    pub notes: Vec<String>,
}

/// A section: a heading and its tables (one per equation, for instance).
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub heading: String,
    pub tables: Vec<Table>,
}

/// Everything a command prints.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub title: String,
    /// Provenance and options, one `key: value` line each.
    pub header: Vec<(String, String)>,
    pub sections: Vec<Section>,
    pub warnings: Vec<String>,
    pub notes: Vec<String>,
    /// Decimals for numbers (4 as PROCESS prints by default).
    pub decimals: usize,
}
