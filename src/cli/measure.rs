use serde_json::json;

use crate::data::Dataset;
use crate::measure::{measure, Construct, CrMethod, MeasureOptions, Measurement};
use crate::report::{measure_json, measure_report, Report};

use super::args::MeasureArgs;
use super::results_dir::{self, Provenance, ResultsDir};
use super::warn::InputNotes;
use super::{constructs, data_opts, output, usage, CliError};

pub fn run(a: MeasureArgs) -> Result<(), CliError> {
    if a.output.apa {
        // Said before any work, not ignored: the measurement table is the report itself.
        return Err(usage(
            "cipa measure has no separate APA tables: its report is the measurement table (--format markdown, latex or html); drop --apa",
        ));
    }
    let (cs, opts) = settings(&a)?;
    let dest = results_dir::prepare(a.output.out.as_deref(), &a.data.inputs())?;
    let data = data_opts::load_items(&a.data)?;
    let run = MeasureRun::new(a, data, &cs, opts)?;
    output::deliver(&run, output::Delivery::from_flags(dest, &run.a.output))
}

impl output::Deliverable for MeasureRun {
    fn report(&self) -> Report {
        MeasureRun::report(self)
    }

    fn json(&self) -> Result<serde_json::Value, CliError> {
        Ok(MeasureRun::json(self))
    }

    fn folder(&self) -> Option<Result<(ResultsDir, Provenance), CliError>> {
        Some(MeasureRun::folder(self))
    }
}

/// The constructs and the options of a `measure`, checked before any data is read.
pub fn settings(a: &MeasureArgs) -> Result<(Vec<Construct>, MeasureOptions), CliError> {
    let cs = constructs::definitions(&a.data)?;
    if cs.is_empty() {
        return Err(usage(
            "no constructs: define them with --construct NAME=item1,item2,item3 (repeatable) or --constructs FILE",
        ));
    }
    super::check_conf(a.conf)?;
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
    Ok((cs, opts))
}

/// A finished `measure`: the measurement table and everything its outputs are made from.
pub struct MeasureRun {
    pub a: MeasureArgs,
    pub data: Dataset,
    opts: MeasureOptions,
    pub measurement: Measurement,
    /// Warnings about the items' values and notes on how the file was read.
    input: InputNotes,
}

impl MeasureRun {
    /// Computes the measurement table of the constructs `cs` (from [`settings`]).
    pub fn new(
        a: MeasureArgs,
        data: Dataset,
        cs: &[Construct],
        opts: MeasureOptions,
    ) -> Result<Self, CliError> {
        let mut input = InputNotes::from_data(&data);
        let items: Vec<&str> = cs
            .iter()
            .flat_map(|c| c.items.iter().map(|i| i.name.as_str()))
            .collect();
        input.warn_all(data_opts::value_warnings(&data, &items));
        let measurement = measure(&data, cs, &opts)?;
        Ok(MeasureRun {
            a,
            data,
            opts,
            measurement,
            input,
        })
    }

    /// The JSON document of `--format json`.
    pub fn json(&self) -> serde_json::Value {
        let (opts, data) = (&self.opts, &self.data);
        let mut doc = measure_json(
            &self.measurement,
            json!({"file": data.source, "rows": data.n_rows()}),
            json!({
                "scale": opts.scale.map(|(lo, hi)| [lo, hi]),
                "score": opts.score, "cr": opts.cr, "marker": opts.marker,
                "vif_outcome": opts.vif_outcome, "boot": opts.boot, "seed": opts.seed,
                "conf": opts.conf, "missing": self.a.data.missing,
            }),
        );
        self.input.add_to_json(&mut doc);
        doc
    }

    /// The report (text, Markdown, LaTeX, HTML and CSV are renderings of it).
    pub fn report(&self) -> Report {
        let (m, opts, a) = (&self.measurement, &self.opts, &self.a);
        let mut header = vec![
            (
                "Data".to_string(),
                format!(
                    "{} ({} rows, {} used)",
                    self.data.source,
                    self.data.n_rows(),
                    m.n
                ),
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
        let mut report = measure_report(m, header, a.output.decimals as usize, a.diag_ave, vec![]);
        report.decimals = a.output.decimals as usize;
        self.input.add_to(&mut report);
        report
    }

    /// The files of a results folder and what its manifest records.
    pub fn folder(&self) -> Result<(ResultsDir, Provenance), CliError> {
        let (opts, m) = (&self.opts, &self.measurement);
        let mut files = ResultsDir::new();
        files.add_report(&self.report());
        files.add("results.json", super::json_text(&self.json())?);
        let prov = Provenance {
            command: "measure",
            data_path: self.a.data.data.clone(),
            rows: self.data.n_rows(),
            rows_used: Some(m.n),
            rows_dropped: Some(self.data.n_rows().saturating_sub(m.n)),
            dropped_lines: Vec::new(),
            options: json!({"boot": opts.boot, "seed": opts.seed, "conf": opts.conf}),
            seed: (opts.boot > 0).then_some(opts.seed),
            b: (opts.boot > 0).then_some(opts.boot),
            resampling: (opts.boot > 0).then_some("nonparametric"),
            threads_requested: opts.threads,
            threads_used: results_dir::threads_used(opts.threads, opts.boot > 0),
        };
        Ok((files, prov))
    }
}
