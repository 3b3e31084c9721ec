use std::collections::BTreeMap;

use serde_json::json;

use crate::analysis::{analyse_with_progress, Analysis, AnalysisOptions};
use crate::data::{code_event, Coding, Dataset, EventCoding};
use crate::effects::probe::ProbeMethod;
use crate::inference::{CiMethod, CovType};
use crate::report::apa::{apa_process, ApaTable};
use crate::report::{json::analysis_json, process_report, Report};
use crate::spec::{ModelSpec, SpecSource};

use super::args::FitArgs;
use super::model_opts::{self, ModelFlags};
use super::results_dir::{self, Destination, Provenance, ResultsDir};
use super::warn::InputNotes;
use super::{data_opts, fit_checks, output, usage, CliError};

pub fn run(a: FitArgs) -> Result<(), CliError> {
    fit_checks::flags(&a)?;
    let mut inputs = a.data.inputs();
    inputs.extend(a.roles.spec_file());
    let dest = results_dir::prepare(a.output.out.as_deref(), &inputs)?;
    if let Some(Some(p)) = &a.save_boot {
        check_draws_file(p, &inputs)?;
    }
    if a.save_boot == Some(None) && !matches!(dest, Destination::Folder(_)) {
        return Err(usage(
            "--save-boot without a FILE writes draws.csv into a results folder; give --save-boot FILE or --out DIR",
        ));
    }
    #[cfg(feature = "plot")]
    if let Some(t) = &a.labels {
        crate::plot::parse_labels(t).map_err(crate::Error::from)?;
    }
    if !matches!(dest, Destination::Folder(_))
        && ((a.labels.is_some() && !a.output.apa)
            || a.greyscale
            || a.no_captions
            || a.diagram_coef != "stars")
    {
        eprintln!(
            "cipa: note: --labels, --greyscale, --no-captions and --diagram-coef only change the figures of a \
             results folder (--out DIR) and, --labels, the APA tables (--apa); this run writes \
             neither"
        );
    }
    let data = data_opts::load(&a.data)?;
    let spec = build_spec(&a)?;
    let plan = FitPlan::new(a, data, spec)?;
    let bar = progress_bar(&plan.opts, plan.data.n_rows());
    let fit = plan.run(&|k| {
        if let Some(b) = &bar {
            b.inc(k as u64)
        }
    })?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if let (Some(Some(p)), Some(csv)) = (&fit.a.save_boot, fit.draws_csv()) {
        output::emit(&csv, Some(p))?;
    }
    output::deliver(&fit, output::Delivery::from_flags(dest, &fit.a.output))
}

impl output::Deliverable for FitRun {
    fn report(&self) -> Report {
        FitRun::report(self)
    }

    fn json(&self) -> Result<serde_json::Value, CliError> {
        Ok(FitRun::json(self))
    }

    fn apa(&self) -> Option<Vec<ApaTable>> {
        Some(FitRun::apa(self))
    }

    fn folder(&self) -> Option<Result<(ResultsDir, Provenance), CliError>> {
        Some(FitRun::folder(self))
    }
}

/// A `fit` with its data, model and resolved options, ready to run.
pub struct FitPlan {
    a: FitArgs,
    data: Dataset,
    spec: ModelSpec,
    /// The options of the analysis, resolved from the preset and the flags.
    pub opts: AnalysisOptions,
    defaults: Vec<String>,
    /// Variable name -> label for figures and APA tables.
    labels: BTreeMap<String, String>,
    /// How a two-valued Y was coded, when it was.
    event: Option<EventCoding>,
    /// Warnings about the values and notes on how the file was read.
    input: InputNotes,
}

/// A finished `fit`: the analysis and everything its outputs are made from.
pub struct FitRun {
    pub a: FitArgs,
    pub data: Dataset,
    pub spec: ModelSpec,
    pub opts: AnalysisOptions,
    defaults: Vec<String>,
    /// Variable name -> label for figures and APA tables: the data's variable labels (SPSS,
    /// Stata) with --labels on top.
    pub labels: BTreeMap<String, String>,
    pub analysis: Analysis,
    event: Option<EventCoding>,
    input: InputNotes,
}

impl FitPlan {
    /// Checks the flags and figure labels against the model, codes a two-valued Y, looks for
    /// suspicious values and resolves the options.
    pub fn new(a: FitArgs, mut data: Dataset, spec: ModelSpec) -> Result<Self, CliError> {
        fit_checks::flags(&a)?;
        let event = y_event(&a, &mut data, &spec)?;
        fit_checks::probes_apply(&a, &spec)?;
        let mut input = InputNotes::from_data(&data);
        input.warn_all(data_opts::value_warnings(
            &data,
            &data_opts::model_variables(&spec),
        ));
        input.warn_all(fit_checks::probe_range_warnings(&a, &spec, &data));
        #[cfg(feature = "plot")]
        if let Some(t) = &a.labels {
            let labels = crate::plot::parse_labels(t).map_err(crate::Error::from)?;
            model_opts::check_labels(&labels, &spec)?;
        }
        let labels = model_opts::model_labels(a.labels.as_deref(), Some(&data), &spec)?;
        let (opts, defaults) = options(&a, &data, &spec)?;
        Ok(FitPlan {
            a,
            data,
            spec,
            opts,
            defaults,
            labels,
            event,
            input,
        })
    }

    /// Runs the analysis; `progress(k)` after every `k` finished resamples.
    pub fn run(self, progress: &(dyn Fn(usize) + Sync)) -> Result<FitRun, CliError> {
        let mut analysis = analyse_with_progress(&self.data, &self.spec, &self.opts, progress)?;
        if self.a.save_boot.is_some() && analysis.draws.is_none() {
            return Err(usage(
                "--save-boot needs a bootstrap (--boot greater than 0) and an effect to bootstrap",
            ));
        }
        let mut input = self.input;
        if let Some(e) = &self.event {
            analysis.notes.push(e.describe());
        }
        input.warn_all(fit_checks::defined_warnings(&analysis));
        for n in fit_checks::inert_option_notes(&self.a, &self.spec, &analysis) {
            eprintln!("cipa: note: {n}");
            analysis.notes.push(n);
        }
        Ok(FitRun {
            a: self.a,
            data: self.data,
            spec: self.spec,
            opts: self.opts,
            defaults: self.defaults,
            labels: self.labels,
            analysis,
            event: self.event,
            input,
        })
    }

    /// The number of rows of the data.
    pub fn rows(&self) -> usize {
        self.data.n_rows()
    }
}

impl FitRun {
    /// Every bootstrap draw of every effect as CSV, when `--save-boot` asked for them.
    pub fn draws_csv(&self) -> Option<String> {
        self.a.save_boot.as_ref()?;
        self.analysis.draws.as_ref().map(|d| d.to_csv())
    }

    /// The JSON document of `--format json`.
    pub fn json(&self) -> serde_json::Value {
        let mut doc = analysis_json(
            &self.analysis,
            &self.data.source,
            self.data.n_rows(),
            self.options_json(),
        );
        // The header's words too: which PROCESS a model 74 (or an xmint model 4) follows.
        doc["model_label"] = serde_json::json!(model_label(&self.spec, self.a.xmint));
        self.input.add_to_json(&mut doc);
        doc
    }

    /// The options as the JSON output records them, with how a two-valued Y was coded.
    fn options_json(&self) -> serde_json::Value {
        let mut v = options_json(&self.a, &self.opts, &self.defaults);
        if let Some(e) = &self.event {
            v["event"] = json!(e);
        }
        v
    }

    /// The report (text, Markdown, LaTeX, HTML and CSV are renderings of it).
    pub fn report(&self) -> Report {
        let (spec, data, analysis) = (&self.spec, &self.data, &self.analysis);
        let mut header = vec![
            ("Model".to_string(), model_label(spec, self.a.xmint)),
            (
                "Y".to_string(),
                match &self.event {
                    Some(e) => format!("{} (1 = '{}', 0 = '{}')", spec.y, e.event, e.other),
                    None => spec.y.clone(),
                },
            ),
            ("X".to_string(), spec.x.clone()),
        ];
        for (i, m) in spec.mediators.iter().enumerate() {
            header.push((format!("M{}", i + 1), m.clone()));
        }
        for (r, m) in ["W", "Z"].iter().zip(&spec.moderators) {
            header.push((r.to_string(), m.clone()));
        }
        if !spec.covariates.is_empty() {
            header.push(("Covariates".into(), spec.covariates.join(", ")));
        }
        header.push((
            "Data".into(),
            format!("{} ({} rows)", data.source, data.n_rows()),
        ));
        header.push(("Sample size".into(), analysis.n.to_string()));
        if let Some((v, g)) = analysis
            .equations
            .first()
            .and_then(|(f, _)| f.cluster.as_ref())
        {
            header.push(("Clusters".into(), format!("{g} ('{v}')")));
        }
        if analysis.n_dropped > 0 {
            header.push((
                "Rows dropped".into(),
                format!(
                    "{} (missing values; lines {})",
                    analysis.n_dropped,
                    output::line_list(&analysis.dropped_rows)
                ),
            ));
        }
        header.push(("Defaults in force".into(), self.defaults.join("; ")));
        header.push(("cipa".into(), crate::VERSION.into()));
        let mut report = process_report(analysis, header);
        report.decimals = self.a.output.decimals as usize;
        self.input.add_to(&mut report);
        report
    }

    /// The APA-style tables.
    pub fn apa(&self) -> Vec<ApaTable> {
        let mut o = self.a.output.apa_options();
        o.labels = self.labels.clone();
        apa_process(&self.analysis, &o)
    }

    /// The files of a results folder and what its manifest records.
    pub fn folder(&self) -> Result<(ResultsDir, Provenance), CliError> {
        let (a, opts, analysis) = (&self.a, &self.opts, &self.analysis);
        let mut files = ResultsDir::new();
        files.add_report(&self.report());
        files.add("results.json", super::json_text(&self.json())?);
        files.add_apa(&self.apa());
        if let Some(csv) = self.draws_csv() {
            files.add("draws.csv", csv);
        }
        // Plots go under plots/; results_dir::plots is the one place the plot layer plugs in.
        let style = results_dir::FigureStyle {
            labels: Some(&self.labels),
            greyscale: a.greyscale,
            coef_ci: a.diagram_coef == "ci",
            captions: !a.no_captions,
        };
        files.add_figures(results_dir::plots(analysis, &self.data, style)?);
        let resampling = analysis.bootstrap.as_ref();
        let mut options = self.options_json();
        options["analysis_options"] =
            serde_json::to_value(opts).map_err(|e| CliError::Internal(e.to_string()))?;
        let prov = Provenance {
            command: "fit",
            data_path: a.data.data.clone(),
            rows: self.data.n_rows(),
            rows_used: Some(analysis.n),
            rows_dropped: Some(analysis.n_dropped),
            dropped_lines: analysis.dropped_rows.clone(),
            options,
            seed: Some(opts.seed),
            b: resampling.map(|b| b.b),
            resampling: resampling.map(|b| b.resampling),
            threads_requested: opts.threads,
            threads_used: results_dir::threads_used(opts.threads, resampling.is_some()),
        };
        Ok((files, prov))
    }
}

/// `--save-boot FILE`: a new or cipa-written `.csv` file that is none of the inputs.
fn check_draws_file(p: &std::path::Path, inputs: &[&std::path::Path]) -> Result<(), CliError> {
    let csv = p
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if !csv {
        return Err(usage(format!(
            "--save-boot '{}': the draws are written as CSV; give a file ending in .csv",
            p.display()
        )));
    }
    output::check_file_target(p, inputs)
}

/// The model as the report's header names it: model 74 and the counterfactual form of model 4
/// say which PROCESS they follow.
fn model_label(spec: &ModelSpec, xmint: bool) -> String {
    match spec.source {
        SpecSource::Process(4) if xmint => {
            "PROCESS model 4 with an X×M interaction (xmint; PROCESS 4.3.1's counterfactual effects)"
                .to_string()
        }
        SpecSource::Process(74) => {
            "PROCESS model 74 (PROCESS 2.16's: effects conditional on X; PROCESS 4.3.1's form is --model 4 --xmint)"
                .to_string()
        }
        SpecSource::Process(n) => format!("PROCESS model {n}"),
        SpecSource::Syntax => "path syntax".to_string(),
    }
}

/// The model the flags name (`--model` with roles, or `--spec`).
pub fn build_spec(a: &FitArgs) -> Result<ModelSpec, CliError> {
    let mut flags = flags(a);
    if a.xmint {
        check_xmint_model(a)?;
        // PROCESS's xmint adds the X×M product to model 4's Y equation: the equations of
        // PROCESS 2.16's model 74 (Y ~ X + M + M:X), reported as model 4.
        flags.model = Some(74);
    } else if a.xrefval.is_some() || a.cdeval.is_some() {
        return Err(usage(
            "--xrefval and --cdeval set the values of PROCESS's counterfactual effects: add --xmint (with --model 4 and one mediator)",
        ));
    }
    let mut spec = model_opts::build_spec(&flags)?.ok_or_else(|| {
        usage("give a PROCESS model number (--model N) or a model file (--spec FILE)")
    })?;
    if a.xmint {
        spec.source = SpecSource::Process(4);
    }
    Ok(spec)
}

/// The model flags of a `fit`, with its per-equation covariates.
pub fn flags(a: &FitArgs) -> ModelFlags<'_> {
    ModelFlags {
        cov_m: a.cov_m.as_deref(),
        cov_y: a.cov_y.as_deref(),
        ..a.roles.flags()
    }
}

/// `--xmint` is PROCESS's model 4 with one mediator and no moderator.
fn check_xmint_model(a: &FitArgs) -> Result<(), CliError> {
    let r = &a.roles;
    match r.model {
        Some(4) => {}
        Some(74) => {
            return Err(usage(
                "--xmint is the counterfactual form of model 4: use --model 4 --xmint (--model 74 is PROCESS 2.16's model 74, with effects conditional on X, which PROCESS 4.3.1 refuses)",
            ))
        }
        Some(n) => {
            return Err(usage(format!(
                "--xmint applies to PROCESS model 4 (one mediator, an X×M product in Y's equation), not model {n}"
            )))
        }
        None => {
            return Err(usage(
                "--xmint applies to PROCESS model 4: give --model 4 (not --spec; a path-syntax model writes the product itself)",
            ))
        }
    }
    if r.m.len() != 1 {
        return Err(usage(format!(
            "--xmint takes exactly one mediator (PROCESS's xmint does too), not {}",
            r.m.len()
        )));
    }
    if r.w.is_some() || r.z.is_some() {
        return Err(usage(
            "--xmint is model 4, which has no moderator: drop --w and --z",
        ));
    }
    if a.wvals.is_some() || a.zvals.is_some() {
        return Err(usage(
            "--xmint probes X at the two values of --xrefval: drop --wvals and --zvals",
        ));
    }
    Ok(())
}

/// Resolves options from the preset and the flags; returns the options and a list of the defaults
/// in force, for the output.
fn options(
    a: &FitArgs,
    data: &Dataset,
    spec: &ModelSpec,
) -> Result<(AnalysisOptions, Vec<String>), CliError> {
    let mut o = preset(&a.preset)?;
    inference_options(a, &mut o)?;
    resampling_options(a, &mut o)?;
    o.w_values = a.wvals.clone();
    o.z_values = a.zvals.clone();
    if let Some(v) = &a.xvals {
        o.probe_values.push((spec.x.clone(), v.clone()));
    }
    o.contrasts = a.contrast;
    o.total = a.total;
    o.normal = a.normal;
    o.jn = a.jn;
    o.effsize = a.effsize;
    model_options(a, &mut o)?;
    for v in std::iter::once(&spec.x).chain(spec.moderators.iter()) {
        if data
            .var(v)
            .map(|x| x.data.is_categorical())
            .unwrap_or(false)
        {
            o.codings.push((
                v.clone(),
                Coding {
                    contrast: a.coding,
                    reference: None,
                },
            ));
        }
    }
    let defaults = defaults_in_force(a, &o, spec);
    Ok((o, defaults))
}

/// The options a `--preset` starts from.
fn preset(name: &str) -> Result<AnalysisOptions, CliError> {
    let mut o = AnalysisOptions::default();
    match name {
        "process4" | "process" => o.process_t = true,
        "pyprocessmacro" => {
            o.ci = CiMethod::BiasCorrected;
            o.cov = CovType::Hc3;
            o.probe = ProbeMethod::MeanSd;
            o.intprobe = 1.0;
        }
        p => {
            return Err(usage(format!(
                "unknown --preset '{p}': use process4 or pyprocessmacro"
            )))
        }
    }
    Ok(o)
}

/// Interval method, standard errors, cluster, --xmint and the probe method.
fn inference_options(a: &FitArgs, o: &mut AnalysisOptions) -> Result<(), CliError> {
    if let Some(ci) = a.ci {
        o.ci = ci;
    }
    if let Some(hc) = a.hc {
        o.cov = hc;
    }
    if let Some(c) = &a.cluster {
        o.cov = CovType::Cr1;
        o.cluster = Some(c.clone());
    }
    o.modelbt = a.modelbt;
    if a.xmint {
        o.xmint = Some(crate::analysis::Xmint {
            xrefval: a.xrefval.clone().unwrap_or_default(),
            cdeval: a.cdeval,
        });
    }
    if let Some(p) = &a.probe {
        o.probe = match p.as_str() {
            "percentiles" | "percentile" | "pct" => ProbeMethod::Percentiles,
            "meansd" | "mean-sd" => ProbeMethod::MeanSd,
            _ => {
                return Err(usage(format!(
                    "unknown --probe '{p}': use percentiles or meansd"
                )))
            }
        };
    }
    Ok(())
}

/// Bootstrap draws, seed (chosen from the clock when not given), level, threads, Monte Carlo.
fn resampling_options(a: &FitArgs, o: &mut AnalysisOptions) -> Result<(), CliError> {
    if let Some(b) = a.boot {
        o.boot = b;
    }
    super::check_boot(o.boot, a.conf)?;
    o.seed = match a.seed {
        Some(s) => s,
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64 % 1_000_000_000),
    };
    o.conf = a.conf;
    o.threads = a.threads;
    if let Some(mc) = a.mc {
        o.mc = mc;
    }
    Ok(())
}

/// Y's model, the interaction p value that shows conditional effects, and centring.
fn model_options(a: &FitArgs, o: &mut AnalysisOptions) -> Result<(), CliError> {
    o.y_model = if a.logistic {
        crate::analysis::YModel::Logistic
    } else if a.linear_y {
        crate::analysis::YModel::Linear
    } else {
        crate::analysis::YModel::Auto
    };
    if let Some(p) = a.intprobe {
        if !(0.0..=1.0).contains(&p) {
            return Err(usage(format!(
                "--intprobe {p} must be a p-value between 0 and 1, e.g. 0.10"
            )));
        }
        o.intprobe = p;
    }
    o.center = match a.center.as_deref() {
        None | Some("none") => crate::analysis::Center::None,
        Some("all") => crate::analysis::Center::All,
        Some("continuous") => crate::analysis::Center::Continuous,
        Some(c) => {
            return Err(usage(format!(
                "unknown --center '{c}': use all or continuous"
            )))
        }
    };
    Ok(())
}

/// The settings in force, each said once, for the report's header.
fn defaults_in_force(a: &FitArgs, o: &AnalysisOptions, spec: &ModelSpec) -> Vec<String> {
    let mut defaults = vec![
        format!("preset {}", a.preset),
        if o.mc > 0 {
            format!("Monte Carlo intervals from {} draws (no bootstrap)", o.mc)
        } else {
            format!(
                "bootstrap B = {}{}",
                o.boot,
                if a.boot.is_none() { " (default)" } else { "" }
            )
        },
        format!(
            "seed {}{}",
            o.seed,
            if a.seed.is_none() {
                " (chosen at random: pass --seed to repeat)"
            } else {
                ""
            }
        ),
        format!("{} CIs", o.ci.label()),
        match &o.cluster {
            Some(c) => format!("CR1 (cluster-robust) standard errors by '{c}'"),
            None => format!("{} standard errors", o.cov.label()),
        },
        match (&o.probe, &o.w_values) {
            (_, Some(_)) => "W probed at given values".to_string(),
            (ProbeMethod::Percentiles, _) => {
                "moderators probed at the 16th/50th/84th percentiles".to_string()
            }
            (ProbeMethod::MeanSd, _) => "moderators probed at mean ± SD".to_string(),
            (ProbeMethod::Values(_), _) => "moderators probed at given values".to_string(),
        },
        format!(
            "conditional effects shown when the interaction's p <= {}",
            o.intprobe
        ),
        match o.center {
            crate::analysis::Center::None => "no centring".to_string(),
            crate::analysis::Center::All => "variables in products mean-centred".to_string(),
            crate::analysis::Center::Continuous => {
                "continuous variables in products mean-centred".to_string()
            }
        },
    ];
    if spec.x_in_power() && a.xvals.is_none() {
        defaults.push(format!(
            "'{}' (in a power) probed at its mean ± SD, as MEDCURVE",
            spec.x
        ));
    }
    defaults
}

/// A two-valued Y coded 0/1 with a stated event (a numeric 0/1 Y is left alone unless --event
/// names its event; with --linear-y a numeric Y keeps its values).
fn y_event(
    a: &FitArgs,
    data: &mut Dataset,
    spec: &ModelSpec,
) -> Result<Option<EventCoding>, CliError> {
    let numeric = data.var(&spec.y).is_ok_and(|v| !v.data.is_categorical());
    if a.linear_y && numeric && a.event.is_none() {
        return Ok(None);
    }
    Ok(code_event(data, &spec.y, a.event.as_deref())?)
}

fn options_json(a: &FitArgs, o: &AnalysisOptions, defaults: &[String]) -> serde_json::Value {
    json!({
        "preset": a.preset,
        "cov_type": o.cov,
        "conf": o.conf,
        "boot": o.boot,
        "seed": o.seed,
        "ci": o.ci,
        "probe": o.probe,
        "wvals": o.w_values,
        "zvals": o.z_values,
        "xvals": a.xvals,
        "coding": a.coding,
        "contrast": o.contrasts,
        "total": o.total,
        "normal": o.normal,
        "jn": o.jn,
        "intprobe": o.intprobe,
        "y_model": o.y_model,
        "effsize": o.effsize,
        "mc": o.mc,
        "center": o.center,
        "cluster": o.cluster,
        "modelbt": o.modelbt,
        "xmint": o.xmint,
        "missing": a.data.missing,
        "defaults_in_force": defaults,
    })
}

/// A progress bar on standard error for long bootstraps, only when it is a terminal (never in
/// pipes, files or CI logs).
fn progress_bar(opts: &AnalysisOptions, n: usize) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    const LONG: usize = 50_000_000; // resampled rows: roughly a second or more of work
    if opts.boot == 0 || opts.boot.saturating_mul(n) < LONG || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(opts.boot as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("bootstrap {bar:40} {pos}/{len} draws, {eta} left")
    {
        bar.set_style(style);
    }
    Some(bar)
}
