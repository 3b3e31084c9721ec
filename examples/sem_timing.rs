//! The synthetic framework-sized SEM (benches/common/sem_data.rs) as a whole process, for
//! profiling the fit and the bootstrap outside `cipa sem`'s input and output (e.g. under
//! `perf record`); the timing against lavaan (benches/compare/sem_vs_lavaan.sh) runs `cipa sem`
//! itself on the framework's model and data:
//!
//! - `sem_timing data OUT.csv` writes the framework-sized data (benches/common/sem_data.rs);
//! - `sem_timing model OUT.lav` writes its model (lavaan syntax);
//! - `sem_timing fit DATA.csv` reads the data, fits the model and prints χ² and θ̂'s size;
//! - `sem_timing boot DATA.csv B` also bootstraps it B times (percentile intervals, seed 1).

#[path = "../benches/common/sem_data.rs"]
mod sem_data;

use cipa::sem::resample::{bootstrap, SemBootOptions};
use cipa::sem::{fit, SemOptions};

fn write_data(path: &str) -> Result<(), String> {
    let cols = sem_data::columns(500);
    let mut text = cols
        .iter()
        .map(|(name, _)| name.as_str())
        .collect::<Vec<_>>()
        .join(",");
    text.push('\n');
    for i in 0..cols[0].1.len() {
        let row: Vec<String> = cols.iter().map(|(_, x)| format!("{:.17e}", x[i])).collect();
        text.push_str(&row.join(","));
        text.push('\n');
    }
    std::fs::write(path, text).map_err(|e| format!("{path}: {e}"))
}

fn run(path: &str, draws: usize) -> Result<(), String> {
    let data = cipa::data::read_path(
        std::path::Path::new(path),
        &cipa::data::ReadOptions::default(),
    )
    .map_err(|e| e.to_string())?;
    let flat =
        cipa::spec::syntax::parse_flat("model", sem_data::MODEL).map_err(|e| e.to_string())?;
    let f = fit(&flat, &data, &SemOptions::default()).map_err(|e| e.to_string())?;
    println!(
        "chisq {:.6} df {} free {}",
        f.fit.chisq,
        f.fit.df,
        f.theta.len()
    );
    if draws > 0 {
        let opts = SemBootOptions {
            boot: draws,
            seed: 1,
            ..SemBootOptions::default()
        };
        let b = bootstrap(&flat, &data, &f, &opts).map_err(|e| e.to_string())?;
        let ind = b.parameters.iter().find(|p| p.lhs == "ind2");
        println!(
            "B {} failed {} ind2 {:?}",
            b.b,
            b.failed.failed,
            ind.map(|p| (p.ci_lower, p.ci_upper))
        );
    }
    Ok(())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).map(String::as_str).unwrap_or_default();
    let result = match arg(0) {
        "data" => write_data(arg(1)),
        "model" => std::fs::write(arg(1), sem_data::MODEL).map_err(|e| format!("{}: {e}", arg(1))),
        "fit" => run(arg(1), 0),
        "boot" => arg(2)
            .parse()
            .map_err(|_| "boot needs a number of draws".to_string())
            .and_then(|b| run(arg(1), b)),
        _ => Err(
            "usage: sem_timing data OUT.csv | model OUT.lav | fit DATA.csv | boot DATA.csv B"
                .into(),
        ),
    };
    if let Err(e) = result {
        eprintln!("sem_timing: {e}");
        std::process::exit(2);
    }
}
