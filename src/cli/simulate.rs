//! `cipa simulate`: a data set from a design, and its truth as JSON beside it.

use std::path::PathBuf;

use clap::Args;

use super::output::emit;
use super::{usage, CliError};
use crate::simulate::{generate, truth, Design, Measurement, Simulated, Truth};

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Design file (TOML); default: the framework design shipped with cipa
    /// (designs/framework.toml).
    #[arg(long, value_name = "FILE")]
    pub design: Option<PathBuf>,
    /// Number of rows (firms).
    #[arg(long, default_value_t = 400)]
    pub n: usize,
    /// Seed; without it a seed is chosen and printed so the data can be made again.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Write constructs as their exact latent scores (perfectly reliable single indicators)
    /// instead of Likert items and their means.
    #[arg(long)]
    pub exact: bool,
    /// CSV file to write (atomically); the truth goes beside it as NAME.truth.json. Without it
    /// the CSV goes to standard output and the truth only to --truth.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Where to write the truth JSON (default: beside --out).
    #[arg(long, value_name = "FILE")]
    pub truth: Option<PathBuf>,
    /// Rows of the large sample that estimates what OLS on the written columns converges to
    /// (`observed_ols` in the truth); 0 leaves it out.
    #[arg(long, value_name = "N", default_value_t = 100_000)]
    pub population_n: usize,
}

/// `survey.csv` -> `survey.truth.json`.
pub fn truth_path(out: &std::path::Path) -> PathBuf {
    let stem = out
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("simulated");
    out.with_file_name(format!("{stem}.truth.json"))
}

/// Checks `--out` (a `.csv`) and the truth file (a `.json`) before anything is generated.
fn check_targets(a: &SimulateArgs) -> Result<(), CliError> {
    let inputs: Vec<&std::path::Path> = a.design.as_deref().into_iter().collect();
    let has_ext = |p: &std::path::Path, want: &str| {
        p.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case(want))
    };
    if let Some(o) = &a.out {
        if !has_ext(o, "csv") {
            return Err(usage(format!(
                "--out '{}': simulated data are written as CSV; give a file ending in .csv",
                o.display()
            )));
        }
        super::output::check_file_target(o, &inputs)?;
    }
    if let Some(t) = a.truth.clone().or_else(|| a.out.as_deref().map(truth_path)) {
        if !has_ext(&t, "json") {
            return Err(usage(format!(
                "--truth '{}': the true parameters are written as JSON; give a file ending in .json",
                t.display()
            )));
        }
        super::output::check_file_target(&t, &inputs)?;
    }
    Ok(())
}

pub fn run(a: SimulateArgs) -> Result<(), CliError> {
    check_targets(&a)?;
    let (sim, t) = make(&a)?;
    let json = serde_json::to_string_pretty(&t)
        .map_err(|e| CliError::Internal(format!("truth JSON: {e}")))?;
    emit(&sim.to_csv(), a.out.as_deref())?;
    let truth_file = a.truth.clone().or_else(|| a.out.as_deref().map(truth_path));
    match truth_file {
        Some(p) => emit(&(json + "\n"), Some(&p))?,
        None => eprintln!(
            "cipa: note: the true parameters were not written (give --out FILE.csv, which puts them in FILE.truth.json, or --truth FILE)"
        ),
    }
    Ok(())
}

/// The simulated data and their truth (with the command that makes them again).
pub fn make(a: &SimulateArgs) -> Result<(Simulated, Truth), CliError> {
    super::limits::at_most(
        "--population-n",
        a.population_n,
        super::limits::MAX_POPULATION_N,
        "the default 100,000 rows pins observed_ols down to about three decimals",
    )?;
    let mut design = match &a.design {
        Some(p) => Design::read(p).map_err(crate::Error::from)?,
        None => Design::framework(),
    };
    if a.exact {
        design = design.with_measurement(Measurement::Exact);
    }
    let seed = match a.seed {
        Some(s) => s,
        None => {
            let s = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64 % 1_000_000_000);
            eprintln!("cipa: seed {s} (chosen at random: pass --seed {s} to make the same data)");
            s
        }
    };
    if a.n > 50_000_000 {
        return Err(usage(format!("--n {}: at most 50,000,000 rows", a.n)));
    }
    let sim = generate(&design, a.n, seed).map_err(crate::Error::from)?;
    let mut t = truth(&design, a.n, seed, a.population_n).map_err(crate::Error::from)?;
    let mut command = String::from("cipa simulate");
    if let Some(d) = &a.design {
        command += &format!(" --design {}", d.display());
    }
    command += &format!(" --n {} --seed {seed}", a.n);
    if a.exact {
        command += " --exact";
    }
    if let Some(o) = &a.out {
        command += &format!(" --out {}", o.display());
    }
    t.command = Some(command);
    Ok((sim, t))
}
