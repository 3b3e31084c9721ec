//! The grouped FIML combinations through the CLI: `--group --missing fiml` with `--mi` and
//! `--residuals`, with `--cluster` (MLR) and with `--invariance`, each against the lavaan
//! goldens the library tests use (sem_groups_fiml_diag.rs, sem_groups_fiml_cluster.rs,
//! sem_groups_fiml_invariance.rs): the JSON carries lavaan's numbers.

use serde_json::Value;

use crate::common::cli::{cipa, json};
use crate::common::golden_dir;
use crate::common::hs::{grouped_args, hs_blanked_csv, HS_CFA as CFA};

fn read(case: &str, file: &str) -> Value {
    let text = std::fs::read_to_string(golden_dir(case).join(file)).expect(file);
    serde_json::from_str(&text).expect("valid JSON")
}

fn close(what: &str, a: f64, e: f64, rel: f64) {
    assert!(
        (a - e).abs() <= rel * e.abs().max(1e-3),
        "{what}: cipa {a}, lavaan {e}"
    );
}

/// `--mi 0 --residuals`: every index above 0 (largest first) is lavaan's row of the same
/// parameter and group, and each group's standardized and normalized residuals are lavaan's.
#[test]
fn grouped_fiml_mi_and_residuals_match_lavaan() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(data) = hs_blanked_csv(dir.path()) else {
        return;
    };
    let doc = json(&cipa(&grouped_args(
        &data,
        CFA,
        "school",
        &[
            "--missing",
            "fiml",
            "--mi",
            "0",
            "--residuals",
            "--format",
            "json",
        ],
    )));
    let exp = read("sem_hs_groups_fiml_diag", "configural.json");
    let key = |v: &Value| {
        format!(
            "{} {} {} {}",
            v["lhs"].as_str().unwrap_or(""),
            v["op"].as_str().unwrap_or(""),
            v["rhs"].as_str().unwrap_or(""),
            v["group"].as_f64().unwrap_or(f64::NAN)
        )
    };
    let rows = doc["modindices"]["rows"].as_array().expect("rows");
    let want: Vec<&Value> = (exp["modindices"].as_array().expect("golden rows").iter())
        .filter(|e| e["mi"].as_f64().is_some_and(|m| m > 0.0))
        .collect();
    assert_eq!(rows.len(), want.len());
    let mis: Vec<f64> = rows.iter().map(|r| r["mi"].as_f64().unwrap()).collect();
    assert!(mis.windows(2).all(|w| w[0] >= w[1]));
    for r in rows {
        let e = (want.iter())
            .find(|e| key(e) == key(r))
            .unwrap_or_else(|| panic!("no lavaan row {}", key(r)));
        for col in ["mi", "epc", "sepc_all"] {
            let what = format!("{} {col}", key(r));
            close(
                &what,
                r[col].as_f64().unwrap(),
                e[col].as_f64().unwrap(),
                1e-5,
            );
        }
    }
    for g in 0..2 {
        let (r, e) = (&doc["residuals"][g], &exp["groups"][g]);
        for kind in ["normalized", "standardized"] {
            for i in 0..9 {
                for j in 0..9 {
                    let a = r[kind]["cov"][i][j].as_f64().unwrap();
                    let b = e[kind]["cov"][i][j].as_f64().unwrap();
                    close(&format!("group {g} {kind} [{i},{j}]"), a, b, 1e-5);
                }
            }
        }
    }
}

/// `--cluster cluster --missing fiml --estimator mlr` under `--group half`: the scaled test
/// and each group's clusters (tests/golden/sem_groups_cluster_fiml/cfa).
#[test]
fn grouped_fiml_cluster_matches_lavaan() {
    let data = golden_dir("sem_groups_cluster_fiml").join("data.csv");
    let doc = json(&cipa(&grouped_args(
        data.to_str().expect("path"),
        "f1 =~ y1 + y2 + y3; f2 =~ y4 + y5 + y6",
        "half",
        &[
            "--cluster",
            "cluster",
            "--missing",
            "fiml",
            "--estimator",
            "mlr",
            "--format",
            "json",
        ],
    )));
    let exp = read("sem_groups_cluster_fiml/cfa", "expected.json");
    for k in [
        "chisq",
        "chisq_scaled",
        "chisq_scaling_factor",
        "cfi_robust",
    ] {
        let e = exp["fit"][k].as_f64().expect("golden");
        close(k, doc["fit"][k].as_f64().expect(k), e, 1e-5);
    }
    let clusters = doc["cluster"].as_array().expect("cluster per group");
    assert_eq!(clusters.len(), 2);
    assert_eq!(clusters[0]["variable"], "cluster");
    assert_eq!(doc["options"]["missing"], "fiml");
}

/// `--invariance --missing fiml --estimator mlr`: lavTestLRT's Satorra-Bentler 2001
/// differences of the four FIML levels (tests/golden/sem_hs_groups_fiml_lrt/mlr.json, to its
/// library test's bound).
#[test]
fn grouped_fiml_invariance_matches_lavaan() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(data) = hs_blanked_csv(dir.path()) else {
        return;
    };
    let doc = json(&cipa(&grouped_args(
        &data,
        CFA,
        "school",
        &[
            "--missing",
            "fiml",
            "--invariance",
            "--estimator",
            "mlr",
            "--format",
            "json",
        ],
    )));
    let exp = read("sem_hs_groups_fiml_lrt", "mlr.json");
    let inv = &doc["invariance"];
    assert_eq!(inv["method"], "satorra.bentler.2001");
    let levels = inv["levels"].as_array().expect("levels");
    assert_eq!(levels.len(), 4);
    assert!(levels[0]["chisq_diff"].is_null());
    for (l, e) in levels
        .iter()
        .zip(exp["lrt"].as_array().expect("lrt"))
        .skip(1)
    {
        let what = e["model"].as_str().unwrap_or("");
        assert_eq!(l["model"], e["model"]);
        let (a, b) = (
            l["chisq_diff"].as_f64().unwrap(),
            e["chisq_diff"].as_f64().unwrap(),
        );
        // 1e-5 times the SB2001 condition number (≤ 13 here, sem_groups_fiml_invariance.rs).
        close(what, a, b, 1.3e-4);
    }
}
