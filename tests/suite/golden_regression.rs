//! Golden tests for OLS (classical, HC0-HC4 and CR1 covariances, overall F and robust Wald F,
//! R² change) and logistic regression against R 4.2.2 (lm, sandwich::vcovHC / vcovCL, anova,
//! glm). Each case is a folder tests/golden/<case>/ with spec.json, make.R and the values R wrote
//! (expected.csv, summary.csv, dropped.csv); see tests/golden/README.md. R is never needed to run
//! these tests; they skip when ../shared/datasets is absent.

use crate::common;

use std::path::PathBuf;

use cipa::data::DataError;
use cipa::estimation::{r2_change, LogisticOptions, Method, Summary as FitSummary};
use cipa::prelude::*;
use serde::Deserialize;

use crate::common::{golden_dir, read_dropped, shared_or_skip, Checker, Expected, Summary};

/// Every case folder; `every_case_folder_is_tested` keeps this list and tests/golden in step.
const CASES: [&str; 12] = [
    "ols_estress",
    "ols_glbwarm",
    "ols_pmi",
    "ols_pmi_missing",
    "ols_protest_categorical",
    "ols_protest_ref2",
    "ols_protest_sequential",
    "ols_protest_helmert",
    "ols_protest_effect",
    "ols_jobs_text_categorical",
    "logit_caskets",
    "logit_framing",
];

/// Covariance types and their column suffix in expected.csv / summary.csv.
const ROBUST: [(&str, CovType); 5] = [
    ("hc0", CovType::Hc0),
    ("hc1", CovType::Hc1),
    ("hc2", CovType::Hc2),
    ("hc3", CovType::Hc3),
    ("hc4", CovType::Hc4),
];

#[derive(Debug, Deserialize)]
struct Spec {
    case: String,
    dataset: String,
    method: String,
    outcome: String,
    terms: Vec<String>,
    #[serde(default)]
    categorical: Vec<Categorical>,
    cluster: Option<String>,
    #[serde(default)]
    blank: Vec<Blank>,
    #[serde(default)]
    r2_change: Vec<R2Test>,
}

#[derive(Debug, Deserialize)]
struct Categorical {
    variable: String,
    coding: Option<String>,
    reference: Option<String>,
    /// false: a text column left to cipa's default coding (no `.coding()` call).
    declared: bool,
}

#[derive(Debug, Deserialize)]
struct Blank {
    line: usize,
    column: String,
    value: String,
}

#[derive(Debug, Deserialize)]
struct R2Test {
    id: String,
    terms: Vec<String>,
    /// The same columns named by variable (`a:b` for every `a[..]:b` column).
    #[serde(default)]
    by_variable: Vec<String>,
}

fn read_spec(case: &str) -> Spec {
    let path = golden_dir(case).join("spec.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let spec: Spec =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(spec.case, case, "{}: wrong case name", path.display());
    spec
}

/// The data of a case: the dataset as is, or a copy with the spec's cells blanked (the file lines
/// of the copy are those of the original).
fn load_data(spec: &Spec) -> Dataset {
    // `../shared/...` as the spec writes it, under `CIPA_SHARED` when that is set.
    let path = match spec.dataset.strip_prefix("../shared/") {
        Some(rest) => common::shared_root().join(rest),
        None => common::crate_root().join(&spec.dataset),
    };
    if spec.blank.is_empty() {
        return read_path(&path, &ReadOptions::default())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let header: Vec<String> = lines[0].split(',').map(|h| h.trim().to_string()).collect();
    for b in &spec.blank {
        let j = header
            .iter()
            .position(|h| *h == b.column)
            .unwrap_or_else(|| panic!("blank: no column '{}'", b.column));
        // Plain comma-separated files only (no quoted fields), as the hayes2018 files are.
        let mut cells: Vec<String> = lines[b.line - 1].split(',').map(str::to_string).collect();
        assert_eq!(
            cells.len(),
            header.len(),
            "line {} is not a plain CSV row",
            b.line
        );
        cells[j] = b.value.clone();
        lines[b.line - 1] = cells.join(",");
    }
    let dir = tempfile::tempdir().expect("temporary directory");
    let file = dir.path().join(
        PathBuf::from(&spec.dataset)
            .file_name()
            .expect("dataset file name"),
    );
    std::fs::write(&file, lines.join("\n") + "\n").expect("write the edited data");
    read_path(&file, &ReadOptions::default()).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

fn regression(spec: &Spec) -> Regression {
    let terms: Vec<&str> = spec.terms.iter().map(String::as_str).collect();
    let mut reg = Regression::new(&spec.outcome, &terms);
    for c in spec.categorical.iter().filter(|c| c.declared) {
        let contrast = c
            .coding
            .as_deref()
            .unwrap_or("indicator")
            .parse::<Contrast>()
            .unwrap_or_else(|e| panic!("{}: {e}", spec.case));
        reg = reg.coding(
            &c.variable,
            Coding {
                contrast,
                reference: c.reference.clone(),
            },
        );
    }
    reg
}

fn ols_summary(fit: &EquationFit) -> &cipa::estimation::OlsSummary {
    match &fit.summary {
        FitSummary::Ols(s) => s,
        other => panic!("expected an OLS summary, got {other:?}"),
    }
}

/// The coefficient names match R's columns (as a set; R orders product terms last).
fn check_terms(ck: &mut Checker, label: &str, fit: &EquationFit, expected: &Expected) {
    let mut got: Vec<&str> = fit.coefficients.iter().map(|c| c.term.as_str()).collect();
    let mut want: Vec<&str> = expected.terms.iter().map(String::as_str).collect();
    got.sort_unstable();
    want.sort_unstable();
    ck.eq(format!("{label}: coefficient names"), got, want);
}

fn check_rows(ck: &mut Checker, fit: &EquationFit, summary: &Summary, dropped: &[u64]) {
    ck.eq("n", fit.n as f64, summary.get("n"));
    ck.eq("n_dropped", fit.n_dropped as f64, summary.get("n_dropped"));
    ck.eq("dropped_rows", fit.dropped_rows.as_slice(), dropped);
}

fn run_ols(case: &str) {
    let Some(_datasets) = shared_or_skip() else {
        return;
    };
    let spec = read_spec(case);
    assert_eq!(spec.method, "ols");
    let data = load_data(&spec);
    let expected = Expected::read(case);
    let summary = Summary::read(case);
    let dropped = read_dropped(case);
    let reg = regression(&spec);
    let mut ck = Checker::new(case);

    let mut fits: Vec<(&str, EquationFit)> = Vec::new();
    let ols = reg
        .fit_ols(&data, CovType::Ols)
        .unwrap_or_else(|e| panic!("{case}: OLS fit failed: {e}"));
    fits.push(("ols", ols));
    for (label, cov) in ROBUST {
        let fit = reg
            .fit_ols(&data, cov)
            .unwrap_or_else(|e| panic!("{case}: {label} fit failed: {e}"));
        fits.push((label, fit));
    }
    let cluster = spec.cluster.as_deref().expect("OLS cases have a cluster");
    let cl = reg
        .clone()
        .cluster(cluster)
        .fit_ols(&data, CovType::Cr1)
        .unwrap_or_else(|e| panic!("{case}: CR1 fit failed: {e}"));
    fits.push(("cl", cl));

    for (label, fit) in &fits {
        check_terms(&mut ck, label, fit, &expected);
        check_rows(&mut ck, fit, &summary, &dropped);
        ck.eq(format!("{label}: method"), fit.method, Method::Ols);
        for c in &fit.coefficients {
            if !expected.terms.contains(&c.term) {
                continue;
            }
            let t = &c.term;
            ck.num(
                format!("{label}: {t} estimate"),
                c.estimate,
                expected.get(t, "estimate"),
            );
            let se = expected.get(t, &format!("se_{label}"));
            ck.num(format!("{label}: {t} se"), c.se, se);
            ck.num(
                format!("{label}: {t} t"),
                c.stat,
                expected.get(t, "estimate") / se,
            );
            ck.p(
                format!("{label}: {t} p"),
                c.p,
                expected.get(t, &format!("p_{label}")),
            );
        }
        let s = ols_summary(fit);
        ck.num(format!("{label}: r2"), s.r2, summary.get("r2"));
        ck.num(format!("{label}: adj_r2"), s.adj_r2, summary.get("adj_r2"));
        ck.num(format!("{label}: mse"), s.mse, summary.get("sigma2"));
        ck.eq(format!("{label}: df1"), s.df1, summary.get("df1"));
        ck.eq(format!("{label}: df2"), s.df2, summary.get("df2"));
        let (f, p) = if *label == "ols" {
            (summary.get("f"), summary.get("p"))
        } else {
            (
                summary.get(&format!("wald_f_{label}")),
                summary.get(&format!("wald_p_{label}")),
            )
        };
        ck.num(format!("{label}: F"), s.f, f);
        ck.p(format!("{label}: p of F"), s.p, p);
    }

    // Classical intervals (95%).
    let ols = &fits[0].1;
    for c in &ols.coefficients {
        if expected.terms.contains(&c.term) {
            ck.num(
                format!("ols: {} ci_lower", c.term),
                c.ci_lower,
                expected.get(&c.term, "ci_lower_ols"),
            );
            ck.num(
                format!("ols: {} ci_upper", c.term),
                c.ci_upper,
                expected.get(&c.term, "ci_upper_ols"),
            );
        }
    }
    let cl = &fits.last().expect("CR1 fit").1;
    ck.eq(
        "cl: cluster",
        cl.cluster.clone(),
        Some((cluster.to_string(), summary.get("n_clusters") as usize)),
    );
    ck.eq("cl: cov_type", cl.cov_type, CovType::Cr1);

    // R² change: ΔR² and the classical F from every fit, the Wald F with the fit's covariance.
    for (i, test) in spec.r2_change.iter().enumerate() {
        let s = if i == 0 {
            String::new()
        } else {
            format!("_{}", test.id)
        };
        let row = |suffix: &str| summary.get(&format!("r2_change{s}{suffix}"));
        for (label, fit) in &fits {
            let what = format!("{label}: R² change [{}]", test.id);
            let r = match r2_change(fit, &test.terms) {
                Ok(r) => r,
                Err(e) => {
                    ck.fail(format!("{what}: {e}"));
                    continue;
                }
            };
            ck.num(format!("{what} ΔR²"), r.r2_change, row(""));
            ck.eq(format!("{what} df1"), r.df1, row("_df1"));
            ck.eq(format!("{what} df2"), r.df2, row("_df2"));
            let (f, p) = if *label == "ols" {
                (row("_f"), row("_p"))
            } else {
                (row(&format!("_f_{label}")), row(&format!("_p_{label}")))
            };
            ck.num(format!("{what} F"), r.f, f);
            ck.p(format!("{what} p"), r.p, p);
        }
    }
    ck.finish();
}

fn run_logistic(case: &str) {
    let Some(_datasets) = shared_or_skip() else {
        return;
    };
    let spec = read_spec(case);
    assert_eq!(spec.method, "logistic");
    let data = load_data(&spec);
    let expected = Expected::read(case);
    let summary = Summary::read(case);
    let dropped = read_dropped(case);
    let fit = regression(&spec)
        .fit_logistic(&data, &LogisticOptions::default())
        .unwrap_or_else(|e| panic!("{case}: logistic fit failed: {e}"));
    let mut ck = Checker::new(case);
    check_terms(&mut ck, "logistic", &fit, &expected);
    check_rows(&mut ck, &fit, &summary, &dropped);
    ck.eq("method", fit.method, Method::Logistic);
    for c in &fit.coefficients {
        if !expected.terms.contains(&c.term) {
            continue;
        }
        let t = &c.term;
        ck.num(
            format!("{t} estimate"),
            c.estimate,
            expected.get(t, "estimate"),
        );
        ck.num(format!("{t} se"), c.se, expected.get(t, "se"));
        ck.num(format!("{t} z"), c.stat, expected.get(t, "z"));
        ck.p(format!("{t} p"), c.p, expected.get(t, "p"));
        ck.num(
            format!("{t} ci_lower"),
            c.ci_lower,
            expected.get(t, "ci_lower"),
        );
        ck.num(
            format!("{t} ci_upper"),
            c.ci_upper,
            expected.get(t, "ci_upper"),
        );
    }
    match &fit.summary {
        FitSummary::Logistic(s) => {
            ck.num("-2LL", s.neg2ll, summary.get("deviance"));
            ck.num("-2LL (null)", s.neg2ll_null, summary.get("null_deviance"));
            ck.num("chi-square", s.chisq, summary.get("chisq"));
            ck.eq("df", s.df, summary.get("df"));
            ck.p("p of chi-square", s.p, summary.get("p"));
            ck.num("McFadden", s.mcfadden, summary.get("mcfadden"));
            ck.num("Cox-Snell", s.cox_snell, summary.get("cox_snell"));
            ck.num("Nagelkerke", s.nagelkerke, summary.get("nagelkerke"));
        }
        other => ck.fail(format!("expected a logistic summary, got {other:?}")),
    }
    ck.finish();
}

#[test]
fn ols_estress() {
    run_ols("ols_estress");
}

#[test]
fn ols_glbwarm() {
    run_ols("ols_glbwarm");
}

#[test]
fn ols_pmi() {
    run_ols("ols_pmi");
}

#[test]
fn ols_pmi_missing() {
    run_ols("ols_pmi_missing");
}

#[test]
fn ols_protest_categorical() {
    run_ols("ols_protest_categorical");
}

#[test]
fn ols_protest_ref2() {
    run_ols("ols_protest_ref2");
}

#[test]
fn ols_protest_sequential() {
    run_ols("ols_protest_sequential");
}

#[test]
fn ols_protest_helmert() {
    run_ols("ols_protest_helmert");
}

#[test]
fn ols_protest_effect() {
    run_ols("ols_protest_effect");
}

#[test]
fn ols_jobs_text_categorical() {
    run_ols("ols_jobs_text_categorical");
}

#[test]
fn logit_caskets() {
    run_logistic("logit_caskets");
}

#[test]
fn logit_framing() {
    run_logistic("logit_framing");
}

/// The missing-value case really drops rows, and drops them only for variables the model uses.
#[test]
fn missing_values_drop_the_listed_lines() {
    let Some(_datasets) = shared_or_skip() else {
        return;
    };
    let spec = read_spec("ols_pmi_missing");
    let data = load_data(&spec);
    let fit = regression(&spec)
        .fit_ols(&data, CovType::Ols)
        .expect("OLS fit");
    assert_eq!(fit.n_dropped, 5);
    assert_eq!(fit.dropped_rows, vec![4, 11, 30, 31, 120]);
    assert_eq!(fit.n + fit.n_dropped, data.n_rows());
    // The blank in `gender` (line 77) is in a column the model does not use.
    assert!(!fit.dropped_rows.contains(&77));
    // With gender in the model, line 77 is dropped as well.
    let terms: Vec<&str> = spec
        .terms
        .iter()
        .map(String::as_str)
        .chain(["gender"])
        .collect();
    let with_gender = Regression::new(&spec.outcome, &terms)
        .fit_ols(&data, CovType::Hc3)
        .expect("OLS fit");
    assert_eq!(with_gender.dropped_rows, vec![4, 11, 30, 31, 77, 120]);
}

/// Listing the columns of an effect-coded product term one by one and naming them by variable
/// (`protest:sexism`) must select the same columns.
///
/// Effect-coded level tags contain ':' (`protest[1:eff]:sexism`), which the name matching must
/// not split on.
#[test]
fn r2_change_by_variable_with_effect_coding() {
    let Some(_datasets) = shared_or_skip() else {
        return;
    };
    let case = "ols_protest_effect";
    let spec = read_spec(case);
    let data = load_data(&spec);
    let summary = Summary::read(case);
    let fit = regression(&spec)
        .fit_ols(&data, CovType::Hc3)
        .expect("HC3 fit");
    let mut ck = Checker::new("effect coding, R² change by variable");
    for test in &spec.r2_change {
        assert!(!test.by_variable.is_empty());
        match r2_change(&fit, &test.by_variable) {
            Ok(r) => {
                ck.num("ΔR²", r.r2_change, summary.get("r2_change"));
                ck.num("F (HC3)", r.f, summary.get("r2_change_f_hc3"));
                ck.eq("df1", r.df1, summary.get("r2_change_df1"));
            }
            Err(e) => ck.fail(format!("r2_change({:?}): {e}", test.by_variable)),
        }
    }
    ck.finish();
}

/// A cluster-robust fit needs a cluster variable; naming a column that does not exist is reported
/// with a suggestion rather than silently ignored.
#[test]
fn cluster_variable_must_exist() {
    let Some(_datasets) = shared_or_skip() else {
        return;
    };
    let spec = read_spec("ols_pmi");
    let data = load_data(&spec);
    let err = regression(&spec)
        .cluster("agee")
        .fit_ols(&data, CovType::Cr1)
        .expect_err("unknown cluster column");
    assert!(
        matches!(err, Error::Data(DataError::UnknownColumn { .. })),
        "{err:?}"
    );
    assert!(
        regression(&spec).fit_ols(&data, CovType::Cr1).is_err(),
        "CR1 without a cluster variable"
    );
}

/// Every tests/golden/ols_* and logit_* folder is one of CASES and has all its files.
#[test]
fn every_case_folder_is_tested() {
    let root = common::crate_root().join("tests/golden");
    let mut folders: Vec<String> = std::fs::read_dir(&root)
        .expect("tests/golden")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("ols_") || n.starts_with("logit_"))
        .collect();
    folders.sort();
    let mut listed: Vec<String> = CASES.iter().map(|c| c.to_string()).collect();
    listed.sort();
    assert_eq!(folders, listed, "tests/golden folders vs CASES");
    for case in &listed {
        for file in [
            "spec.json",
            "make.R",
            "expected.csv",
            "summary.csv",
            "dropped.csv",
            "versions.txt",
        ] {
            assert!(
                golden_dir(case).join(file).is_file(),
                "{case}/{file} missing"
            );
        }
        read_spec(case);
    }
}
