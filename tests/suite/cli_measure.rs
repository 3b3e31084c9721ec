//! End-to-end tests of `cipa measure` and of construct scores in `regress`: every output format,
//! the JSON fields documented in docs/json-schema.md, a snapshot of the text table, and bad input
//! giving exit code 2 with a message naming the construct or item.

use crate::common::cli::{cipa, ok, shipped, stderr, usage_error};

fn sim() -> String {
    shipped("tests/golden/measure_sim/data.csv")
        .display()
        .to_string()
}

fn measure_args<'a>(data: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec![
        "measure",
        "--data",
        data,
        "--construct",
        "network=n1,n2,n3,n4",
        "--construct",
        "collab=c1,c2,-c3,c4",
        "--construct",
        "perf=p1,p2,p3,p4",
        "--scale",
        "1,7",
        "--marker",
        "mk",
        "--boot",
        "200",
        "--seed",
        "3",
    ];
    a.extend_from_slice(extra);
    a
}

#[test]
fn text_table_snapshot() {
    let data = sim();
    let out = ok(&cipa(&measure_args(&data, &["--diag-ave"])));
    let out = out
        .replace(env!("CARGO_PKG_VERSION"), "VERSION")
        .replace(&data, "data.csv");
    insta::assert_snapshot!("measure_text", out);
}

#[test]
fn json_has_the_documented_fields() {
    let data = sim();
    let out = ok(&cipa(&measure_args(
        &data,
        &["--format", "json", "--vif-outcome", "perf"],
    )));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["command"], "measure");
    let rel = v["reliability"].as_array().unwrap();
    assert_eq!(rel.len(), 3);
    for key in [
        "construct",
        "alpha",
        "alpha_ci_lower",
        "alpha_ci_upper",
        "omega",
        "cr",
        "ave",
    ] {
        assert!(rel[0].get(key).is_some(), "reliability lacks {key}");
    }
    for key in [
        "chisq",
        "df",
        "p",
        "cfi",
        "tli",
        "rmsea",
        "rmsea_ci_lower",
        "rmsea_ci_upper",
        "srmr",
    ] {
        assert!(v["cfa"]["fit"][key].is_number(), "fit lacks {key}");
    }
    let l = &v["cfa"]["loadings"][1];
    for key in ["construct", "item", "estimate", "se", "std"] {
        assert!(l.get(key).is_some(), "loading lacks {key}");
    }
    assert!(
        v["cfa"]["loadings"][0]["se"].is_null(),
        "a marker loading has no SE"
    );
    let h = v["htmt"].as_array().unwrap();
    assert_eq!(h.len(), 3);
    assert!(h[0]["a"].is_string() && h[0]["value"].is_number() && h[0]["ci_lower"].is_number());
    assert_eq!(v["vif"]["full_collinearity"].as_array().unwrap().len(), 3);
    assert_eq!(v["vif"]["regression"]["outcome"], "perf");
    assert!(v["harman"]["share"].as_f64().unwrap() > 0.0);
    assert!(v["marker"]["r_m"].is_number());
    // Same seed, same bootstrap, whatever the thread count.
    let again = ok(&cipa(&measure_args(
        &data,
        &[
            "--format",
            "json",
            "--vif-outcome",
            "perf",
            "--threads",
            "1",
        ],
    )));
    assert_eq!(out, again);
}

#[test]
fn markdown_latex_and_csv() {
    let data = sim();
    let md = ok(&cipa(&measure_args(&data, &["--format", "markdown"])));
    assert!(md.contains("| construct | items | alpha |"), "{md}");
    let tex = ok(&cipa(&measure_args(&data, &["--format", "latex"])));
    assert!(
        tex.contains("\\begin{tabular}")
            && tex.contains("\\toprule")
            && tex.contains("\\bottomrule")
    );
    assert!(tex.contains("Fornell-Larcker"));
    let csv = ok(&cipa(&measure_args(&data, &["--format", "csv"])));
    assert!(
        csv.lines().any(|l| l
            .starts_with("Items and reliability,Reliability and convergent validity,network,4,")),
        "{csv}"
    );
}

#[test]
fn constructs_file_and_regress_on_scores() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("constructs.txt");
    std::fs::write(
        &spec,
        "# the model\nnetwork = n1 n2 n3 n4\ncollab = c1, c2, -c3, c4\nperf = p1 p2 p3 p4\n",
    )
    .unwrap();
    let data = sim();
    let spec_s = spec.to_str().unwrap();
    let out = ok(&cipa(&[
        "regress",
        "--data",
        &data,
        "--constructs",
        spec_s,
        "--scale",
        "1,7",
        "--y",
        "perf",
        "--x",
        "network,collab",
        "--format",
        "json",
    ]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["dropped_rows"].as_array().unwrap().len(),
        2,
        "rows with a missing item"
    );
    // The same regression in R on the same scores (tests/golden/measure_sim/make.R).
    let path = format!(
        "{}/tests/golden/measure_sim/expected.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let golden: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let want = &golden["vif"]["coefficients"];
    let coefs = v["equations"][0]["coefficients"]
        .as_array()
        .expect("coefficients");
    assert_eq!(coefs.len(), 3);
    for c in coefs {
        let term = c["term"].as_str().unwrap();
        let key = if term == "constant" {
            "(Intercept)"
        } else {
            term
        };
        let (got, w) = (c["estimate"].as_f64().unwrap(), want[key].as_f64().unwrap());
        assert!((got - w).abs() <= 1e-8 * w.abs(), "{term}: {got} vs R {w}");
    }
}

#[test]
fn bad_input_exits_2_and_names_the_problem() {
    let data = sim();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["measure", "--data", &data], "no constructs"),
        (
            vec!["measure", "--data", &data, "--construct", "a=n1"],
            "'a'",
        ),
        (
            vec!["measure", "--data", &data, "--construct", "a=n1,n2,-n3"],
            "--scale",
        ),
        (
            vec!["measure", "--data", &data, "--construct", "a=n1,n2,nope"],
            "nope",
        ),
        (
            vec![
                "measure",
                "--data",
                &data,
                "--construct",
                "a=n1,n2",
                "--construct",
                "b=n2,n3",
            ],
            "'n2'",
        ),
        (
            vec!["measure", "--data", &data, "--construct", "a n1,n2"],
            "NAME=item1",
        ),
        (
            vec![
                "measure",
                "--data",
                &data,
                "--construct",
                "a=n1,n2,n3",
                "--scale",
                "7,1",
            ],
            "--scale",
        ),
        (
            vec![
                "regress",
                "--data",
                &data,
                "--construct",
                "n1=c1,c2",
                "--y",
                "n1",
                "--x",
                "p1",
            ],
            "rename the construct",
        ),
        (
            vec![
                "measure",
                "--data",
                &data,
                "--construct",
                "a=n1,n2,n3",
                "--boot",
                "1",
            ],
            "--boot 1 is too few resamples",
        ),
        (
            vec![
                "measure",
                "--data",
                &data,
                "--construct",
                "a=n1,n2,n3",
                "--boot",
                "150",
                "--conf",
                "99",
            ],
            "use at least 200",
        ),
        (
            vec![
                "fit", "--data", &data, "--model", "4", "--x", "n1", "--m", "c1", "--y", "p1",
                "--boot", "2", "--seed", "1",
            ],
            "--boot 2 is too few resamples",
        ),
    ];
    for (args, needle) in cases {
        let o = cipa(&args);
        let err = usage_error(&o);
        assert!(err.contains(needle), "{args:?}: '{needle}' not in {err}");
    }
}

#[test]
fn fit_a_mediation_on_construct_scores() {
    let data = sim();
    let out = ok(&cipa(&[
        "fit",
        "--data",
        &data,
        "--model",
        "4",
        "--x",
        "network",
        "--m",
        "collab",
        "--y",
        "perf",
        "--construct",
        "network=n1,n2,n3,n4",
        "--construct",
        "collab=c1,c2,-c3,c4",
        "--construct",
        "perf=p1,p2,p3,p4",
        "--scale",
        "1,7",
        "--boot",
        "0",
        "--format",
        "json",
    ]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["command"], "fit");
    assert!(out.contains("\"collab\"") && out.contains("\"perf\""));
}

#[test]
fn describe_shows_construct_scores() {
    let data = sim();
    let out = ok(&cipa(&[
        "describe",
        "--data",
        &data,
        "--construct",
        "collab=c1,c2,-c3,c4",
        "--scale",
        "1,7",
        "--vars",
        "collab",
        "--format",
        "json",
    ]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let var = &v["variables"][0];
    assert_eq!(var["name"], "collab");
    // Two rows miss p2, not a collab item: all 300 rows have a collab score.
    assert_eq!(var["n"], 300);
    // The same score computed here from the file: (c1 + c2 + (8 - c3) + c4) / 4.
    let text = std::fs::read_to_string(&data).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines
        .next()
        .unwrap()
        .split(',')
        .map(|h| h.trim_matches('"'))
        .collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (c1, c2, c3, c4) = (col("c1"), col("c2"), col("c3"), col("c4"));
    let scores: Vec<f64> = lines
        .map(|l| {
            let f: Vec<f64> = l
                .split(',')
                .map(|x| x.parse().unwrap_or(f64::NAN))
                .collect();
            (f[c1] + f[c2] + (8.0 - f[c3]) + f[c4]) / 4.0
        })
        .collect();
    let want = scores.iter().sum::<f64>() / scores.len() as f64;
    let got = var["mean"].as_f64().unwrap();
    assert!((got - want).abs() < 1e-12, "{got} vs {want}");
}

fn sme() -> String {
    shipped("datasets/sme_survey.csv").display().to_string()
}

/// 1-7 items declared on a 1-5 scale: reverse coding would turn a 7 into -1. The error names the
/// item, the file line and the value and suggests the observed range.
#[test]
fn item_values_outside_the_scale_are_an_error() {
    let data = sme();
    let o = cipa(&[
        "measure",
        "--data",
        &data,
        "--construct",
        "eo=eo_1,eo_2,-eo_3",
        "--scale",
        "1,5",
        "--boot",
        "0",
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("item 'eo_"), "{err}");
    assert!(err.contains("on line "), "{err}");
    assert!(err.contains("outside --scale 1,5"), "{err}");
    assert!(err.contains("--scale 1,7"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    // The right range is accepted.
    let o = cipa(&[
        "measure",
        "--data",
        &data,
        "--construct",
        "eo=eo_1,eo_2,-eo_3",
        "--scale",
        "1,7",
        "--boot",
        "0",
    ]);
    ok(&o);
}

/// The trailing note block of the CSV carries every table note, the warnings and the notes.
#[test]
fn csv_carries_the_table_notes() {
    let data = sim();
    let csv = ok(&cipa(&measure_args(&data, &["--format", "csv"])));
    let start = csv
        .find("\nsection,table,note\n")
        .unwrap_or_else(|| panic!("no note block in {csv}"));
    let notes = &csv[start..];
    assert!(
        notes.contains("Reliability and convergent validity,CR = (Σλ)² / ((Σλ)² + Σ(1 − λ²))"),
        "{notes}"
    );
    assert!(
        notes.contains("* p < .05, ** p < .01, *** p < .001"),
        "{notes}"
    );
    assert!(
        notes.contains("Harman's single-factor test,First unrotated principal component")
            && notes.contains("The test is weak"),
        "{notes}"
    );
    assert!(
        notes.contains(",Notes,") || notes.contains(",Warnings,"),
        "{notes}"
    );
}

/// Two 2-item constructs whose factors are independent: before, exit 0 with standardized loadings
/// above 4, CR 7.6 and "1 of 1 pairs meet the Fornell-Larcker criterion"; now exit 2 with the
/// Unidentified error saying why and what to do.
#[test]
fn uncorrelated_two_item_constructs_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("two_item.csv");
    let mut s = 12345u64;
    let mut normal = move || {
        let mut u = || {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((s >> 11) as f64 + 0.5) / (1u64 << 53) as f64
        };
        (-2.0 * u().ln()).sqrt() * (2.0 * std::f64::consts::PI * u()).cos()
    };
    let mut text = String::from("a1,a2,b1,b2\n");
    for _ in 0..300 {
        let (f, g) = (normal(), normal());
        let row: Vec<String> = [f, f, g, g]
            .iter()
            .map(|x| format!("{:.4}", 0.7 * x + 0.7 * normal()))
            .collect();
        text += &row.join(",");
        text += "\n";
    }
    std::fs::write(&path, text).unwrap();
    let o = cipa(&[
        "measure",
        "--data",
        path.to_str().unwrap(),
        "--boot",
        "0",
        "--construct",
        "A=a1,a2",
        "--construct",
        "B=b1,b2",
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("not identified"), "{err}");
    assert!(err.contains("two-item factor(s) 'A'"), "{err}");
    assert!(err.contains("Add a third item"), "{err}");
    assert!(o.stdout.is_empty());
}

/// lavaan 0.6-14's log-likelihoods, information criteria, baseline test and the z and p of
/// variances and covariances (tests/golden/measure_sim) reach every output format: JSON at full
/// precision, the CSV report at full precision, text, Markdown, LaTeX and HTML to 4 decimals.
#[test]
fn cfa_criteria_and_variance_tests_in_every_format() {
    let data = sim();
    let golden: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(format!(
            "{}/tests/golden/measure_sim/expected.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap(),
    )
    .unwrap();
    let gf = &golden["cfa"]["fit"];
    let close = |got: &serde_json::Value, want: &serde_json::Value, tol: f64| {
        let (g, w) = (got.as_f64().unwrap(), want.as_f64().unwrap());
        assert!(
            (g - w).abs() <= tol * w.abs().max(1e-3),
            "cipa {g}, lavaan {w}"
        );
    };
    let v: serde_json::Value =
        serde_json::from_str(&ok(&cipa(&measure_args(&data, &["--format", "json"])))).unwrap();
    let fit = &v["cfa"]["fit"];
    let pairs = [
        ("logl", "logl"),
        ("unrestricted_logl", "unrestricted.logl"),
        ("aic", "aic"),
        ("bic", "bic"),
        ("bic2", "bic2"),
        ("baseline_chisq", "baseline.chisq"),
        ("baseline_df", "baseline.df"),
        ("baseline_p", "baseline.pvalue"),
    ];
    for (ours, theirs) in pairs {
        close(&fit[ours], &gf[theirs], 1e-8);
    }
    for (ours, key) in [
        ("factor_variances", "construct"),
        ("residuals", "item"),
        ("factor_correlations", "a"),
    ] {
        let rows = v["cfa"][ours].as_array().unwrap();
        let want = golden["cfa"][ours].as_array().unwrap();
        assert_eq!(rows.len(), want.len(), "{ours}");
        for r in rows {
            let w = want
                .iter()
                .find(|w| w[key] == r[key] && (key != "a" || w["b"] == r["b"]))
                .unwrap();
            close(&r["z"], &w["z"], 1e-5);
            close(&r["p"], &w["p"], 1e-5);
        }
    }
    let four = |x: &serde_json::Value| format!("{:.4}", x.as_f64().unwrap());
    let c1 = &golden["cfa"]["residuals"][4];
    assert_eq!(c1["item"], "c1");
    for format in ["text", "markdown", "latex", "html"] {
        let out = ok(&cipa(&measure_args(&data, &["--format", format])));
        for (label, key) in [
            ("log-likelihood", "logl"),
            ("AIC", "aic"),
            ("BIC", "bic"),
            ("sample-size adjusted BIC", "bic2"),
        ] {
            assert!(out.contains(label), "{format} lacks {label}");
            assert!(
                out.contains(&four(&gf[key])),
                "{format} lacks {key} {}",
                four(&gf[key])
            );
        }
        assert!(out.contains("Factor and residual variances"), "{format}");
        assert!(
            out.contains(&four(&c1["z"])),
            "{format} lacks c1's residual z"
        );
    }
    let csv = ok(&cipa(&measure_args(&data, &["--format", "csv"])));
    let cell = |label: &str| -> serde_json::Value {
        let line = csv
            .lines()
            .find(|l| l.contains(&format!("(ML),{label},")))
            .unwrap_or_else(|| panic!("CSV lacks {label}"));
        let x: f64 = line.rsplit(',').next().unwrap().parse().unwrap();
        serde_json::json!(x)
    };
    close(&cell("sample-size adjusted BIC"), &gf["bic2"], 1e-8);
    close(
        &cell("unrestricted log-likelihood"),
        &gf["unrestricted.logl"],
        1e-8,
    );
}

/// `--apa` on measure is refused up front (it used to be ignored without a word).
#[test]
fn apa_flag_is_refused_with_the_way_out() {
    let o = cipa(&[
        "measure",
        "--data",
        "example:sme",
        "--construct",
        "ties=ties_1,ties_2,ties_3,ties_4",
        "--apa",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("drop --apa") && err.contains("--format markdown"),
        "{err}"
    );
}
