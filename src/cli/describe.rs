use serde_json::json;

use crate::data::Column;
use crate::measure::{correlations, describe, MissingPolicy};
use crate::report::{describe_report, render, Format};

use super::args::DescribeArgs;
use super::{data_opts, output, CliError};

pub fn run(a: DescribeArgs) -> Result<(), CliError> {
    let data = data_opts::load(&a.data)?;
    let mut notes = Vec::new();
    let vars: Vec<String> = if a.vars.is_empty() {
        // Every numeric column; categorical ones are listed rather than failing the run.
        let mut skipped = Vec::new();
        let mut keep = Vec::new();
        for v in data.variables() {
            match (&v.data, &v.problem) {
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
    let stats = describe(&data, &names)?;
    let policy = if a.pairwise {
        MissingPolicy::Pairwise
    } else {
        MissingPolicy::Listwise
    };
    let cor = correlations(&data, &names, policy)?;
    let text = match a.output.format {
        Format::Json => {
            let doc = json!({
                "cipa_version": crate::VERSION,
                "command": "describe",
                "data": {"file": data.source, "rows": data.n_rows()},
                "options": {"vars": vars, "missing": a.data.missing, "correlation_missing": policy},
                "variables": stats,
                "correlations": cor,
                "notes": notes,
            });
            serde_json::to_string_pretty(&doc).map_err(|e| CliError::Internal(e.to_string()))?
                + "\n"
        }
        f => {
            let header = vec![
                (
                    "Data".to_string(),
                    format!("{} ({} rows)", data.source, data.n_rows()),
                ),
                ("cipa".to_string(), crate::VERSION.to_string()),
            ];
            let mut report = describe_report(header, &stats, &cor, notes);
            report.decimals = a.output.decimals as usize;
            render(&report, f)
        }
    };
    output::emit(&text, a.output.out.as_deref())
}
