//! Issue 11's acceptance run through the CLI: the shipped latent mediation model (its covariates
//! fixed.x, sem()'s default) under FIML with the bootstrap and modification indices, which were
//! refused before; the same draws for any thread count; Bollen-Stine under FIML refused with a
//! typed error (lavaan 0.6-14 has none). The numbers are lavaan's by tests/suite/sem_fiml.rs
//! (`fiml_fixed_x_bootstrap_agrees_with_lavaan`, `fiml_modification_indices_with_fixed_x_are_lavaans`).

use serde_json::Value;

use crate::common::cli::{cipa, json, stderr};

/// `cipa sem` on the shipped survey data and model by FIML, with `extra` arguments.
fn framework_fiml(extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "sem",
        "--data",
        "example:sme",
        "--model",
        "framework:latent_mediation",
        "--missing",
        "fiml",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    cipa(&args)
}

#[test]
fn framework_fiml_bootstrap_and_modindices_with_fixed_x() {
    // 50 draws, the fewest --boot allows for 95% percentile intervals; the release run of B = 1000 is in
    // docs/PERFORMANCE.md.
    let boot = ["--boot", "50", "--seed", "1", "--mi"];
    let one = json(&framework_fiml(&[&boot[..], &["--threads", "1"]].concat()));
    let two = json(&framework_fiml(&[&boot[..], &["--threads", "2"]].concat()));
    assert_eq!(one["options"]["fixed_x"], Value::Bool(true));
    assert_eq!(one["resampling"], two["resampling"]);
    let r = &one["resampling"];
    assert_eq!(r["b"], 50);
    assert_eq!(r["seed"], 1);
    let params = r["parameters"].as_array().expect("bootstrap rows");
    let free = one["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .filter(|p| p["free"].as_u64().unwrap_or(0) > 0)
        .count();
    // Every free parameter and the two := effects (ind, total).
    assert_eq!(params.len(), free + 2);
    for p in params {
        let se = p["se"].as_f64().unwrap_or(f64::NAN);
        assert!(se.is_finite() && se > 0.0, "{p}");
    }
    // The covariates' moments are fixed, not resampled parameters.
    assert!(!params
        .iter()
        .any(|p| p["lhs"] == "log_employees" && p["op"] == "~~"));
    let mi = one["modindices"]["rows"]
        .as_array()
        .expect("modification indices");
    assert!(!mi.is_empty());
}

#[test]
fn framework_fiml_bollen_stine_is_refused() {
    let o = framework_fiml(&["--boot", "50", "--bollen-stine"]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(
        e.contains("Bollen-Stine") && e.contains("lavaan 0.6-14") && !e.contains("panicked"),
        "{e}"
    );
}
