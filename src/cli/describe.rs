use serde_json::json;

use crate::data::{Column, Dataset};
use crate::measure::{correlations, describe, CorrelationMatrix, Descriptive, MissingPolicy};
use crate::report::apa::{apa_descriptives, ApaTable};
use crate::report::{describe_report, Report};

use super::args::DescribeArgs;
use super::results_dir::{self, Provenance, ResultsDir};
use super::warn::InputNotes;
use super::{data_opts, output, CliError};

pub fn run(a: DescribeArgs) -> Result<(), CliError> {
    let dest = results_dir::prepare(a.output.out.as_deref(), &a.data.inputs())?;
    let data = data_opts::load(&a.data)?;
    let run = DescribeRun::new(a, data)?;
    output::deliver(&run, output::Delivery::from_flags(dest, &run.a.output))
}

impl output::Deliverable for DescribeRun {
    fn report(&self) -> Report {
        DescribeRun::report(self)
    }

    fn json(&self) -> Result<serde_json::Value, CliError> {
        Ok(DescribeRun::json(self))
    }

    fn apa(&self) -> Option<Vec<ApaTable>> {
        Some(DescribeRun::apa(self))
    }

    fn folder(&self) -> Option<Result<(ResultsDir, Provenance), CliError>> {
        Some(DescribeRun::folder(self))
    }
}

/// A finished `describe`: the statistics and everything its outputs are made from.
pub struct DescribeRun {
    pub a: DescribeArgs,
    pub data: Dataset,
    vars: Vec<String>,
    stats: Vec<Descriptive>,
    cor: CorrelationMatrix,
    policy: MissingPolicy,
    notes: Vec<String>,
    /// Warnings about the values (empty columns, far codes) and notes on how the file was read.
    input: InputNotes,
}

impl DescribeRun {
    /// Describes the variables asked for (every numeric column by default).
    pub fn new(a: DescribeArgs, data: Dataset) -> Result<Self, CliError> {
        let mut notes = Vec::new();
        let mut input = InputNotes::from_data(&data);
        let vars: Vec<String> = if a.vars.is_empty() {
            numeric_columns(&data, &mut notes, &mut input)
        } else {
            a.vars.iter().map(|v| v.trim().to_string()).collect()
        };
        if vars.is_empty() {
            return Err(super::usage(format!(
                "'{}' has no numeric columns to describe",
                data.source
            )));
        }
        check_count(&data, vars.len())?;
        let names: Vec<&str> = vars.iter().map(String::as_str).collect();
        input.warn_all(data_opts::value_warnings(&data, &names));
        let stats = describe(&data, &names)?;
        let policy = if a.pairwise {
            MissingPolicy::Pairwise
        } else {
            MissingPolicy::Listwise
        };
        let cor = correlations(&data, &names, policy)?;
        Ok(DescribeRun {
            a,
            data,
            vars,
            stats,
            cor,
            policy,
            notes,
            input,
        })
    }

    fn options(&self) -> serde_json::Value {
        json!({"vars": self.vars, "missing": self.a.data.missing, "correlation_missing": self.policy})
    }

    /// The JSON document of `--format json`.
    pub fn json(&self) -> serde_json::Value {
        let mut doc = json!({
            "cipa_version": crate::VERSION,
            "command": "describe",
            "data": {"file": self.data.source, "rows": self.data.n_rows()},
            "options": self.options(),
            "variables": self.stats,
            "correlations": self.cor,
            "notes": self.notes,
        });
        self.input.add_to_json(&mut doc);
        doc
    }

    /// The report (text, Markdown, LaTeX, HTML and CSV are renderings of it).
    pub fn report(&self) -> Report {
        let header = vec![
            (
                "Data".to_string(),
                format!("{} ({} rows)", self.data.source, self.data.n_rows()),
            ),
            ("cipa".to_string(), crate::VERSION.to_string()),
        ];
        let mut report = describe_report(header, &self.stats, &self.cor, self.notes.clone());
        self.input.add_to(&mut report);
        report.decimals = self.a.output.decimals as usize;
        report
    }

    /// The APA-style table.
    pub fn apa(&self) -> Vec<ApaTable> {
        // The data file's variable labels (SPSS, Stata) name the variables.
        let names: Vec<&str> = self.vars.iter().map(String::as_str).collect();
        let mut o = self.a.output.apa_options();
        o.labels =
            super::model_opts::display_labels(None, Some(&self.data), &names).unwrap_or_default();
        vec![apa_descriptives(&self.stats, &self.cor, &o)]
    }

    /// The files of a results folder and what its manifest records.
    pub fn folder(&self) -> Result<(ResultsDir, Provenance), CliError> {
        let mut files = ResultsDir::new();
        files.add_report(&self.report());
        files.add("results.json", super::json_text(&self.json())?);
        files.add_apa(&self.apa());
        let cor = &self.cor;
        let listwise = self.policy == MissingPolicy::Listwise && !self.vars.is_empty();
        let prov = Provenance {
            command: "describe",
            data_path: self.a.data.data.clone(),
            rows: self.data.n_rows(),
            rows_used: listwise.then(|| cor.n(0, 0)),
            rows_dropped: listwise.then_some(cor.dropped_lines.len()),
            dropped_lines: cor.dropped_lines.clone(),
            options: self.options(),
            seed: None,
            b: None,
            resampling: None,
            threads_requested: 1,
            threads_used: 1,
        };
        Ok((files, prov))
    }
}

/// Most variables described at once. The correlation table has a row and a column per variable,
/// and its report grows with their square: 5,000 columns of a 149 KB file took 3.8 GB and wrote
/// 475 MB of text; 20,000 would need about 60 GB and end the process.
pub const MAX_DESCRIBED: usize = 1000;

fn check_count(data: &Dataset, k: usize) -> Result<(), CliError> {
    if k <= MAX_DESCRIBED {
        return Ok(());
    }
    Err(super::usage(format!(
        "'{}': {k} variables to describe, more than cipa describes at once (1,000: the \
         correlation table has a row and a column for each); name the ones wanted with --vars",
        data.source
    )))
}

/// Every numeric column that holds a value; categorical ones are listed in `notes` rather than
/// failing the run, and empty ones named in one warning (they would leave no complete rows for
/// the correlations).
fn numeric_columns(data: &Dataset, notes: &mut Vec<String>, input: &mut InputNotes) -> Vec<String> {
    let mut skipped = Vec::new();
    let mut keep = Vec::new();
    let mut empty = Vec::new();
    for v in data.variables() {
        match (&v.data, &v.problem) {
            (Column::Numeric(x), None) if x.iter().all(|x| x.is_nan()) => {
                empty.push(v.name.clone())
            }
            (Column::Numeric(_), None) => keep.push(v.name.clone()),
            (Column::Numeric(_), Some(p)) => skipped.push(format!(
                "{} (bad value '{}' at line {})",
                v.name, p.value, p.line
            )),
            (Column::Categorical { levels, .. }, _) => {
                skipped.push(format!("{} (categorical, {} levels)", v.name, levels.len()))
            }
        }
    }
    if let Some(w) = empty_warning(&empty, data.n_rows()) {
        input.warn(w);
    }
    if !skipped.is_empty() {
        notes.push(format!(
            "Not described (not numeric): {}.",
            skipped.join(", ")
        ));
    }
    keep
}

/// One warning for the empty columns left out (named, the first ten of many).
fn empty_warning(empty: &[String], rows: usize) -> Option<String> {
    let quoted: Vec<String> = empty.iter().take(10).map(|n| format!("'{n}'")).collect();
    match empty.len() {
        0 => None,
        1 => Some(format!(
            "column {} is empty (none of its {rows} cells holds a value), so it is left out",
            quoted[0]
        )),
        n => Some(format!(
            "columns {}{} are empty (none of their {rows} cells holds a value), so they are left out",
            quoted.join(", "),
            if n > 10 { format!(" and {} more", n - 10) } else { String::new() }
        )),
    }
}
