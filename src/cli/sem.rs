//! `cipa sem`: a latent-variable model in lavaan's syntax, fitted by the ML engine (src/sem)
//! with lavaan's defaults, reported in lavaan's summary() layout or as JSON.

use serde_json::json;

use crate::analysis::sem_probe::{self, ProbedDefinition};
use crate::analysis::sem_slopes::{latent_slopes, LatentSlopes};
use crate::data::Dataset;
use crate::effects::probe::ProbeMethod;
use crate::report::sem_tests;
use crate::report::{
    add_sem_diagnostics, sem_diagnostics_json, sem_json, sem_report, Report, SemDiagnostics,
};
use crate::sem::interaction::{DmcPairs, InteractionMethod, InteractionOptions};
use crate::sem::lrt::LrtTable;
use crate::sem::resample::{SemBootOptions, SemBootstrap};
use crate::sem::wald::WaldTest;
use crate::sem::{Estimator, Information, Missing, SemFit, SemOptions};
use crate::spec::flat::FlatModel;

use super::args::SemArgs;
use super::output::{self, Deliverable, Delivery};
use super::results_dir::{self, Provenance, ResultsDir};
use super::sem_diagram;
use super::warn::InputNotes;
use super::{data_opts, model_opts, usage, CliError};

pub fn run(a: SemArgs) -> Result<(), CliError> {
    let plan = SemPlan::new(a)?;
    let diagram = plan.diagram_target()?;
    let dest = results_dir::prepare(plan.a.out.as_deref(), &plan.inputs())?;
    let a = &plan.a;
    let styled = a.diagram_values != "raw" || a.diagram_coef != "stars" || a.diagram_residuals;
    if styled && diagram.is_none() && !matches!(dest, results_dir::Destination::Folder(_)) {
        eprintln!(
            "cipa: note: --diagram-values, --diagram-coef and --diagram-residuals only change the \
             path diagram of --diagram FILE or of a results folder (--out DIR); this run writes \
             neither"
        );
    }
    let data = data_opts::load(&plan.a.data)?;
    if plan.a.group.is_some() {
        return super::sem_groups::run(plan, data, dest, diagram);
    }
    let run = plan.run(data)?;
    run.write_diagram(diagram)?;
    let out = run.a.out.clone();
    output::deliver(
        &run,
        Delivery {
            dest,
            format: run.format(),
            apa: run.a.apa,
            out: out.as_deref(),
        },
    )
}

/// A `sem` checked before any data are read: the options and the parsed model.
pub struct SemPlan {
    pub a: SemArgs,
    pub(super) opts: SemOptions,
    /// Where the model came from: its file, framework:NAME or --syntax.
    pub(super) source: String,
    pub(super) flat: FlatModel,
}

impl SemPlan {
    pub fn new(mut a: SemArgs) -> Result<Self, CliError> {
        let missing = missing_method(&mut a)?;
        let opts = options(&a, missing)?;
        if a.cluster.is_some() && (a.boot > 0 || a.mc > 0) {
            return Err(usage(
                "--cluster with --boot or --mc: the bootstrap resamples rows, not clusters; drop one of them",
            ));
        }
        // Before any allocation: a typo such as --mc 4000000000 aborted on a failed allocation,
        // and --mc 1 printed an "interval" that was one draw. 0 (the default) is no draws.
        if a.mc > 0 {
            super::check_mc(a.mc, a.conf)?;
        }
        if a.interaction == "lms" {
            refuse_lms_extras(&a)?;
        }
        super::limits::threads(a.threads)?;
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
        inputs.extend(self.a.compare.as_deref());
        inputs
    }

    /// The `--diagram` file and its format, checked before the model is fitted.
    pub fn diagram_target(&self) -> Result<Option<(std::path::PathBuf, &'static str)>, CliError> {
        match &self.a.diagram {
            Some(p) => {
                output::check_file_target(p, &self.inputs())?;
                Ok(Some((p.clone(), sem_diagram::format(p)?)))
            }
            None => Ok(None),
        }
    }

    /// Fits the model to `data` (read by the data flags).
    pub fn run(self, data: Dataset) -> Result<SemRun, CliError> {
        let mut input = InputNotes::from_data(&data);
        let latent = latent_probe_values(&self.a, &self.flat, &data, &self.opts)?;
        let (flat, probed) = probed_model(&self.a, &self.flat, &data, self.opts.missing, &latent)?;
        let mut fit = fit_model(&self.a, &flat, &data, &self.opts)?;
        let tests = SemTests::run(&self.a, &self.source, &fit, &data, &self.opts)?;
        let mut boot = resampled(&self.a, &flat, &data, &fit)?;
        sem_probe::withhold_standardized(&mut fit, boot.as_mut(), &probed);
        let vars: Vec<&str> = fit.observed.iter().map(String::as_str).collect();
        input.warn_all(data_opts::value_warnings(&data, &vars));
        let diagnostics = diagnostics(&fit, &self.a)?;
        let slopes =
            latent_slopes(&fit, &data, &probe_method(&self.a)).map_err(crate::Error::from)?;
        Ok(SemRun {
            a: self.a,
            data,
            source: self.source,
            fit,
            input,
            diagnostics,
            boot,
            probed,
            tests,
            slopes,
        })
    }
}

/// The fit the flags ask for: cluster-robust with --cluster (sem/cluster.rs), else plain.
fn fit_model(
    a: &SemArgs,
    flat: &FlatModel,
    data: &Dataset,
    opts: &SemOptions,
) -> Result<SemFit, CliError> {
    let fit = match &a.cluster {
        Some(var) => crate::sem::cluster::fit_clustered(flat, data, opts, var),
        None => crate::sem::fit(flat, data, opts),
    };
    Ok(fit.map_err(crate::Error::from)?)
}

/// The tests of the fitted model the flags ask for: --wald and --compare.
#[derive(Default)]
pub struct SemTests {
    pub wald: Option<WaldTest>,
    pub compare: Option<LrtTable>,
}

impl SemTests {
    fn run(
        a: &SemArgs,
        source: &str,
        fit: &SemFit,
        data: &Dataset,
        opts: &SemOptions,
    ) -> Result<SemTests, CliError> {
        let wald = match &a.wald {
            Some(text) => Some(crate::sem::wald::wald_text(fit, text)?),
            None => None,
        };
        let compare = match &a.compare {
            Some(path) => {
                let (flat, names) = compare_model(path, source)?;
                let other = fit_model(a, &flat, data, opts)?;
                let table = crate::sem::lrt::lrt(&[(&names.0, fit), (&names.1, &other)])
                    .map_err(crate::Error::from)?;
                Some(table)
            }
            None => None,
        };
        Ok(SemTests { wald, compare })
    }

    fn add_to(&self, report: &mut Report, fit: &SemFit) {
        if let Some(c) = &fit.cluster {
            sem_tests::add_cluster(report, c);
        }
        if let Some(w) = &self.wald {
            sem_tests::add_wald(report, w);
        }
        if let Some(t) = &self.compare {
            sem_tests::add_lrt(report, t);
        }
    }

    fn add_to_json(&self, doc: &mut serde_json::Value, fit: &SemFit) {
        let Some(o) = doc.as_object_mut() else { return };
        if let Some(c) = &fit.cluster {
            o.insert(
                "cluster".into(),
                serde_json::to_value(c).unwrap_or_default(),
            );
        }
        if let Some(w) = &self.wald {
            o.insert("wald".into(), serde_json::to_value(w).unwrap_or_default());
        }
        if let Some(t) = &self.compare {
            o.insert("lrt".into(), serde_json::to_value(t).unwrap_or_default());
        }
    }
}

/// The `--compare` model read and parsed, and the names of the fitted and compared models in
/// the table (their sources; "model" and "--compare" when both are the same file).
pub(super) fn compare_model(
    path: &std::path::Path,
    source: &str,
) -> Result<(FlatModel, (String, String)), CliError> {
    let name = path.display().to_string();
    let text = model_opts::spec_text(path)?;
    let flat = crate::spec::syntax::parse_flat(&name, &text).map_err(crate::Error::from)?;
    let names = if name == source {
        ("model".to_string(), "--compare".to_string())
    } else {
        (source.to_string(), name)
    };
    Ok((flat, names))
}

/// The probe values of each latent moderator a := names (`ind := a*(b + b3*W)` with W a latent
/// factor of a latent product): --wvals, else 0 and ± 1 SD of W's model-implied variance in a
/// first fit without those := (as the simple slopes).
fn latent_probe_values(
    a: &SemArgs,
    flat: &FlatModel,
    data: &Dataset,
    opts: &SemOptions,
) -> Result<Vec<(String, Vec<f64>)>, CliError> {
    let moderators = sem_probe::latent_moderators(flat, data);
    if moderators.is_empty() {
        return Ok(Vec::new());
    }
    let first = sem_probe::without_moderated(flat, &moderators);
    let fit = crate::sem::fit(&first, data, opts).map_err(crate::Error::from)?;
    moderators
        .into_iter()
        .map(|m| {
            let values = match &a.wvals {
                Some(v) => v.clone(),
                None => {
                    let var = crate::sem::interaction::latent_variance(&fit, &m)
                        .map_err(crate::Error::from)?;
                    let sd = var.max(0.0).sqrt();
                    vec![-sd, 0.0, sd]
                }
            };
            Ok((m, values))
        })
        .collect()
}

/// --probe / --wvals (PROCESS's percentiles by default).
pub(super) fn probe_method(a: &SemArgs) -> ProbeMethod {
    match (&a.wvals, a.probe.as_deref()) {
        (Some(v), _) => ProbeMethod::Values(v.clone()),
        (None, Some("meansd")) => ProbeMethod::MeanSd,
        _ => ProbeMethod::Percentiles,
    }
}

/// The model with every := that names an observed moderator probed at its values (--probe,
/// --wvals; analysis/sem_probe.rs).
fn probed_model(
    a: &SemArgs,
    flat: &FlatModel,
    data: &Dataset,
    missing: Missing,
    latent: &[(String, Vec<f64>)],
) -> Result<(FlatModel, Vec<ProbedDefinition>), CliError> {
    let method = probe_method(a);
    let err = |e: crate::sem::SemError| CliError::from(crate::Error::from(e));
    let latent_products = crate::sem::interaction::latent_products(flat, data);
    let data = crate::sem::products::with_products(flat, data).map_err(err)?;
    let (flat, probed) =
        sem_probe::expand_with_latents(flat, &data, missing, &method, latent).map_err(err)?;
    let flags = a.wvals.is_some() || a.probe.is_some();
    if probed.is_empty() && latent_products.is_empty() && flags {
        return Err(usage(
            "--probe and --wvals probe a := that names an observed variable (ind := a*b1 + a*b3*w) or a latent interaction (y ~ x + w + x:w); the model has neither",
        ));
    }
    Ok((flat, probed))
}

/// Reliability always; the modification indices and residuals when asked for.
fn diagnostics(fit: &SemFit, a: &SemArgs) -> Result<SemDiagnostics, CliError> {
    let err = |e: crate::sem::SemError| CliError::from(crate::Error::from(e));
    let modindices = match a.mi {
        Some(t) if !(t >= 0.0 && t.is_finite()) => {
            return Err(usage(format!(
                "--mi {t}: the threshold must be a number of 0 or more (3.84 lists the indices significant at 5%)"
            )))
        }
        Some(t) => Some((
            t,
            crate::sem::modindices::sorted_above(fit.modification_indices().map_err(err)?, t),
        )),
        None => None,
    };
    let residuals = if a.residuals {
        Some(fit.residuals().map_err(err)?)
    } else {
        None
    };
    // An LMS fit keeps no single-group moments to take omega from (its items are a mixture
    // over the quadrature nodes), so it reports no reliability rather than failing.
    let reliability = if fit.source.is_some() {
        fit.reliability().map_err(err)?
    } else {
        Vec::new()
    };
    Ok(SemDiagnostics {
        reliability,
        modindices,
        residuals,
    })
}

/// The resampled inference the flags ask for (--boot, --mc, --bollen-stine), if any.
fn resampled(
    a: &SemArgs,
    flat: &FlatModel,
    data: &Dataset,
    fit: &SemFit,
) -> Result<Option<SemBootstrap>, CliError> {
    let Some(opts) = boot_options(a)? else {
        return Ok(None);
    };
    let b = crate::sem::resample::bootstrap(flat, data, fit, &opts).map_err(crate::Error::from)?;
    Ok(Some(b))
}

/// The resampling options of --boot, --mc, --seed, --ci, --bollen-stine, --threads (`None`
/// when neither --boot nor --mc asks for draws); one group or several.
pub(super) fn boot_options(a: &SemArgs) -> Result<Option<SemBootOptions>, CliError> {
    if a.boot == 0 && a.mc == 0 {
        return Ok(None);
    }
    if a.boot > 0 {
        super::check_boot(a.boot, a.conf)?;
    }
    let seed = a.seed.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64 % 1_000_000_000)
    });
    Ok(Some(SemBootOptions {
        boot: a.boot,
        seed,
        ci: a.ci.unwrap_or_default(),
        mc: a.mc,
        bollen_stine: a.bollen_stine,
        threads: a.threads,
    }))
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
    opts.interaction = InteractionOptions {
        method: match a.interaction.as_str() {
            "lms" => InteractionMethod::Lms,
            _ => InteractionMethod::Dmc,
        },
        pairs: match a.dmc_pairs.as_str() {
            "matched" => DmcPairs::Matched,
            _ => DmcPairs::All,
        },
    };
    Ok(opts)
}

/// LMS (sem/lms) gives the estimates, their standard errors from the observed information and
/// its own fit comparison; what needs a covariance-structure fit's parameter table and sample
/// moments (draws, modification indices, residuals) it does not have yet. Asked for, they
/// used to end in messages meant for developers ("fit the model with sem::fit", "diagnostics
/// of a fit without its parameter table"); now the flags are named with what to do instead.
fn refuse_lms_extras(a: &SemArgs) -> Result<(), CliError> {
    let asked: Vec<&str> = [
        (a.boot > 0, "--boot"),
        (a.mc > 0, "--mc"),
        (a.bollen_stine, "--bollen-stine"),
        (a.mi.is_some(), "--mi"),
        (a.residuals, "--residuals"),
    ]
    .into_iter()
    .filter_map(|(on, flag)| on.then_some(flag))
    .collect();
    if asked.is_empty() {
        return Ok(());
    }
    Err(super::usage(format!(
        "{} with --interaction lms: LMS gives estimates with standard errors from the observed \
         information, but no bootstrap, Monte Carlo intervals, modification indices or \
         residuals yet; drop {}, or fit the model with --interaction dmc (the default), which \
         has them all",
        asked.join(", "),
        if asked.len() == 1 { "it" } else { "them" }
    )))
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
    diagnostics: SemDiagnostics,
    /// The resampled inference (--boot, --mc).
    pub boot: Option<SemBootstrap>,
    /// The := probed at values of an observed moderator.
    pub probed: Vec<ProbedDefinition>,
    /// --wald and --compare.
    pub tests: SemTests,
    /// The simple slopes and Johnson-Neyman regions of the latent interactions.
    pub slopes: Vec<LatentSlopes>,
}

impl SemRun {
    /// Writes the path diagram to the target of [`SemPlan::diagram_target`], if any.
    pub fn write_diagram(
        &self,
        target: Option<(std::path::PathBuf, &'static str)>,
    ) -> Result<(), CliError> {
        match target {
            Some((path, format)) => sem_diagram::write(&self.fit, &self.a, &path, format),
            None => Ok(()),
        }
    }

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
            "missing_codes": self.a.data.missing, "mi": self.a.mi, "residuals": self.a.residuals,
            "boot": self.a.boot, "mc": self.a.mc, "seed": self.boot.as_ref().map(|b| b.seed),
            "ci": self.boot.as_ref().filter(|_| self.a.boot > 0).map(|b| b.method),
            "bollen_stine": self.a.bollen_stine,
            "probe": self.a.probe.as_deref().unwrap_or("percentiles"), "wvals": self.a.wvals,
            "diagram_values": self.a.diagram_values, "diagram_coef": self.a.diagram_coef,
            "diagram_residuals": self.a.diagram_residuals,
            "cluster": self.a.cluster, "wald": self.a.wald, "compare": self.a.compare,
            "interaction": o.interaction.method, "dmc_pairs": o.interaction.pairs,
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
        add_sem_diagnostics(&mut report, &self.fit, &self.diagnostics);
        self.tests.add_to(&mut report, &self.fit);
        report.notes.push(format!(
            "Confidence intervals at {}%; Std.lv standardizes the latent variables, Std.all every variable.",
            crate::data::format_number(self.a.conf)
        ));
        report.notes.extend(self.probed.iter().map(probe_note));
        crate::report::sem_interaction::add_to(
            &mut report,
            &self.fit.interactions,
            &self.slopes,
            self.fit.options.estimator == crate::sem::Estimator::Mlr,
        );
        if let Some(b) = &self.boot {
            crate::report::sem_boot::add_to(&mut report, b);
        }
        self.input.add_to(&mut report);
        report
    }

    /// The JSON document of `--format json`.
    pub fn json(&self) -> serde_json::Value {
        let data = json!({"file": self.data.source, "rows": self.data.n_rows()});
        let mut doc = sem_json(&self.fit, data, self.options_json());
        if let Some(obj) = doc.as_object_mut() {
            obj.extend(sem_diagnostics_json(&self.fit, &self.diagnostics));
        }
        if let (false, Some(o)) = (self.probed.is_empty(), doc.as_object_mut()) {
            o.insert(
                "probed_definitions".into(),
                serde_json::to_value(&self.probed).unwrap_or_default(),
            );
        }
        if let (false, Some(o)) = (self.fit.interactions.is_empty(), doc.as_object_mut()) {
            o.insert(
                "interactions".into(),
                serde_json::to_value(&self.fit.interactions).unwrap_or_default(),
            );
        }
        if let (false, Some(o)) = (self.slopes.is_empty(), doc.as_object_mut()) {
            o.insert(
                "latent_slopes".into(),
                serde_json::to_value(&self.slopes).unwrap_or_default(),
            );
        }
        if let (Some(b), Some(o)) = (&self.boot, doc.as_object_mut()) {
            o.insert(
                "resampling".into(),
                serde_json::to_value(b).unwrap_or_default(),
            );
        }
        self.tests.add_to_json(&mut doc, &self.fit);
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
        sem_diagram::add_to_folder(&mut files, &self.fit, &self.a)?;
        self.add_interaction_figures(&mut files)?;
        files.add_apa(&self.apa());
        let prov = Provenance {
            command: "sem",
            data_path: self.a.data.data.clone(),
            rows: self.data.n_rows(),
            rows_used: Some(self.fit.n),
            rows_dropped: Some(self.fit.dropped_lines.len()),
            dropped_lines: self.fit.dropped_lines.clone(),
            options: self.options_json(),
            seed: self.boot.as_ref().map(|b| b.seed),
            b: self.boot.as_ref().map(|b| b.b).filter(|&b| b > 0),
            resampling: None,
            threads_requested: 0,
            threads_used: 1,
        };
        Ok((files, prov))
    }
}

impl SemRun {
    /// The interaction and Johnson-Neyman plots of each probed latent interaction
    /// (plot/latent_interaction.rs), in `plots/` of a results folder.
    fn add_interaction_figures(&self, files: &mut ResultsDir) -> Result<(), CliError> {
        #[cfg(feature = "plot")]
        {
            let scaled = self
                .slopes
                .iter()
                .map(|s| {
                    crate::analysis::sem_slopes::focal_scale(&self.fit, &self.data, s)
                        .map(|scale| (s.clone(), scale))
                })
                .collect::<Result<Vec<_>, _>>()
                .map_err(crate::Error::from)?;
            let rendered = crate::plot::latent_interaction::render_latent_slopes(
                &self.fit,
                &scaled,
                &crate::plot::PlotOptions::default(),
            )
            .map_err(|e| {
                CliError::Internal(format!("drawing the interaction plots failed: {e}"))
            })?;
            files.add_figures(super::results_dir::folder_figures(rendered));
        }
        #[cfg(not(feature = "plot"))]
        {
            let _ = files;
        }
        Ok(())
    }
}

/// What the probed rows of a := are: the moderator's values and how they were chosen.
pub(super) fn probe_note(p: &ProbedDefinition) -> String {
    let values: Vec<String> = p
        .values
        .iter()
        .map(|v| crate::effects::probe::label(*v))
        .collect();
    let how = match &p.probe {
        ProbeMethod::Percentiles if p.values.len() == 3 => {
            " (its 16th, 50th and 84th percentiles in the rows used, as PROCESS)"
        }
        ProbeMethod::MeanSd if p.values.len() == 3 => " (its mean - 1 SD, mean, mean + 1 SD)",
        ProbeMethod::Values(_) => " (--wvals)",
        _ => " (its two values)",
    };
    let mut note = format!(
        "{} := {} is probed at {} = {}{how}; each row holds {} fixed at that value, also in the bootstrap and Monte Carlo draws; no standardized values are given for these rows.",
        p.name,
        p.text,
        p.moderator,
        values.join(", "),
        p.moderator
    );
    if p.latent {
        note.push_str(&format!(
            " {} is latent (mean 0, as its centred product indicators): its SD is the model-implied one, from a fit without this :=.",
            p.moderator
        ));
    }
    if let Some(c) = p.centre {
        note.push_str(&format!(
            " {} is a factor of a latent product term, whose product indicators centre it at its mean {}: each row substitutes {} minus that mean, the scale of the product's path.",
            p.moderator,
            crate::effects::probe::label(c),
            p.moderator
        ));
    }
    if let Some(index) = &p.index {
        note.push_str(&format!(
            " {index} is its slope in {} (the index of moderated mediation when {} is an indirect effect).",
            p.moderator, p.name
        ));
    }
    note
}
