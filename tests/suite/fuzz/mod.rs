//! Fuzzing on stable Rust (issue 13): mutated real files into the CSV, SPSS, Stata and Excel
//! readers, random text into the path-syntax parser (and the analysis of what parses) and the
//! design TOML (and a simulation from what parses), random flag combinations into the command
//! line, run in-process. The goal is zero panics and zero aborts: bad input is a typed error.
//!
//! - `replay_corpus` (normal test run, seconds): every file under tests/fuzz/corpus/ through its
//!   target: seeds, and each input that once found a bug (the regression tests of those fixes).
//! - `*_mutations` (normal test run): a few dozen generated cases per target, seeded, so the
//!   generators themselves cannot rot.
//! - `campaign` (#[ignore]): the long run whose report is docs/fuzzing.md:
//!   `CIPA_FUZZ_CASES=20000 cargo test --release --test suite fuzz::campaign -- --ignored --nocapture`
//!   Findings are written to target/fuzz-findings/ ready to be added to the corpus.

mod cli_args;
mod cli_grammar;
mod hazards;
mod mutate;
mod targets;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngSeed, TestRunner};

use targets::Finding;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn corpus_dir() -> PathBuf {
    root().join("tests/fuzz/corpus")
}

/// Panics caught inside a third-party reader by cipa's guard (reported as a malformed file):
/// handled, but counted for the report.
static GUARDED_PANICS: AtomicUsize = AtomicUsize::new(0);

/// Counts guarded panics and keeps them off the test output; other panics go to the default hook.
fn install_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if cipa::data::read::in_guarded_parser() {
                GUARDED_PANICS.fetch_add(1, Ordering::Relaxed);
                return;
            }
            default(info);
        }));
    });
}

// ------------------------------------------------------------------ inputs

/// Real files the reader mutations start from, with the extension each is read as.
fn reader_seeds() -> Vec<(String, Vec<u8>)> {
    let mut seeds = Vec::new();
    let fixtures = root().join("tests/fixtures");
    for entry in std::fs::read_dir(&fixtures).expect("tests/fixtures") {
        let p = entry.expect("fixture").path();
        let ext = p
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_string();
        if matches!(
            ext.as_str(),
            "csv" | "tsv" | "txt" | "sav" | "dta" | "xlsx" | "xls"
        ) {
            seeds.push((ext, std::fs::read(&p).expect("fixture is readable")));
        }
    }
    // Small .xls, .xlsb and .ods workbooks from calamine's tests (MIT; tests/fuzz/seeds/README.md).
    for entry in std::fs::read_dir(root().join("tests/fuzz/seeds")).expect("tests/fuzz/seeds") {
        let p = entry.expect("seed").path();
        let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
        if matches!(ext, "xls" | "xlsb" | "ods") {
            seeds.push((
                ext.to_string(),
                std::fs::read(&p).expect("seed is readable"),
            ));
        }
    }
    // The head of a real data set: many columns, missing cells, -99 codes.
    let sme = std::fs::read_to_string(root().join("datasets/sme_example.csv")).expect("sme");
    let head: String = sme.lines().take(25).map(|l| format!("{l}\n")).collect();
    seeds.push(("csv".into(), head.into_bytes()));
    seeds.sort();
    seeds
}

fn text_files(dir: &str, ext: &str) -> Vec<String> {
    let mut v: Vec<(PathBuf, String)> = std::fs::read_dir(root().join(dir))
        .expect("folder of seeds")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .map(|p| {
            let t = std::fs::read_to_string(&p).expect("seed is text");
            (p, t)
        })
        .collect();
    v.sort();
    v.into_iter().map(|(_, t)| t).collect()
}

/// A reader case: a seed, how to mutate it (bytes anywhere, inside the xlsx archive, or the
/// structured edits of sizes and cell references), reader options.
fn reader_case() -> impl Strategy<Value = (String, Vec<u8>)> {
    let seeds = reader_seeds();
    (
        prop::sample::select(seeds),
        mutate::mutations(),
        0u8..4,
        any::<usize>(),
        mutate::structured(),
    )
        .prop_map(|((ext, bytes), edits, how, member, st)| {
            let mutated = match (ext.as_str(), how) {
                ("xlsx" | "xlsb" | "ods", 0) => {
                    targets::mutate_zip_member(&bytes, member, |m| mutate::apply(m, &edits))
                }
                ("ods", 1) => targets::mutate_zip_member(&bytes, usize::MAX - 1, |m| {
                    mutate::edit_ods_repeat(m, &st)
                }),
                ("xlsx", 1) => targets::mutate_zip_member(&bytes, usize::MAX, |m| {
                    mutate::edit_cell_ref(m, &st)
                }),
                (_, 1) => Some(mutate::apply_structured(&ext, &bytes, &st)),
                _ => None,
            }
            .unwrap_or_else(|| mutate::apply(&bytes, &edits));
            (ext, mutated)
        })
}

const SYNTAX_TOKENS: [&str; 48] = [
    "x",
    "m",
    "m1",
    "m2",
    "w",
    "z",
    "y",
    "g",
    "d",
    "a",
    "b",
    "c",
    "cp",
    "ind",
    "\"job sat\"",
    "x.1",
    "_u",
    "é",
    " ~ ",
    " := ",
    " + ",
    " - ",
    "*",
    "/",
    "^",
    ":",
    "(",
    ")",
    " =~ ",
    " ~~ ",
    " == ",
    ",",
    "# note",
    " ",
    "\n",
    "\t",
    "\"",
    "0",
    "1",
    "2.5",
    ".5",
    "1e-3",
    "1e308",
    "0.0",
    "1 ",
    "-",
    "\\",
    "~",
];

/// One equation or definition of the path syntax, built from its grammar with random parts.
fn syntax_line() -> impl Strategy<Value = String> {
    let name = prop::sample::select(vec!["x", "m", "m1", "m2", "w", "z", "y", "g", "d", "y2"]);
    let label = prop::option::of(prop::sample::select(vec!["a", "b", "c", "cp", "x"]));
    let term = (label, prop::collection::vec(name.clone(), 1..4)).prop_map(|(l, fs)| {
        let t = fs.join(":");
        match l {
            Some(l) => format!("{l}*{t}"),
            None => t,
        }
    });
    let equation = (name, prop::collection::vec(term, 1..5))
        .prop_map(|(y, ts)| format!("{y} ~ {}", ts.join(" + ")));
    let expr = prop::collection::vec(
        prop::sample::select(vec![
            "a", "b", "c", "cp", "ind", "*", "/", "+", "-", "^", "(", ")", "0", "2", ".5",
        ]),
        1..12,
    )
    .prop_map(|t| t.join(""));
    let defined = (prop::sample::select(vec!["ind", "r", "total", "a"]), expr)
        .prop_map(|(n, e)| format!("{n} := {e}"));
    prop_oneof![3 => equation, 1 => defined]
}

/// A model that usually parses and runs: X, up to three mediators (serial paths at random), a
/// moderator W and perhaps Z on random paths, covariates, labels and defined quantities. Names
/// starting with `g` become three-level categorical columns and with `d` two-valued ones (a
/// logistic Y, a dichotomous moderator), so those code paths are run too.
fn valid_model() -> impl Strategy<Value = String> {
    let names = (
        prop::sample::select(vec!["x", "gx", "dx"]),
        prop::sample::select(vec!["w", "gw", "dw"]),
        prop::sample::select(vec!["z", "dz"]),
        prop::sample::select(vec!["y", "dy"]),
    );
    (names, 0usize..4, any::<u32>(), prop::bool::weighted(0.3)).prop_map(
        |((x, w, z, y), k, bits, labels)| {
            let bit = |i: u32| bits >> i & 1 == 1;
            let meds: Vec<String> = (1..=k).map(|i| format!("m{i}")).collect();
            let label = |l: String, t: &str| {
                if labels {
                    format!("{l}*{t}")
                } else {
                    t.to_string()
                }
            };
            let mut lines = Vec::new();
            for (i, m) in meds.iter().enumerate() {
                let mut terms = vec![label(format!("a{}", i + 1), x)];
                if bit(i as u32) {
                    terms.extend([w.to_string(), format!("{x}:{w}")]);
                }
                if i > 0 && bit(8 + i as u32) {
                    terms.push(meds[i - 1].clone());
                }
                if bit(12) {
                    terms.push("c1".into());
                }
                lines.push(format!("{m} ~ {}", terms.join(" + ")));
            }
            let mut terms = vec![label("cp".into(), x)];
            for (i, m) in meds.iter().enumerate() {
                terms.push(label(format!("b{}", i + 1), m));
                if bit(4 + i as u32) {
                    terms.push(format!("{m}:{w}"));
                    if !terms.contains(&w.to_string()) {
                        terms.push(w.to_string());
                    }
                }
            }
            if meds.is_empty() || bit(7) {
                terms.extend([w.to_string(), format!("{x}:{w}")]);
                if bit(13) {
                    terms.extend([
                        z.to_string(),
                        format!("{x}:{z}"),
                        format!("{w}:{z}"),
                        format!("{x}:{w}:{z}"),
                    ]);
                }
            }
            if bit(14) {
                terms.push("c2".into());
            }
            let mut seen: Vec<String> = Vec::new();
            terms.retain(|t| {
                let new = !seen.contains(t);
                seen.push(t.clone());
                new
            });
            lines.push(format!("{y} ~ {}", terms.join(" + ")));
            if labels && !meds.is_empty() {
                lines.push("ind := a1*b1".into());
                if bit(15) {
                    lines.push("total := cp + ind".into());
                    lines.push("ratio := ind / total".into());
                }
            }
            lines.join("\n")
        },
    )
}

fn syntax_text() -> impl Strategy<Value = String> {
    let models = text_files("models", "cipa")
        .into_iter()
        .chain(text_files("models/framework", "cipa"))
        .collect::<Vec<_>>();
    prop_oneof![
        4 => valid_model(),
        2 => (valid_model(), mutate::mutations())
            .prop_map(|(m, e)| String::from_utf8_lossy(&mutate::apply(m.as_bytes(), &e)).into_owned()),
        3 => prop::collection::vec(syntax_line(), 1..6).prop_map(|l| l.join("\n")),
        2 => prop::collection::vec(prop::sample::select(SYNTAX_TOKENS.to_vec()), 0..40)
            .prop_map(|t| t.concat()),
        2 => (prop::sample::select(models), mutate::mutations())
            .prop_map(|(m, e)| String::from_utf8_lossy(&mutate::apply(m.as_bytes(), &e)).into_owned()),
        1 => any::<String>(),
    ]
}

/// Values a design's numbers and names are replaced with.
const DESIGN_VALUES: [&str; 16] = [
    "0",
    "-1",
    "1e308",
    "-1e308",
    "nan",
    "inf",
    "-0.0",
    "1e-320",
    "99999999999",
    "2",
    "0.5",
    "\"x\"",
    "\"\"",
    "[]",
    "{}",
    "\"normal\"",
];

/// A design file with line edits: lines dropped or repeated, values replaced.
fn design_text() -> impl Strategy<Value = String> {
    let designs = text_files("designs", "toml");
    let edit = (
        any::<prop::sample::Index>(),
        0u8..4,
        prop::sample::select(DESIGN_VALUES.to_vec()),
    );
    prop_oneof![
        3 => (prop::sample::select(designs.clone()), prop::collection::vec(edit, 1..6)).prop_map(
            |(d, edits)| {
                let mut lines: Vec<String> = d.lines().map(String::from).collect();
                for (i, kind, value) in edits {
                    if lines.is_empty() {
                        break;
                    }
                    let k = i.index(lines.len());
                    match kind {
                        0 => {
                            lines.remove(k);
                        }
                        1 => {
                            let l = lines[k].clone();
                            lines.insert(k, l);
                        }
                        _ => {
                            if let Some((key, _)) = lines[k].split_once('=') {
                                lines[k] = format!("{key}= {value}");
                            }
                        }
                    }
                }
                lines.join("\n")
            }
        ),
        1 => (prop::sample::select(designs), mutate::mutations())
            .prop_map(|(d, e)| String::from_utf8_lossy(&mutate::apply(d.as_bytes(), &e)).into_owned()),
    ]
}

// ------------------------------------------------------------------ running

/// One generated input of any target, as it is stored in the corpus.
#[derive(Debug, Clone)]
enum Input {
    Reader {
        ext: String,
        bytes: Vec<u8>,
        variant: u8,
    },
    Syntax {
        text: String,
        boot: bool,
    },
    Design {
        text: String,
        seed: u64,
    },
    Cli {
        args: Vec<String>,
    },
}

/// Runs one input; `deep` simulates every design that parses (slow in a debug build).
fn run(input: &Input, deep: bool) -> targets::Outcome {
    install_hook();
    let dir = tempfile::tempdir().expect("temp dir");
    match input {
        Input::Reader {
            ext,
            bytes,
            variant,
        } => targets::read_file(dir.path(), ext, bytes, *variant),
        Input::Syntax { text, boot } => targets::syntax(text, *boot),
        Input::Design { text, seed } => targets::design(text, *seed, deep),
        Input::Cli { args } => targets::cli(&cli_args::fill(args, dir.path())),
    }
}

/// The corpus file for an input: reader files keep their extension; syntax `.cipa` (a first
/// line `#boot` asks for the bootstrap); designs `.toml`; command lines `.args`, one argument
/// per line.
fn store(input: &Input, dir: &Path, name: &str) -> PathBuf {
    let (sub, file, bytes): (&str, String, Vec<u8>) = match input {
        Input::Reader {
            ext,
            bytes,
            variant,
        } => ("reader", format!("{name}-v{variant}.{ext}"), bytes.clone()),
        Input::Syntax { text, boot } => (
            "syntax",
            format!("{name}.cipa"),
            format!("{}{text}", if *boot { "#boot\n" } else { "" }).into_bytes(),
        ),
        Input::Design { text, seed } => (
            "design",
            format!("{name}-s{seed}.toml"),
            text.clone().into_bytes(),
        ),
        Input::Cli { args } => (
            "cli",
            format!("{name}.args"),
            (args.join("\n") + "\n").into_bytes(),
        ),
    };
    let d = dir.join(sub);
    std::fs::create_dir_all(&d).expect("findings folder");
    let p = d.join(file);
    std::fs::write(&p, bytes).expect("finding is writable");
    p
}

/// Reads a corpus file back as its input.
fn load(path: &Path) -> Option<Input> {
    let sub = path.parent()?.file_name()?.to_str()?;
    let name = path.file_stem()?.to_str()?;
    let ext = path.extension()?.to_str()?.to_string();
    let bytes = std::fs::read(path).ok()?;
    let text = || String::from_utf8_lossy(&bytes).into_owned();
    Some(match sub {
        "reader" => {
            let variant = name
                .rsplit_once("-v")
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(0);
            Input::Reader {
                ext,
                bytes: bytes.clone(),
                variant,
            }
        }
        "syntax" => {
            let t = text();
            match t.strip_prefix("#boot\n") {
                Some(rest) => Input::Syntax {
                    text: rest.to_string(),
                    boot: true,
                },
                None => Input::Syntax {
                    text: t,
                    boot: false,
                },
            }
        }
        "design" => {
            let seed = name
                .rsplit_once("-s")
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(1);
            Input::Design { text: text(), seed }
        }
        "cli" => Input::Cli {
            args: text().lines().map(String::from).collect(),
        },
        _ => return None,
    })
}

fn corpus_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for sub in ["reader", "syntax", "design", "cli"] {
        if let Ok(entries) = std::fs::read_dir(corpus_dir().join(sub)) {
            files.extend(entries.filter_map(|e| e.ok().map(|e| e.path())));
        }
    }
    files.sort();
    files
}

fn strategy(target: &str) -> BoxedStrategy<Input> {
    match target {
        "reader" => (reader_case(), 0u8..3)
            .prop_map(|((ext, bytes), variant)| Input::Reader {
                ext,
                bytes,
                variant,
            })
            .boxed(),
        "syntax" => (syntax_text(), prop::bool::weighted(0.1))
            .prop_map(|(text, boot)| Input::Syntax { text, boot })
            .boxed(),
        "design" => (design_text(), 1u64..1000)
            .prop_map(|(text, seed)| Input::Design { text, seed })
            .boxed(),
        "cli1" => cli_args::campaign1_line()
            .prop_map(|args| Input::Cli { args })
            .boxed(),
        _ => cli_args::command_line()
            .prop_map(|args| Input::Cli { args })
            .boxed(),
    }
}

/// What a run of one target found.
#[derive(Debug, Default)]
struct Tally {
    cases: usize,
    /// Inputs accepted (read, parsed and run); the rest were refused with typed errors.
    accepted: usize,
    findings: Vec<(Finding, PathBuf)>,
    slowest: Duration,
    elapsed: Duration,
}

/// Runs `cases` generated inputs of `target` from `seed`, storing each finding under `save`.
/// In the campaign, each input is stored as `inflight-*` while it runs, so an input that aborts
/// the process (which no catch can report) is left behind; `skip` generates the first cases
/// without running them, to reach a case quickly.
fn fuzz(target: &str, cases: usize, seed: u64, save: &Path, deep: bool, skip: usize) -> Tally {
    let config = Config {
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let strategy = strategy(target);
    let mut tally = Tally::default();
    let start = Instant::now();
    for k in 0..cases {
        let input = strategy
            .new_tree(&mut runner)
            .expect("the generators always produce a value")
            .current();
        if k < skip {
            continue;
        }
        let campaign = save.ends_with("fuzz-findings");
        if campaign && std::env::var_os("CIPA_FUZZ_DUMP").is_some() {
            // Only written, to be run one process each (an input that aborts stops only its own).
            store(
                &input,
                &save.join("dump"),
                &format!("case-{target}-{seed}-{k}"),
            );
            continue;
        }
        let inflight =
            campaign.then(|| store(&input, save, &format!("inflight-{target}-{seed}-{k}")));
        let t = Instant::now();
        let guarded = GUARDED_PANICS.load(Ordering::Relaxed);
        let outcome = run(&input, deep);
        let took = t.elapsed();
        if let Some(p) = inflight {
            let _ = std::fs::remove_file(p);
        }
        if took > tally.slowest {
            tally.slowest = took;
            if took > Duration::from_secs(5) && save.ends_with("fuzz-findings") {
                let p = store(&input, save, &format!("slow-{target}-{seed}-{k}"));
                eprintln!(
                    "fuzz slow case: {:.1} s ({})",
                    took.as_secs_f64(),
                    p.display()
                );
            }
        }
        if save.ends_with("fuzz-findings") && GUARDED_PANICS.load(Ordering::Relaxed) > guarded {
            let p = store(&input, save, &format!("guarded-{target}-{seed}-{k}"));
            eprintln!("fuzz guarded panic ({})", p.display());
        }
        tally.cases += 1;
        match outcome {
            Ok(accepted) => tally.accepted += usize::from(accepted),
            Err(f) => {
                let p = store(&input, save, &format!("{target}-{seed}-{k}"));
                eprintln!(
                    "fuzz finding: {}: {} ({})",
                    f.target,
                    f.message,
                    p.display()
                );
                tally.findings.push((f, p));
            }
        }
        if save.ends_with("fuzz-findings") && (k + 1) % 500 == 0 {
            eprintln!(
                "fuzz {target}: {} cases, {} findings",
                k + 1,
                tally.findings.len()
            );
        }
    }
    tally.elapsed = start.elapsed();
    tally
}

// ------------------------------------------------------------------ tests

#[test]
fn replay_corpus() {
    let files = corpus_files();
    assert!(
        files.len() >= 40,
        "tests/fuzz/corpus holds {} files; the seeds alone are more",
        files.len()
    );
    let mut failures = Vec::new();
    for f in &files {
        let input = load(f).unwrap_or_else(|| panic!("{} is not a corpus file", f.display()));
        if let Err(e) = run(&input, false) {
            failures.push(format!("{}: {} ({})", f.display(), e.message, e.target));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A few generated cases per target in every test run, from fixed seeds.
fn quick(target: &str, cases: usize) {
    let save = std::env::temp_dir().join(format!("cipa-fuzz-quick-{}", std::process::id()));
    let t = fuzz(target, cases, 2026, &save, false, 0);
    assert_eq!(t.cases, cases);
    let msgs: Vec<String> = t
        .findings
        .iter()
        .map(|(f, p)| format!("{}: {} (input: {})", f.target, f.message, p.display()))
        .collect();
    assert!(msgs.is_empty(), "{}", msgs.join("\n"));
}

#[test]
fn reader_mutations() {
    quick("reader", 48);
}

#[test]
fn syntax_mutations() {
    quick("syntax", 48);
}

#[test]
fn design_mutations() {
    quick("design", 16);
}

#[test]
fn cli_mutations() {
    quick("cli", 12);
}

/// The long campaign (see the module documentation); its report goes to standard output and
/// target/fuzz-report.md.
#[test]
#[ignore = "long: minutes to hours; run by hand, report in docs/fuzzing.md"]
fn campaign() {
    let cases: usize = std::env::var("CIPA_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let seed: u64 = std::env::var("CIPA_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let only = std::env::var("CIPA_FUZZ_TARGETS").unwrap_or_default();
    let skip: usize = std::env::var("CIPA_FUZZ_SKIP")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let save = root().join("target/fuzz-findings");
    let mut report = format!("cases per target {cases}, seed {seed}\n\n| target | cases | accepted | refused (typed error) | findings | slowest case | time |\n|---|---|---|---|---|---|---|\n");
    let mut all = Vec::new();
    // (target, cases, deep): the command line is slower per case (whole runs, some with
    // figures), and a large design's calibration takes seconds in a debug build, so those get
    // fewer cases; designs of up to eight variables are simulated in every case.
    let plan = [
        ("reader", cases, true),
        ("syntax", cases, true),
        ("design", cases, false),
        ("design", cases / 200, true),
        ("cli", cases / 5, true),
        // Campaign 1's random command lines: only when asked for by name.
        ("cli1", cases / 5, true),
    ];
    for (target, n, deep) in plan {
        let asked = only.split(',').any(|t| t == target);
        if (!only.is_empty() || target == "cli1") && !asked {
            continue;
        }
        let t = fuzz(target, n, seed, &save, deep, skip);
        let label = match (target, deep) {
            ("design", false) => "design (small ones simulated)",
            ("design", true) => "design (every one simulated)",
            _ => target,
        };
        let row = format!(
            "| {label} | {} | {} | {} | {} | {:.2} s | {:.0} s |\n",
            t.cases,
            t.accepted,
            t.cases - t.accepted - t.findings.len(),
            t.findings.len(),
            t.slowest.as_secs_f64(),
            t.elapsed.as_secs_f64()
        );
        // Printed as it is done: an abort in a later target must not lose it.
        eprint!("fuzz row: {row}");
        report += &row;
        all.extend(t.findings);
    }
    report += &format!(
        "\nPanics inside third-party readers caught by cipa's guard (reported as malformed files): {}\n",
        GUARDED_PANICS.load(Ordering::Relaxed)
    );
    for (f, p) in &all {
        report += &format!("\n- {}: {} — input {}", f.target, f.message, p.display());
    }
    println!("{report}");
    let _ = std::fs::write(root().join("target/fuzz-report.md"), &report);
    assert!(all.is_empty(), "{} findings; see above", all.len());
}

/// Writes the seed part of the corpus: generated inputs of every target from a fixed seed (run
/// once by hand; findings are added to the corpus as they are fixed).
#[test]
#[ignore = "writes tests/fuzz/corpus; run by hand"]
fn write_seed_corpus() {
    let dir = corpus_dir();
    for (target, n) in [("reader", 30), ("syntax", 30), ("design", 10), ("cli", 12)] {
        let config = Config {
            rng_seed: RngSeed::Fixed(7),
            failure_persistence: None,
            ..Config::default()
        };
        let mut runner = TestRunner::new(config);
        let s = strategy(target);
        for k in 0..n {
            let input = s.new_tree(&mut runner).expect("a value").current();
            store(&input, &dir, &format!("seed-{target}-{k:02}"));
        }
    }
}
