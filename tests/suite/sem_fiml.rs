//! FIML (`Missing::Fiml`, lavaan's `missing = "ml"`) against lavaan 0.6-14: the
//! HolzingerSwineford CFA with the cells of tests/golden/sem_hs_fiml/blank.csv (8%) blanked,
//! every parameter column, fit measure, R² and the implied covariance (tests/golden/sem_hs_fiml,
//! made by its make.R); and the typed errors of bad FIML input.

use serde_json::Value;

use crate::common;
use crate::sem_golden::{check_fit, check_fit_tol};
use cipa::data::{Dataset, Variable};
use cipa::inference::resample::CiMethod;
use cipa::sem::resample::{bootstrap, SemBootOptions};
use cipa::sem::{self, Estimator, Missing, SemOptions};

/// HolzingerSwineford1939's x1..x9 with the golden case's cells blanked; `None` (the test
/// skips) without ../shared.
fn blanked() -> Option<Dataset> {
    let path = common::shared_or_skip_file("datasets/lavaan_pkg/HolzingerSwineford1939.csv")?;
    let data = common::read_data(&path);
    let names: Vec<String> = (1..=9).map(|i| format!("x{i}")).collect();
    let mut cols: Vec<Vec<f64>> = names
        .iter()
        .map(|n| data.numeric(n).expect("numeric").to_vec())
        .collect();
    for (row, col) in common::hs_fiml_blank_cells() {
        let j = names.iter().position(|n| *n == col).expect("x1..x9");
        cols[j][row] = f64::NAN;
    }
    let vars = names
        .iter()
        .zip(cols)
        .map(|(n, c)| Variable::numeric(n.clone(), c))
        .collect();
    Some(Dataset::new("hs_blanked", vars).expect("data set"))
}

fn expected(case: &str) -> Value {
    let dir = common::golden_dir(case);
    let text = std::fs::read_to_string(dir.join("expected.json")).expect("expected.json");
    serde_json::from_str(&text).expect("valid JSON")
}

fn run(case: &str, opts: &SemOptions) -> Option<(sem::SemFit, Value)> {
    let data = blanked()?;
    let exp = expected(case);
    let flat = cipa::spec::syntax::parse_flat(case, exp["model"].as_str().expect("model"))
        .unwrap_or_else(|e| panic!("{e}"));
    let fit = sem::fit(&flat, &data, opts).unwrap_or_else(|e| panic!("{case}: {e}"));
    Some((fit, exp))
}

/// Estimates, SEs (observed information), standardized solution with SEs, every fit measure,
/// R² and Σ̂ to 1e-5 relative.
#[test]
fn holzinger_swineford_cfa_fiml() {
    let opts = SemOptions::lavaan(Estimator::Ml, Missing::Fiml);
    let Some((fit, exp)) = run("sem_hs_fiml/ml", &opts) else {
        return;
    };
    assert!(fit.dropped_lines.is_empty());
    check_fit("sem_hs_fiml/ml", &fit, &exp, 1e-5);
}

/// MLR under FIML: the sandwich SEs from the casewise scores, the Yuan-Bentler test with the
/// EM H1, the scaled measures and lavaan's FIML-corrected robust CFI/TLI/RMSEA ("V3").
#[test]
fn holzinger_swineford_cfa_fiml_mlr() {
    let opts = SemOptions::lavaan(Estimator::Mlr, Missing::Fiml);
    let Some((fit, exp)) = run("sem_hs_fiml/mlr", &opts) else {
        return;
    };
    // The scaled statistic agrees to 8e-7 (its scaling factor reads the Hessian at lavaan's θ̂,
    // which nlminb leaves ~1e-6 short of the optimum and cannot tighten here); its p-value of
    // 1.2e-5 magnifies that 21-fold (|d ln p/dT|·T ≈ 21), so it is compared to 5e-5.
    let tol = |name: &str| if name == "pvalue_scaled" { 5e-5 } else { 1e-5 };
    check_fit_tol("sem_hs_fiml/mlr", &fit, &exp, 1e-5, &tol);
}

const CFA: &str = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9";

/// `data` with the x1..x9 columns transformed by `edit` (column index, values).
fn edited(data: &Dataset, edit: impl Fn(usize, &mut Vec<f64>)) -> Dataset {
    let vars = (1..=9)
        .map(|j| {
            let name = format!("x{j}");
            let mut v = data.numeric(&name).expect("numeric").to_vec();
            edit(j, &mut v);
            Variable::numeric(name, v)
        })
        .collect();
    Dataset::new("edited", vars).expect("data set")
}

fn cfa() -> cipa::spec::flat::FlatModel {
    cipa::spec::syntax::parse_flat("model", CFA).expect("model")
}

/// On complete data the casewise likelihood is the complete-data likelihood and the EM H1 is
/// (ȳ, S): FIML must reproduce listwise ML with a mean structure and observed information —
/// estimates, SEs, chi-square, log-likelihoods, baseline.
#[test]
fn fiml_on_complete_data_equals_listwise_ml() {
    let Some(path) = common::shared_or_skip_file("datasets/lavaan_pkg/HolzingerSwineford1939.csv")
    else {
        return;
    };
    let data = edited(&common::read_data(&path), |_, _| {});
    let ml = SemOptions {
        meanstructure: true,
        ..SemOptions::lavaan(Estimator::Ml, Missing::Listwise)
    };
    let ml = SemOptions {
        information: sem::Information::Observed,
        ..ml
    };
    let a = sem::fit(&cfa(), &data, &ml).expect("listwise");
    let b = sem::fit(
        &cfa(),
        &data,
        &SemOptions::lavaan(Estimator::Ml, Missing::Fiml),
    )
    .expect("fiml");
    let close = |what: &str, x: f64, y: f64, tol: f64| {
        assert!(
            (x - y).abs() <= tol * y.abs().max(1.0),
            "{what}: fiml {x} vs listwise {y}"
        );
    };
    assert_eq!(a.parameters.len(), b.parameters.len());
    for (ra, rb) in a.parameters.iter().zip(&b.parameters) {
        let what = format!("{} {} {}", ra.lhs, ra.op, ra.rhs);
        close(&format!("{what} est"), rb.est, ra.est, 1e-6);
        close(&format!("{what} se"), rb.se, ra.se, 1e-5);
    }
    for (name, x, y) in [
        ("chisq", b.fit.chisq, a.fit.chisq),
        ("logl", b.fit.logl, a.fit.logl),
        (
            "unrestricted_logl",
            b.fit.unrestricted_logl,
            a.fit.unrestricted_logl,
        ),
        ("baseline_chisq", b.fit.baseline_chisq, a.fit.baseline_chisq),
        ("cfi", b.fit.cfi, a.fit.cfi),
        ("rmsea", b.fit.rmsea, a.fit.rmsea),
        ("srmr", b.fit.srmr, a.fit.srmr),
    ] {
        close(name, x, y, 1e-6);
    }
    assert_eq!(b.n, a.n);
}

/// A row with every model variable missing is dropped (as lavaan does) and its file line
/// reported; a variable missing in every row is a typed error naming it.
#[test]
fn fiml_empty_rows_and_empty_variables() {
    let Some(data) = blanked() else { return };
    let opts = SemOptions::lavaan(Estimator::Ml, Missing::Fiml);
    let empty_row = edited(&data, |_, v| v[4] = f64::NAN);
    let fit = sem::fit(&cfa(), &empty_row, &opts).expect("fit");
    assert_eq!(fit.dropped_lines, vec![6]);
    assert_eq!(fit.n, 300);
    let empty_col = edited(&data, |j, v| {
        if j == 9 {
            v.iter_mut().for_each(|x| *x = f64::NAN);
        }
    });
    let err = sem::fit(&cfa(), &empty_col, &opts).expect_err("x9 is empty");
    assert!(err.to_string().contains("x9"), "{err}");
}

/// The expected information is not what lavaan uses under FIML: a typed refusal, not a
/// silently different SE.
#[test]
fn fiml_refuses_expected_information() {
    let Some(data) = blanked() else { return };
    let opts = SemOptions {
        missing: Missing::Fiml,
        ..SemOptions::default()
    };
    let err = sem::fit(&cfa(), &data, &opts).expect_err("expected information");
    assert!(err.to_string().contains("observed information"), "{err}");
}

/// Two indicators that are the same variable make the EM H1 singular: a typed error naming a
/// variable, not a panic or a fit.
#[test]
fn fiml_singular_h1_is_a_typed_error() {
    let Some(data) = blanked() else { return };
    let x8: Vec<f64> = data.numeric("x8").expect("x8").to_vec();
    let dup = edited(&data, |j, v| {
        if j == 9 {
            *v = x8.clone();
        }
    });
    let opts = SemOptions::lavaan(Estimator::Ml, Missing::Fiml);
    let err = sem::fit(&cfa(), &dup, &opts).expect_err("x9 = x8");
    println!("{err}");
    assert!(
        matches!(err, sem::SemError::MissingDataH1Singular { ref variable } if variable == "x9"),
        "{err}"
    );
}

/// Exogenous covariates under FIML: random (fixed_x = false), their block stays saturated in
/// the baseline model (fitted by EM on those columns); fixed (sem()'s default), their moments
/// are fixed, the log-likelihoods conditional on them and their moments masked in the h1
/// information of the robust measures.
#[test]
fn holzinger_swineford_covariates_fiml() {
    for (case, est, fixed_x) in [
        ("sem_hs_fiml/randomx", Estimator::Ml, false),
        ("sem_hs_fiml/randomx_mlr", Estimator::Mlr, false),
        ("sem_hs_fiml/fixedx", Estimator::Ml, true),
        ("sem_hs_fiml/fixedx_mlr", Estimator::Mlr, true),
        ("sem_hs_fiml/fixedx_missing", Estimator::Ml, true),
    ] {
        let opts = SemOptions {
            fixed_x,
            ..SemOptions::lavaan(est, Missing::Fiml)
        };
        let Some(path) =
            common::shared_or_skip_file("datasets/lavaan_pkg/HolzingerSwineford1939.csv")
        else {
            return;
        };
        let full = common::read_data(&path);
        let Some(items) = blanked() else { return };
        let mut vars: Vec<Variable> = (1..=9)
            .map(|j| {
                let n = format!("x{j}");
                Variable::numeric(n.clone(), items.numeric(&n).expect("x").to_vec())
            })
            .collect();
        for n in ["ageyr", "sex"] {
            let mut v = full.numeric(n).expect(n).to_vec();
            // make.R blanks ageyr in rows 3, 50 and 120 of this case (file lines 4, 51, 121).
            if case.ends_with("missing") && n == "ageyr" {
                [2, 49, 119].iter().for_each(|&r| v[r] = f64::NAN);
            }
            vars.push(Variable::numeric(n, v));
        }
        let data = Dataset::new("hs_blanked", vars).expect("data set");
        let exp = expected(case);
        let flat = cipa::spec::syntax::parse_flat(case, exp["model"].as_str().expect("model"))
            .expect("model");
        let fit = sem::fit(&flat, &data, &opts).unwrap_or_else(|e| panic!("{case}: {e}"));
        if case.ends_with("missing") {
            // lavaan deletes the rows with a missing fixed.x covariate.
            assert_eq!(fit.dropped_lines, vec![4, 51, 121]);
        }
        check_fit(case, &fit, &exp, 1e-5);
    }
}

/// lavaan's diagnostics of the FIML CFA (tests/golden/sem_hs_fiml/mi, its make.R), at lavaan's
/// optimum polished by Newton steps to |∇| < 1e-15, compared to 1e-6 relative on a floor of 1e-3
/// (as tests/suite/sem_diagnostics.rs).
fn fiml_diagnostics(file: &str) -> Option<(sem::SemFit, Value)> {
    let data = blanked_with_covariates()?;
    let dir = common::golden_dir("sem_hs_fiml/mi");
    let text = std::fs::read_to_string(dir.join(file)).expect("golden diagnostics");
    let exp: Value = serde_json::from_str(&text).expect("valid JSON");
    let flat = cipa::spec::syntax::parse_flat("mi", exp["model"].as_str().expect("model"))
        .unwrap_or_else(|e| panic!("{e}"));
    let opts = SemOptions {
        fixed_x: exp["options"]["fixed.x"].as_bool().unwrap_or(true),
        ..SemOptions::lavaan(Estimator::Ml, Missing::Fiml)
    };
    let fit = sem::fit(&flat, &data, &opts).unwrap_or_else(|e| panic!("{e}"));
    Some((fit, exp))
}

fn near(c: &mut common::Checker, what: String, actual: f64, expected: f64) {
    let tol = 1e-6 * expected.abs().max(1e-3) / expected.abs().max(1e-300);
    c.num_tol(what, actual, expected, tol);
}

/// Modification indices under FIML: the expected information of the casewise likelihood at
/// the structured moments (lavaan's default for modindices()), every row and column.
#[test]
fn fiml_modification_indices_are_lavaans() {
    check_modification_indices("diagnostics.json");
    check_modification_indices("randomx.json");
}

/// With fixed.x covariates (sem()'s default; sem_hs_fiml/mi/make_fixedx.R): A1 without the
/// covariates' own moments, and lavaan's candidates, the fixed.x rows and the regressions of
/// the covariates on the other variables among them.
#[test]
fn fiml_modification_indices_with_fixed_x_are_lavaans() {
    check_modification_indices("fixedx.json");
}

fn check_modification_indices(file: &str) {
    let Some((fit, exp)) = fiml_diagnostics(file) else {
        return;
    };
    let mut c = common::Checker::new(format!("sem_hs_fiml/mi/{file} modindices"));
    let mi = fit.modification_indices().expect("modification indices");
    // As tests/suite/sem_diagnostics.rs: under fixed.x lavaan lists the covariates' moments and
    // some regressions among the covariates with an MI of ~1e-25 (their gradient is zero) and
    // leaves others out as NA, by rounding; those rows are not compared.
    let rows: Vec<&Value> = exp["modindices"]
        .as_array()
        .expect("rows")
        .iter()
        .filter(|e| e["mi"].as_f64().unwrap_or(f64::NAN) > 1e-20)
        .collect();
    let mi: Vec<_> = mi.into_iter().filter(|m| m.mi > 1e-20).collect();
    let key = |v: &Value| format!("{} {} {}", v["lhs"], v["op"], v["rhs"]).replace('"', "");
    let ours: Vec<String> = mi
        .iter()
        .map(|m| format!("{} {} {}", m.lhs, m.op, m.rhs))
        .collect();
    let theirs: Vec<String> = rows.iter().copied().map(key).collect();
    c.eq("rows", &ours, &theirs);
    for (m, e) in mi.iter().zip(rows) {
        let k = key(e);
        for (col, v) in [
            ("mi", m.mi),
            ("epc", m.epc),
            ("sepc_lv", m.sepc_lv),
            ("sepc_all", m.sepc_all),
            ("sepc_nox", m.sepc_nox),
        ] {
            near(
                &mut c,
                format!("{k} {col}"),
                v,
                e[col].as_f64().unwrap_or(f64::NAN),
            );
        }
    }
    c.finish();
}

/// Residuals under FIML: against the EM moments, normalized by the observed information at
/// them, standardized through Q = I − ΔA0⁻¹Δ′A1 (lavaan's `lav_residuals_acov`), every element.
#[test]
fn fiml_residuals_are_lavaans() {
    check_residuals("diagnostics.json");
    check_residuals("randomx.json");
}

fn check_residuals(file: &str) {
    let Some((fit, exp)) = fiml_diagnostics(file) else {
        return;
    };
    let mut c = common::Checker::new(format!("sem_hs_fiml/mi/{file} residuals"));
    let r = fit.residuals().expect("residuals");
    for (name, m) in [
        ("raw", &r.raw),
        ("cor_bollen", &r.cor_bollen),
        ("cor_bentler", &r.cor_bentler),
        ("normalized", &r.normalized),
        ("standardized", &r.standardized),
    ] {
        let e = &exp["residuals"][name];
        for i in 0..m.cov.rows {
            for j in 0..m.cov.cols {
                let v = e["cov"][i][j].as_f64().unwrap_or(f64::NAN);
                near(&mut c, format!("{name} [{i},{j}]"), m.cov[(i, j)], v);
            }
        }
        let mean = m.mean.as_ref().expect("FIML has a mean structure");
        for (i, v) in mean.iter().enumerate() {
            let x = e["mean"][i].as_f64().unwrap_or(f64::NAN);
            near(&mut c, format!("{name} mean {i}"), *v, x);
        }
    }
    c.finish();
}

/// The blanked items with ageyr and sex (complete) for the covariate models.
fn blanked_with_covariates() -> Option<Dataset> {
    let path = common::shared_or_skip_file("datasets/lavaan_pkg/HolzingerSwineford1939.csv")?;
    let full = common::read_data(&path);
    let items = blanked()?;
    let mut vars: Vec<Variable> = (1..=9)
        .map(|j| {
            let n = format!("x{j}");
            Variable::numeric(n.clone(), items.numeric(&n).expect("x").to_vec())
        })
        .collect();
    for n in ["ageyr", "sex"] {
        vars.push(Variable::numeric(n, full.numeric(n).expect(n).to_vec()));
    }
    Some(Dataset::new("hs_blanked_x", vars).expect("data set"))
}

/// With fixed.x covariates (sem()'s default; sem_hs_fiml/mi/make_fixedx.R): both informations
/// lose the covariates' own moments (lavaan's x.idx), whose residuals are 0.
#[test]
fn fiml_residuals_with_fixed_x_are_lavaans() {
    check_residuals("fixedx.json");
}

/// The bootstrap of the FIML CFA against lavaan's (`se = "bootstrap"`, `missing = "ml"`,
/// B = 1000; tests/golden/sem_hs_fiml/boot): every draw refits the casewise likelihood of its
/// rows; SEs and percentile bounds of every free parameter and of `ab := a*b` agree within the
/// Monte Carlo bounds of tests/suite/sem_boot.rs.
#[test]
fn fiml_bootstrap_agrees_with_lavaan() {
    let Some(data) = blanked() else { return };
    let dir = common::golden_dir("sem_hs_fiml/boot");
    let text = std::fs::read_to_string(dir.join("expected.json")).expect("expected.json");
    let exp: Value = serde_json::from_str(&text).expect("valid JSON");
    let flat = cipa::spec::syntax::parse_flat("boot", exp["model"].as_str().expect("model"))
        .expect("model");
    let fit = sem::fit(
        &flat,
        &data,
        &SemOptions::lavaan(Estimator::Ml, Missing::Fiml),
    )
    .expect("FIML fit");
    // 250 draws keep the debug-build test to about a minute; the bounds include 1/B.
    let opts = SemBootOptions {
        boot: 250,
        seed: 20261205,
        ci: CiMethod::Percentile,
        ..SemBootOptions::default()
    };
    let boot = bootstrap(&flat, &data, &fit, &opts).expect("bootstrap");
    let lavaan_b = exp["B"].as_f64().expect("B");
    let compared = crate::sem_boot::compare_with_lavaan(&boot, &exp, lavaan_b);
    // 30 free parameters and ab, three numbers each.
    assert_eq!(compared, 3 * 31);
    assert!(boot.failed.failed < 13, "{:?}", boot.failed);
}

/// The bootstrap of a FIML fit with fixed.x covariates (ageyr and sex; sem()'s default) against
/// lavaan's (`se = "bootstrap"`, `missing = "ml"`, B = 1000; tests/golden/sem_hs_fiml/
/// boot_fixedx): each draw's covariate moments are its own, as lavaan rebuilds a draw's model
/// under fixed.x; SEs and percentile bounds of the 22 free parameters and `ind := a*b` agree
/// within the Monte Carlo bounds of tests/suite/sem_boot.rs, and the fixed.x rows, which lavaan
/// reports with SE 0, are not resampled.
#[test]
fn fiml_fixed_x_bootstrap_agrees_with_lavaan() {
    let Some(data) = blanked_with_covariates() else {
        return;
    };
    let dir = common::golden_dir("sem_hs_fiml/boot_fixedx");
    let text = std::fs::read_to_string(dir.join("expected.json")).expect("expected.json");
    let exp: Value = serde_json::from_str(&text).expect("valid JSON");
    let flat = cipa::spec::syntax::parse_flat("boot", exp["model"].as_str().expect("model"))
        .expect("model");
    let fit = sem::fit(
        &flat,
        &data,
        &SemOptions::lavaan(Estimator::Ml, Missing::Fiml),
    )
    .expect("FIML fit");
    assert!(fit.options.fixed_x);
    // 250 draws keep the debug-build test to about a minute; the bounds include 1/B.
    let opts = SemBootOptions {
        boot: 250,
        seed: 20261205,
        ci: CiMethod::Percentile,
        ..SemBootOptions::default()
    };
    let boot = bootstrap(&flat, &data, &fit, &opts).expect("bootstrap");
    let compared = crate::sem_boot::compare_with_lavaan(&boot, &exp, exp["B"].as_f64().expect("B"));
    assert_eq!(compared, 3 * 23);
    assert!(boot.failed.failed < 13, "{:?}", boot.failed);
}
