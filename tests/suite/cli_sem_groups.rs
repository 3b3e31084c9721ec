//! End-to-end tests of `cipa sem --group`: the JSON parameters carry their group and equal the
//! library's grouped fit bit for bit, the text report has one block per group in lavaan's
//! order, `--invariance` gives the sequence's table with its verdict, and flags the grouped
//! engine does not take yet, or a bad --group-equal, exit with code 2.

use cipa::sem::groups::GroupEqual;

use crate::common::cli::{cipa, json, ok, usage_error};
use crate::common::hs::{
    by_school, grouped_args, hs_blanked_csv, hs_csv as hs, library_grouped_fit, HS_CFA as CFA,
};

#[test]
fn grouped_json_equals_the_library() {
    let Some(data) = hs() else { return };
    let doc = json(&cipa(&grouped_args(
        &data,
        CFA,
        "school",
        &[
            "--group-equal",
            "loadings,intercepts",
            "--group-partial",
            "x3 ~ 1",
            "--format",
            "json",
        ],
    )));
    assert_eq!(doc["group"], "school");
    assert_eq!(doc["groups"][0]["level"], "Pasteur");
    assert_eq!(doc["groups"][1]["n"], 145);
    let cov = doc["groups"][1]["implied_cov"].as_array().unwrap();
    assert_eq!(cov.len(), 9);
    assert!(doc["warnings"].is_array());
    let gopts = by_school(&[GroupEqual::Loadings, GroupEqual::Intercepts], &["x3 ~ 1"]);
    let (_, _, fit) = library_grouped_fit(&data, CFA, &gopts);
    let rows = doc["parameters"].as_array().unwrap();
    assert_eq!(rows.len(), fit.parameters.len());
    for (j, r) in rows.iter().zip(&fit.parameters) {
        assert_eq!(j["group"], r.group);
        assert_eq!(j["lhs"], r.row.lhs.as_str());
        assert_eq!(j["est"].as_f64(), Some(r.row.est));
    }
    assert_eq!(doc["fit"]["chisq"].as_f64(), Some(fit.fit.chisq));
    // x3's intercept is free in both groups; x1's is equal (one label).
    let label = |g: u64, v: &str| {
        rows.iter()
            .find(|r| r["group"] == g && r["lhs"] == v && r["op"] == "~1")
            .map(|r| r["label"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert_eq!(label(1, "x3"), "");
    assert_eq!(label(1, "x1"), label(2, "x1"));
}

#[test]
fn text_report_has_a_block_per_group() {
    let Some(data) = hs() else { return };
    let text = ok(&cipa(&grouped_args(&data, CFA, "school", &[])));
    let g1 = text.find("Group 1 [Pasteur]").expect("group 1 block");
    let g2 = text.find("Group 2 [Grant-White]").expect("group 2 block");
    assert!(g1 < g2);
    assert!(text.contains("Number of groups          : 2"), "{text}");
    assert_eq!(text.matches("R-Square").count(), 2);
}

#[test]
fn invariance_table_and_verdict() {
    let Some(data) = hs() else { return };
    let doc = json(&cipa(&grouped_args(
        &data,
        CFA,
        "school",
        &["--invariance", "--estimator", "mlr", "--format", "json"],
    )));
    let inv = &doc["invariance"];
    assert_eq!(inv["method"], "satorra.bentler.2001");
    assert_eq!(inv["first_failing"], "scalar");
    let levels = inv["levels"].as_array().unwrap();
    let names: Vec<&str> = levels
        .iter()
        .map(|l| l["model"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["configural", "metric", "scalar", "strict"]);
    assert!(levels[0]["chisq_diff"].is_null());
    // lavTestLRT's Satorra-Bentler 2001 difference, metric vs configural (lrt.json).
    let d = levels[1]["chisq_diff"].as_f64().unwrap();
    assert!((d - 6.56720173686226).abs() < 1e-4, "{d}");
    let text = ok(&cipa(&grouped_args(
        &data,
        CFA,
        "school",
        &["--invariance"],
    )));
    assert!(
        text.contains("Invariance fails first at the scalar level"),
        "{text}"
    );
}

#[test]
fn unsupported_flags_and_bad_lists_are_usage_errors() {
    let Some(data) = hs() else { return };
    let run = |extra: &[&str]| usage_error(&cipa(&grouped_args(&data, CFA, "school", extra)));
    let err = run(&["--group-equal", "loading"]);
    assert!(
        err.contains("not one of lavaan's group.equal kinds"),
        "{err}"
    );
    // A CFA has nothing to probe (sem_groups_probe.rs tests the probing itself).
    let err = run(&["--probe", "meansd"]);
    assert!(err.contains("the model has neither"), "{err}");
    let err = run(&["--invariance", "--boot", "10"]);
    assert!(err.contains("drop --invariance"), "{err}");
    let err = run(&["--invariance", "--group-equal", "loadings"]);
    assert!(err.contains("drop --group-equal"), "{err}");
    let err = usage_error(&cipa(&grouped_args(&data, CFA, "id", &[])));
    assert!(err.contains("'id' has 301 level(s)"), "{err}");
}

/// `--group-partial` names parameters as lavaan's group.partial does (`lhs op rhs`, spaces
/// ignored). An entry that names no row of the model used to be accepted and ignored (and printed
/// as "Free in every group"); it is a usage error with the model's own examples, a label or a
/// covariance in the other order saying what to write. An entry --group-equal does not
/// constrain (an intercept under loadings-only equality, a fixed marker loading) is accepted, as
/// lavaan does, changes nothing, and the report says only that it is exempt.
#[test]
fn group_partial_must_name_a_parameter_of_the_model() {
    let Some(data) = hs() else { return };
    let model =
        "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + a*x9\nx1 ~~ x4";
    let run = |extra: &[&str]| cipa(&grouped_args(&data, model, "school", extra));
    let refused = |partial: &str| {
        usage_error(&run(&[
            "--group-equal",
            "loadings",
            "--group-partial",
            partial,
        ]))
    };
    let err = refused("nonsense");
    assert!(
        err.contains("--group-partial 'nonsense' names no parameter of the model;")
            && err.contains("e.g. 'visual =~ x2', 'x1 ~ 1', 'x1 ~~ x1'"),
        "{err}"
    );
    let err = refused("a");
    assert!(
        err.contains(
            "(it is a label: --group-partial takes the parameter itself, here 'speed =~ x9')"
        ),
        "{err}"
    );
    let err = refused("x4 ~~ x1");
    assert!(err.contains("(the model writes it 'x1 ~~ x4')"), "{err}");
    let err = usage_error(&run(&["--invariance", "--group-partial", "visual =~ x9"]));
    assert!(err.contains("'visual =~ x9' names no parameter"), "{err}");

    let fit = |extra: &[&str]| {
        let doc = json(&run(&[
            &["--group-equal", "loadings", "--format", "json"],
            extra,
        ]
        .concat()));
        doc["fit"]["chisq"].as_f64().expect("chisq")
    };
    let plain = fit(&[]);
    for partial in ["x3 ~ 1", "visual=~x1", ""] {
        assert_eq!(fit(&["--group-partial", partial]), plain, "{partial}");
    }
    assert_ne!(fit(&["--group-partial", "visual =~ x2"]), plain);
    let text = ok(&run(&[
        "--group-equal",
        "loadings",
        "--group-partial",
        "x3 ~ 1",
    ]));
    assert!(
        text.contains("Exempt from --group-equal : x3 ~ 1"),
        "{text}"
    );
    assert!(!text.contains("Free in every group"), "{text}");
    // --compare: an entry of the main model that the nested model drops exempts nothing there.
    let dir = tempfile::tempdir().unwrap();
    let nested = crate::common::cli::write(dir.path(), "nested.lav", CFA);
    let text = ok(&run(&[
        "--group-equal",
        "loadings,residual.covariances",
        "--group-partial",
        "x1 ~~ x4",
        "--compare",
        nested.to_str().unwrap(),
    ]));
    assert!(text.contains("Chisq diff"), "{text}");
}

/// `--group school --missing fiml --estimator mlr` on HolzingerSwineford1939 with the cells of
/// tests/golden/sem_hs_fiml/blank.csv blanked: the grouped FIML fit with lavaan's chi-square,
/// per-group contributions and scaled test (tests/golden/sem_hs_groups_fiml/mlr/configural).
#[test]
fn grouped_fiml_matches_lavaan() {
    let dir = tempfile::tempdir().unwrap();
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
            "--estimator",
            "mlr",
            "--format",
            "json",
        ],
    )));
    let golden = crate::common::golden_dir("sem_hs_groups_fiml/mlr/configural");
    let read = |f: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(golden.join(f)).unwrap()).unwrap()
    };
    let (exp, groups) = (read("expected.json"), read("groups.json"));
    // 1e-5 as tests/suite/sem_groups_fiml.rs (the scaling factor reads the Hessian at θ̂).
    let close = |a: &serde_json::Value, b: &serde_json::Value| {
        let (a, b) = (a.as_f64().unwrap(), b.as_f64().unwrap());
        assert!((a - b).abs() <= 1e-5 * b.abs(), "{a} vs {b}");
    };
    close(&doc["fit"]["chisq"], &exp["fit"]["chisq"]);
    close(&doc["fit"]["chisq_scaled"], &exp["fit"]["chisq_scaled"]);
    for k in 0..2 {
        assert_eq!(doc["groups"][k]["n"], groups["n"][k]);
        close(&doc["groups"][k]["chisq"], &groups["chisq_group"][k]);
    }
    assert_eq!(doc["options"]["missing"], "fiml");
}

/// `--group school --mi 3.84`: the grouped modification indices above 3.84, largest first, each
/// with its group and level, equal to the library's (tests/golden/sem_hs_groups_mi checks those
/// against lavaan); with --invariance --mi is a usage error.
#[test]
fn grouped_modindices_in_json() {
    let Some(data) = hs() else { return };
    let run = |extra: &[&str]| cipa(&grouped_args(&data, CFA, "school", extra));
    let doc = json(&run(&["--mi", "3.84", "--format", "json"]));
    let mi = &doc["modindices"];
    assert_eq!(mi["threshold"].as_f64(), Some(3.84));
    let rows = mi["rows"].as_array().unwrap();
    assert!(!rows.is_empty());
    let vals: Vec<f64> = rows.iter().map(|r| r["mi"].as_f64().unwrap()).collect();
    assert!(vals.windows(2).all(|w| w[0] >= w[1]) && vals.iter().all(|&v| v > 3.84));
    let (_, _, fit) = library_grouped_fit(&data, CFA, &by_school(&[], &[]));
    let lib = cipa::sem::groups::diagnostics::modification_indices(&fit).unwrap();
    let top = lib
        .iter()
        .max_by(|a, b| a.row.mi.total_cmp(&b.row.mi))
        .unwrap();
    assert_eq!(rows[0]["mi"].as_f64(), Some(top.row.mi));
    assert_eq!(rows[0]["group"], top.group);
    assert_eq!(rows[0]["level"], fit.groups[top.group - 1].level.as_str());
    let text = ok(&run(&["--mi", "3.84"]));
    assert!(text.contains("Modification Indices"), "{text}");
    let err = usage_error(&run(&["--invariance", "--mi", "4"]));
    assert!(err.contains("--mi and --residuals read one fit"), "{err}");
}

/// `--group school --residuals`: each group's residuals in the JSON, its standardized ones
/// equal to lavaan's (tests/golden/sem_hs_groups_residuals/configural.json, to 1e-3 as
/// sem_groups_diagnostics.rs), and one residual-correlation table per group in the report.
#[test]
fn grouped_residuals_in_json_and_report() {
    let Some(data) = hs() else { return };
    let doc = json(&cipa(&grouped_args(
        &data,
        CFA,
        "school",
        &["--residuals", "--format", "json"],
    )));
    let golden = crate::common::golden_dir("sem_hs_groups_residuals").join("configural.json");
    let exp: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(golden).unwrap()).unwrap();
    let res = doc["residuals"].as_array().unwrap();
    assert_eq!(res.len(), 2);
    for (g, r) in res.iter().enumerate() {
        assert_eq!(r["group"], g + 1);
        assert_eq!(r["level"], exp["levels"][g]);
        for i in 0..9 {
            for j in 0..9 {
                let a = r["standardized"]["cov"][i][j].as_f64().unwrap();
                let e = exp["groups"][g]["standardized"]["cov"][i][j]
                    .as_f64()
                    .unwrap();
                assert!(
                    (a - e).abs() <= 1e-3 * e.abs().max(1.0),
                    "{g} {i} {j}: {a} vs {e}"
                );
                let a = r["raw"]["cov"][i][j].as_f64().unwrap();
                let e = exp["groups"][g]["raw"]["cov"][i][j].as_f64().unwrap();
                assert!(
                    (a - e).abs() <= 3e-4 * e.abs().max(0.1),
                    "{g} {i} {j}: {a} vs {e}"
                );
            }
        }
    }
    let text = ok(&cipa(&grouped_args(&data, CFA, "school", &["--residuals"])));
    assert!(
        text.contains("Residual Correlations (school = Pasteur)"),
        "{text}"
    );
    assert!(
        text.contains("Residual Correlations (school = Grant-White)"),
        "{text}"
    );
}

/// `--boot` and `--mc` with `--group`: the JSON's `resampling` has every free row of both
/// groups and the `:=` across groups with their group, echoes B, seed and method, and equals
/// the library's grouped bootstrap (here on two threads, there on every core: the draws do not
/// depend on the threads); the text report has the bootstrap table with its Group column.
#[test]
fn grouped_bootstrap_and_monte_carlo() {
    let Some(data) = hs() else { return };
    let model = "textual =~ x4 + x5 + x6\ntextual ~ c(a1, a2)*x1\nd := a1 - a2";
    let resampled = [
        "--boot",
        "50",
        "--mc",
        "300",
        "--seed",
        "11",
        "--threads",
        "2",
    ];
    let args = grouped_args(&data, model, "school", &resampled);
    let doc = json(&cipa(&[&args[..], &["--format", "json"]].concat()));
    let r = &doc["resampling"];
    assert_eq!(r["b"], 50);
    assert_eq!(r["seed"], 11);
    assert_eq!(r["method"], "percentile");
    assert_eq!(doc["options"]["boot"], 50);
    assert_eq!(doc["options"]["seed"], 11);
    let rows = r["parameters"].as_array().expect("rows");
    let (flat, d, fit) = library_grouped_fit(&data, model, &by_school(&[], &[]));
    assert_eq!(rows.len(), fit.theta.len() + 1);
    let opts = cipa::sem::resample::SemBootOptions {
        boot: 50,
        mc: 300,
        seed: 11,
        ..Default::default()
    };
    let lib = cipa::sem::groups::resample::bootstrap(&flat, &d, &fit, &opts).unwrap();
    for (j, p) in rows.iter().zip(&lib.parameters) {
        assert_eq!(j["group"], p.group.unwrap());
        assert_eq!(j["lhs"], p.lhs.as_str());
        assert_eq!(j["se"].as_f64(), p.se);
        assert_eq!(j["ci_lower"].as_f64(), p.ci_lower);
    }
    assert_eq!(rows.last().unwrap()["lhs"], "d");
    assert_eq!(rows.last().unwrap()["group"], 0);
    let mc = r["monte_carlo"]["defined"].as_array().expect("MC rows");
    assert_eq!(mc.len(), 1);
    assert_eq!(mc[0]["se"].as_f64(), lib.monte_carlo.unwrap().defined[0].se);
    let text = ok(&cipa(&args));
    assert!(text.contains("50 bootstrap resamples, seed 11"), "{text}");
    assert!(text.contains("Group"), "{text}");
}
