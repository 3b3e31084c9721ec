use serde_json::json;

use crate::measure::{measure, CrMethod, MeasureOptions};
use crate::report::{measure_json, measure_report, render, Format};

use super::args::MeasureArgs;
use super::results_dir::{self, Destination, Provenance, ResultsDir};
use super::warn::InputNotes;
use super::{constructs, data_opts, output, usage, CliError};

pub fn run(a: MeasureArgs) -> Result<(), CliError> {
    let cs = constructs::definitions(&a.data)?;
    if cs.is_empty() {
        return Err(usage(
            "no constructs: define them with --construct NAME=item1,item2,item3 (repeatable) or --constructs FILE",
        ));
    }
    super::check_conf(a.conf)?;
    let dest = results_dir::prepare(a.output.out.as_deref(), &a.data.inputs())?;
    super::check_boot(a.boot, a.conf)?;
    super::limits::threads(a.threads)?;
    let cr = match a.cr.to_ascii_lowercase().as_str() {
        "fornell-larcker" | "fl" | "standardized" => CrMethod::FornellLarcker,
        "comprelsem" | "semtools" => CrMethod::CompRelSem,
        other => {
            return Err(usage(format!(
                "unknown --cr '{other}': use fornell-larcker or comprelsem"
            )))
        }
    };
    let data = data_opts::load_items(&a.data)?;
    let mut input = InputNotes::from_data(&data);
    let items: Vec<&str> = cs
        .iter()
        .flat_map(|c| c.items.iter().map(|i| i.name.as_str()))
        .collect();
    input.warn_all(data_opts::value_warnings(&data, &items));
    let opts = MeasureOptions {
        scale: constructs::scale(&a.data)?,
        conf: a.conf,
        cr,
        score: constructs::score_method(&a.data)?,
        marker: a.marker.clone(),
        vif_outcome: a.vif_outcome.clone(),
        boot: a.boot,
        seed: a.seed,
        threads: a.threads,
    };
    let m = measure(&data, &cs, &opts)?;
    let json_text = || -> Result<String, CliError> {
        let mut doc = measure_json(
            &m,
            json!({"file": data.source, "rows": data.n_rows()}),
            json!({
                "scale": opts.scale.map(|(lo, hi)| [lo, hi]),
                "score": opts.score, "cr": opts.cr, "marker": opts.marker,
                "vif_outcome": opts.vif_outcome, "boot": opts.boot, "seed": opts.seed,
                "conf": opts.conf, "missing": a.data.missing,
            }),
        );
        input.add_to_json(&mut doc);
        Ok(
            serde_json::to_string_pretty(&doc).map_err(|e| CliError::Internal(e.to_string()))?
                + "\n",
        )
    };
    let report = || {
        let mut header = vec![
            (
                "Data".to_string(),
                format!("{} ({} rows, {} used)", data.source, data.n_rows(), m.n),
            ),
            ("cipa".to_string(), crate::VERSION.to_string()),
        ];
        for c in &m.constructs {
            let items: Vec<String> = c
                .items
                .iter()
                .map(|i| {
                    if i.reversed {
                        format!("-{}", i.name)
                    } else {
                        i.name.clone()
                    }
                })
                .collect();
            header.push((format!("construct {}", c.name), items.join(", ")));
        }
        if opts.boot > 0 {
            header.push((
                "HTMT bootstrap".into(),
                format!("{} resamples, seed {}", opts.boot, opts.seed),
            ));
        }
        let mut report = measure_report(&m, header, a.output.decimals as usize, a.diag_ave, vec![]);
        report.decimals = a.output.decimals as usize;
        input.add_to(&mut report);
        report
    };
    let text = match dest {
        Destination::Folder(dir) => {
            let mut files = ResultsDir::new();
            files.add_report(&report());
            files.add("results.json", json_text()?);
            let prov = Provenance {
                command: "measure",
                data_path: a.data.data.clone(),
                rows: data.n_rows(),
                rows_used: Some(m.n),
                rows_dropped: Some(data.n_rows().saturating_sub(m.n)),
                dropped_lines: Vec::new(),
                options: json!({"boot": opts.boot, "seed": opts.seed, "conf": opts.conf}),
                seed: (opts.boot > 0).then_some(opts.seed),
                b: (opts.boot > 0).then_some(opts.boot),
                resampling: (opts.boot > 0).then_some("nonparametric"),
                threads_requested: opts.threads,
                threads_used: results_dir::threads_used(opts.threads, opts.boot > 0),
            };
            let n = files.commit(&dir, &prov)?;
            eprintln!("cipa: wrote {n} files to {}", dir.display());
            return Ok(());
        }
        _ => match a.output.format() {
            Format::Json => json_text()?,
            f => render(&report(), f),
        },
    };
    output::emit(&text, a.output.out.as_deref())
}
