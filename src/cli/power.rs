//! `cipa power`: Monte Carlo power of chosen effects across sample sizes, by simulating a design
//! and fitting a model to every replication; `--shard i/N` runs one slice and `cipa power merge`
//! combines the slices (for job arrays on a cluster).

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use serde_json::json;

use super::args::OutputArgs;
use super::model_opts;
use super::output::emit;
use super::results_dir::{self, Destination, Provenance, ResultsDir};
use super::{usage, CliError};
use crate::inference::CiMethod;
use crate::report::{power_report, render, Format, Report};
use crate::simulate::power::{self, EffectSelector, PowerStudy, PowerSummary, Shard};
use crate::simulate::{Design, Measurement, FRAMEWORK_DESIGN};
use crate::spec::ModelSpec;

/// The model fitted by default to the framework design: collaboration mediating network ties ->
/// export intensity.
const FRAMEWORK_MODEL: &str = include_str!("../../models/framework/mediation.cipa");

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct PowerArgs {
    #[command(subcommand)]
    pub command: Option<PowerCommand>,
    #[command(flatten)]
    pub run: PowerRunArgs,
}

#[derive(Debug, Subcommand)]
pub enum PowerCommand {
    /// Combine the shard files of one study (run with --shard i/N) into its summary.
    Merge(MergeArgs),
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Shard files written by `cipa power --shard i/N`.
    #[arg(value_name = "FILES", required = true)]
    pub files: Vec<PathBuf>,
    /// Also draw the power curve to this file (.svg or .png).
    #[arg(long, value_name = "FILE")]
    pub plot: Option<PathBuf>,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct PowerRunArgs {
    /// Design file (TOML); default: the framework design shipped with cipa.
    #[arg(long, value_name = "FILE")]
    pub design: Option<PathBuf>,
    /// Constructs as their exact latent scores instead of Likert items (so estimates are on the
    /// scale of the design's truth, and bias and coverage can be computed).
    #[arg(long)]
    pub exact: bool,
    /// The model fitted to every replication (with the framework design and neither --model nor
    /// --spec: models/framework/mediation.cipa).
    #[command(flatten)]
    pub roles: super::args::ModelArgs,
    /// Effects to assess: indirect, imm (indices of moderated mediation), coef:TERM (or
    /// coef:OUTCOME~TERM), defined:NAME; comma-separated.
    #[arg(
        long,
        value_name = "LIST",
        value_delimiter = ',',
        default_value = "indirect"
    )]
    pub effects: Vec<String>,
    /// Sample sizes, comma-separated.
    #[arg(
        long,
        value_name = "SIZES",
        value_delimiter = ',',
        default_value = "100,200,400,800"
    )]
    pub n: Vec<usize>,
    /// Replications per sample size.
    #[arg(long, default_value_t = 1000)]
    pub reps: usize,
    /// Bootstrap resamples per replication (0: only coefficients, with their t intervals).
    #[arg(long, default_value_t = 1000)]
    pub boot: usize,
    /// Seed of the study: replication r at size n uses seeds derived from (seed, n, r).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Bootstrap intervals: percentile, bc or bca.
    #[arg(long, default_value = "percentile", value_parser = parse_ci)]
    pub ci: CiMethod,
    /// Confidence level in percent.
    #[arg(long, default_value_t = 95.0)]
    pub conf: f64,
    /// Threads (default: all cores); results do not depend on it.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Run only slice i of N (1-based; replications r with r mod N = i - 1) and write a shard
    /// file (to --out, default power-shard-I-of-N.json) for `cipa power merge`.
    #[arg(long, value_name = "i/N")]
    pub shard: Option<String>,
    /// Also draw the power curve to this file (.svg or .png).
    #[arg(long, value_name = "FILE")]
    pub plot: Option<PathBuf>,
    #[command(flatten)]
    pub output: OutputArgs,
}

fn parse_ci(s: &str) -> Result<CiMethod, String> {
    s.parse()
}

pub fn run(a: PowerArgs) -> Result<(), CliError> {
    match a.command {
        Some(PowerCommand::Merge(m)) => merge(m),
        None => run_study(a.run),
    }
}

fn parse_shard(s: &str) -> Result<(usize, usize), CliError> {
    let bad = || {
        usage(format!(
            "--shard '{s}': write i/N with 1 <= i <= N, e.g. --shard 3/10 (with Slurm: --shard $((SLURM_ARRAY_TASK_ID))/10)"
        ))
    };
    let (i, n) = s.split_once('/').ok_or_else(bad)?;
    let (i, n): (usize, usize) = (
        i.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if i == 0 || n == 0 || i > n {
        return Err(bad());
    }
    Ok((i, n))
}

fn read_text(path: &Path) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|e| {
        CliError::Input(
            crate::data::DataError::Io {
                path: path.display().to_string(),
                message: e.to_string(),
            }
            .into(),
        )
    })
}

fn build_spec(a: &PowerRunArgs, framework: bool) -> Result<ModelSpec, CliError> {
    let mut flags = a.roles.flags();
    if let Some(spec) = model_opts::build_spec(&flags)? {
        return Ok(spec);
    }
    if !framework {
        return Err(usage(
            "give the model to fit to every replication: a PROCESS model number (--model N with --x, --m, --y) or a model file (--spec FILE)",
        ));
    }
    flags.x = Some(a.roles.x.as_deref().unwrap_or("network_ties"));
    model_opts::syntax_spec("models/framework/mediation.cipa", FRAMEWORK_MODEL, &flags)
}

fn progress_bar(total: usize) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(total as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "power {bar:40} {pos}/{len} replications, {eta} left",
    ) {
        bar.set_style(style);
    }
    Some(bar)
}

fn run_study(a: PowerRunArgs) -> Result<(), CliError> {
    let shard = a.shard.as_deref().map(parse_shard).transpose()?;
    let study = study(&a)?;
    let dest = results_dir::destination(a.output.out.as_deref());
    if let (None, Destination::Folder(dir)) = (shard, &dest) {
        results_dir::check_target(dir, &design_path(&a))?;
    }
    let (index, count) = shard.unwrap_or((1, 1));
    let total = power::shard_work(&study.settings, index, count).len();
    let bar = progress_bar(total);
    let tick = |k: usize| {
        if let Some(b) = &bar {
            b.inc(k as u64)
        }
    };
    let result =
        power::run_shard(&study, index, count, a.threads, &tick).map_err(crate::Error::from)?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if shard.is_some() {
        let path = a
            .output
            .out
            .clone()
            .unwrap_or_else(|| PathBuf::from(format!("power-shard-{index}-of-{count}.json")));
        let text = serde_json::to_string(&result).map_err(|e| CliError::Internal(e.to_string()))?;
        emit(&(text + "\n"), Some(&path))?;
        eprintln!(
            "cipa: shard {index}/{count}: {} replications written to {}",
            result.replications.len(),
            path.display()
        );
        return Ok(());
    }
    let summary = power::merge(&[result]).map_err(crate::Error::from)?;
    PowerRun::new(summary, &a).output(a.plot.as_deref())
}

/// The design file a study names (the framework's path in cipa's sources by default).
fn design_path(a: &PowerRunArgs) -> PathBuf {
    a.design
        .clone()
        .unwrap_or_else(|| PathBuf::from("designs/framework.toml"))
}

/// The study the flags describe: the design, the model fitted to every replication, the effects
/// and the settings.
pub fn study(a: &PowerRunArgs) -> Result<PowerStudy, CliError> {
    let (design, text) = match &a.design {
        Some(p) => {
            let text = read_text(p)?;
            (
                Design::parse(&p.display().to_string(), &text).map_err(crate::Error::from)?,
                text,
            )
        }
        None => (Design::framework(), FRAMEWORK_DESIGN.to_string()),
    };
    let design = if a.exact {
        design.with_measurement(Measurement::Exact)
    } else {
        design
    };
    // The framework's design, shipped or given as a file, comes with its mediation model.
    let spec = build_spec(a, design.name == Design::framework().name)?;
    let selectors = a
        .effects
        .iter()
        .map(|e| e.parse::<EffectSelector>().map_err(usage))
        .collect::<Result<Vec<_>, _>>()?;
    // --exact changes the data, so it is part of what the fingerprint covers.
    let text = if a.exact { text + "\n#exact" } else { text };
    PowerStudy::with_ci(
        design,
        &text,
        spec,
        &selectors,
        &a.n,
        (a.reps, a.boot, a.seed),
        a.ci,
        a.conf,
    )
    .map_err(|e| CliError::from(crate::Error::from(e)))
}

fn merge(m: MergeArgs) -> Result<(), CliError> {
    let mut shards = Vec::new();
    for f in &m.files {
        let text = read_text(f)?;
        let s: Shard = serde_json::from_str(&text).map_err(|e| {
            usage(format!(
                "'{}' is not a cipa power shard file ({e}); give the files written by cipa power --shard i/N",
                f.display()
            ))
        })?;
        shards.push(s);
    }
    let summary = power::merge(&shards).map_err(crate::Error::from)?;
    let first = m.files.first().cloned().unwrap_or_default();
    if let Destination::Folder(dir) = results_dir::destination(m.output.out.as_deref()) {
        results_dir::check_target(&dir, &first)?;
    }
    let run = PowerRun {
        summary,
        out: m.output,
        source: first,
        options: json!({ "shards": m.files }),
        threads: 0,
    };
    run.output(m.plot.as_deref())
}

fn header(s: &PowerSummary) -> Vec<(String, String)> {
    let st = &s.settings;
    let model = st
        .model
        .get("equations")
        .and_then(|e| e.as_array())
        .map(|eqs| {
            eqs.iter()
                .map(|e| {
                    let y = e["outcome"].as_str().unwrap_or("?");
                    let terms: Vec<String> = e["terms"]
                        .as_array()
                        .map(|ts| {
                            ts.iter()
                                .map(|t| {
                                    t["factors"]
                                        .as_array()
                                        .map(|f| {
                                            f.iter()
                                                .filter_map(|x| x.as_str())
                                                .collect::<Vec<_>>()
                                                .join(":")
                                        })
                                        .unwrap_or_default()
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    format!("{y} ~ {}", terms.join(" + "))
                })
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default();
    vec![
        ("Design".into(), st.design.clone()),
        ("Model".into(), model),
        (
            "Sample sizes".into(),
            st.sizes
                .iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ("Replications per size".into(), st.reps.to_string()),
        (
            "Intervals".into(),
            if st.boot > 0 {
                format!("{}% {} bootstrap, B = {}", st.conf, st.ci.label(), st.boot)
            } else {
                format!("{}% (no bootstrap)", st.conf)
            },
        ),
        ("Seed".into(), st.seed.to_string()),
        ("Fingerprint".into(), s.fingerprint.clone()),
        ("cipa".into(), crate::VERSION.into()),
    ]
}

/// The power curve as (SVG, PNG) bytes, when the plot feature is built.
fn curve(s: &PowerSummary) -> Result<Option<(String, Vec<u8>)>, CliError> {
    #[cfg(feature = "plot")]
    {
        use crate::plot::power::{PowerCurve, PowerSeries};
        let series = s
            .settings
            .effects
            .iter()
            .map(|e| PowerSeries {
                name: e.name.clone(),
                points: s
                    .rows
                    .iter()
                    .filter(|r| r.effect == e.name)
                    .map(|r| (r.n, r.power, r.power_se))
                    .collect(),
            })
            .collect();
        let caption = format!(
            "{} replications per size; bars: ±1.96 Monte-Carlo SE; dashed: power 0.80.",
            s.settings.reps
        );
        let fig = PowerCurve::new("Power by sample size", series, caption, Default::default())
            .map_err(crate::Error::from)?;
        let svg = crate::plot::to_svg(&fig).map_err(crate::Error::from)?;
        let png = crate::plot::to_png(&fig, 300.0).map_err(crate::Error::from)?;
        Ok(Some((svg, png)))
    }
    #[cfg(not(feature = "plot"))]
    {
        let _ = s;
        Ok(None)
    }
}

/// A finished power study: its summary and everything its outputs are made from.
pub struct PowerRun {
    pub summary: PowerSummary,
    out: OutputArgs,
    /// The design file (or the first shard file), hashed in a results folder's manifest.
    source: PathBuf,
    options: serde_json::Value,
    threads: usize,
}

impl PowerRun {
    /// The summary of a study run with the flags `a`.
    pub fn new(summary: PowerSummary, a: &PowerRunArgs) -> Self {
        PowerRun {
            summary,
            out: a.output.clone(),
            source: design_path(a),
            options: json!({
                "design": design_path(a),
                "exact": a.exact,
                "threads": a.threads,
            }),
            threads: a.threads,
        }
    }

    /// The JSON document of `--format json`.
    pub fn json(&self) -> Result<serde_json::Value, CliError> {
        let mut v =
            serde_json::to_value(&self.summary).map_err(|e| CliError::Internal(e.to_string()))?;
        v["cipa_version"] = json!(crate::VERSION);
        v["kind"] = json!("cipa power");
        Ok(v)
    }

    /// The report (text, Markdown, LaTeX, HTML and CSV are renderings of it).
    pub fn report(&self) -> Report {
        let mut report = power_report(&self.summary, header(&self.summary));
        report.decimals = self.out.decimals as usize;
        report
    }

    /// The power curve as (SVG, PNG), when the plot feature is built.
    pub fn curve(&self) -> Result<Option<(String, Vec<u8>)>, CliError> {
        curve(&self.summary)
    }

    /// The files of a results folder and what its manifest records.
    pub fn folder(&self) -> Result<(ResultsDir, Provenance), CliError> {
        let source = &self.source;
        if !source.is_file() {
            return Err(usage(format!(
                "a results folder records the SHA-256 of the design, but '{}' is not a file here; give --design FILE (the framework's is designs/framework.toml in cipa's sources) or --out FILE.json",
                source.display()
            )));
        }
        let mut files = ResultsDir::new();
        files.add_report(&self.report());
        files.add("results.json", super::json_text(&self.json()?)?);
        if let Some((svg, png)) = self.curve()? {
            files.add("plots/power_curve.svg", svg);
            files.add("plots/power_curve.png", png);
        }
        let st = &self.summary.settings;
        let prov = Provenance {
            command: "power",
            data_path: source.clone(),
            rows: 0,
            rows_used: None,
            rows_dropped: None,
            dropped_lines: Vec::new(),
            options: self.options.clone(),
            seed: Some(st.seed),
            b: Some(st.boot),
            resampling: Some("nonparametric"),
            threads_requested: self.threads,
            threads_used: results_dir::threads_used(self.threads, true),
        };
        Ok((files, prov))
    }

    fn output(&self, plot: Option<&Path>) -> Result<(), CliError> {
        let out = &self.out;
        if out.apa {
            return Err(usage("cipa power has no APA tables; drop --apa"));
        }
        if let Some(p) = plot {
            let Some((svg, png)) = self.curve()? else {
                return Err(usage(
                    "this cipa was built without the plot feature; drop --plot",
                ));
            };
            match p.extension().and_then(|e| e.to_str()) {
                Some("svg") => emit(&svg, Some(p))?,
                Some("png") => super::output::write_atomic(p, &png).map_err(|e| {
                    CliError::Input(crate::Error::Output {
                        path: p.display().to_string(),
                        message: e.to_string(),
                    })
                })?,
                _ => {
                    return Err(usage(format!(
                        "--plot '{}': name a .svg or .png file",
                        p.display()
                    )))
                }
            }
        }
        match results_dir::destination(out.out.as_deref()) {
            Destination::Folder(dir) => {
                let (files, prov) = self.folder()?;
                let n = files.commit(&dir, &prov)?;
                eprintln!("cipa: wrote {n} files to {}", dir.display());
                Ok(())
            }
            _ => {
                let text = match out.format() {
                    Format::Json => super::json_text(&self.json()?)?,
                    f => render(&self.report(), f),
                };
                emit(&text, out.out.as_deref())
            }
        }
    }
}
