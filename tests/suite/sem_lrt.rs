//! Tests of nested models and of constraints against lavaan 0.6-14 (tests/golden/sem_hs_lrt,
//! made by its make.R): `lavTestLRT` over three nested HolzingerSwineford1939 CFAs (free
//! loadings, equal loadings within one factor, within two), plain under ML and the
//! Satorra-Bentler (2001) scaled difference under MLR; `lavTestWald` for linear, nonlinear and
//! `:=`-naming constraints under ML and MLR. lavaan's fits there use its Gauss-Newton optimizer
//! to a step of 1e-14 (nlminb's default stop leaves θ̂ ~1e-6 short of the optimum, which
//! differences such as a − b and T₀ − T₁ magnify), so everything is compared at 1e-6.

use serde_json::Value;

use crate::common::{self, Checker};
use cipa::sem::{self, Estimator, Missing, SemFit, SemOptions};

const REL: f64 = 1e-6;

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

fn golden(file: &str) -> Value {
    let path = common::golden_dir("sem_hs_lrt").join(file);
    serde_json::from_str(&std::fs::read_to_string(path).expect("golden file")).expect("JSON")
}

fn hs_data(exp: &Value) -> Option<cipa::data::Dataset> {
    let rel = exp["data"].as_str().expect("data path");
    let path = common::shared_or_skip_file(rel.trim_start_matches("../shared/"))?;
    Some(common::read_data(&path))
}

fn fit(model: &str, data: &cipa::data::Dataset, est: Estimator) -> SemFit {
    let flat = cipa::spec::syntax::parse_flat("model", model).unwrap_or_else(|e| panic!("{e}"));
    sem::fit(&flat, data, &SemOptions::lavaan(est, Missing::Listwise))
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The golden's three models, fitted in the order lavaan was given them (not df order).
fn fits(exp: &Value, data: &cipa::data::Dataset, est: Estimator) -> Vec<(String, SemFit)> {
    exp["models"]
        .as_object()
        .expect("models")
        .iter()
        .map(|(name, m)| (name.clone(), fit(m.as_str().expect("model"), data, est)))
        .collect()
}

fn check_lrt(file: &str, est: Estimator, method: sem::lrt::LrtMethod) {
    let exp = golden(file);
    let Some(data) = hs_data(&exp) else { return };
    let fits = fits(&exp, &data, est);
    // serde_json's map is sorted by key; lavaan was given free, eq_both, eq_visual (also not
    // df order), so the order in the table is the sort's doing either way.
    let refs: Vec<(&str, &SemFit)> = fits.iter().map(|(n, f)| (n.as_str(), f)).collect();
    let table = sem::lrt::lrt(&refs).unwrap_or_else(|e| panic!("{e}"));
    let mut c = Checker::new(file);
    c.eq("method", table.method, method);
    c.eq("warnings", table.warnings.clone(), Vec::<String>::new());
    let rows = exp["lrt"].as_array().expect("lrt rows");
    c.eq("rows", table.rows.len(), rows.len());
    for (r, e) in table.rows.iter().zip(rows) {
        c.eq(
            "model",
            r.model.as_str(),
            e["model"].as_str().expect("name"),
        );
        for (what, a) in [
            ("df", r.df),
            ("aic", r.aic),
            ("bic", r.bic),
            ("chisq", r.chisq),
            ("chisq_diff", r.chisq_diff),
            ("df_diff", r.df_diff),
            ("rmsea", r.rmsea),
        ] {
            // lavaan has no RMSEA column for a scaled difference (NaN here).
            let x = if e[what].is_null() && what == "rmsea" {
                f64::NAN
            } else {
                num(&e[what])
            };
            c.num_tol(format!("{} {what}", r.model), a, x, REL);
        }
        c.p(format!("{} pvalue", r.model), r.pvalue, num(&e["pvalue"]));
    }
    c.finish();
}

#[test]
fn chi_square_difference_of_nested_cfas_ml() {
    check_lrt("lrt_ml.json", Estimator::Ml, sem::lrt::LrtMethod::Standard);
}

#[test]
fn satorra_bentler_2001_difference_of_nested_cfas_mlr() {
    check_lrt(
        "lrt_mlr.json",
        Estimator::Mlr,
        sem::lrt::LrtMethod::SatorraBentler2001,
    );
}

/// A model compared with itself has Δdf = 0: no p-value and lavaan's warning; fewer than two
/// fits, or an ML fit against an MLR fit, are typed errors.
#[test]
fn equal_df_and_mismatched_fits() {
    let exp = golden("lrt_ml.json");
    let Some(data) = hs_data(&exp) else { return };
    let model = exp["models"]["free"].as_str().expect("model");
    let (ml, mlr) = (
        fit(model, &data, Estimator::Ml),
        fit(model, &data, Estimator::Mlr),
    );
    let same = sem::lrt::lrt(&[("a", &ml), ("b", &ml)]).expect("a table");
    assert!(same.rows[1].pvalue.is_nan(), "{:?}", same.rows[1]);
    assert_eq!(same.rows[1].df_diff, 0.0);
    assert!(same.warnings[0].contains("same degrees of freedom"));
    let err = sem::lrt::lrt(&[("a", &ml)]).unwrap_err().to_string();
    assert!(err.contains("two or more"), "{err}");
    let err = sem::lrt::lrt(&[("ml", &ml), ("mlr", &mlr)])
        .unwrap_err()
        .to_string();
    assert!(err.contains("different estimators"), "{err}");
}

fn check_wald(est: Estimator, tag: &str) {
    let exp = golden("wald.json");
    let Some(data) = hs_data(&exp) else { return };
    let fit = fit(exp["model"].as_str().expect("model"), &data, est);
    let mut c = Checker::new(format!("wald {tag}"));
    for t in exp["tests"].as_array().expect("tests") {
        if t["estimator"].as_str() != Some(tag) {
            continue;
        }
        let con = t["constraints"].as_str().expect("constraints");
        let w = sem::wald::wald_text(&fit, con).unwrap_or_else(|e| panic!("{con}: {e}"));
        c.num(format!("{con} stat"), w.stat, num(&t["stat"]));
        c.eq(format!("{con} df"), w.df as f64, num(&t["df"]));
        c.p(format!("{con} p"), w.pvalue, num(&t["pvalue"]));
        c.eq(
            format!("{con} se"),
            w.se.as_str(),
            t["se"].as_str().expect("se"),
        );
    }
    c.finish();
}

#[test]
fn wald_tests_of_labelled_cfa_ml() {
    check_wald(Estimator::Ml, "ML");
}

#[test]
fn wald_tests_of_labelled_cfa_mlr() {
    check_wald(Estimator::Mlr, "MLR");
}

/// Unknown labels, inequalities, model rows and redundant constraints are typed errors.
#[test]
fn wald_refuses_bad_constraints() {
    let exp = golden("wald.json");
    let Some(data) = hs_data(&exp) else { return };
    let fit = fit(exp["model"].as_str().expect("model"), &data, Estimator::Ml);
    for (con, says) in [
        ("a == zz", "'zz' names no parameter"),
        ("a > b", "inequality"),
        ("f1 =~ x1 + x2", "not a constraint"),
        ("a == b; b == a", "singular"),
    ] {
        let err = sem::wald::wald_text(&fit, con).unwrap_err().to_string();
        assert!(err.contains(says), "{con}: {err}");
    }
}

/// `cipa sem --compare FILE --wald TEXT`: the JSON's `lrt` and `wald` are the library's, hence
/// lavaan's (MLR: the Satorra-Bentler difference), and the text report has both sections.
#[test]
fn cli_compare_and_wald() {
    use crate::common::cli::{cipa, json, ok};
    let lrt = golden("lrt_mlr.json");
    let wald = golden("wald.json");
    let Some(path) = common::shared_or_skip_file("datasets/lavaan_pkg/HolzingerSwineford1939.csv")
    else {
        return;
    };
    let data = path.display().to_string();
    let dir = tempfile::tempdir().expect("temp dir");
    let other = common::cli::write(
        dir.path(),
        "eq_visual.lav",
        lrt["models"]["eq_visual"].as_str().expect("model"),
    );
    let free = lrt["models"]["free"].as_str().expect("model");
    let base = [
        "sem",
        "--data",
        &data,
        "--estimator",
        "mlr",
        "--syntax",
        free,
        "--compare",
    ];
    let doc = json(&cipa(&common::cli::with(
        &base,
        &[other.to_str().expect("path"), "--format", "json"],
    )));
    let row = &doc["lrt"]["rows"][1];
    assert_eq!(doc["lrt"]["method"], "satorra_bentler_2001");
    assert!((num(&row["chisq_diff"]) - num(&lrt["lrt"][1]["chisq_diff"])).abs() < 1e-5);
    assert_eq!(doc["options"]["compare"], other.to_str().expect("path"));
    let text = ok(&cipa(&common::cli::with(
        &base,
        &[other.to_str().expect("path")],
    )));
    assert!(text.contains("Model Comparison") && text.contains("Satorra & Bentler"));

    let t = &wald["tests"][0];
    let args = [
        "sem",
        "--data",
        &data,
        "--syntax",
        wald["model"].as_str().expect("model"),
        "--wald",
        t["constraints"].as_str().expect("constraints"),
    ];
    let doc = json(&cipa(&common::cli::with(&args, &["--format", "json"])));
    assert!((num(&doc["wald"]["stat"]) - num(&t["stat"])).abs() < 1e-5 * num(&t["stat"]));
    assert_eq!(doc["wald"]["df"], 1);
    assert!(ok(&cipa(&args)).contains("Wald Test"));
}
