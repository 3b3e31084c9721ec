use serde_json::json;

use crate::data::Column;
use crate::measure::{correlations, describe, MissingPolicy};
use crate::report::apa::apa_descriptives;
use crate::report::{describe_report, render, Format};

use super::args::DescribeArgs;
use super::results_dir::{self, Destination, Provenance, ResultsDir};
use super::warn::InputNotes;
use super::{data_opts, output, CliError};

pub fn run(a: DescribeArgs) -> Result<(), CliError> {
    let dest = results_dir::prepare(a.output.out.as_deref(), &a.data.inputs())?;
    let data = data_opts::load(&a.data)?;
    let mut notes = Vec::new();
    let mut input = InputNotes::from_data(&data);
    let vars: Vec<String> = if a.vars.is_empty() {
        // Every numeric column; categorical ones are listed rather than failing the run.
        let mut skipped = Vec::new();
        let mut keep = Vec::new();
        let mut empty = Vec::new();
        for v in data.variables() {
            match (&v.data, &v.problem) {
                // An empty column would leave no complete rows for the correlations.
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
    } else {
        a.vars.iter().map(|v| v.trim().to_string()).collect()
    };
    if vars.is_empty() {
        return Err(super::usage(format!(
            "'{}' has no numeric columns to describe",
            data.source
        )));
    }
    let names: Vec<&str> = vars.iter().map(String::as_str).collect();
    input.warn_all(data_opts::value_warnings(&data, &names));
    let stats = describe(&data, &names)?;
    let policy = if a.pairwise {
        MissingPolicy::Pairwise
    } else {
        MissingPolicy::Listwise
    };
    let cor = correlations(&data, &names, policy)?;
    let options = json!({"vars": vars, "missing": a.data.missing, "correlation_missing": policy});
    let json_text = || -> Result<String, CliError> {
        let doc = json!({
            "cipa_version": crate::VERSION,
            "command": "describe",
            "data": {"file": data.source, "rows": data.n_rows()},
            "options": options,
            "variables": stats,
            "correlations": cor,
            "notes": notes,
        });
        let mut doc = doc;
        input.add_to_json(&mut doc);
        Ok(
            serde_json::to_string_pretty(&doc).map_err(|e| CliError::Internal(e.to_string()))?
                + "\n",
        )
    };
    let report = || {
        let header = vec![
            (
                "Data".to_string(),
                format!("{} ({} rows)", data.source, data.n_rows()),
            ),
            ("cipa".to_string(), crate::VERSION.to_string()),
        ];
        let mut report = describe_report(header, &stats, &cor, notes.clone());
        input.add_to(&mut report);
        report.decimals = a.output.decimals as usize;
        report
    };
    let apa = || vec![apa_descriptives(&stats, &cor, &a.output.apa_options())];
    let text = match dest {
        Destination::Folder(dir) => {
            let mut files = ResultsDir::new();
            files.add_report(&report());
            files.add("results.json", json_text()?);
            files.add_apa(&apa());
            let listwise = policy == MissingPolicy::Listwise && !names.is_empty();
            let prov = Provenance {
                command: "describe",
                data_path: a.data.data.clone(),
                rows: data.n_rows(),
                rows_used: listwise.then(|| cor.n(0, 0)),
                rows_dropped: listwise.then_some(cor.dropped_lines.len()),
                dropped_lines: cor.dropped_lines.clone(),
                options: options.clone(),
                seed: None,
                b: None,
                resampling: None,
                threads_requested: 1,
                threads_used: 1,
            };
            let n = files.commit(&dir, &prov)?;
            eprintln!("cipa: wrote {n} files to {}", dir.display());
            return Ok(());
        }
        _ if a.output.apa => output::apa_text(&apa(), a.output.format())?,
        _ => match a.output.format() {
            Format::Json => json_text()?,
            f => render(&report(), f),
        },
    };
    output::emit(&text, a.output.out.as_deref())
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
