//! Issue 12's proof on the field's own data: the framework's latent mediation
//! (benches/compare/framework_groups.lav) fitted across ownership (`family_owned`) on the
//! framework design's simulated data against lavaan 0.6-14
//! (tests/golden/sem_framework_groups, made by make.R there): every level of the invariance
//! sequence under ML and MLR (parameters of each group with SEs and standardized values, fit
//! measures, R²), lavTestLRT plain and Satorra-Bentler scaled, CFI/RMSEA per level, and
//! lavTestWald of "a1 == a2" on `perf ~ c(a1, a2)*collab_act`, through the library and through
//! `cipa sem --group / --invariance / --wald`. The comparisons and their tolerances are
//! sem_groups.rs's for HolzingerSwineford1939 (lavaan's nlminb optimum is good to ~1e-5).
//!
//! data.csv is `cipa simulate --n 1000 --seed 1 --population-n 0`: the first test regenerates it
//! and requires it byte for byte, so a simulator change shows here as a changed data set, not
//! as a puzzling mismatch with lavaan.

use serde_json::Value;

use crate::common::{self, Checker};
use crate::sem_groups::{check_fit, check_sequence, num, CONFIGURAL_REL, PARAM_REL, REL};
use cipa::sem::groups::{self, invariance, GroupEqual, GroupOptions, GroupedFit};
use cipa::sem::{Estimator, Missing, SemOptions};
use GroupEqual::{Intercepts, Loadings, Residuals};

const CASE: &str = "sem_framework_groups";
const GROUP: &str = "family_owned";

fn data_path() -> std::path::PathBuf {
    common::golden_dir(CASE).join("data.csv")
}

fn model() -> String {
    let path = common::crate_root().join("benches/compare/framework_groups.lav");
    std::fs::read_to_string(path).expect("framework_groups.lav")
}

fn expected(file: &str) -> Value {
    let path = common::golden_dir(CASE).join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).expect("valid JSON")
}

fn dir(est: Estimator) -> &'static str {
    if est == Estimator::Ml {
        "ml"
    } else {
        "mlr"
    }
}

fn gopts(equal: &[GroupEqual]) -> GroupOptions {
    GroupOptions {
        column: GROUP.into(),
        equal: equal.to_vec(),
        partial: Vec::new(),
    }
}

fn fit(model: &str, est: Estimator, equal: &[GroupEqual]) -> GroupedFit {
    let data = common::read_data(&data_path());
    let flat = cipa::spec::syntax::parse_flat("model", model).unwrap_or_else(|e| panic!("{e}"));
    let opts = SemOptions::lavaan(est, Missing::Listwise);
    groups::fit(&flat, &data, &opts, &gopts(equal)).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn data_is_the_simulators_output_for_seed_1() {
    let design = cipa::simulate::Design::framework();
    let sim = cipa::simulate::generate(&design, 1000, 1).unwrap_or_else(|e| panic!("{e}"));
    let committed = std::fs::read_to_string(data_path()).expect("data.csv");
    assert!(
        sim.to_csv() == committed,
        "`cipa simulate --n 1000 --seed 1` no longer writes tests/golden/{CASE}/data.csv: \
         if the simulator changed on purpose, rewrite data.csv and rerun make.R there"
    );
}

fn check_level(est: Estimator, level: &str, equal: &[GroupEqual]) {
    let case = format!("{CASE}/{}/{level}", dir(est));
    let exp = expected(&format!("{}/{level}/expected.json", dir(est)));
    let rel = if level == "configural" {
        CONFIGURAL_REL
    } else {
        PARAM_REL
    };
    check_fit(&case, &fit(&model(), est, equal), &exp, rel);
}

#[test]
fn configural_ml() {
    check_level(Estimator::Ml, "configural", &[]);
}

#[test]
fn metric_ml() {
    check_level(Estimator::Ml, "metric", &[Loadings]);
}

#[test]
fn scalar_ml() {
    check_level(Estimator::Ml, "scalar", &[Loadings, Intercepts]);
}

#[test]
fn strict_ml() {
    check_level(Estimator::Ml, "strict", &[Loadings, Intercepts, Residuals]);
}

#[test]
fn configural_mlr() {
    check_level(Estimator::Mlr, "configural", &[]);
}

#[test]
fn metric_mlr() {
    check_level(Estimator::Mlr, "metric", &[Loadings]);
}

#[test]
fn scalar_mlr() {
    check_level(Estimator::Mlr, "scalar", &[Loadings, Intercepts]);
}

#[test]
fn strict_mlr() {
    check_level(Estimator::Mlr, "strict", &[Loadings, Intercepts, Residuals]);
}

/// lavTestLRT over configural ⊂ metric ⊂ scalar ⊂ strict (plain under ML, Satorra-Bentler 2001
/// under MLR) and CFI/RMSEA per level. The design's items load equally in both ownership
/// groups, so no level fails Chen's cut-offs.
fn check_invariance(est: Estimator) {
    let exp = expected(&format!("{}/lrt.json", dir(est)));
    let data = common::read_data(&data_path());
    let flat = cipa::spec::syntax::parse_flat("model", &model()).unwrap();
    let opts = SemOptions::lavaan(est, Missing::Listwise);
    let inv =
        invariance::invariance(&flat, &data, &opts, &gopts(&[])).unwrap_or_else(|e| panic!("{e}"));
    let mut c = Checker::new(format!("{CASE}/{}/lrt.json", dir(est)));
    c.eq(
        "method",
        inv.method,
        exp["method"].as_str().map(method_name).unwrap(),
    );
    check_sequence(&mut c, &inv, &exp);
    c.eq("first failing", inv.first_failing.as_deref(), None);
    c.finish();
}

/// lavTestLRT's heading names the scaled method; the plain test's heading names none.
fn method_name(heading: &str) -> &'static str {
    if heading.contains("satorra.bentler.2001") {
        "satorra.bentler.2001"
    } else {
        "chisq"
    }
}

#[test]
fn invariance_sequence_ml() {
    check_invariance(Estimator::Ml);
}

#[test]
fn invariance_sequence_mlr() {
    check_invariance(Estimator::Mlr);
}

/// The second stage labelled per group, `perf ~ c(a1, a2)*collab_act`: the labelled fit is
/// lavaan's (labelled/expected.json), and lavTestWald of "a1 == a2" (V̂ from the expected
/// information under ML, the sandwich under MLR) is lrt.json's to the configural tolerance.
#[test]
fn wald_test_of_the_second_stage_across_ownership() {
    for est in [Estimator::Ml, Estimator::Mlr] {
        let exp = expected(&format!("{}/lrt.json", dir(est)));
        let labelled = exp["wald"]["model"].as_str().unwrap();
        let f = fit(labelled, est, &[]);
        let lab = expected(&format!("{}/labelled/expected.json", dir(est)));
        check_fit(
            &format!("{CASE}/{}/labelled", dir(est)),
            &f,
            &lab,
            CONFIGURAL_REL,
        );
        let w = f.wald_text("a1 == a2").unwrap_or_else(|e| panic!("{e}"));
        let mut c = Checker::new(format!("{CASE} Wald, {}", dir(est)));
        c.num_tol("stat", w.stat, num(&exp["wald"]["stat"]), CONFIGURAL_REL);
        c.eq("df", w.df as f64, num(&exp["wald"]["df"]));
        c.num_tol(
            "pvalue",
            w.pvalue,
            num(&exp["wald"]["pvalue"]),
            CONFIGURAL_REL * (1.0 + w.stat / 2.0),
        );
        c.eq("se", w.se.as_str(), exp["wald"]["se"].as_str().unwrap());
        c.finish();
    }
}

/// The same through the command line: `--group` JSON parameters and fit, `--invariance` JSON
/// table and `--wald`, each against lavaan's values (MLR, the estimator a survey analysis of
/// Likert items would choose).
#[test]
fn cli_group_invariance_and_wald_equal_lavaan() {
    use crate::common::cli::{cipa, json};
    let data = data_path().display().to_string();
    let model = model();
    let base = [
        "sem",
        "--data",
        &data,
        "--syntax",
        &model,
        "--group",
        GROUP,
        "--estimator",
        "mlr",
        "--format",
        "json",
    ];
    let mut c = Checker::new(format!("{CASE} CLI"));
    let doc = json(&cipa(&base));
    let exp = expected("mlr/configural/expected.json");
    c.num_tol(
        "chisq",
        num(&doc["fit"]["chisq"]),
        num(&exp["fit"]["chisq"]),
        REL,
    );
    let rows = doc["parameters"].as_array().unwrap();
    let exp_rows = exp["parameters"].as_array().unwrap();
    c.eq("parameter rows", rows.len(), exp_rows.len());
    for (r, e) in rows.iter().zip(exp_rows) {
        let what = format!(
            "{} {} {} (group {})",
            r["lhs"], r["op"], r["rhs"], r["group"]
        );
        c.eq(format!("{what} rhs"), &r["rhs"], &e["rhs"]);
        let se = num(&r["se"]);
        let est = num(&e["est"]);
        if !se.is_nan() {
            let tol = CONFIGURAL_REL * se.max(est.abs()) / est.abs().max(1e-300);
            c.num_tol(format!("{what} est"), num(&r["est"]), est, tol);
            c.num_tol(format!("{what} se"), se, num(&e["se"]), CONFIGURAL_REL);
        }
    }
    let inv = json(&cipa(&[&base[..], &["--invariance"]].concat()));
    let lrt = expected("mlr/lrt.json");
    let levels = inv["invariance"]["levels"].as_array().unwrap();
    for (l, e) in levels.iter().zip(lrt["lrt"].as_array().unwrap()) {
        let name = e["model"].as_str().unwrap();
        c.eq(format!("{name} model"), l["model"].as_str(), Some(name));
        c.num_tol(
            format!("{name} chisq"),
            num(&l["chisq"]),
            num(&e["chisq"]),
            REL,
        );
        if !e["chisq_diff"].is_null() {
            let (d, ed) = (num(&l["chisq_diff"]), num(&e["chisq_diff"]));
            c.num_tol(format!("{name} chisq_diff"), d, ed, REL);
            c.eq(
                format!("{name} df_diff"),
                num(&l["df_diff"]),
                num(&e["df_diff"]),
            );
        }
    }
    c.eq("levels", levels.len(), 4);
    let labelled = lrt["wald"]["model"].as_str().unwrap();
    let mut wald_args = base.to_vec();
    wald_args[4] = labelled;
    let w = json(&cipa(&[&wald_args[..], &["--wald", "a1 == a2"]].concat()));
    c.num_tol(
        "wald stat",
        num(&w["wald"]["stat"]),
        num(&lrt["wald"]["stat"]),
        CONFIGURAL_REL,
    );
    c.finish();
}
