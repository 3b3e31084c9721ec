//! Diagnostics of a fitted SEM against lavaan 0.6-14 and semTools 0.5-6
//! (tests/golden/sem_*_mi/diagnostics.json, made by tests/golden/sem_common/sem_diag_golden.R):
//! modindices() with every column, in lavaan's order and with the same rows dropped (NA);
//! residuals of every type; semTools' omega (compRelSEM) and AVE. lavaan fitted by Gauss-Newton to the same optimum as cipa (its
//! chi-square equal to 13 digits), so values are compared to 1e-6 relative, on a floor of 1e-3
//! for values near zero (a residual variance is 0 up to rounding).

use serde_json::Value;

use crate::common::{self, Checker};
use cipa::sem::{self, SemOptions};

const REL: f64 = 1e-6;

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

/// The golden file and cipa's fit of its model, or `None` when ../shared is absent.
fn load(case: &str, opts: &SemOptions) -> Option<(Value, sem::SemFit)> {
    let dir = common::golden_dir(case);
    let text = std::fs::read_to_string(dir.join("diagnostics.json")).expect("diagnostics.json");
    let exp: Value = serde_json::from_str(&text).expect("valid JSON");
    let data_rel = exp["data"].as_str().expect("data path");
    let path = common::shared_or_skip_file(data_rel.trim_start_matches("../shared/"))?;
    let data = common::read_data(&path);
    let flat = cipa::spec::syntax::parse_flat(case, exp["model"].as_str().expect("model"))
        .unwrap_or_else(|e| panic!("{e}"));
    let fit = sem::fit(&flat, &data, opts).unwrap_or_else(|e| panic!("{case}: {e}"));
    Some((exp, fit))
}

/// `actual` against `expected` to [`REL`] relative, on a floor of `scale`.
fn on_scale(c: &mut Checker, what: String, actual: f64, expected: f64, scale: f64) {
    if expected == 0.0 {
        // A relative tolerance is empty at an exact 0 (lavaan's GN optimum leaves the residual
        // variance of a just-identified block at 0, cipa at ~1e-11): the floor is absolute.
        let bound = REL * scale;
        c.eq(
            format!("{what}: |cipa| = {actual:e} within {bound:e} of R's 0"),
            actual.abs() <= bound,
            true,
        );
        return;
    }
    let tol = REL * expected.abs().max(scale) / expected.abs().max(1e-300);
    c.num_tol(what, actual, expected, tol);
}

fn check_modindices(c: &mut Checker, fit: &sem::SemFit, exp: &Value) {
    let mi = fit.modification_indices().expect("modification indices");
    // Under fixed.x lavaan lists some covariate moments with an MI of ~1e-30 (zero gradient)
    // by rounding, where cipa has none: those rows are not compared (as in
    // `modification_indices_of_every_golden_model`).
    let mi: Vec<_> = mi.into_iter().filter(|m| m.mi > 1e-20).collect();
    let rows: Vec<&Value> = exp["modindices"]
        .as_array()
        .expect("modindices rows")
        .iter()
        .filter(|e| num(&e["mi"]) > 1e-20)
        .collect();
    let key = |l: &str, o: &str, r: &str| format!("{l} {o} {r}");
    let ours: Vec<String> = mi.iter().map(|m| key(&m.lhs, &m.op, &m.rhs)).collect();
    let theirs: Vec<String> = rows
        .iter()
        .map(|e| {
            key(
                e["lhs"].as_str().unwrap(),
                e["op"].as_str().unwrap(),
                e["rhs"].as_str().unwrap(),
            )
        })
        .collect();
    c.eq("modification index rows", &ours, &theirs);
    for (m, e) in mi.iter().zip(rows) {
        let what = key(&m.lhs, &m.op, &m.rhs);
        on_scale(c, format!("{what} mi"), m.mi, num(&e["mi"]), 1e-3);
        for (col, v) in [
            ("epc", m.epc),
            ("sepc_lv", m.sepc_lv),
            ("sepc_all", m.sepc_all),
            ("sepc_nox", m.sepc_nox),
        ] {
            on_scale(c, format!("{what} {col}"), v, num(&e[col]), 1e-3);
        }
    }
}

fn check_matrix(c: &mut Checker, what: &str, actual: &cipa::sem::Mat, exp: &Value) {
    let p = actual.rows;
    for i in 0..p {
        for j in 0..p {
            on_scale(
                c,
                format!("{what} [{i},{j}]"),
                actual[(i, j)],
                num(&exp[i][j]),
                1e-3,
            );
        }
    }
}

fn check_residuals(c: &mut Checker, fit: &sem::SemFit, exp: &Value) {
    let r = fit.residuals().expect("residuals");
    let e = &exp["residuals"];
    for (name, m) in [
        ("raw", &r.raw),
        ("cor_bollen", &r.cor_bollen),
        ("cor_bentler", &r.cor_bentler),
        ("normalized", &r.normalized),
        ("standardized", &r.standardized),
    ] {
        check_matrix(c, name, &m.cov, &e[name]["cov"]);
        // jsonlite writes R's NULL mean as {}.
        let has_mean = e[name]["mean"].is_array();
        c.eq(format!("{name} has means"), m.mean.is_some(), has_mean);
        if let Some(mean) = &m.mean {
            for (i, v) in mean.iter().enumerate() {
                on_scale(
                    c,
                    format!("{name} mean {i}"),
                    *v,
                    num(&e[name]["mean"][i]),
                    1e-3,
                );
            }
        }
    }
}

/// semTools 0.5-6's compRelSEM() and AVE() with their defaults.
fn check_reliability(c: &mut Checker, fit: &sem::SemFit, exp: &Value) {
    let rel = fit.reliability().expect("reliability");
    let e = &exp["reliability"];
    let names = |v: &Value| -> Vec<String> {
        v.as_object()
            .expect("object")
            .keys()
            .cloned()
            .collect::<Vec<_>>()
    };
    let mut ours: Vec<String> = rel.iter().map(|r| r.latent.clone()).collect();
    let mut theirs = names(&e["omega"]);
    ours.sort();
    theirs.sort();
    c.eq("latents with a reliability", ours, theirs);
    for r in &rel {
        c.num_tol(
            format!("omega {}", r.latent),
            r.omega,
            num(&e["omega"][&r.latent]),
            REL,
        );
        c.num_tol(
            format!("ave {}", r.latent),
            r.ave,
            num(&e["ave"][&r.latent]),
            REL,
        );
    }
}

fn check_case(case: &str, opts: SemOptions) {
    let Some((exp, fit)) = load(case, &opts) else {
        return;
    };
    let mut c = Checker::new(case);
    c.eq(
        "observed variables",
        fit.observed.clone(),
        exp["observed_variables"]
            .as_array()
            .expect("names")
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect::<Vec<_>>(),
    );
    check_modindices(&mut c, &fit, &exp);
    check_residuals(&mut c, &fit, &exp);
    check_reliability(&mut c, &fit, &exp);
    c.finish();
}

#[test]
fn holzinger_swineford_cfa_diagnostics() {
    check_case("sem_hs_mi", SemOptions::default());
}

/// Equality constraints: the fitted model's information is inverted under them, and the fixed
/// marker loadings get modification indices.
#[test]
fn political_democracy_diagnostics() {
    check_case("sem_poldem_mi", SemOptions::default());
}

/// The modification indices of every golden case of tests/suite/sem_golden.rs (expected.json:
/// mi, epc, sepc.all from lavaan's default nlminb stop, so to 5e-4 on a floor of 0.01):
/// std.lv with a mean structure, fixed.x covariates (their moments get no index), random x,
/// a second-order factor, a MIMIC model, single indicators, a linear constraint, MLR.
#[test]
fn modification_indices_of_every_golden_model() {
    let cases = [
        "sem_hs_cfa",
        "sem_hs_cfa_observed",
        "sem_hs_cfa_stdlv",
        "sem_hs_constraint",
        "sem_hs_mediation",
        "sem_hs_mediation_mlr",
        "sem_hs_mimic",
        "sem_hs_mlr",
        "sem_hs_path",
        "sem_hs_randomx",
        "sem_hs_randomx_mlr",
        "sem_hs_second_order",
        // sem_poldem: lavaan's default stop is 1e-4 from the optimum there (sem_golden.rs);
        // sem_poldem_mi holds its diagnostics at the optimum.
    ];
    for case in cases {
        let dir = common::golden_dir(case);
        let text = std::fs::read_to_string(dir.join("expected.json")).expect("expected.json");
        let exp: Value = serde_json::from_str(&text).expect("valid JSON");
        let o = &exp["options"];
        let opts = SemOptions {
            std_lv: o["std.lv"].as_bool().unwrap_or(false),
            meanstructure: o["meanstructure"].as_bool().unwrap_or(false),
            fixed_x: o["fixed.x"].as_bool().unwrap_or(true),
            estimator: match o["estimator"].as_str() {
                Some("MLR") => sem::Estimator::Mlr,
                _ => sem::Estimator::Ml,
            },
            information: match o["information"].as_str() {
                Some("observed") => sem::Information::Observed,
                _ => sem::Information::Expected,
            },
            ..SemOptions::default()
        };
        let Some(path) = common::shared_or_skip_file(
            exp["data"]
                .as_str()
                .expect("data")
                .trim_start_matches("../shared/"),
        ) else {
            return;
        };
        let data = common::read_data(&path);
        let flat = cipa::spec::syntax::parse_flat(case, exp["model"].as_str().expect("model"))
            .unwrap_or_else(|e| panic!("{e}"));
        let fit = sem::fit(&flat, &data, &opts).unwrap_or_else(|e| panic!("{case}: {e}"));
        let mi = fit.modification_indices().expect("modification indices");
        let rows = exp["modindices"].as_array().expect("modindices");
        let mut c = Checker::new(case);
        // Under fixed.x lavaan lists the covariates' moments, and some regressions among
        // covariates, with an MI of ~1e-30 (their gradient is zero: the fitted moments of the
        // covariates are the sample ones) and leaves others out as NA, by rounding; cipa leaves
        // out the moments and keeps the regressions. Those rows are not compared.
        let kept: Vec<&Value> = rows.iter().filter(|e| num(&e["mi"]) > 1e-20).collect();
        let mi: Vec<_> = mi.into_iter().filter(|m| m.mi > 1e-20).collect();
        let key = |l: &str, o: &str, r: &str| format!("{l} {o} {r}");
        c.eq(
            "rows",
            mi.iter()
                .map(|m| key(&m.lhs, &m.op, &m.rhs))
                .collect::<Vec<_>>(),
            kept.iter()
                .map(|e| {
                    key(
                        e["lhs"].as_str().unwrap(),
                        e["op"].as_str().unwrap(),
                        e["rhs"].as_str().unwrap(),
                    )
                })
                .collect::<Vec<_>>(),
        );
        for (m, e) in mi.iter().zip(&kept) {
            let what = key(&m.lhs, &m.op, &m.rhs);
            for (col, v) in [("mi", m.mi), ("epc", m.epc), ("sepc_all", m.sepc_all)] {
                let ev = num(&e[col]);
                let tol = 5e-4 * ev.abs().max(0.01) / ev.abs().max(1e-300);
                c.num_tol(format!("{what} {col}"), v, ev, tol);
            }
        }
        c.finish();
    }
}

/// A fit of `model` to the correlation matrix `r` of x1, x2, … (n = 500, zero means).
fn fit_to_correlations(model: &str, r: &[f64], p: usize) -> sem::SemFit {
    let names: Vec<String> = (1..=p).map(|i| format!("x{i}")).collect();
    let flat = cipa::spec::syntax::parse_flat("test", model).expect("model");
    let opts = SemOptions::default();
    let pt = sem::partable::build(&flat, &names, &opts).expect("parameter table");
    let order: Vec<usize> = pt
        .ov
        .iter()
        .map(|v| names.iter().position(|n| n == v).expect("name"))
        .collect();
    let cov: Vec<f64> = order
        .iter()
        .flat_map(|&i| order.iter().map(move |&j| r[i * p + j]))
        .collect();
    let s = sem::SampleStats::new(
        &pt.ov,
        500.0,
        vec![0.0; pt.ov.len()],
        sem::Mat::from_rows(pt.ov.len(), pt.ov.len(), cov),
    )
    .expect("positive definite sample covariance");
    sem::fit_moments(&pt, &s, &opts).expect("fit")
}

/// One factor, three indicators with r12·r13/r23 = 1.28: the exact solution has λ1² = 1.28 in
/// the standardized metric, so x1's residual variance is −0.28 and its standardized loading
/// √1.28 — a Heywood case that lavaan keeps with a warning.
#[test]
fn a_heywood_case_is_a_warning_naming_the_parameters() {
    let r = [1.0, 0.8, 0.8, 0.8, 1.0, 0.5, 0.8, 0.5, 1.0];
    let fit = fit_to_correlations("f =~ x1 + x2 + x3", &r, 3);
    let neg = fit.warnings.iter().find_map(|w| match w {
        sem::SemWarning::NegativeVariance {
            parameter,
            estimate,
        } => Some((parameter.clone(), *estimate)),
        _ => None,
    });
    let (parameter, estimate) = neg.expect("a negative-variance warning");
    assert_eq!(parameter, "x1 ~~ x1");
    assert!((estimate + 0.28).abs() < 1e-6, "{estimate}");
    let std = fit.warnings.iter().find_map(|w| match w {
        sem::SemWarning::StandardizedLoadingAboveOne { parameter, std_all } => {
            Some((parameter.clone(), *std_all))
        }
        _ => None,
    });
    let (parameter, std_all) = std.expect("a standardized-loading warning");
    assert_eq!(parameter, "f =~ x1");
    assert!((std_all - 1.28f64.sqrt()).abs() < 1e-6, "{std_all}");
    // The negative residual variance already says Θ is not positive definite (as lavaan).
    assert_eq!(fit.warnings.len(), 2, "{:?}", fit.warnings);
    let json = serde_json::to_value(&fit).expect("JSON");
    assert_eq!(json["warnings"][0]["kind"], "negative_variance");
    assert!(fit.warnings[0].to_string().contains("x1 ~~ x1"));
}

/// Two factors whose indicators correlate more across than within (0.5 against 0.3): the
/// factor correlation is 0.5/0.3 > 1, so the latent covariance matrix is not positive definite,
/// with both variances positive.
#[test]
fn a_latent_covariance_that_is_not_positive_definite_is_a_warning() {
    let r = [
        1.0, 0.3, 0.5, 0.5, //
        0.3, 1.0, 0.5, 0.5, //
        0.5, 0.5, 1.0, 0.3, //
        0.5, 0.5, 0.3, 1.0,
    ];
    let fit = fit_to_correlations("f =~ x1 + x2\ng =~ x3 + x4", &r, 4);
    let w = fit
        .warnings
        .iter()
        .find_map(|w| match w {
            sem::SemWarning::LatentCovNotPositiveDefinite {
                variables,
                smallest_eigenvalue,
            } => Some((variables.clone(), *smallest_eigenvalue)),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no latent warning in {:?}", fit.warnings));
    assert_eq!(w.0, vec!["f".to_string(), "g".to_string()]);
    assert!(w.1 < -0.1, "{}", w.1);
    assert!(
        !fit.warnings
            .iter()
            .any(|w| matches!(w, sem::SemWarning::NegativeVariance { .. })),
        "{:?}",
        fit.warnings
    );
}

/// An admissible solution has no warnings.
#[test]
fn an_admissible_fit_has_no_warnings() {
    let r = [1.0, 0.5, 0.4, 0.5, 1.0, 0.45, 0.4, 0.45, 1.0];
    let fit = fit_to_correlations("f =~ x1 + x2 + x3", &r, 3);
    assert!(fit.warnings.is_empty(), "{:?}", fit.warnings);
}

/// `cipa sem --mi --residuals`: the JSON holds the library's modification indices above the
/// threshold (largest first), the residuals, omega/AVE and the warnings, and the text report
/// their sections.
#[test]
fn the_cli_reports_the_diagnostics() {
    use crate::common::cli::{cipa, json, ok};
    let Some(path) = common::shared_or_skip_file("datasets/lavaan_pkg/HolzingerSwineford1939.csv")
    else {
        return;
    };
    let data = path.display().to_string();
    let model = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9";
    let args = [
        "sem",
        "--data",
        &data,
        "--syntax",
        model,
        "--mi",
        "--residuals",
    ];
    let doc = json(&cipa(&[&args[..], &["--format", "json"]].concat()));
    let flat = cipa::spec::syntax::parse_flat("cfa", model).unwrap();
    let fit = sem::fit(&flat, &common::read_data(&path), &SemOptions::default()).unwrap();
    let lib = sem::modindices::sorted_above(fit.modification_indices().unwrap(), 3.84);
    let rows = doc["modindices"]["rows"]
        .as_array()
        .expect("modindices rows");
    assert_eq!(doc["modindices"]["threshold"], 3.84);
    assert_eq!(rows.len(), lib.len());
    assert!(!lib.is_empty() && lib.iter().all(|m| m.mi > 3.84));
    assert!(lib.windows(2).all(|w| w[0].mi >= w[1].mi));
    for (j, m) in rows.iter().zip(&lib) {
        assert_eq!(j["lhs"].as_str(), Some(m.lhs.as_str()));
        assert_eq!(j["rhs"].as_str(), Some(m.rhs.as_str()));
        assert_eq!(num(&j["mi"]), m.mi);
        assert_eq!(num(&j["sepc_all"]), m.sepc_all);
    }
    let r = fit.residuals().unwrap();
    assert_eq!(
        num(&doc["residuals"]["cor_bollen"]["cov"][3][0]),
        r.cor_bollen.cov[(3, 0)]
    );
    assert!(doc["residuals"]["raw"]["mean"].is_null());
    let rel = fit.reliability().unwrap();
    assert_eq!(doc["reliability"].as_array().map(Vec::len), Some(3));
    assert_eq!(num(&doc["reliability"][1]["omega"]), rel[1].omega);
    assert_eq!(doc["warnings"].as_array().map(Vec::len), Some(0));
    let text = ok(&cipa(&args));
    for heading in [
        "Reliability",
        "Modification Indices",
        "Residual Correlations",
    ] {
        assert!(text.contains(heading), "{heading} missing:\n{text}");
    }
    // Without the flags, neither the indices nor the residuals are computed.
    let plain = json(&cipa(&[
        "sem", "--data", &data, "--syntax", model, "--format", "json",
    ]));
    assert!(plain.get("modindices").is_none() && plain.get("residuals").is_none());
}

/// Under a nonlinear equality (tests/golden/sem_hs_nonlinear_diag: ind := a*b == 0.1) the
/// modification indices and standardized residuals invert the information on the null space
/// of the constraint's Jacobian at θ̂, as lavaan's augmented `inverted.information` (random
/// covariates: fixed.x = FALSE, as the golden).
#[test]
fn nonlinear_constraint_diagnostics() {
    let opts = SemOptions {
        fixed_x: false,
        ..SemOptions::default()
    };
    check_case("sem_hs_nonlinear_diag", opts);
}

/// Fixed.x covariates (ageyr, sex regress textual): lavaan conditions the ACOV of the sample
/// moments on the covariates' moments (their rows and columns of the h1 information are zero,
/// lav_mvnorm.R), which changes the normalized and standardized residuals of every moment
/// (up to ~9% against the unconditional Γ/N) and makes those of the covariates' own moments 0.
#[test]
fn fixed_x_covariates_diagnostics() {
    check_case("sem_hs_residuals_fixedx", SemOptions::default());
}

/// The same with a mean structure: the covariates' means are masked too, and the layout puts
/// the means first.
#[test]
fn fixed_x_covariates_diagnostics_with_means() {
    let opts = SemOptions {
        meanstructure: true,
        ..SemOptions::default()
    };
    check_case("sem_hs_residuals_fixedx_ms", opts);
}
