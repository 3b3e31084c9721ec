//! End-to-end tests of `cipa sem` on lavaan's HolzingerSwineford1939 CFA: the JSON numbers
//! equal the library's (bit for bit) and lavaan 0.6-14's (tests/golden/sem_hs_cfa, to 1e-5 on
//! each parameter's scale), every format is written, a snapshot of the text report, and bad
//! input (unknown variable, syntax error, unidentified model) exits with code 2 and writes no
//! file. Skipped with a message when ../shared/datasets is absent.

use serde_json::Value;

use crate::common::cli::{cipa, json, ok, usage_error};
use crate::common::{self, shared_or_skip_file};

const CFA: &str = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9";

fn hs() -> Option<String> {
    shared_or_skip_file("datasets/lavaan_pkg/HolzingerSwineford1939.csv")
        .map(|p| p.display().to_string())
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

/// `a` equals `b` to `rel` on the scale max(|b|, scale); NaN only with NaN (JSON null).
fn close(a: f64, b: f64, scale: f64, rel: f64) -> bool {
    (a.is_nan() && b.is_nan()) || (a - b).abs() <= rel * b.abs().max(scale)
}

#[test]
fn json_numbers_equal_the_library_and_lavaan() {
    let Some(data) = hs() else { return };
    let doc = json(&cipa(&[
        "sem", "--data", &data, "--syntax", CFA, "--format", "json",
    ]));
    assert_eq!(doc["command"], "sem");
    assert_eq!(doc["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(doc["n"], 301);
    assert_eq!(doc["dropped_lines"].as_array().map(Vec::len), Some(0));
    assert_eq!(doc["options"]["estimator"], "ml");

    let flat = cipa::spec::syntax::parse_flat("cfa", CFA).unwrap();
    let lib = cipa::sem::fit(
        &flat,
        &common::read_data(std::path::Path::new(&data)),
        &cipa::sem::SemOptions::default(),
    )
    .unwrap();
    let rows = doc["parameters"].as_array().unwrap();
    assert_eq!(rows.len(), lib.parameters.len());
    for (j, r) in rows.iter().zip(&lib.parameters) {
        assert_eq!(
            (j["lhs"].as_str(), j["op"].as_str()),
            (Some(&*r.lhs), Some(&*r.op))
        );
        assert_eq!(j["rhs"].as_str(), Some(r.rhs.as_str()));
        for (k, v) in [
            ("est", r.est),
            ("se", r.se),
            ("z", r.z),
            ("p", r.p),
            ("ci_lower", r.ci_lower),
            ("ci_upper", r.ci_upper),
            ("std_lv", r.std_lv),
            ("std_all", r.std_all),
        ] {
            let jv = num(&j[k]);
            assert!(
                (jv.is_nan() && v.is_nan()) || jv == v,
                "{} {} {} {k}: JSON {jv} vs library {v}",
                r.lhs,
                r.op,
                r.rhs
            );
        }
    }
    for (k, v) in lib.fit.pairs() {
        assert_eq!(num(&doc["fit"][k]), v, "fit {k}");
    }
    for (k, v) in &lib.r2 {
        assert_eq!(num(&doc["r2"][k]), *v, "r2 {k}");
    }
    against_lavaan(&doc);
}

/// The CLI's JSON against lavaan's parameterEstimates, fitMeasures and R².
fn against_lavaan(doc: &Value) {
    let text = std::fs::read_to_string(common::golden_dir("sem_hs_cfa").join("expected.json"))
        .expect("golden sem_hs_cfa");
    let exp: Value = serde_json::from_str(&text).unwrap();
    for e in exp["parameters"].as_array().unwrap() {
        let r = doc["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["lhs"] == e["lhs"] && r["op"] == e["op"] && r["rhs"] == e["rhs"])
            .unwrap_or_else(|| panic!("no row {} {} {}", e["lhs"], e["op"], e["rhs"]));
        let se = num(&e["se"]).max(1e-3);
        for (k, ek) in [
            ("est", "est"),
            ("se", "se"),
            ("ci_lower", "ci_lower"),
            ("ci_upper", "ci_upper"),
            ("std_lv", "std_lv"),
            ("std_all", "std_all"),
            ("z", "z"),
        ] {
            let (a, b) = (num(&r[k]), num(&e[ek]));
            let scale = if k == "z" { 1.0 } else { se };
            assert!(
                close(a, b, scale, 1e-5),
                "{} {k}: cipa {a} lavaan {b}",
                e["rhs"]
            );
        }
    }
    for (k, v) in doc["fit"].as_object().unwrap() {
        let e = num(&exp["fit"][k]);
        assert!(close(num(v), e, 1e-8, 1e-5), "fit {k}: cipa {v} lavaan {e}");
    }
    for (k, v) in doc["r2"].as_object().unwrap() {
        let e = num(&exp["r2"][k]);
        assert!(close(num(v), e, 0.1, 1e-5), "r2 {k}: cipa {v} lavaan {e}");
    }
}

#[test]
fn every_format_to_stdout_and_to_a_file() {
    let Some(data) = hs() else { return };
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("cfa.lav");
    std::fs::write(&model, CFA).unwrap();
    let model = model.display().to_string();
    let base = ["sem", "--data", &data, "--model", &model];
    let text = ok(&cipa(&base));
    for s in [
        "Latent Variables",
        "Variances",
        "Std.all",
        "R-Square",
        "Estimator",
        "CFI",
    ] {
        assert!(text.contains(s), "text report lacks {s}:\n{text}");
    }
    let md = ok(&cipa(&[&base[..], &["--format", "markdown"][..]].concat()));
    assert!(md.contains("| visual =~"), "{md}");
    let csv = ok(&cipa(&[&base[..], &["--format", "csv"][..]].concat()));
    assert!(
        csv.lines().any(|l| l.contains("x2") && l.contains("0.55")),
        "{csv}"
    );
    for ext in ["txt", "md", "csv", "json", "html", "tex"] {
        let out = dir.path().join(format!("report.{ext}"));
        let o = out.display().to_string();
        ok(&cipa(&[&base[..], &["--out", &o][..]].concat()));
        let written = std::fs::read_to_string(&out).unwrap();
        assert!(written.contains("x9"), "{ext}: {written}");
        // A second run replaces cipa's own file.
        ok(&cipa(&[&base[..], &["--out", &o][..]].concat()));
    }
    let j: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("report.json")).unwrap())
            .unwrap();
    assert_eq!(j["fit"]["df"], 24.0);
}

#[test]
fn text_report_snapshot() {
    let Some(data) = hs() else { return };
    let out = ok(&cipa(&["sem", "--data", &data, "--syntax", CFA]));
    let out = out
        .replace(env!("CARGO_PKG_VERSION"), "VERSION")
        .replace(&data, "HolzingerSwineford1939.csv");
    // The gradient at convergence varies in its last digits with the platform's arithmetic.
    let out: String = out
        .lines()
        .map(|l| match l.find("(largest gradient") {
            Some(i) => format!("{}(largest gradient ...)\n", &l[..i]),
            None => format!("{l}\n"),
        })
        .collect();
    insta::assert_snapshot!("sem_hs_cfa_text", out);
}

#[test]
fn mlr_reports_the_scaled_test_and_robust_indices() {
    let Some(data) = hs() else { return };
    let doc = json(&cipa(&[
        "sem",
        "--data",
        &data,
        "--syntax",
        CFA,
        "--estimator",
        "mlr",
        "--format",
        "json",
    ]));
    assert_eq!(doc["options"]["information"], "observed");
    for k in [
        "chisq_scaled",
        "chisq_scaling_factor",
        "cfi_robust",
        "tli_robust",
        "rmsea_robust",
    ] {
        assert!(num(&doc["fit"][k]).is_finite(), "{k}: {}", doc["fit"][k]);
    }
    let text = ok(&cipa(&[
        "sem",
        "--data",
        &data,
        "--syntax",
        CFA,
        "--estimator",
        "mlr",
    ]));
    assert!(
        text.contains("Scaling correction factor") && text.contains("Robust"),
        "{text}"
    );
}

/// A failing run: exit code 2, the message, and no file at `--out`.
fn fails(data: &str, syntax: &str, extra: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.json");
    let o = out.display().to_string();
    let err = usage_error(&cipa(
        &[
            &["sem", "--data", data, "--syntax", syntax, "--out", &o][..],
            extra,
        ]
        .concat(),
    ));
    assert!(!out.exists(), "an output file after a failure: {err}");
    err
}

#[test]
fn bad_input_is_a_usage_error_without_output() {
    let Some(data) = hs() else { return };
    let err = fails(&data, "visual =~ x1 + x2 + x33", &[]);
    assert!(err.contains("x33") && err.contains("1:"), "{err}");
    let err = fails(&data, "visual =~ x1 + + x2", &[]);
    assert!(err.contains('^') && err.contains("1:"), "{err}");
    let err = fails(&data, "f =~ NA*x1 + x2 + x3 + x4", &[]);
    assert!(err.contains("not identified"), "{err}");
    let err = fails(
        &data,
        CFA,
        &[
            "--missing",
            "fiml",
            "--boot",
            "100",
            "--seed",
            "1",
            "--bollen-stine",
        ],
    );
    assert!(
        err.contains("full-information") && err.contains("listwise"),
        "{err}"
    );
    let err = fails(&data, CFA, &["--missing", "fiml,listwise"]);
    assert!(err.contains("choose one"), "{err}");
    let err = fails(&data, CFA, &["--conf", "0.95"]);
    assert!(err.contains("percent"), "{err}");
}

#[test]
fn a_results_folder_holds_the_json_and_the_manifest() {
    let Some(data) = hs() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results");
    let o = out.display().to_string();
    ok(&cipa(&[
        "sem", "--data", &data, "--syntax", CFA, "--out", &o,
    ]));
    let j: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("results.json")).unwrap()).unwrap();
    assert_eq!(j["command"], "sem");
    let m: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(m["command"], "sem", "{m}");
}

/// `--missing fiml` reaches the engine's full-information ML: on HolzingerSwineford with the
/// golden case's cells blanked (tests/golden/sem_hs_fiml), the CLI's chi-square, CFI and
/// loadings are lavaan's (missing = "ml") to 1e-5, and no row is dropped.
#[test]
fn missing_fiml_uses_every_row() {
    let Some(data) = hs() else { return };
    let text = std::fs::read_to_string(&data).unwrap();
    let mut rows: Vec<Vec<String>> = text
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    for (row, col) in common::hs_fiml_blank_cells() {
        let j = rows[0]
            .iter()
            .position(|h| h.trim_matches('"') == col)
            .unwrap();
        rows[row + 1][j] = String::new();
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("blanked.csv");
    let body: Vec<String> = rows.iter().map(|r| r.join(",")).collect();
    std::fs::write(&file, body.join("\n") + "\n").unwrap();
    let doc = json(&cipa(&[
        "sem",
        "--data",
        &file.display().to_string(),
        "--syntax",
        CFA,
        "--missing",
        "fiml",
        "--format",
        "json",
    ]));
    let golden = |f: &str| -> Value {
        serde_json::from_str(
            &std::fs::read_to_string(common::golden_dir("sem_hs_fiml").join(f)).unwrap(),
        )
        .unwrap()
    };
    let exp = golden("ml/expected.json");
    // semTools' omega and AVE of the FIML fit read the EM H1 moments (reliability.R).
    let rel = golden("ml/reliability.json");
    for r in doc["reliability"].as_array().unwrap() {
        let name = r["latent"].as_str().unwrap();
        for k in ["omega", "ave"] {
            let (a, b) = (num(&r[k]), num(&rel[k][name]));
            assert!(
                close(a, b, 0.0, 1e-5),
                "{name} {k}: cipa {a} vs semTools {b}"
            );
        }
    }
    assert_eq!(doc["reliability"].as_array().unwrap().len(), 3);
    // Modification indices and residuals under FIML are lavaan's (tests/golden/sem_hs_fiml/mi).
    let mi = json(&cipa(&[
        "sem",
        "--data",
        &file.display().to_string(),
        "--syntax",
        CFA,
        "--missing",
        "fiml",
        "--mi",
        "--residuals",
        "--format",
        "json",
    ]));
    let lavaan = golden("mi/diagnostics.json");
    let (a, b) = (
        num(&mi["residuals"]["standardized"]["cov"][3][0]),
        num(&lavaan["residuals"]["standardized"]["cov"][3][0]),
    );
    assert!(
        close(a, b, 1e-3, 1e-6),
        "standardized residual: cipa {a} vs lavaan {b}"
    );
    let top = lavaan["modindices"]
        .as_array()
        .unwrap()
        .iter()
        .max_by(|a, b| num(&a["mi"]).total_cmp(&num(&b["mi"])))
        .unwrap();
    let first = &mi["modindices"]["rows"][0];
    assert_eq!((&first["lhs"], &first["rhs"]), (&top["lhs"], &top["rhs"]));
    assert!(
        close(num(&first["mi"]), num(&top["mi"]), 0.0, 1e-6),
        "{first} {top}"
    );
    assert_eq!(doc["n"], 301);
    assert_eq!(doc["options"]["missing"], "fiml");
    for k in ["chisq", "cfi", "rmsea", "logl"] {
        let (a, b) = (num(&doc["fit"][k]), num(&exp["fit"][k]));
        assert!(close(a, b, 1.0, 1e-5), "fit {k}: cipa {a} vs lavaan {b}");
    }
    let rows = doc["parameters"].as_array().unwrap();
    for e in exp["parameters"].as_array().unwrap() {
        let Some(r) = rows
            .iter()
            .find(|r| r["lhs"] == e["lhs"] && r["op"] == e["op"] && r["rhs"] == e["rhs"])
        else {
            continue;
        };
        for k in ["est", "se"] {
            let (a, b) = (num(&r[k]), num(&e[k]));
            assert!(
                close(a, b, 0.1, 1e-5),
                "{} {} {} {k}: {a} vs {b}",
                e["lhs"],
                e["op"],
                e["rhs"]
            );
        }
    }
}

/// `--boot --seed --ci --mc --bollen-stine`: the JSON's resampling block is the library's
/// `SemBootstrap` for the same seed (bit for bit, whatever the threads), and the text report
/// shows the bootstrap table with B and the seed.
#[test]
fn resampling_flags_give_the_library_bootstrap() {
    let Some(data) = hs() else { return };
    let args: Vec<&str> = vec![
        "sem",
        "--data",
        &data,
        "--syntax",
        CFA,
        "--boot",
        "60",
        "--seed",
        "9",
        "--ci",
        "bca",
        "--mc",
        "200",
        "--bollen-stine",
        "--threads",
        "2",
    ];
    let doc = json(&cipa(&[&args[..], &["--format", "json"]].concat()));
    let flat = cipa::spec::syntax::parse_flat("cfa", CFA).unwrap();
    let d = common::read_data(std::path::Path::new(&data));
    let fit = cipa::sem::fit(&flat, &d, &cipa::sem::SemOptions::default()).unwrap();
    let opts = cipa::sem::resample::SemBootOptions {
        boot: 60,
        seed: 9,
        ci: cipa::inference::CiMethod::Bca,
        mc: 200,
        bollen_stine: true,
        threads: 1,
    };
    let lib = cipa::sem::resample::bootstrap(&flat, &d, &fit, &opts).unwrap();
    let r = &doc["resampling"];
    assert_eq!(r["b"], 60);
    assert_eq!(r["seed"], 9);
    assert_eq!(r["method"], "bca");
    assert_eq!(doc["options"]["seed"], 9);
    let rows = r["parameters"].as_array().unwrap();
    assert_eq!(rows.len(), lib.parameters.len());
    for (j, p) in rows.iter().zip(&lib.parameters) {
        assert_eq!(j["lhs"].as_str(), Some(p.lhs.as_str()));
        assert_eq!(num(&j["se"]), p.se.unwrap());
        assert_eq!(num(&j["ci_lower"]), p.ci_lower.unwrap());
        assert_eq!(num(&j["ci_upper"]), p.ci_upper.unwrap());
    }
    let bs = lib.bollen_stine.unwrap();
    assert_eq!(num(&r["bollen_stine"]["pvalue"]), bs.pvalue);
    let text = ok(&cipa(&[&args[..], &["--format", "text"]].concat()));
    assert!(text.contains("Bollen-Stine"), "{text}");
    assert!(text.contains("60 bootstrap resamples, seed 9"), "{text}");
}

/// The estimate of `lhs op rhs` in a `cipa sem` JSON document.
fn estimate(doc: &Value, lhs: &str, op: &str, rhs: &str) -> f64 {
    doc["parameters"]
        .as_array()
        .and_then(|rows| {
            rows.iter()
                .find(|r| r["lhs"] == lhs && r["op"] == op && r["rhs"] == rhs)
        })
        .map(|r| num(&r["est"]))
        .unwrap_or_else(|| panic!("no row {lhs} {op} {rhs}"))
}

/// A label before a product term labels that regression coefficient (lavaan's rule), for an
/// observed product (`x1:x2`, the raw product column) and a latent one (`visual:x5`, DMC
/// product indicators): `ind := a*b` equals the unlabelled fit's product coefficient times b.
#[test]
fn a_label_on_a_product_term_names_its_coefficient() {
    let Some(data) = hs() else { return };
    let run = |model: &str| {
        json(&cipa(&[
            "sem", "--data", &data, "--syntax", model, "--format", "json",
        ]))
    };
    for (product, labelled, plain) in [
        (
            "x1:x2",
            "x4 ~ x1 + x2 + a*x1:x2\nx7 ~ b*x4\nind := a*b",
            "x4 ~ x1 + x2 + x1:x2\nx7 ~ x4",
        ),
        (
            "visual:x5",
            "visual =~ x1 + x2 + x3\nx4 ~ x5 + visual + a*visual:x5\nx7 ~ b*x4\nind := a*b",
            "visual =~ x1 + x2 + x3\nx4 ~ x5 + visual + visual:x5\nx7 ~ x4",
        ),
    ] {
        let with = run(labelled);
        let without = run(plain);
        let expected = estimate(&without, "x4", "~", product) * estimate(&without, "x7", "~", "x4");
        let ind = estimate(&with, "ind", ":=", "a*b");
        assert!(
            close(ind, expected, 1e-8, 1e-9),
            "{product}: ind {ind} = a*b {expected}"
        );
        let term = with["parameters"]
            .as_array()
            .and_then(|rows| rows.iter().find(|r| r["rhs"] == product))
            .expect("the product row");
        assert_eq!(term["label"], "a", "{product}");
    }
}
