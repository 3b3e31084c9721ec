//! Parity with PROCESS for R v4.3.1 itself: every output in `../shared/reference/process_v431/`
//! (PROCESS run on `data_n300.csv` for every model number it accepts, plus variants with more
//! mediators and the counterfactual `xmint` form; calls in `calls.R`, numbers printed with 14
//! decimals and parsed into `NAME.json`) is run through `cipa fit` with the call's options, and
//! every number PROCESS printed is compared with cipa's JSON output: |cipa − PROCESS| ≤
//! max(1e-8·|PROCESS|, 1e-10).
//!
//! Quantities cipa does not compute yet are listed in `process_v431/missing.rs`; anything else
//! missing or different fails the test, and so does a listed entry that now matches. The test
//! prints one line per output (the table in docs/REPLICATION.md). It skips with a message when the
//! reference folder is absent; `CIPA_SHARED=/path/to/shared` points it elsewhere than `../shared`
//! (a git worktree has no `../shared` beside it).

mod calls;
mod lookup;
mod lookup_effects;
mod missing;
mod ref_effects;
mod ref_equations;
mod reference;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::common;
use reference::{Loc, Quantity};

const REL: f64 = 1e-8;
const ABS: f64 = 1e-10;

fn close(actual: f64, expected: f64) -> bool {
    (actual - expected).abs() <= (REL * expected.abs()).max(ABS)
}

/// The reference folder, or `None` after printing why the test skips.
fn reference_dir() -> Option<PathBuf> {
    let dir = common::shared_root().join("reference/process_v431");
    if dir.join("calls.R").is_file() {
        Some(dir)
    } else {
        println!(
            "skipping: {} not found (set CIPA_SHARED to the shared folder)",
            dir.display()
        );
        None
    }
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// cipa's JSON for a call, or why there is none (its error message).
fn run_cipa(args: &[String]) -> Result<Value, String> {
    let out = Command::new(env!("CARGO_BIN_EXE_cipa"))
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("the cipa binary runs");
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(format!("cipa refused the call: {}", err.trim()));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("cipa's JSON does not parse: {e}"))
}

/// The outcome of one reference file.
#[derive(Debug, Default)]
struct FileResult {
    name: String,
    model: String,
    compared: usize,
    matched: usize,
    /// Largest relative difference among matched values of magnitude at least 0.01 (below that
    /// the absolute floor of 1e-10 is the binding tolerance).
    worst: f64,
    /// Which quantity that was.
    worst_what: String,
    /// The sections compared beyond n, summaries and coefficients, in short (for the table).
    sections: Vec<&'static str>,
    /// Missing kinds (listed) with how many quantities each.
    pending: BTreeMap<String, usize>,
    artefacts: usize,
    failures: Vec<String>,
}

/// Each quantity kind of a file with how each of its quantities fared.
type ByKind = BTreeMap<String, Vec<(String, Result<(), String>)>>;

/// How one quantity fared: Ok, or the reason (absent in cipa, or the two values).
fn evaluate(cipa: &Result<Value, String>, q: &Quantity) -> (Result<(), String>, Option<f64>) {
    let got = match cipa {
        Ok(c) => lookup::lookup(c, &q.loc),
        Err(e) => Err(e.clone()),
    };
    match got {
        Ok(v) if close(v, q.value) => {
            let rel = (q.value.abs() >= 1e-2).then(|| ((v - q.value) / q.value).abs());
            (Ok(()), rel)
        }
        Ok(v) => (
            Err(format!(
                "cipa {v:.15e}, PROCESS {:.15e} (relative difference {:.2e})",
                q.value,
                ((v - q.value) / q.value).abs()
            )),
            None,
        ),
        Err(e) => (Err(e), None),
    }
}

fn check_file(dir: &Path, call: &calls::Call) -> FileResult {
    let doc = read_json(&dir.join(format!("{}.json", call.name)));
    let mut res = FileResult {
        name: call.name.clone(),
        model: doc["header"]["Model"].as_str().unwrap_or("-").to_string(),
        ..Default::default()
    };
    let quantities = match reference::quantities(&doc) {
        Ok(q) => q,
        Err(e) => {
            res.failures
                .push(format!("the reference does not parse: {e}"));
            return res;
        }
    };
    structure_checks(&doc, &quantities, &mut res);
    if refused_by_process(&doc, &quantities, &mut res) {
        return res;
    }
    let cipa = calls::plan(call, dir).and_then(|p| run_cipa(&p.args));
    let mut by_kind: ByKind = BTreeMap::new();
    for q in &quantities {
        if let Loc::BootArtefact { effect } = q.loc {
            res.artefacts += 1;
            if q.value != effect {
                res.failures.push(format!(
                    "{}: PROCESS's boot column is {} but its effect {effect}; not the boot=0 artefact",
                    q.what, q.value
                ));
            }
            continue;
        }
        res.compared += 1;
        let section = section_of(&q.kind);
        // n, summaries and coefficients are in every output; the table lists the rest.
        let always = ["n", "summary", "coefficients"];
        if !always.contains(&section) && !res.sections.contains(&section) {
            res.sections.push(section);
        }
        let (status, rel) = evaluate(&cipa, q);
        if let Some(r) = rel.filter(|r| *r > res.worst) {
            res.worst = r;
            res.worst_what = q.what.clone();
        }
        if status.is_ok() {
            res.matched += 1;
        }
        by_kind
            .entry(q.kind.clone())
            .or_default()
            .push((q.what.clone(), status));
    }
    judge(&call.name, by_kind, missing::MISSING, &mut res);
    if let Ok(c) = &cipa {
        term_order(c, &quantities, &mut res);
    }
    res
}

/// Every number of the file is a quantity, and `resultm` holds only printed numbers.
fn structure_checks(doc: &Value, quantities: &[Quantity], res: &mut FileResult) {
    let n = reference::count_numbers(doc);
    if n != quantities.len() {
        res.failures.push(format!(
            "the file holds {n} numbers but the harness reads {} of them",
            quantities.len()
        ));
    }
    let errors = doc["errors"].as_array().map_or(0, Vec::len);
    let extra = reference::resultm_not_printed(doc, quantities, close);
    if errors == 0 && !extra.is_empty() {
        res.failures.push(format!(
            "resultm holds {} number(s) PROCESS did not print, e.g. {}",
            extra.len(),
            extra[0]
        ));
    }
}

/// PROCESS 4.3.1 refuses model=74 ("Invalid model number"): nothing to compare.
fn refused_by_process(doc: &Value, quantities: &[Quantity], res: &mut FileResult) -> bool {
    let errors: Vec<&str> = doc["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if errors.is_empty() {
        return false;
    }
    if !quantities.is_empty() {
        res.failures.push(format!(
            "PROCESS reported {errors:?} yet printed {} numbers",
            quantities.len()
        ));
    }
    res.model = format!("refused by PROCESS: {}", errors.join(" "));
    true
}

/// Applies a list of missing quantities (`missing::MISSING`) to one file's results.
fn judge(name: &str, by_kind: ByKind, missing: &[(&str, &str, &str)], res: &mut FileResult) {
    for (kind, items) in by_kind {
        let listed = missing.iter().any(|(f, k, _)| *f == name && *k == kind);
        let bad: Vec<(&String, &String)> = items
            .iter()
            .filter_map(|(w, s)| s.as_ref().err().map(|e| (w, e)))
            .collect();
        match (listed, bad.is_empty()) {
            (true, true) => res.failures.push(format!(
                "listed as missing but all {} quantities of '{kind}' match: remove the entry from missing.rs",
                items.len()
            )),
            (true, false) => {
                res.pending.insert(kind, items.len());
            }
            (false, _) => {
                for (what, why) in bad {
                    res.failures.push(format!("{what}: {why}"));
                }
            }
        }
    }
}

/// cipa's coefficients come in PROCESS's order in every equation both have.
fn term_order(c: &Value, quantities: &[Quantity], res: &mut FileResult) {
    let mut process: Vec<(String, Vec<String>)> = Vec::new();
    for q in quantities {
        if let Loc::Coefficient {
            outcome,
            factors,
            col,
            ..
        } = &q.loc
        {
            if col == "coeff" {
                process.push((outcome.clone(), lookup::set(factors)));
            }
        }
    }
    let outcomes: Vec<&String> = {
        let mut o: Vec<&String> = process.iter().map(|(o, _)| o).collect();
        o.dedup();
        o
    };
    for outcome in outcomes {
        let Ok(eq) = lookup::equation(c, outcome) else {
            continue;
        };
        let have: Vec<Vec<String>> = lookup::list(eq, "coefficients")
            .iter()
            .map(|k| match lookup::str_of(k, "term") {
                "constant" => Vec::new(),
                t => lookup::set(&t.split(':').collect::<Vec<_>>()),
            })
            .collect();
        let want: Vec<Vec<String>> = process
            .iter()
            .filter(|(o, _)| o == outcome)
            .map(|(_, f)| f.clone())
            .collect();
        if have != want {
            res.failures.push(format!(
                "{outcome}: cipa's terms {have:?} are not in PROCESS's order {want:?}"
            ));
        }
    }
}

/// A quantity kind as the table's column of sections names it.
fn section_of(kind: &str) -> &'static str {
    match kind {
        "n" => "n",
        "equation summary" => "summary",
        "coefficient" => "coefficients",
        k if k.starts_with("interaction test") => "interaction tests",
        "conditional effect" => "conditional effects",
        "conditional interaction test" => "conditional X*W tests",
        "JN transition point" | "JN table" => "JN",
        "direct effect" => "direct",
        "conditional direct effect" => "conditional direct",
        "indirect effect" => "indirect",
        "conditional indirect effect" => "conditional indirect",
        k if k.starts_with("ind") => "indices",
        _ => "counterfactual",
    }
}

fn summary_line(r: &FileResult) -> String {
    let pending: Vec<String> = r
        .pending
        .iter()
        .map(|(k, n)| format!("{k} ({n})"))
        .collect();
    format!(
        "| {} | {} | {} | {} | {} | {} | {} |",
        r.name,
        r.model,
        r.sections.join(", "),
        r.compared,
        r.matched,
        if r.matched > 0 {
            format!("{:.1e}", r.worst)
        } else {
            "-".into()
        },
        if pending.is_empty() {
            "-".into()
        } else {
            pending.join("; ")
        }
    )
}

#[test]
fn every_number_process_printed_matches_cipa() {
    let Some(dir) = reference_dir() else { return };
    let text = std::fs::read_to_string(dir.join("calls.R")).expect("calls.R is readable");
    let all = calls::read_calls(&text).unwrap_or_else(|e| panic!("{e}"));
    every_file_has_a_call(&dir, &all);
    every_missing_entry_names_a_reference(&dir);
    println!("| output | model | sections beyond n, summaries, coefficients | compared | matched | max rel. diff | still missing (count) |");
    println!("|---|---|---|---|---|---|---|");
    let mut failures = Vec::new();
    let (mut worst, mut compared) = ((0.0, String::new()), 0);
    for call in &all {
        let r = check_file(&dir, call);
        println!("{}", summary_line(&r));
        failures.extend(r.failures.iter().map(|f| format!("{}: {f}", r.name)));
        compared += r.compared;
        if r.worst > worst.0 {
            worst = (r.worst, format!("{}: {}", r.name, r.worst_what));
        }
    }
    println!(
        "{compared} quantities compared; largest relative difference {:.1e} ({})",
        worst.0, worst.1
    );
    assert!(
        failures.is_empty(),
        "{} disagreement(s) with PROCESS v4.3.1:\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}

/// Each `NAME.json` has its call in calls.R, and each call its output.
fn every_file_has_a_call(dir: &Path, all: &[calls::Call]) {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .expect("the reference folder is readable")
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".json").map(str::to_string)
        })
        .collect();
    files.sort();
    let mut named: Vec<String> = all.iter().map(|c| c.name.clone()).collect();
    named.sort();
    assert_eq!(files, named, "reference outputs and calls.R disagree");
}

/// A missing-list entry must name a reference output that has quantities of that kind.
fn every_missing_entry_names_a_reference(dir: &Path) {
    for (file, kind, _) in missing::MISSING {
        let path = dir.join(format!("{file}.json"));
        assert!(
            path.is_file(),
            "missing.rs names {file}, which has no reference output"
        );
        let q = reference::quantities(&read_json(&path)).expect("the reference parses");
        assert!(
            q.iter().any(|q| q.kind == *kind),
            "missing.rs lists '{kind}' for {file}, which prints no such quantity"
        );
    }
}

#[test]
fn calls_parse_and_map_to_flags() {
    let line = r#"process(data=read.csv("d.csv"), y="yy", x="xx", m=c("m1","m2"), model=4, cov=c("a","b"), xmint=1, xrefval=c(3,5), boot=0, save=2)"#;
    let text = format!("# A comment line\n# demo\n{line}\n");
    let calls = calls::read_calls(&text).unwrap();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].name, "demo");
    let plan = calls::plan(&calls[0], Path::new("/ref")).unwrap();
    let args = plan.args.join(" ");
    assert_eq!(
        args,
        "fit --data /ref/d.csv --y yy --x xx --m m1,m2 --model 4 --cov a,b --xmint --xrefval 3,5 --boot 0 --intprobe 1"
    );
    let bad = calls::read_calls("# x\nprocess(y=\"a\", plot=1)\n").unwrap();
    let err = calls::plan(&bad[0], Path::new("/ref")).unwrap_err();
    assert!(err.contains("plot has no cipa mapping"), "{err}");
}

#[test]
fn interaction_labels_name_products() {
    let roles = reference::Roles::from_header(&serde_json::json!({
        "X": "x", "Y": "y", "W": "w", "Z": "z", "M1": "a", "M2": "b"
    }));
    let p = |l: &str| roles.products(l).unwrap();
    assert_eq!(p("X*W*Z"), vec![vec!["x", "w", "z"]]);
    assert_eq!(p("M2*W"), vec![vec!["b", "w"]]);
    assert_eq!(p("BOTH(X)"), vec![vec!["x", "w"], vec!["x", "z"]]);
    assert!(
        roles.products("BOTH(M)").is_err(),
        "M is ambiguous with two mediators"
    );
}

/// The missing list works both ways: a listed kind that now matches fails the test, a listed kind
/// still absent is only counted, an unlisted kind that is absent fails.
#[test]
fn missing_list_can_only_shrink() {
    let run = |kind: &str, status: Result<(), String>| {
        let mut by_kind = BTreeMap::new();
        by_kind.insert(kind.to_string(), vec![("q".to_string(), status)]);
        let mut res = FileResult::default();
        judge("model17", by_kind, LISTED, &mut res);
        res
    };
    const LISTED: &[(&str, &str, &str)] = &[("model17", "interaction test BOTH(X)", "a test")];
    let listed = LISTED[0].1;
    let r = run(listed, Ok(()));
    assert!(
        r.failures[0].contains("remove the entry"),
        "{:?}",
        r.failures
    );
    let r = run(listed, Err("absent".into()));
    assert!(r.failures.is_empty());
    assert_eq!(r.pending.get(listed), Some(&1));
    let r = run("coefficient", Err("absent".into()));
    assert_eq!(r.failures, ["q: absent"]);
}
