//! What the fuzzer feeds: the file readers (CSV and other text, SPSS, Stata, Excel), the path
//! syntax parser (and, for a model that parses, the whole analysis on made-up data), the design
//! TOML (and a small simulation from a design that parses), and the command line, run in-process.
//! Each returns the finding, if any: a panic that escaped, or an internal error (exit code 1).

use std::io::{Read, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use cipa::data::{read_path, ColumnKind, Dataset, ReadOptions, Variable};

/// A bug the fuzzer found.
#[derive(Debug, Clone)]
pub struct Finding {
    pub target: &'static str,
    pub message: String,
}

fn panic_text(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<String>()
        .cloned()
        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "panic with a non-text payload".into())
}

/// What became of an input that found nothing: accepted (read, parsed, run) or refused with a
/// typed error.
pub type Outcome = Result<bool, Finding>;

/// Runs `f`, turning an escaped panic into a finding.
fn no_panic(target: &'static str, f: impl FnOnce() -> Result<bool, String>) -> Outcome {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(accepted)) => Ok(accepted),
        Ok(Err(message)) => Err(Finding { target, message }),
        Err(p) => Err(Finding {
            target,
            message: format!("panic: {}", panic_text(&*p)),
        }),
    }
}

/// Reader options the fuzzer varies: defaults, and a decimal comma with a declared categorical
/// column and a missing code (so those code paths see broken files too).
pub fn read_options(variant: u8) -> ReadOptions {
    match variant % 3 {
        0 => ReadOptions::default(),
        1 => ReadOptions {
            decimal: Some(cipa::data::read::Decimal::Comma),
            missing_codes: vec![-99.0],
            ..Default::default()
        },
        _ => ReadOptions {
            delimiter: Some(b';'),
            missing_tokens: vec!["x".into()],
            kinds: vec![("id".into(), ColumnKind::Categorical)],
            ..Default::default()
        },
    }
}

/// Reads `bytes` as a file with extension `ext` in `dir`, then uses what was read the way the
/// commands do (typed columns, listwise deletion, descriptives).
pub fn read_file(dir: &Path, ext: &str, bytes: &[u8], variant: u8) -> Outcome {
    let path = dir.join(format!("input.{ext}"));
    std::fs::write(&path, bytes).map_err(|e| Finding {
        target: "reader",
        message: format!("cannot write the input: {e}"),
    })?;
    no_panic("reader", || {
        let Ok(data) = read_path(&path, &read_options(variant)) else {
            return Ok(false);
        };
        use_data(&data);
        Ok(true)
    })
}

fn use_data(data: &Dataset) {
    let names: Vec<&str> = data.names().collect();
    let numeric: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| data.numeric(n).is_ok())
        .collect();
    let _ = cipa::data::complete_cases(data, &names);
    let _ = cipa::measure::describe(data, &numeric);
    let _ = cipa::data::suspect_codes(data, &names);
    for v in data.variables() {
        for i in 0..v.data.len().min(50) {
            let _ = v.data.display(i);
        }
    }
}

/// The members of a zip archive (an .xlsx, .xlsb or .ods), one of them edited by `edit`, written back as a
/// valid archive: byte mutations of the XML inside reach the spreadsheet parser instead of
/// stopping at the archive's checksums.
pub fn mutate_zip_member(
    zip_bytes: &[u8],
    member: usize,
    edit: impl Fn(&[u8]) -> Vec<u8>,
) -> Option<Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).ok()?;
    let mut members = Vec::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).ok()?;
        let name = f.name().ok()?.to_string();
        let mut content = Vec::new();
        f.read_to_end(&mut content).ok()?;
        members.push((name, content));
    }
    if members.is_empty() {
        return None;
    }
    // usize::MAX asks for the first worksheet (where the cell references are), usize::MAX - 1
    // for an OpenDocument file's content.xml (where its sheets are).
    let k = if member == usize::MAX {
        members
            .iter()
            .position(|(n, _)| n.contains("worksheets/sheet"))?
    } else if member == usize::MAX - 1 {
        members.iter().position(|(n, _)| n == "content.xml")?
    } else {
        member % members.len()
    };
    members[k].1 = edit(&members[k].1);
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in &members {
        out.start_file(name.as_str(), opts).ok()?;
        out.write_all(content).ok()?;
    }
    Some(out.finish().ok()?.into_inner())
}

/// Parses a model in the path syntax; one that parses is fitted on made-up data with every
/// variable it names (a bootstrap of 50 draws when `boot`), as `cipa fit --spec` would.
pub fn syntax(text: &str, boot: bool) -> Outcome {
    no_panic("syntax", || {
        let Ok(parsed) = cipa::spec::syntax::parse_syntax("fuzz.cipa", text) else {
            return Ok(false);
        };
        // As `--x` does on the command line: with W, Z and covariates also exogenous, X is named.
        let named = ["x", "gx", "dx"].into_iter().find(|x| {
            parsed
                .equations
                .iter()
                .any(|e| e.terms.iter().any(|t| t.factors.iter().any(|f| f == x)))
        });
        let roles = cipa::spec::syntax::infer_roles(&parsed)
            .or_else(|_| cipa::spec::syntax::infer_roles_with(&parsed, named, None));
        let Ok((x, y, mediators)) = roles else {
            return Ok(false);
        };
        let moderators = cipa::spec::syntax::infer_moderators(&parsed, &x, &mediators, &y, &[]);
        let spec = cipa::spec::ModelSpec {
            source: cipa::spec::SpecSource::Syntax,
            x,
            y,
            mediators,
            moderators,
            covariates: Vec::new(),
            equations: parsed.equations,
            defined: parsed.defined,
        };
        let data = made_up_data(&spec);
        let opts = cipa::analysis::AnalysisOptions {
            boot: if boot { 50 } else { 0 },
            threads: 1,
            jn: true,
            contrasts: true,
            total: true,
            ..Default::default()
        };
        let Ok(a) = cipa::analysis::analyse(&data, &spec, &opts) else {
            return Ok(false);
        };
        let _ = cipa::report::process_report(&a, Vec::new());
        let _ = cipa::report::json::analysis_json(&a, "fuzz", data.n_rows(), serde_json::json!({}));
        Ok(true)
    })
}

/// 40 rows of every variable a model names: normal draws from a small generator; a name
/// starting with `g` is a three-level categorical and one starting with `d` two-valued (0/1).
fn made_up_data(spec: &cipa::spec::ModelSpec) -> Dataset {
    let mut names: Vec<String> = Vec::new();
    for e in &spec.equations {
        for v in std::iter::once(&e.outcome).chain(e.terms.iter().flat_map(|t| t.factors.iter())) {
            if !names.contains(v) {
                names.push(v.clone());
            }
        }
    }
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let n = 40;
    let vars = names
        .iter()
        .map(|name| {
            if name.starts_with('g') {
                let levels: Vec<Option<&str>> =
                    (0..n).map(|i| Some(["a", "b", "c"][i % 3])).collect();
                Variable::categorical(name.as_str(), &levels)
            } else if name.starts_with('d') {
                Variable::numeric(
                    name.as_str(),
                    (0..n).map(|_| (next() > 0.5) as u8 as f64).collect(),
                )
            } else {
                let v = (0..n)
                    .map(|_| {
                        // Box-Muller from two uniforms.
                        let (u, w) = (next().max(1e-12), next());
                        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * w).cos()
                    })
                    .collect();
                Variable::numeric(name.as_str(), v)
            }
        })
        .collect();
    Dataset::new("fuzz", vars).expect("made-up data are rectangular")
}

/// Designs of at most this many variables are simulated in every run; larger ones (the
/// framework's: its calibration takes seconds in a debug build) only when `deep`.
const SMALL_DESIGN: usize = 8;

/// Parses a design; one that parses makes 30 rows and its truth (with a population of 300).
pub fn design(text: &str, seed: u64, deep: bool) -> Outcome {
    no_panic("design", || {
        let Ok(d) = cipa::simulate::Design::parse("fuzz.toml", text) else {
            return Ok(false);
        };
        if !deep && d.nodes.len() > SMALL_DESIGN {
            return Ok(true);
        }
        let Ok(sim) = cipa::simulate::generate(&d, 30, seed) else {
            return Ok(false);
        };
        let _ = sim.to_csv();
        Ok(cipa::simulate::truth(&d, 30, seed, 300).is_ok())
    })
}

/// Runs a command line in-process (as `cipa ARGS`): usage errors and input errors are the
/// expected outcome of most random lines; an internal error or a panic is a finding.
pub fn cli(args: &[String]) -> Outcome {
    no_panic("cli", || {
        use clap::Parser;
        let argv = std::iter::once("cipa".to_string()).chain(args.iter().cloned());
        let Ok(parsed) = cipa::cli::Cli::try_parse_from(argv) else {
            return Ok(false);
        };
        match cipa::cli::run(parsed) {
            Err(e @ cipa::cli::CliError::Internal(_)) => Err(e.to_string()),
            Err(_) => Ok(false),
            Ok(()) => Ok(true),
        }
    })
}
