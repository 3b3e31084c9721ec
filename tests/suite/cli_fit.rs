//! End-to-end tests of `cipa fit`: PROCESS models and path syntax, JSON fields, determinism across
//! thread counts, and errors for bad specs (exit code 2, a message that points at the problem).

use crate::common::cli::{cipa, json, stderr, usage_error, write};
use std::path::{Path, PathBuf};

/// A small mediation data set: x -> m -> y with a moderator w.
fn data(dir: &Path) -> PathBuf {
    let mut s = String::from("x,m,y,w,c\n");
    let mut state: u64 = 42;
    let mut u = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 11) as f64) / ((1u64 << 53) as f64) - 0.5
    };
    for i in 0..120 {
        let x = (i % 2) as f64;
        let w = 1.0 + (i % 7) as f64;
        let m = 0.5 * x + 0.1 * w + 0.2 * x * w + u();
        let y = 0.4 * m + 0.2 * x + u();
        s += &format!("{x},{m:.5},{y:.5},{w},{:.3}\n", u());
    }
    write(dir, "d.csv", &s)
}

#[test]
fn model_4_json_has_effects_bootstrap_and_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let d = data(dir.path());
    let v = json(&cipa(&[
        "fit",
        "--data",
        d.to_str().unwrap(),
        "--model",
        "4",
        "--x",
        "x",
        "--m",
        "m",
        "--y",
        "y",
        "--boot",
        "500",
        "--seed",
        "7",
        "--total",
        "--normal",
        "--format",
        "json",
    ]));
    assert_eq!(v["command"], "fit");
    assert_eq!(v["model"]["process"], 4);
    assert_eq!(v["bootstrap"]["B"], 500);
    assert_eq!(v["bootstrap"]["seed"], 7);
    assert_eq!(v["bootstrap"]["method"], "percentile");
    assert_eq!(v["bootstrap"]["failed"], 0);
    let ind = &v["effects"]["indirect"][0];
    assert_eq!(ind["path"], serde_json::json!(["x", "m", "y"]));
    for k in ["effect", "boot_se", "ci_lower", "ci_upper", "se", "z", "p"] {
        assert!(ind[k].is_number(), "indirect lacks {k}: {ind}");
    }
    let direct = v["effects"]["direct"][0]["effect"].as_f64().unwrap();
    let total = v["effects"]["total"][0]["effect"].as_f64().unwrap();
    assert!((total - direct - ind["effect"].as_f64().unwrap()).abs() < 1e-12);
    assert_eq!(v["equations"].as_array().unwrap().len(), 2);
    assert!(v["options"]["defaults_in_force"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d.as_str().unwrap().contains("seed 7")));
}

#[test]
fn same_numbers_for_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let d = data(dir.path());
    let run = |threads: &str| {
        cipa(&[
            "fit",
            "--data",
            d.to_str().unwrap(),
            "--model",
            "7",
            "--x",
            "x",
            "--m",
            "m",
            "--y",
            "y",
            "--w",
            "w",
            "--boot",
            "800",
            "--seed",
            "3",
            "--threads",
            threads,
            "--format",
            "json",
        ])
        .stdout
    };
    assert_eq!(run("1"), run("2"));
}

#[test]
fn model_7_reports_index_and_conditional_effects() {
    let dir = tempfile::tempdir().unwrap();
    let d = data(dir.path());
    let v = json(&cipa(&[
        "fit",
        "--data",
        d.to_str().unwrap(),
        "--model",
        "7",
        "--x",
        "x",
        "--m",
        "m",
        "--y",
        "y",
        "--w",
        "w",
        "--boot",
        "300",
        "--seed",
        "1",
        "--jn",
        "--format",
        "json",
    ]));
    assert_eq!(
        v["effects"]["indirect"].as_array().unwrap().len(),
        3,
        "three probe values of w"
    );
    assert_eq!(
        v["effects"]["index_of_moderated_mediation"][0]["kind"],
        "index_of_moderated_mediation"
    );
    assert_eq!(v["conditional_effects"][0]["outcome"], "m");
    assert_eq!(
        v["johnson_neyman"][0]["table"].as_array().unwrap().len(),
        22
    );
}

/// x is 0/1 in the test data: with x as the moderator there are no regions of significance, so
/// --jn computes none (as PROCESS) and says why.
#[test]
fn no_johnson_neyman_for_a_two_valued_moderator() {
    let dir = tempfile::tempdir().unwrap();
    let d = data(dir.path());
    let v = json(&cipa(&[
        "fit",
        "--data",
        d.to_str().unwrap(),
        "--model",
        "1",
        "--x",
        "w",
        "--w",
        "x",
        "--y",
        "m",
        "--boot",
        "0",
        "--jn",
        "--format",
        "json",
    ]));
    assert_eq!(v["johnson_neyman"].as_array().map(Vec::len), Some(0));
    let notes = v["notes"].to_string();
    assert!(
        notes.contains("Johnson-Neyman: 'x' has two values"),
        "{notes}"
    );
    // The conditional effects at its two values are still there.
    assert_eq!(
        v["conditional_effects"][0]["rows"].as_array().map(Vec::len),
        Some(2)
    );
}

#[test]
fn syntax_model_with_defined_quantity() {
    let dir = tempfile::tempdir().unwrap();
    let d = data(dir.path());
    let spec = write(
        dir.path(),
        "m.cipa",
        "m ~ a*x + c\ny ~ x + b*m + c\nind := a*b\n",
    );
    let v = json(&cipa(&[
        "fit",
        "--data",
        d.to_str().unwrap(),
        "--spec",
        spec.to_str().unwrap(),
        "--x",
        "x",
        "--boot",
        "300",
        "--seed",
        "1",
        "--format",
        "json",
    ]));
    let ind = v["effects"]["indirect"][0]["effect"].as_f64().unwrap();
    let def = v["defined"][0]["estimate"].as_f64().unwrap();
    assert!((ind - def).abs() < 1e-12, "a*b equals the indirect effect");
    assert_eq!(
        v["defined"][0]["boot_se"],
        v["effects"]["indirect"][0]["boot_se"]
    );
}

/// A label before a product term names that term's coefficient (as in lavaan), so a `:=` can
/// use it: `a*x:w` in a := equals the unlabelled run's x:w coefficient times b.
#[test]
fn a_label_on_a_product_term_names_its_coefficient() {
    let dir = tempfile::tempdir().unwrap();
    let d = data(dir.path());
    let run = |name: &str, text: &str| {
        let spec = write(dir.path(), name, text);
        json(&cipa(&[
            "fit",
            "--data",
            d.to_str().unwrap(),
            "--spec",
            spec.to_str().unwrap(),
            "--x",
            "x",
            "--boot",
            "0",
            "--format",
            "json",
        ]))
    };
    let labelled = run("l.cipa", "m ~ c1*x + w + a*x:w\ny ~ x + b*m\nind := a*b\n");
    let plain = run("p.cipa", "m ~ x + w + x:w\ny ~ x + m\n");
    let coef = |outcome: &str, term: &str| {
        plain["equations"]
            .as_array()
            .and_then(|eqs| eqs.iter().find(|e| e["outcome"] == outcome))
            .and_then(|e| e["coefficients"].as_array())
            .and_then(|cs| cs.iter().find(|c| c["term"] == term))
            .and_then(|c| c["estimate"].as_f64())
            .unwrap_or_else(|| panic!("{outcome} ~ {term} in {plain}"))
    };
    let expected = coef("m", "x:w") * coef("y", "m");
    let ind = labelled["defined"][0]["estimate"].as_f64().unwrap();
    assert_eq!(labelled["defined"][0]["name"], "ind");
    assert!(
        (ind - expected).abs() <= 1e-12 * expected.abs().max(1e-8),
        "ind {ind} = a*b {expected}"
    );
}

#[test]
fn bad_specs_are_usage_errors_with_positions() {
    let dir = tempfile::tempdir().unwrap();
    let d = data(dir.path());
    let bad = write(dir.path(), "bad.cipa", "m ~ a*x\ny ~ x + b*m +\n");
    let o = cipa(&[
        "fit",
        "--data",
        d.to_str().unwrap(),
        "--spec",
        bad.to_str().unwrap(),
    ]);
    let err = usage_error(&o);
    assert!(err.contains("bad.cipa:2:"), "{err}");
    assert!(
        stderr(&o).contains('^'),
        "caret under the error: {}",
        stderr(&o)
    );
    let cases: &[(&[&str], &str)] = &[
        (
            &["--model", "7", "--x", "x", "--m", "m", "--y", "y"],
            "needs W",
        ),
        (
            &["--model", "23", "--x", "x", "--m", "m", "--y", "y"],
            "not available",
        ),
        (&["--model", "4", "--x", "x", "--y", "y"], "mediator"),
        (
            &["--model", "4", "--x", "x", "--m", "m", "--y", "nope"],
            "unknown column 'nope'",
        ),
        (
            &[
                "--model", "4", "--x", "x", "--m", "m", "--y", "y", "--preset", "spss",
            ],
            "--preset",
        ),
    ];
    for (args, needle) in cases {
        let mut a = vec!["fit", "--data", d.to_str().unwrap()];
        a.extend_from_slice(args);
        let o = cipa(&a);
        let err = usage_error(&o);
        assert!(err.contains(needle), "{args:?}: {err}");
    }
}

#[test]
fn save_boot_writes_every_draw() {
    let dir = tempfile::tempdir().unwrap();
    let d = data(dir.path());
    let out = dir.path().join("draws.csv");
    let base = [
        "fit",
        "--data",
        d.to_str().unwrap(),
        "--model",
        "4",
        "--x",
        "x",
        "--m",
        "m",
        "--y",
        "y",
        "--seed",
        "5",
    ];
    let o = cipa(
        &[
            &base[..],
            &["--boot", "250", "--save-boot", out.to_str().unwrap()],
        ]
        .concat(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 251, "header and one line per draw");
    assert!(lines[0].contains("indirect:x>m>y"), "{}", lines[0]);
    let first: Vec<f64> = lines[1].split(',').map(|v| v.parse().unwrap()).collect();
    assert_eq!(first.len(), lines[0].split(',').count());
    // Without a bootstrap there is nothing to save: a usage error, and no file.
    let none = dir.path().join("none.csv");
    let o = cipa(
        &[
            &base[..],
            &["--boot", "0", "--save-boot", none.to_str().unwrap()],
        ]
        .concat(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(!none.exists());
}

#[test]
fn centring_moves_the_focal_coefficient_to_the_moderator_mean() {
    let dir = tempfile::tempdir().unwrap();
    let d = data(dir.path());
    let text = std::fs::read_to_string(&d).unwrap();
    let w: Vec<f64> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(3).unwrap().parse().unwrap())
        .collect();
    let mean = w.iter().sum::<f64>() / w.len() as f64;
    let base = [
        "fit",
        "--data",
        d.to_str().unwrap(),
        "--model",
        "1",
        "--x",
        "m",
        "--w",
        "w",
        "--y",
        "y",
        "--boot",
        "0",
    ];
    let centred = json(&cipa(
        &[&base[..], &["--center", "all", "--format", "json"]].concat(),
    ));
    let plain = json(&cipa(
        &[
            &base[..],
            &["--wvals", &mean.to_string(), "--format", "json"],
        ]
        .concat(),
    ));
    let coef = |v: &serde_json::Value, term: &str| {
        v["equations"][0]["coefficients"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["term"] == term)
            .unwrap()["estimate"]
            .as_f64()
            .unwrap()
    };
    let at_mean = plain["effects"]["direct"][0]["effect"].as_f64().unwrap();
    assert!((coef(&centred, "m") - at_mean).abs() < 1e-10);
    assert!((coef(&centred, "m:w") - coef(&plain, "m:w")).abs() < 1e-12);
    assert!(centred["options"]["defaults_in_force"]
        .to_string()
        .contains("mean-centred"));
}

/// The text report labels product terms Int_1, ... with a key, as PROCESS does, and follows
/// PROCESS's intprobe rule for showing conditional effects; the JSON keeps them all.
#[test]
fn text_report_has_product_key_and_intprobe() {
    let dir = tempfile::tempdir().unwrap();
    let d = data(dir.path());
    let d = d.to_str().unwrap();
    let base = [
        "fit", "--data", d, "--model", "1", "--x", "x", "--w", "c", "--y", "y", "--seed", "1",
    ];
    let run = |extra: &[&str]| {
        let args: Vec<&str> = base.iter().chain(extra).copied().collect();
        let o = cipa(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        String::from_utf8(o.stdout).unwrap()
    };
    let text = run(&[]);
    assert!(text.contains("Int_1"), "{text}");
    assert!(text.contains("Product terms key"), "{text}");
    assert!(text.contains("Int_1   :   x x c"), "{text}");
    // c is noise: the interaction is not significant, so PROCESS (intprobe .10) does not probe it.
    assert!(
        text.contains("Conditional effects of x are not shown"),
        "{text}"
    );
    assert!(!text.contains("Conditional effects of the focal predictor"));
    let all = run(&["--intprobe", "1"]);
    assert!(
        all.contains("Conditional effects of the focal predictor (x)"),
        "{all}"
    );
    let v = json(&cipa(
        &base
            .iter()
            .chain(&["--format", "json"])
            .copied()
            .collect::<Vec<_>>(),
    ));
    assert_eq!(v["options"]["intprobe"], 0.1);
    assert_eq!(v["conditional_effects"].as_array().unwrap().len(), 1);
    let bad = cipa(
        &base
            .iter()
            .chain(&["--intprobe", "2"])
            .copied()
            .collect::<Vec<_>>(),
    );
    assert!(usage_error(&bad).contains("--intprobe"));
}

/// A two-valued Y is fitted by logistic regression with a note (PROCESS's rule); `--linear-y`
/// keeps OLS; `--logistic` on a Y with more values is a usage error naming the variable.
#[test]
fn outcome_model_choice() {
    let dir = tempfile::tempdir().unwrap();
    let d = data(dir.path());
    let d = d.to_str().unwrap();
    let fit = |y: &str, extra: &[&str]| {
        let mut args = vec![
            "fit", "--data", d, "--model", "4", "--x", "c", "--m", "m", "--y", y, "--boot", "50",
            "--seed", "3", "--format", "json",
        ];
        args.extend(extra);
        cipa(&args)
    };
    let v = json(&fit("x", &[]));
    let y_eq = &v["equations"][1];
    assert_eq!(y_eq["method"], "logistic");
    assert!(v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n.as_str().unwrap().contains("logistic regression")));
    assert_eq!(v["bootstrap"]["B"], 50);
    let v = json(&fit("x", &["--linear-y"]));
    assert_eq!(v["equations"][1]["method"], "ols");
    let bad = fit("y", &["--logistic"]);
    let err = usage_error(&bad);
    assert!(err.contains("'y'"), "{err}");
}

/// Serial data with `k` mediators m1..mk, each depending on x, w and every earlier mediator.
fn serial_data(dir: &Path, k: usize) -> PathBuf {
    let mut state: u64 = 7;
    let mut u = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 11) as f64) / ((1u64 << 53) as f64) - 0.5
    };
    let names: Vec<String> = (1..=k).map(|i| format!("m{i}")).collect();
    let mut s = format!("x,w,{},y\n", names.join(","));
    for i in 0..150 {
        let x = (i % 5) as f64;
        let w = 1.0 + (i % 4) as f64 + u();
        let mut ms: Vec<f64> = Vec::new();
        for _ in 0..k {
            let earlier: f64 = ms.iter().sum();
            ms.push(0.3 * x + 0.1 * w * x + 0.2 * earlier + u());
        }
        let y = 0.2 * x + ms.iter().sum::<f64>() * 0.3 + u();
        let cells: Vec<String> = ms.iter().map(|m| format!("{m:.5}")).collect();
        s += &format!("{x},{w:.4},{},{y:.5}\n", cells.join(","));
    }
    write(dir, "serial.csv", &s)
}

/// Models 83-92 take 2 to 6 serial mediators, as PROCESS 4.3.1 does: model 92 with four has five
/// equations, W's products with X and every mediator, and all 15 serial paths moderated; a count
/// outside 2-6 is a usage error naming the model and the range.
#[test]
fn serial_moderated_models_take_two_to_six_mediators() {
    let dir = tempfile::tempdir().unwrap();
    let d = serial_data(dir.path(), 7);
    let d = d.to_str().unwrap();
    let fit = |model: &str, m: &str| {
        cipa(&[
            "fit", "--data", d, "--model", model, "--x", "x", "--w", "w", "--y", "y", "--m", m,
            "--boot", "0", "--format", "json",
        ])
    };
    let v = json(&fit("92", "m1,m2,m3,m4"));
    let eqs = v["equations"].as_array().unwrap();
    assert_eq!(eqs.len(), 5);
    let terms = |e: &serde_json::Value| -> Vec<String> {
        e["coefficients"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["term"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        terms(&eqs[3]),
        ["constant", "x", "m1", "m2", "m3", "w", "x:w", "m1:w", "m2:w", "m3:w"]
    );
    assert_eq!(terms(&eqs[4]).len(), 12);
    let mut paths: Vec<String> = v["effects"]["indirect"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].to_string())
        .collect();
    paths.dedup();
    paths.sort();
    paths.dedup();
    assert_eq!(paths.len(), 15, "2^4 - 1 serial paths: {paths:?}");
    for (model, m) in [("87", "m1,m2,m3,m4,m5,m6"), ("83", "m1,m2,m3")] {
        let o = fit(model, m);
        assert_eq!(o.status.code(), Some(0), "model {model}: {}", stderr(&o));
    }
    for (model, m, got) in [("83", "m1", 1), ("92", "m1,m2,m3,m4,m5,m6,m7", 7)] {
        let o = fit(model, m);
        assert_eq!(o.status.code(), Some(2));
        let want = format!("PROCESS model {model} needs 2 to 6 mediators (--m), got {got}");
        assert!(stderr(&o).contains(&want), "{}", stderr(&o));
    }
}
