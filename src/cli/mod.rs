//! The command line: raw flags (clap; validation only) -> resolved options -> run -> output.
//!
//! Exit codes: 0 success; 2 bad input or usage (bad flags, unreadable or invalid data, a model
//! that cannot be estimated); 1 internal error.

mod args;
mod constructs;
mod data_opts;
mod describe;
#[cfg(feature = "plot")]
mod diagram;
mod distance;
pub mod embed;
mod example;
mod fit;
mod fit_checks;
pub(crate) mod limits;
mod measure;
mod model_opts;
mod output;
mod power;
mod regress;
mod results_dir;
mod sem;
mod sem_diagram;
mod sem_groups;
mod sem_groups_diag;
mod sem_groups_interaction;
mod sem_groups_probe;
mod simulate;
mod warn;

use std::process::ExitCode;

use clap::Parser;

pub use args::{Cli, Command};

/// Exit code for success.
pub const EXIT_OK: u8 = 0;
/// Exit code for an internal error (a bug: please report it).
pub const EXIT_INTERNAL: u8 = 1;
/// Exit code for bad input or usage.
pub const EXIT_USAGE: u8 = 2;

/// Parses the command line, runs the command and maps errors to exit codes.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // clap prints help/version to stdout with exit code 0, usage errors with code 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_USAGE } else { EXIT_OK });
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::from(EXIT_OK),
        Err(e) => {
            eprintln!("cipa: error: {e}");
            ExitCode::from(match e {
                CliError::Input(_) => EXIT_USAGE,
                CliError::Internal(_) => EXIT_INTERNAL,
            })
        }
    }
}

/// What a command can fail with: the user's input (exit 2) or cipa itself (exit 1).
#[derive(Debug)]
pub enum CliError {
    Input(crate::Error),
    Internal(String),
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CliError::Input(e) => write!(f, "{e}"),
            CliError::Internal(m) => write!(
                f,
                "internal error: {m} (this is a bug in cipa; please report it)"
            ),
        }
    }
}

/// Every library error is about the input: the data, the model, the options, or an output path
/// that cannot be written (exit code 2).
impl From<crate::Error> for CliError {
    fn from(e: crate::Error) -> Self {
        CliError::Input(e)
    }
}

impl From<crate::data::DataError> for CliError {
    fn from(e: crate::data::DataError) -> Self {
        CliError::Input(e.into())
    }
}

/// A JSON document as the commands print it: pretty, with a final newline.
pub fn json_text(doc: &serde_json::Value) -> Result<String, CliError> {
    Ok(serde_json::to_string_pretty(doc).map_err(|e| CliError::Internal(e.to_string()))? + "\n")
}

pub(crate) fn usage(msg: impl Into<String>) -> CliError {
    CliError::Input(crate::Error::Usage(msg.into()))
}

/// Fewest bootstrap resamples `--boot` takes (0 turns the bootstrap off). A percentile interval
/// is read off the draws' tails: with B = 1 or 2 it is a point or a range that need not contain
/// the estimate. 50 keeps at least one draw beyond each end of a 95% interval
/// (B·0.025 ≥ 1.25); the tests of `fit` run B = 50 to stay quick. Reported intervals want 1000
/// or more, which the messages say.
pub(crate) const MIN_BOOT: usize = 50;

/// Refuses `0 < b` below the minimum for a `conf`% percentile interval: at least [`MIN_BOOT`]
/// and at least one draw in each tail beyond the interval (`b·(1 − conf)/2 ≥ 1`, so 200 at 99%);
/// and at most [`limits::MAX_BOOT`].
pub(crate) fn check_boot(b: usize, conf: f64) -> Result<(), CliError> {
    limits::at_most(
        "--boot",
        b,
        limits::MAX_BOOT,
        "5,000 resamples is PROCESS's default and 10,000 is plenty",
    )?;
    if b == 0 {
        return Ok(());
    }
    check_draws("--boot", "resamples", b, conf).map_err(|e| match e {
        CliError::Input(crate::Error::Usage(m)) => {
            usage(format!("{m}, or --boot 0 for no bootstrap"))
        }
        other => other,
    })
}

/// Checks `mc > 0` Monte Carlo draws of the coefficients (`fit --mc`, `sem --mc`; 0 is "none"
/// to `sem` and refused earlier by `fit`): at most [`limits::MAX_MC`] and, as for the bootstrap,
/// enough draws for a `conf`% percentile interval ([`check_draws`]): one draw gave an
/// "interval" that is a single point.
pub(crate) fn check_mc(mc: usize, conf: f64) -> Result<(), CliError> {
    limits::at_most(
        "--mc",
        mc,
        limits::MAX_MC,
        "10,000 draws is plenty for Monte Carlo intervals",
    )?;
    check_draws("--mc", "draws", mc, conf)
}

/// Refuses fewer than the draws a `conf`% percentile interval needs (see [`check_boot`]).
pub(crate) fn check_draws(flag: &str, what: &str, b: usize, conf: f64) -> Result<(), CliError> {
    let tail = (100.0 - conf) / 200.0;
    let needed = MIN_BOOT.max((1.0 / tail).ceil() as usize);
    if b >= needed {
        return Ok(());
    }
    Err(usage(format!(
        "{flag} {b} is too few {what} for {conf}% percentile intervals: use at least {needed} (1000 or more for results you report)"
    )))
}

/// Checks a confidence level given in percent: strictly between 0 and 100, and not a proportion
/// such as 0.95 (a 0.95% interval is never what is meant).
pub(crate) fn check_conf(conf: f64) -> Result<(), CliError> {
    if conf > 0.0 && conf <= 1.0 {
        return Err(usage(format!(
            "--conf {conf} looks like a proportion, but cipa takes the confidence level in percent: write --conf {}",
            format_percent(conf * 100.0)
        )));
    }
    if !(conf > 1.0 && conf < 100.0) {
        return Err(usage(format!(
            "--conf {conf} must be a percentage between 1 and 100, e.g. 95"
        )));
    }
    Ok(())
}

fn format_percent(p: f64) -> String {
    let r = (p * 1e6).round() / 1e6;
    crate::data::format_number(r)
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Regress(a) => regress::run(a),
        Command::Describe(a) => describe::run(a),
        Command::Fit(a) => fit::run(a),
        Command::Measure(a) => measure::run(a),
        #[cfg(feature = "plot")]
        Command::Diagram(a) => diagram::run(a),
        Command::Example(a) => example::run(a),
        Command::Simulate(a) => simulate::run(a),
        Command::Distance(a) => distance::run(a),
        Command::Power(a) => power::run(a),
        Command::Sem(a) => sem::run(a),
    }
}
