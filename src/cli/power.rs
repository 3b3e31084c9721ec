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
use crate::report::{power_report, render, Format};
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

/// The flags that size the work, checked before the design is read or anything is allocated.
fn check_flags(a: &PowerRunArgs) -> Result<(), CliError> {
    use super::limits::{at_most, MAX_POWER_N, MAX_REPS};
    super::check_conf(a.conf)?;
    for &n in &a.n {
        at_most(
            "--n",
            n,
            MAX_POWER_N,
            "each replication simulates and fits a sample of this size",
        )?;
    }
    at_most(
        "--reps",
        a.reps,
        MAX_REPS,
        "1,000 replications give power within about ±0.03",
    )?;
    // Each replication's bootstrap is the one `cipa fit` runs, with the same minimum.
    super::check_boot(a.boot, a.conf)?;
    super::limits::threads(a.threads)
}

/// Where a shard's file goes: --out, or power-shard-I-of-N.json.
fn shard_path(a: &PowerRunArgs, index: usize, count: usize) -> PathBuf {
    a.output
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("power-shard-{index}-of-{count}.json")))
}

/// `--plot FILE`: an .svg or .png that is none of the inputs and, if it exists, cipa's.
fn check_plot_target(plot: Option<&Path>, inputs: &[&Path]) -> Result<(), CliError> {
    let Some(p) = plot else { return Ok(()) };
    if !matches!(p.extension().and_then(|e| e.to_str()), Some("svg" | "png")) {
        return Err(usage(format!(
            "--plot '{}': name a .svg or .png file",
            p.display()
        )));
    }
    super::output::check_file_target(p, inputs)
}

fn run_study(a: PowerRunArgs) -> Result<(), CliError> {
    check_flags(&a)?;
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
    let spec = build_spec(&a, design.name == Design::framework().name)?;
    let selectors = a
        .effects
        .iter()
        .map(|e| e.parse::<EffectSelector>().map_err(usage))
        .collect::<Result<Vec<_>, _>>()?;
    let shard = a.shard.as_deref().map(parse_shard).transpose()?;
    let design_path = a
        .design
        .clone()
        .unwrap_or_else(|| PathBuf::from("designs/framework.toml"));
    let inputs: Vec<&Path> = a.design.as_deref().into_iter().collect();
    match shard {
        None => {
            results_dir::prepare(a.output.out.as_deref(), &inputs)?;
        }
        Some((i, n)) => super::output::check_file_target(&shard_path(&a, i, n), &inputs)?,
    }
    check_plot_target(a.plot.as_deref(), &inputs)?;
    // --exact changes the data, so it is part of what the fingerprint covers.
    let text = if a.exact { text + "\n#exact" } else { text };
    let study = PowerStudy::with_ci(
        design,
        &text,
        spec,
        &selectors,
        &a.n,
        (a.reps, a.boot, a.seed),
        a.ci,
        a.conf,
    )
    .map_err(crate::Error::from)?;
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
        let path = shard_path(&a, index, count);
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
    let options = json!({
        "design": design_path,
        "exact": a.exact,
        "threads": a.threads,
    });
    output(
        &summary,
        &a.output,
        a.plot.as_deref(),
        &design_path,
        options,
        a.threads,
    )
}

fn merge(m: MergeArgs) -> Result<(), CliError> {
    let inputs: Vec<&Path> = m.files.iter().map(PathBuf::as_path).collect();
    results_dir::prepare(m.output.out.as_deref(), &inputs)?;
    check_plot_target(m.plot.as_deref(), &inputs)?;
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
    let options = json!({ "shards": m.files });
    output(&summary, &m.output, m.plot.as_deref(), &first, options, 0)
}

/// The summary as JSON: cipa's version and the summary itself (docs/json-schema.md).
fn summary_json(s: &PowerSummary) -> Result<String, CliError> {
    let mut v = serde_json::to_value(s).map_err(|e| CliError::Internal(e.to_string()))?;
    v["cipa_version"] = json!(crate::VERSION);
    v["kind"] = json!("cipa power");
    Ok(serde_json::to_string_pretty(&v).map_err(|e| CliError::Internal(e.to_string()))? + "\n")
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

fn output(
    s: &PowerSummary,
    out: &OutputArgs,
    plot: Option<&Path>,
    source: &Path,
    options: serde_json::Value,
    threads: usize,
) -> Result<(), CliError> {
    if out.apa {
        return Err(usage("cipa power has no APA tables; drop --apa"));
    }
    let mut report = power_report(s, header(s));
    report.decimals = out.decimals as usize;
    if let Some(p) = plot {
        let Some((svg, png)) = curve(s)? else {
            return Err(usage(
                "this cipa was built without the plot feature; drop --plot",
            ));
        };
        match p.extension().and_then(|e| e.to_str()) {
            Some("svg") => emit(&svg, Some(p))?,
            Some("png") => super::output::write_bytes(p, &png)?,
            _ => {
                return Err(usage(format!(
                    "--plot '{}': name a .svg or .png file",
                    p.display()
                )))
            }
        }
    }
    match results_dir::destination(out.out.as_deref())? {
        Destination::Folder(dir) => {
            if !source.is_file() {
                return Err(usage(format!(
                    "a results folder records the SHA-256 of the design, but '{}' is not a file here; give --design FILE (the framework's is designs/framework.toml in cipa's sources) or --out FILE.json",
                    source.display()
                )));
            }
            let mut files = ResultsDir::new();
            files.add_report(&report);
            files.add("results.json", summary_json(s)?);
            if let Some((svg, png)) = curve(s)? {
                files.add("plots/power_curve.svg", svg);
                files.add("plots/power_curve.png", png);
            }
            let st = &s.settings;
            let prov = Provenance {
                command: "power",
                data_path: source.to_path_buf(),
                rows: 0,
                rows_used: None,
                rows_dropped: None,
                dropped_lines: Vec::new(),
                options,
                seed: Some(st.seed),
                b: Some(st.boot),
                resampling: Some("nonparametric"),
                threads_requested: threads,
                threads_used: results_dir::threads_used(threads, true),
            };
            let n = files.commit(&dir, &prov)?;
            eprintln!("cipa: wrote {n} files to {}", dir.display());
            Ok(())
        }
        _ => {
            let text = match out.format() {
                Format::Json => summary_json(s)?,
                f => render(&report, f),
            };
            emit(&text, out.out.as_deref())
        }
    }
}
