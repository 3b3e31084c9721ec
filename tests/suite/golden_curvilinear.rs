//! Curvilinear (polynomial) terms against R 4.2.2 (issue 15): `lm` and `glm` with `I(x^2)`, and
//! the bad input a power refuses. Golden values: tests/golden/curvilinear_size_coop/ (make.R
//! computes them; the data are committed there, so these tests need no ../shared).

use cipa::estimation::{LogisticOptions, Regression};
use cipa::inference::CovType;
use serde_json::Value;

use crate::common::cli::{cipa, usage_error};
use crate::common::{golden_dir, read_data, Checker};

const CASE: &str = "curvilinear_size_coop";

fn expected() -> Value {
    let path = golden_dir(CASE).join("expected.json");
    serde_json::from_str(&std::fs::read_to_string(&path).expect("expected.json")).unwrap()
}

fn data_path() -> String {
    golden_dir(CASE).join("data.csv").display().to_string()
}

fn nums(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap_or(f64::NAN))
        .collect()
}

/// The quadratic models of make.R, with R's term names mapped to cipa's.
fn fits() -> [(&'static str, cipa::estimation::EquationFit); 2] {
    let data = read_data(&golden_dir(CASE).join("data.csv"));
    let terms = ["log_size", "log_size^2", "age"];
    let ols = Regression::new("coop", &terms)
        .fit_ols(&data, CovType::Ols)
        .unwrap();
    let logit = Regression::new("cooperates", &terms)
        .fit_logistic(
            &data,
            &LogisticOptions {
                tol: 1e-14,
                ..LogisticOptions::default()
            },
        )
        .unwrap();
    [("ols", ols), ("logit", logit)]
}

#[test]
fn quadratic_coefficients_and_covariance_match_r() {
    let e = expected();
    for (key, fit) in fits() {
        let mut c = Checker::new(format!("{CASE} {key}"));
        let names: Vec<&str> = fit.coefficients.iter().map(|c| c.term.as_str()).collect();
        c.eq(
            "term names",
            names,
            vec!["constant", "log_size", "log_size^2", "age"],
        );
        for (i, b) in nums(&e[key]["coefficients"]).iter().enumerate() {
            c.num(format!("b{i}"), fit.coefficients[i].estimate, *b);
        }
        // jsonlite writes the matrix as one vector (by columns; it is symmetric).
        let v = nums(&e[key]["vcov"]);
        c.eq("vcov size", v.len(), fit.cov.len());
        for (i, x) in v.iter().enumerate() {
            c.num_tol(format!("vcov[{i}]"), fit.cov[i], *x, 1e-6);
        }
        c.finish();
    }
}

#[test]
fn a_power_reads_as_one_in_json_and_text() {
    let d = data_path();
    let o = cipa(&[
        "regress",
        "--data",
        &d,
        "--y",
        "coop",
        "--x",
        "log_size,log_size^2",
        "--center",
        "log_size",
        "--format",
        "json",
    ]);
    let j = crate::common::cli::json(&o);
    let terms: Vec<&str> = j["equations"][0]["coefficients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["term"].as_str().unwrap())
        .collect();
    assert_eq!(terms, ["constant", "log_size", "log_size^2"]);
    let text = crate::common::cli::ok(&cipa(&[
        "regress",
        "--data",
        &d,
        "--y",
        "coop",
        "--x",
        "log_size,log_size^2",
        "--center",
        "log_size",
    ]));
    assert!(
        text.contains("'log_size' is mean-centred before it is powered"),
        "{text}"
    );
}

#[test]
fn a_power_of_a_categorical_or_two_valued_variable_is_refused() {
    let d = data_path();
    let two = usage_error(&cipa(&[
        "regress",
        "--data",
        &d,
        "--y",
        "coop",
        "--x",
        "cooperates,cooperates^2",
    ]));
    assert!(
        two.contains("'cooperates' has only two values (0 and 1)"),
        "{two}"
    );
    let cat = usage_error(&cipa(&[
        "regress",
        "--data",
        &d,
        "--y",
        "coop",
        "--x",
        "age,age^2",
        "--categorical",
        "age",
    ]));
    assert!(
        cat.contains("'age' is categorical; a power needs a numeric variable"),
        "{cat}"
    );
    let twice = usage_error(&cipa(&[
        "regress",
        "--data",
        &d,
        "--y",
        "coop",
        "--x",
        "log_size,log_size:log_size",
    ]));
    assert!(twice.contains("write its square as log_size^2"), "{twice}");
    let high = usage_error(&cipa(&[
        "regress",
        "--data",
        &d,
        "--y",
        "coop",
        "--x",
        "log_size,log_size^4",
    ]));
    assert!(high.contains("at most 3"), "{high}");
}
