//! `cipa power`: Monte Carlo power of chosen effects across sample sizes, by simulating a design
//! and fitting a model to every replication. For studies that outgrow one machine: `--plan`
//! estimates the work from pilot replications (plan.rs), `--shard i/N` runs one slice, `cipa
//! power merge` combines the slices, and `--slurm N --out DIR` writes a Slurm job array that does
//! all of that (slurm.rs).

mod memory;
mod output;
mod plan;
mod slurm;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clap::{Args, Subcommand};
use serde_json::json;

use super::args::OutputArgs;
use super::model_opts;
use super::output::emit;
use super::results_dir;
use super::{usage, CliError};
use crate::inference::CiMethod;
use crate::simulate::power::{self, EffectSelector, PowerStudy, Shard};
use crate::simulate::{Design, Measurement, FRAMEWORK_DESIGN};
use crate::spec::ModelSpec;
pub use output::PowerRun;

/// The model fitted by default to the framework design: collaboration mediating network ties ->
/// export intensity.
const FRAMEWORK_MODEL: &str = include_str!("../../../models/framework/mediation.cipa");

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
    /// Print the plan instead of running: replications, model fits and bootstrap draws in total,
    /// the time one replication takes here (timed on a few pilot replications), the estimated
    /// wall time and a suggested number of shards for a job array.
    #[arg(long, conflicts_with_all = ["shard", "plot"])]
    pub plan: bool,
    /// Write the study as a Slurm job array of N shards to the folder --out DIR instead of
    /// running it: the array's script, a merge script submitted as a dependent job, submit.sh
    /// and a README, with time and memory requests from the plan. N is at most --reps.
    #[arg(long, value_name = "N", conflicts_with_all = ["shard", "plot"])]
    pub slurm: Option<usize>,
    /// The time per job the plan aims at when it suggests a number of shards: Slurm's format (MM,
    /// HH:MM:SS, D-HH:MM:SS) or 90m, 2h, 1d [default: 1h].
    #[arg(long = "job-time", value_name = "TIME", value_parser = plan::parse_duration)]
    pub job_time: Option<u64>,
    /// Pilot replications per sample size that --plan and --slurm time [default: 3].
    #[arg(long = "pilot-reps", value_name = "K", value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub pilot_reps: Option<u32>,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// The flags of a study alone, to read back the command a job script runs (slurm.rs).
#[derive(Debug, clap::Parser)]
#[command(name = "cipa power")]
struct StudyCommand {
    #[command(flatten)]
    run: PowerRunArgs,
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

/// Refuses, before the study's setup simulates anything, a largest `--n` whose replications
/// running at once would not fit in this machine's available memory. A plan or a job array
/// times its pilot replications here on one thread.
fn check_memory(a: &PowerRunArgs, design: &Design) -> Result<(), CliError> {
    let Some(&n) = a.n.iter().max() else {
        return Ok(());
    };
    let concurrent = if a.plan || a.slurm.is_some() {
        1
    } else {
        results_dir::threads_used(a.threads, true).min(a.reps.saturating_mul(a.n.len()))
    };
    let columns = crate::simulate::generate::column_names(design).len();
    memory::check(
        n,
        columns,
        concurrent.max(1),
        crate::data::read::memory::available_memory(),
    )
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

/// A study built from the flags, with what the plan and the job scripts need besides.
struct Prepared {
    study: PowerStudy,
    /// The design's text as read (the framework's when --design is not given).
    design_text: String,
    /// How long building the study took (calibration and its pilot fit): every job does it once.
    setup: Duration,
}

/// Reads the design, builds the model and the effects, and sets up the study.
fn prepare(a: &PowerRunArgs) -> Result<Prepared, CliError> {
    check_flags(a)?;
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
    check_memory(a, &design)?;
    // The framework's design, shipped or given as a file, comes with its mediation model.
    let spec = build_spec(a, design.name == Design::framework().name)?;
    let selectors = a
        .effects
        .iter()
        .map(|e| e.parse::<EffectSelector>().map_err(usage))
        .collect::<Result<Vec<_>, _>>()?;
    // --exact changes the data, so it is part of what the fingerprint covers.
    let hashed = if a.exact {
        text.clone() + "\n#exact"
    } else {
        text.clone()
    };
    let start = Instant::now();
    let study = PowerStudy::with_ci(
        design,
        &hashed,
        spec,
        &selectors,
        &a.n,
        (a.reps, a.boot, a.seed),
        a.ci,
        a.conf,
    )
    .map_err(crate::Error::from)?;
    Ok(Prepared {
        study,
        design_text: text,
        setup: start.elapsed(),
    })
}

/// Refuses, before any work, flags that do not go together and more shards than replications:
/// shard i takes the replications r with r mod N = i - 1 at every size, so with N > reps some
/// shards would be empty.
fn check_modes(a: &PowerRunArgs, shard: Option<(usize, usize)>) -> Result<(), CliError> {
    let planning = a.plan || a.slurm.is_some();
    if !planning && (a.job_time.is_some() || a.pilot_reps.is_some()) {
        return Err(usage(
            "--job-time and --pilot-reps shape a plan: add --plan (or --slurm N --out DIR)",
        ));
    }
    let (flag, count) = match (a.slurm, shard) {
        (Some(n), _) => ("--slurm", n),
        (None, Some((_, n))) => ("--shard", n),
        (None, None) => return Ok(()),
    };
    if count == 0 {
        return Err(usage(format!(
            "{flag} 0: give the number of shards, from 1 to --reps ({})",
            a.reps
        )));
    }
    if count > a.reps {
        return Err(usage(format!(
            "{flag} with {count} shards: the study has {} replications per sample size (--reps) and shard i takes those with r mod N = i - 1, so {} of {count} shards would be empty; use at most {} shards",
            a.reps,
            count - a.reps,
            a.reps
        )));
    }
    Ok(())
}

fn run_study(a: PowerRunArgs) -> Result<(), CliError> {
    check_flags(&a)?;
    let shard = a.shard.as_deref().map(parse_shard).transpose()?;
    check_modes(&a, shard)?;
    let inputs: Vec<&Path> = a.design.as_deref().into_iter().collect();
    if a.slurm.is_some() {
        slurm::check_target(a.output.out.as_deref())?;
    } else if a.plan {
        results_dir::destination(a.output.out.as_deref())?;
    } else {
        match shard {
            None => {
                results_dir::prepare(a.output.out.as_deref(), &inputs)?;
            }
            Some((i, n)) => super::output::check_file_target(&shard_path(&a, i, n), &inputs)?,
        }
        check_plot_target(a.plot.as_deref(), &inputs)?;
    }
    let prepared = prepare(&a)?;
    if a.plan || a.slurm.is_some() {
        let plan = plan::measure(&a, &prepared)?;
        return match a.slurm {
            Some(n) => slurm::write(&a, &prepared, &plan, n),
            None => plan::print(&plan, &a.output),
        };
    }
    let study = prepared.study;
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
    run_of(summary, &a).output(a.plot.as_deref())
}

/// A whole study's summary with what its outputs need.
pub(crate) fn run_of(summary: power::PowerSummary, a: &PowerRunArgs) -> PowerRun {
    let design_path = a
        .design
        .clone()
        .unwrap_or_else(|| PathBuf::from("designs/framework.toml"));
    let options = json!({
        "design": design_path,
        "exact": a.exact,
        "threads": a.threads,
    });
    PowerRun::new(summary, a.output.clone(), &design_path, options, a.threads)
}

/// The study the flags describe (design, model, effects, settings), for running it whole.
pub(crate) fn study(a: &PowerRunArgs) -> Result<PowerStudy, CliError> {
    if a.plan || a.slurm.is_some() || a.shard.is_some() {
        return Err(usage(
            "plans, shards and job arrays (--plan, --shard, --slurm) are for the command line; run the study whole here",
        ));
    }
    Ok(prepare(a)?.study)
}

/// Reads the shard files and refuses, naming both files and what differs, one of another study
/// than the first (the library's merge checks again, by shard number).
fn read_shards(files: &[PathBuf]) -> Result<Vec<Shard>, CliError> {
    let mut shards: Vec<Shard> = Vec::new();
    for f in files {
        let text = read_text(f)?;
        let s: Shard = serde_json::from_str(&text).map_err(|e| {
            usage(format!(
                "'{}' is not a cipa power shard file ({e}); give the files written by cipa power --shard i/N",
                f.display()
            ))
        })?;
        if s.settings.fingerprint() != s.fingerprint {
            return Err(usage(format!(
                "'{}' does not match its own fingerprint {}: the file was changed after cipa wrote it; run that shard again",
                f.display(),
                s.fingerprint
            )));
        }
        if let Some(first) = shards.first() {
            let differ = power::differences(first, &s);
            if !differ.is_empty() {
                return Err(usage(format!(
                    "'{}' is a shard of another study than '{}': {}; merge only the shards of one study",
                    f.display(),
                    files[0].display(),
                    differ.join(", ")
                )));
            }
        }
        shards.push(s);
    }
    Ok(shards)
}

fn merge(m: MergeArgs) -> Result<(), CliError> {
    let inputs: Vec<&Path> = m.files.iter().map(PathBuf::as_path).collect();
    results_dir::prepare(m.output.out.as_deref(), &inputs)?;
    check_plot_target(m.plot.as_deref(), &inputs)?;
    let shards = read_shards(&m.files)?;
    let summary = power::merge(&shards).map_err(crate::Error::from)?;
    let first = m.files.first().cloned().unwrap_or_default();
    let options = json!({ "shards": m.files });
    PowerRun::new(summary, m.output, &first, options, 0).output(m.plot.as_deref())
}
