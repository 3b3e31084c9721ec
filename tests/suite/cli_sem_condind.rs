//! `cipa sem` with a := naming an observed moderator (`--probe`, `--wvals`): the probed rows in
//! the JSON against lavaan with the values substituted (tests/golden/sem_condind), every format
//! and the APA table naming them, the bootstrap and Monte Carlo intervals of each probe, and the
//! probe flags refused without such a :=.

use serde_json::Value;

use crate::common::cli::{cipa, json, ok, usage_error};
use crate::common::{self, shared_or_skip_file};

const MODEL: &str = "negtone ~ a*dysfunc; perform ~ cp*dysfunc + b1*negtone + b2*negexp + b3*negtone:negexp; ind_w := a*b1 + a*b3*negexp";

fn teams() -> Option<String> {
    shared_or_skip_file("datasets/hayes2018/teams.csv").map(|p| p.display().to_string())
}

fn golden() -> Value {
    let path = common::golden_dir("sem_condind").join("expected.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn lavaan_row<'a>(g: &'a Value, name: &str) -> &'a Value {
    g["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["lhs"] == name)
        .unwrap_or_else(|| panic!("no lavaan row {name}"))
}

fn row<'a>(doc: &'a Value, name: &str) -> &'a Value {
    doc["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["lhs"] == name && r["op"] == ":=")
        .unwrap_or_else(|| panic!("no := row {name}"))
}

fn close(a: &Value, b: &Value) -> bool {
    let (a, b) = (a.as_f64().unwrap(), b.as_f64().unwrap());
    (a - b).abs() <= 1e-5 * b.abs()
}

/// The probed rows of `doc` against lavaan's `prefix_1..3` and `imm`.
fn check_rows(doc: &Value, prefix: &str) {
    let p = &doc["probed_definitions"][0];
    assert_eq!(p["moderator"], "negexp");
    let rows: Vec<&str> = p["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert_eq!(rows.len(), 3);
    let g = golden();
    for (k, name) in rows.iter().enumerate() {
        let (got, want) = (
            row(doc, name),
            lavaan_row(&g, &format!("{prefix}_{}", k + 1)),
        );
        assert!(close(&got["est"], &want["est"]), "{name}: {got} vs {want}");
        assert!(close(&got["se"], &want["se"]), "{name}: {got} vs {want}");
    }
    let index = row(doc, p["index"].as_str().unwrap());
    let imm = lavaan_row(&g, "imm");
    assert!(close(&index["est"], &imm["est"]) && close(&index["se"], &imm["se"]));
}

#[test]
fn percentiles_by_default_and_meansd_match_lavaan() {
    let Some(data) = teams() else { return };
    let base = [
        "sem", "--data", &data, "--syntax", MODEL, "--format", "json",
    ];
    let doc = json(&cipa(&base));
    assert_eq!(doc["probed_definitions"][0]["probe"], "percentiles");
    assert_eq!(
        doc["probed_definitions"][0]["values"],
        golden()["percentiles"]
    );
    check_rows(&doc, "ind_w");
    let doc = json(&cipa(&[&base[..], &["--probe", "meansd"]].concat()));
    assert_eq!(doc["probed_definitions"][0]["probe"], "mean_sd");
    assert_eq!(doc["options"]["probe"], "meansd");
    check_rows(&doc, "ind_msd");
}

#[test]
fn wvals_gives_the_values_asked_for() {
    let Some(data) = teams() else { return };
    let doc = json(&cipa(&[
        "sem",
        "--data",
        &data,
        "--syntax",
        MODEL,
        "--format",
        "json",
        "--wvals",
        "-0.5308,-0.06,0.6",
    ]));
    assert_eq!(
        doc["probed_definitions"][0]["probe"]["values"],
        serde_json::json!([-0.5308, -0.06, 0.6])
    );
    assert_eq!(
        doc["probed_definitions"][0]["rows"][0],
        "ind_w(negexp=-0.5308)"
    );
    check_rows(&doc, "ind_w");
}

#[test]
fn every_format_and_the_apa_table_show_the_probed_rows() {
    let Some(data) = teams() else { return };
    let base = ["sem", "--data", &data, "--syntax", MODEL];
    for f in ["text", "markdown", "csv", "latex", "html"] {
        let out = ok(&cipa(&[&base[..], &["--format", f]].concat()));
        assert!(
            // LaTeX and Markdown escape the underscore of ind_w.
            out.contains("(negexp=0.6000)") && out.contains("w(index)"),
            "{f}: {out}"
        );
    }
    let text = ok(&cipa(&base));
    assert!(text.contains("16th, 50th and 84th percentiles"), "{text}");
    let apa = ok(&cipa(
        &[&base[..], &["--apa", "--format", "markdown"]].concat(),
    ));
    assert!(apa.contains("(negexp=-0.0600)"), "{apa}");
}

#[test]
fn bootstrap_and_monte_carlo_intervals_of_each_probe() {
    let Some(data) = teams() else { return };
    let doc = json(&cipa(&[
        "sem", "--data", &data, "--syntax", MODEL, "--format", "json", "--boot", "100", "--mc",
        "200", "--seed", "7",
    ]));
    let rows = doc["probed_definitions"][0]["rows"].as_array().unwrap();
    let boot = doc["resampling"]["parameters"].as_array().unwrap();
    let mc = doc["resampling"]["monte_carlo"]["defined"]
        .as_array()
        .unwrap();
    for name in rows {
        for (what, list) in [("bootstrap", boot), ("Monte Carlo", mc)] {
            let r = list
                .iter()
                .find(|r| r["lhs"] == *name || r["name"] == *name)
                .unwrap_or_else(|| panic!("no {what} row {name}: {list:?}"));
            let (lo, hi) = (
                r["ci_lower"].as_f64().unwrap(),
                r["ci_upper"].as_f64().unwrap(),
            );
            assert!(lo < hi, "{what} {name}: {r}");
        }
    }
}

#[test]
fn probe_flags_need_a_probed_definition() {
    let Some(data) = teams() else { return };
    let err = usage_error(&cipa(&[
        "sem",
        "--data",
        &data,
        "--syntax",
        "negtone ~ a*dysfunc; perform ~ b*negtone; ind := a*b",
        "--probe",
        "meansd",
    ]));
    assert!(err.contains("--probe") && err.contains(":="), "{err}");
}
