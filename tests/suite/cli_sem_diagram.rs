//! `cipa sem --diagram` with `--diagram-values`, `--diagram-coef` and `--diagram-residuals`:
//! each flag changes the drawn labels (read back from the DOT file) as the library's
//! LatentOptions do, the results folder's diagram follows them, and bad values are refused.

use serde_json::Value;

use crate::common::cli::{cipa, json, ok, stderr, usage_error};
use crate::common::shared_or_skip_file;

const MODEL: &str = "visual =~ x1 + x2 + x3; textual =~ x4 + x5 + x6; textual ~ visual";

fn hs() -> Option<String> {
    shared_or_skip_file("datasets/lavaan_pkg/HolzingerSwineford1939.csv")
        .map(|p| p.display().to_string())
}

/// The DOT diagram drawn with `flags`, and the JSON report of the same run.
fn diagram(data: &str, flags: &[&str]) -> (String, Value) {
    let dir = tempfile::tempdir().unwrap();
    let dot = dir.path().join("d.dot");
    let d = dot.display().to_string();
    let base = [
        "sem",
        "--data",
        data,
        "--syntax",
        MODEL,
        "--format",
        "json",
        "--diagram",
        &d,
    ];
    let doc = json(&cipa(&[&base[..], flags].concat()));
    (std::fs::read_to_string(&dot).unwrap(), doc)
}

/// The label of the edge `from -> to` in a DOT text.
fn edge_label(dot: &str, from: &str, to: &str) -> String {
    let head = format!("\"{from}\" -> \"{to}\" [");
    let line = dot
        .lines()
        .find(|l| l.trim_start().starts_with(&head))
        .unwrap_or_else(|| panic!("no edge {from} -> {to}:\n{dot}"));
    let rest = &line[line.find("label=\"").expect("a label") + 7..];
    rest[..rest.find('"').unwrap()].to_string()
}

fn param<'a>(doc: &'a Value, lhs: &str, op: &str, rhs: &str) -> &'a Value {
    doc["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["lhs"] == lhs && r["op"] == op && r["rhs"] == rhs)
        .unwrap()
}

#[test]
fn diagram_values_std_draws_std_all() {
    let Some(data) = hs() else { return };
    let (raw, doc) = diagram(&data, &[]);
    let (std, _) = diagram(&data, &["--diagram-values", "std"]);
    let p = param(&doc, "visual", "=~", "x2");
    let est = p["est"].as_f64().unwrap();
    let std_all = p["std_all"].as_f64().unwrap();
    assert!(edge_label(&raw, "visual", "x2").starts_with(&format!("{est:.2}")));
    assert!(edge_label(&std, "visual", "x2").starts_with(&format!("{std_all:.2}")));
    assert!(std.contains("tandardized"), "{std}");
    assert_eq!(doc["options"]["diagram_values"], "raw");
}

#[test]
fn diagram_coef_ci_draws_the_intervals() {
    let Some(data) = hs() else { return };
    let (dot, doc) = diagram(&data, &["--diagram-coef", "ci"]);
    let p = param(&doc, "visual", "=~", "x2");
    let (lo, hi) = (
        p["ci_lower"].as_f64().unwrap(),
        p["ci_upper"].as_f64().unwrap(),
    );
    let label = edge_label(&dot, "visual", "x2");
    assert!(label.contains(&format!("[{lo:.2}, {hi:.2}]")), "{label}");
    assert!(!label.contains('*'), "{label}");
    assert_eq!(doc["options"]["diagram_coef"], "ci");
}

#[test]
fn diagram_residuals_draws_the_variances() {
    let Some(data) = hs() else { return };
    let (plain, _) = diagram(&data, &[]);
    assert!(!plain.contains("\"x1\" -> \"x1\""), "{plain}");
    let (dot, doc) = diagram(&data, &["--diagram-residuals"]);
    let theta = param(&doc, "x1", "~~", "x1")["est"].as_f64().unwrap();
    assert!(edge_label(&dot, "x1", "x1").starts_with(&format!("{theta:.2}")));
    assert!(edge_label(&dot, "textual", "textual").contains("***"));
    assert_eq!(doc["options"]["diagram_residuals"], true);
}

#[test]
fn the_results_folder_diagram_follows_the_flags() {
    let Some(data) = hs() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("res");
    let o = out.display().to_string();
    ok(&cipa(&[
        "sem",
        "--data",
        &data,
        "--syntax",
        MODEL,
        "--out",
        &o,
        "--diagram-values",
        "std",
        "--diagram-residuals",
    ]));
    let dot = std::fs::read_to_string(out.join("plots/diagram_sem.dot")).unwrap();
    let (std, _) = diagram(&data, &["--diagram-values", "std", "--diagram-residuals"]);
    assert_eq!(dot, std);
}

#[test]
fn bad_diagram_values_are_refused() {
    let Some(data) = hs() else { return };
    let err = usage_error(&cipa(&[
        "sem",
        "--data",
        &data,
        "--syntax",
        MODEL,
        "--diagram-values",
        "stdall",
    ]));
    assert!(err.contains("raw") && err.contains("std"), "{err}");
}

#[test]
fn diagram_flags_without_a_diagram_say_so() {
    let Some(data) = hs() else { return };
    let o = cipa(&[
        "sem",
        "--data",
        &data,
        "--syntax",
        MODEL,
        "--diagram-values",
        "std",
    ]);
    ok(&o);
    let err = stderr(&o);
    assert!(
        err.contains("--diagram-values") && err.contains("neither"),
        "{err}"
    );
}
