//! `cipa example`: the main job on the shipped teaching data. It fits the collaborative-
//! internationalization framework's model (models/framework/combined.cipa: network ties ->
//! collaboration -> export intensity, firm size moderating the first stage, ownership and
//! cultural distance the second) with a bootstrap, and writes the whole results folder (reports
//! in every format, APA tables, figures, JSON, manifest) through the same path as `cipa fit`.

use std::path::PathBuf;

use clap::{Args, Parser};

use super::args::{Cli, Command};
use super::{fit, CliError};

/// Options of `cipa example`.
#[derive(Debug, Args)]
pub struct ExampleArgs {
    /// Folder for the results (a previous cipa results folder there is replaced).
    #[arg(long, value_name = "DIR", default_value = "cipa-example")]
    pub out: PathBuf,
    /// Bootstrap resamples.
    #[arg(long, default_value_t = 5000)]
    pub boot: usize,
    /// Random seed (fixed, so the example gives the same numbers everywhere).
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// Worker threads for the bootstrap (0 = all cores; the results do not depend on it).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
}

/// Readable names for the figures and tables (a CSV file has no variable labels).
const LABELS: &str = "network_ties=Network ties,collab=Collaboration,\
export_intensity=Export intensity,log_employees=Firm size (log employees),\
family_owned=Family owned,cultural_distance=Cultural distance,social_capital=Social capital,\
entre_orientation=Entrepreneurial orientation,intl_experience=International experience";

/// The `cipa fit` command line the example runs.
pub fn fit_command(a: &ExampleArgs) -> Vec<String> {
    let mut v: Vec<String> = [
        "cipa",
        "fit",
        "--data",
        "example:sme",
        "--spec",
        "framework:combined",
        "--x",
        "network_ties",
        "--w",
        "log_employees",
        "--z",
        "family_owned",
        "--labels",
        LABELS,
    ]
    .map(String::from)
    .to_vec();
    v.extend([
        "--boot".into(),
        a.boot.to_string(),
        "--seed".into(),
        a.seed.to_string(),
        "--threads".into(),
        a.threads.to_string(),
        "--out".into(),
        a.out.display().to_string(),
    ]);
    v
}

pub fn run(a: ExampleArgs) -> Result<(), CliError> {
    let line = fit_command(&a);
    let cli = Cli::try_parse_from(&line)
        .map_err(|e| CliError::Internal(format!("the example's fit command: {e}")))?;
    let Command::Fit(f) = cli.command else {
        return Err(CliError::Internal(
            "the example's command is not a fit".into(),
        ));
    };
    fit::run(f)?;
    let dir = a.out.display();
    println!("cipa example: the collaborative-internationalization framework on the teaching data");
    println!("  data      example:sme = datasets/sme_survey.csv (400 simulated SMEs; true parameters in datasets/sme_survey.truth.json)");
    println!(
        "  model     models/framework/combined.cipa: network_ties -> collab -> export_intensity;"
    );
    println!("            log_employees moderates the first stage, family_owned and cultural_distance the second");
    println!("  bootstrap {} resamples, seed {}", a.boot, a.seed);
    println!("  results   {dir}/index.html  the results page (key numbers, APA tables, every figure); also report.txt (and .md .tex .html .csv), apa.md, plots/, figures.json, results.json, manifest.json");
    let quoted: Vec<String> = line[1..].iter().map(|a| shell_quote(a)).collect();
    println!("  the same  cipa {}", quoted.join(" "));
    Ok(())
}

/// An argument as a POSIX shell reads it back: in single quotes when it holds anything but
/// letters, digits and `-_./:=,`.
fn shell_quote(a: &str) -> String {
    let plain = !a.is_empty()
        && a.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=,".contains(c));
    if plain {
        a.to_string()
    } else {
        format!("'{}'", a.replace('\'', "'\\''"))
    }
}
