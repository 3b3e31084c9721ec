//! End-to-end tests of `cipa fit --xmint` (PROCESS's counterfactual form of model 4) and
//! `--modelbt` on the shipped example data: the sections in every report format, the JSON
//! fields, what `--model 74` says it is, and the errors for flags that do not fit together.

use crate::common::cli::{cipa, json, ok, sme_example, usage_error, with};

/// network_ties -> collab -> export_intensity, with the example's -99 codes as missing.
fn base(data: &str) -> Vec<&str> {
    vec![
        "fit",
        "--data",
        data,
        "--missing",
        "-99",
        "--x",
        "network_ties",
        "--m",
        "collab",
        "--y",
        "export_intensity",
        "--seed",
        "3",
    ]
}

#[test]
fn xmint_prints_process_431_sections_in_every_format() {
    let d = sme_example();
    let base = base(d.to_str().unwrap());
    let args = with(
        &base,
        &[
            "--model",
            "4",
            "--xmint",
            "--xrefval",
            "3,5",
            "--boot",
            "300",
        ],
    );
    let text = ok(&cipa(&args));
    for s in [
        "PROCESS model 4 with an X×M interaction (xmint",
        "COUNTERFACTUALLY DEFINED DIRECT AND INDIRECT EFFECTS OF X ON Y",
        "(Pure) Natural direct effect of X on Y",
        "Controlled direct effect of X on Y",
        "(Total) Natural indirect effect(s) of X on Y",
        "(Pure) Natural indirect effect(s) of X on Y",
        "Total effect of X on Y (sum of direct and indirect effects)",
        "collab held at",
        "x_ref = 3.0000, x_cf = 5.0000",
        "BootLLCI",
    ] {
        assert!(text.contains(s), "missing {s:?} in:\n{text}");
    }
    // Model 74's conditional effects are not reported beside the counterfactual ones.
    assert!(!text.contains("Conditional indirect effect"), "{text}");
    for (format, marker) in [
        ("markdown", "Natural direct effect of X on Y"),
        ("csv", "Natural direct effect of X on Y"),
        ("latex", "Natural direct effect of X on Y"),
        ("html", "Natural direct effect of X on Y"),
    ] {
        let out = ok(&cipa(&with(&args, &["--format", format])));
        assert!(out.contains(marker), "{format}: no {marker:?}");
        assert!(
            out.contains("COUNTERFACTUALLY"),
            "{format}: no section heading"
        );
    }
    let v = json(&cipa(&with(&args, &["--format", "json"])));
    assert_eq!(v["model"]["process"], 4);
    assert_eq!(v["counterfactual"]["x_ref"], 3.0);
    assert_eq!(v["counterfactual"]["x_cf"], 5.0);
    assert_eq!(v["counterfactual"]["cde_m_is_mean"], true);
    let kinds: Vec<&str> = v["effects"]["counterfactual"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "pure_natural_direct",
            "controlled_direct",
            "total_natural_indirect",
            "total_natural_direct",
            "pure_natural_indirect",
            "counterfactual_total"
        ]
    );
    let nde = &v["effects"]["counterfactual"][0];
    for k in ["effect", "se", "t", "p", "ci_lower", "ci_upper"] {
        assert!(nde[k].is_number(), "natural direct effect {k}: {nde}");
    }
    let nie = &v["effects"]["counterfactual"][2];
    assert!(
        nie["boot_se"].is_number() && nie["ci_lower"].is_number(),
        "{nie}"
    );
    assert!(v["effects"]["indirect"].as_array().unwrap().is_empty());
    assert_eq!(
        v["options"]["xmint"]["xrefval"],
        serde_json::json!([3.0, 5.0])
    );
}

#[test]
fn xmint_defaults_and_cdeval() {
    let d = sme_example();
    let base = base(d.to_str().unwrap());
    // One reference value of a continuous X: the counterfactual is the reference + 1.
    let v = json(&cipa(&with(
        &base,
        &[
            "--model",
            "4",
            "--xmint",
            "--xrefval",
            "4",
            "--cdeval",
            "4.5",
            "--boot",
            "0",
            "--format",
            "json",
        ],
    )));
    assert_eq!(v["counterfactual"]["x_cf"], 5.0);
    assert_eq!(v["counterfactual"]["cde_m"], 4.5);
    assert_eq!(v["counterfactual"]["cde_m_is_mean"], false);
    // A dichotomous X compares its two values.
    let v = json(&cipa(&[
        "fit",
        "--data",
        d.to_str().unwrap(),
        "--missing",
        "-99",
        "--model",
        "4",
        "--x",
        "family_owned",
        "--m",
        "collab",
        "--y",
        "export_intensity",
        "--xmint",
        "--boot",
        "0",
        "--format",
        "json",
    ]));
    assert_eq!(
        (
            v["counterfactual"]["x_ref"].as_f64(),
            v["counterfactual"]["x_cf"].as_f64()
        ),
        (Some(0.0), Some(1.0))
    );
}

#[test]
fn xmint_bad_input_is_refused() {
    let d = sme_example();
    let base = base(d.to_str().unwrap());
    let cases: [(Vec<&str>, &str); 10] = [
        (
            vec![
                "--model",
                "7",
                "--w",
                "psychic_distance",
                "--xmint",
                "--xrefval",
                "3",
            ],
            "not model 7",
        ),
        (
            vec!["--model", "74", "--xmint", "--xrefval", "3"],
            "use --model 4 --xmint",
        ),
        (
            vec![
                "--model",
                "4",
                "--m",
                "intl_experience",
                "--xmint",
                "--xrefval",
                "3",
            ],
            "exactly one mediator",
        ),
        (vec!["--model", "4", "--cdeval", "4"], "add --xmint"),
        (vec!["--model", "4", "--xrefval", "3,5"], "add --xmint"),
        (vec!["--model", "4", "--xmint"], "needs --xrefval"),
        (
            vec!["--model", "4", "--xmint", "--xrefval", "1,2,3"],
            "one or two values",
        ),
        (
            vec!["--model", "4", "--xmint", "--xrefval", "3,3"],
            "two different",
        ),
        (
            vec!["--model", "4", "--xmint", "--xrefval", "3", "--contrast"],
            "--contrast is not defined",
        ),
        (
            vec!["--model", "4", "--xmint", "--xrefval", "3", "--wvals", "2"],
            "drop --wvals",
        ),
    ];
    for (extra, want) in cases {
        let mut args = base.clone();
        // A second --m adds a mediator (the base gives one).
        args.extend(extra.iter().copied());
        let err = usage_error(&cipa(&args));
        assert!(err.contains(want), "{extra:?}: expected {want:?} in {err}");
    }
    let err = usage_error(&cipa(&[
        "fit",
        "--data",
        d.to_str().unwrap(),
        "--model",
        "4",
        "--x",
        "family_owned",
        "--m",
        "collab",
        "--y",
        "exporter",
        "--xmint",
    ]));
    assert!(
        err.contains("logistic") && err.contains("--linear-y"),
        "{err}"
    );
    let err = usage_error(&cipa(&[
        "fit",
        "--data",
        d.to_str().unwrap(),
        "--missing",
        "-99",
        "--model",
        "4",
        "--x",
        "family_owned",
        "--m",
        "collab",
        "--y",
        "export_intensity",
        "--xmint",
        "--xrefval",
        "2",
    ]));
    assert!(
        err.contains("not a value of the dichotomous 'family_owned'"),
        "{err}"
    );
}

#[test]
fn model_74_says_which_process_it_follows() {
    let d = sme_example();
    let base = base(d.to_str().unwrap());
    let text = ok(&cipa(&with(&base, &["--model", "74", "--boot", "0"])));
    assert!(
        text.contains("PROCESS model 74 (PROCESS 2.16's") && text.contains("--model 4 --xmint"),
        "{text}"
    );
    // The JSON says it in the same words, and so does the xmint form of model 4.
    let v = json(&cipa(&with(
        &base,
        &["--model", "74", "--boot", "0", "--format", "json"],
    )));
    assert_eq!(v["model"], serde_json::json!({"process": 74}));
    let label = v["model_label"].as_str().unwrap();
    assert!(
        label.contains("PROCESS 2.16's") && label.contains("--model 4 --xmint"),
        "{label}"
    );
    let v = json(&cipa(&with(
        &base,
        &[
            "--model",
            "4",
            "--xmint",
            "--xrefval",
            "2,4",
            "--boot",
            "0",
            "--format",
            "json",
        ],
    )));
    assert_eq!(v["model"], serde_json::json!({"process": 4}));
    let label = v["model_label"].as_str().unwrap();
    assert!(
        label.contains("xmint") && label.contains("PROCESS 4.3.1"),
        "{label}"
    );
    let help = ok(&cipa(&["fit", "--help"]));
    assert!(
        help.contains("PROCESS 2.16") && help.contains("--xmint"),
        "{help}"
    );
}

#[test]
fn modelbt_section_json_and_saved_draws() {
    let d = sme_example();
    let dir = tempfile::tempdir().unwrap();
    let draws = dir.path().join("draws.csv");
    let base = base(d.to_str().unwrap());
    let args = with(&base, &["--model", "4", "--boot", "400", "--modelbt"]);
    let text = ok(&cipa(&args));
    assert!(
        text.contains("BOOTSTRAP RESULTS FOR REGRESSION MODEL PARAMETERS"),
        "{text}"
    );
    assert!(text.contains("OUTCOME VARIABLE: collab"), "{text}");
    for c in ["Coeff", "BootMean", "BootSE", "BootLLCI", "BootULCI"] {
        assert!(text.contains(c), "no {c}");
    }
    for format in ["markdown", "csv", "latex", "html"] {
        let out = ok(&cipa(&with(&args, &["--format", format])));
        assert!(out.contains("BootMean"), "{format}");
    }
    let save = draws.to_str().unwrap();
    let v = json(&cipa(&with(
        &args,
        &["--format", "json", "--save-boot", save],
    )));
    let mb = v["model_bootstrap"].as_array().unwrap();
    assert_eq!(mb.len(), 2);
    assert_eq!(mb[0]["outcome"], "collab");
    let first = &mb[0]["coefficients"][0];
    assert_eq!(first["term"], "constant");
    for k in ["estimate", "boot_mean", "boot_se", "ci_lower", "ci_upper"] {
        assert!(first[k].is_number(), "{k}: {first}");
    }
    // The coefficients' draws are saved beside the effects', and BootSE is their SD.
    let csv = std::fs::read_to_string(&draws).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let col = header
        .iter()
        .position(|h| *h == "coefficient:collab:network_ties")
        .expect("the a path's draws");
    let values: Vec<f64> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(col).unwrap().parse().unwrap())
        .collect();
    assert_eq!(values.len(), 400);
    let mean = values.iter().sum::<f64>() / 400.0;
    let sd = (values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / 399.0).sqrt();
    let row = &mb[0]["coefficients"][1];
    assert_eq!(row["term"], "network_ties");
    assert!((row["boot_mean"].as_f64().unwrap() - mean).abs() < 1e-12);
    assert!((row["boot_se"].as_f64().unwrap() - sd).abs() < 1e-12);
    // The effects' draws do not change when the coefficients ride along.
    let plain = json(&cipa(&with(
        &base,
        &["--model", "4", "--boot", "400", "--format", "json"],
    )));
    assert_eq!(plain["effects"], v["effects"]);
    assert!(plain["model_bootstrap"].as_array().unwrap().is_empty());
}

#[test]
fn modelbt_needs_the_bootstrap() {
    let d = sme_example();
    let base = base(d.to_str().unwrap());
    for extra in [
        vec!["--model", "4", "--modelbt", "--boot", "0"],
        vec!["--model", "4", "--modelbt", "--mc", "1000"],
    ] {
        let err = usage_error(&cipa(&with(&base, &extra)));
        assert!(err.contains("--modelbt") && err.contains("--boot"), "{err}");
    }
}
