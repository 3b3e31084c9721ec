//! `cipa sem`: a latent-variable model in lavaan's syntax, fitted by the ML engine (src/sem)
//! with lavaan's defaults, reported in lavaan's summary() layout or as JSON.

use serde_json::json;

use crate::data::Dataset;
use crate::report::{sem_json, sem_report, Report};
use crate::sem::{Estimator, Information, Missing, SemFit, SemOptions};
use crate::spec::flat::FlatModel;

use super::args::SemArgs;
use super::output::{self, Deliverable, Delivery};
use super::results_dir::{self, Provenance, ResultsDir};
use super::warn::InputNotes;
use super::{data_opts, model_opts, usage, CliError};

pub fn run(a: SemArgs) -> Result<(), CliError> {
    let plan = SemPlan::new(a)?;
    let dest = results_dir::prepare(plan.a.out.as_deref(), &plan.inputs())?;
    let data = data_opts::load(&plan.a.data)?;
    let run = plan.run(data)?;
    let out = run.a.out.clone();
    output::deliver(
        &run,
        Delivery {
            dest,
            format: run.format(),
            apa: false,
            out: out.as_deref(),
        },
    )
}

/// A `sem` checked before any data are read: the options and the parsed model.
pub struct SemPlan {
    pub a: SemArgs,
    opts: SemOptions,
    /// Where the model came from: its file, framework:NAME or --syntax.
    source: String,
    flat: FlatModel,
}

impl SemPlan {
    pub fn new(mut a: SemArgs) -> Result<Self, CliError> {
        let missing = missing_method(&mut a)?;
        let opts = options(&a, missing)?;
        let (source, text) = model_text(&a)?;
        let flat = crate::spec::syntax::parse_flat(&source, &text).map_err(crate::Error::from)?;
        Ok(SemPlan {
            a,
            opts,
            source,
            flat,
        })
    }

    /// The files this run reads (an `--out` must not replace any of them).
    pub fn inputs(&self) -> Vec<&std::path::Path> {
        let mut inputs = self.a.data.inputs();
        inputs.extend(self.a.model.as_deref().filter(|p| !is_framework(p)));
        inputs
    }

    /// Fits the model to `data` (read by the data flags).
    pub fn run(self, data: Dataset) -> Result<SemRun, CliError> {
        let mut input = InputNotes::from_data(&data);
        let fit = crate::sem::fit(&self.flat, &data, &self.opts).map_err(crate::Error::from)?;
        let vars: Vec<&str> = fit.observed.iter().map(String::as_str).collect();
        input.warn_all(data_opts::value_warnings(&data, &vars));
        Ok(SemRun {
            a: self.a,
            data,
            source: self.source,
            fit,
            input,
        })
    }
}

fn is_framework(p: &std::path::Path) -> bool {
    p.to_string_lossy().starts_with("framework:")
}

/// `--missing listwise|fiml` names the method; any other value is a missing-value code of the
/// data (the flag every command has), so both share one flag as lavaan users expect.
fn missing_method(a: &mut SemArgs) -> Result<Missing, CliError> {
    let mut method = None;
    let mut codes = Vec::new();
    for m in a.data.missing.drain(..) {
        let choice = match m.trim().to_ascii_lowercase().as_str() {
            "listwise" => Some(Missing::Listwise),
            "fiml" | "ml" => Some(Missing::Fiml),
            _ => None,
        };
        match (choice, method) {
            (Some(c), Some(prev)) if c != prev => {
                return Err(usage("--missing names both listwise and fiml: choose one"))
            }
            (Some(c), _) => method = Some(c),
            (None, _) => codes.push(m),
        }
    }
    a.data.missing = codes;
    Ok(method.unwrap_or_default())
}

/// The engine's options from the flags, with lavaan's defaults (the information matrix
/// follows the estimator unless `--information` is given).
fn options(a: &SemArgs, missing: Missing) -> Result<SemOptions, CliError> {
    super::check_conf(a.conf)?;
    let estimator = match a.estimator.as_str() {
        "mlr" => Estimator::Mlr,
        _ => Estimator::Ml,
    };
    let mut opts = SemOptions::lavaan(estimator, missing);
    if let Some(i) = a.information.as_deref() {
        opts.information = match i {
            "observed" => Information::Observed,
            _ => Information::Expected,
        };
    }
    opts.std_lv = a.std_lv;
    opts.meanstructure = a.meanstructure;
    opts.fixed_x = a.fixed_x || !a.no_fixed_x;
    opts.level = a.conf / 100.0;
    Ok(opts)
}

/// The model's source name (for error positions) and text.
fn model_text(a: &SemArgs) -> Result<(String, String), CliError> {
    match (&a.model, &a.syntax) {
        (Some(p), None) => Ok((p.display().to_string(), model_opts::spec_text(p)?)),
        (None, Some(t)) => Ok(("--syntax".into(), t.replace(';', "\n"))),
        _ => Err(usage(
            "give the model with --model FILE (or framework:NAME) or --syntax TEXT",
        )),
    }
}

/// A finished `sem`: the fit and what its outputs are made from.
pub struct SemRun {
    pub a: SemArgs,
    pub data: Dataset,
    /// Where the model came from: its file, framework:NAME or --syntax.
    source: String,
    pub fit: SemFit,
    input: InputNotes,
}

impl SemRun {
    fn format(&self) -> crate::report::Format {
        self.a
            .format
            .or_else(|| {
                self.a
                    .out
                    .as_ref()
                    .and_then(|p| p.extension())
                    .and_then(|e| e.to_str())
                    .and_then(crate::report::Format::from_extension)
            })
            .unwrap_or(crate::report::Format::Text)
    }

    fn options_json(&self) -> serde_json::Value {
        let o = &self.fit.options;
        json!({
            "model": self.source, "estimator": o.estimator, "missing": o.missing,
            "std_lv": o.std_lv, "meanstructure": o.meanstructure, "fixed_x": o.fixed_x,
            "information": o.information, "conf": self.a.conf,
            "missing_codes": self.a.data.missing,
        })
    }
}

impl Deliverable for SemRun {
    fn report(&self) -> Report {
        SemRun::report(self)
    }

    fn json(&self) -> Result<serde_json::Value, CliError> {
        Ok(SemRun::json(self))
    }

    fn apa(&self) -> Option<Vec<crate::report::apa::ApaTable>> {
        Some(SemRun::apa(self))
    }

    fn folder(&self) -> Option<Result<(ResultsDir, Provenance), CliError>> {
        Some(SemRun::folder(self))
    }
}

impl SemRun {
    /// The report (text, Markdown, CSV, LaTeX and HTML are renderings of it).
    pub fn report(&self) -> Report {
        let mut header = vec![
            (
                "Data".to_string(),
                format!("{} ({} rows)", self.data.source, self.data.n_rows()),
            ),
            ("Model".to_string(), self.source.clone()),
            ("cipa".to_string(), crate::VERSION.to_string()),
        ];
        let dropped = &self.fit.dropped_lines;
        if !dropped.is_empty() {
            header.push((
                "Rows dropped (missing, listwise)".into(),
                format!(
                    "{} (file lines {})",
                    dropped.len(),
                    output::line_list(dropped)
                ),
            ));
        }
        let mut report = sem_report(&self.fit, header, self.a.decimals as usize);
        report.notes.push(format!(
            "Confidence intervals at {}%; Std.lv standardizes the latent variables, Std.all every variable.",
            crate::data::format_number(self.a.conf)
        ));
        self.input.add_to(&mut report);
        report
    }

    /// The JSON document of `--format json`.
    pub fn json(&self) -> serde_json::Value {
        let data = json!({"file": self.data.source, "rows": self.data.n_rows()});
        let mut doc = sem_json(&self.fit, data, self.options_json());
        self.input.add_to_json(&mut doc);
        doc
    }

    /// The APA tables: measurement model, structural paths, defined effects.
    pub fn apa(&self) -> Vec<crate::report::apa::ApaTable> {
        // APA's two decimals (sem has no --apa-decimals yet).
        crate::report::apa::apa_sem(&self.fit, &crate::report::apa::ApaOptions::default())
    }

    /// The report in every format, results.json, the APA tables and what the manifest records
    /// (index.html and figures.json are added as the folder is written).
    pub fn folder(&self) -> Result<(ResultsDir, Provenance), CliError> {
        let mut files = ResultsDir::new();
        files.add_report(&self.report());
        files.add("results.json", super::json_text(&self.json())?);
        files.add_apa(&self.apa());
        let prov = Provenance {
            command: "sem",
            data_path: self.a.data.data.clone(),
            rows: self.data.n_rows(),
            rows_used: Some(self.fit.n),
            rows_dropped: Some(self.fit.dropped_lines.len()),
            dropped_lines: self.fit.dropped_lines.clone(),
            options: self.options_json(),
            seed: None,
            b: None,
            resampling: None,
            threads_requested: 0,
            threads_used: 1,
        };
        Ok((files, prov))
    }
}
