//! Diagnostics of multi-group FIML fits against lavaan 0.6-14 (tests/golden/sem_hs_groups_fiml_diag,
//! its make.R): the three-factor CFA of HolzingerSwineford1939 across its two schools with the
//! cells of tests/golden/sem_hs_fiml/blank.csv blanked, configural and metric, and the fixed.x
//! model: `modindices(fit, sort. = FALSE)` (each group's expected information of its casewise
//! likelihood, weighted by n_g/N) and each group's `residuals(fit, type = ...)` against its EM
//! moments. lavaan's fits are polished by projected Newton steps (|K′∇| < 1e-14), so the values
//! are compared at the optimum to 1e-6 relative on a floor of 1e-3, as the single-group FIML
//! diagnostics (sem_fiml.rs).

use serde_json::Value;

use crate::common::{self, Checker};
use crate::sem_groups_fiml::blanked;
use cipa::sem::groups::{self, diagnostics, GroupEqual, GroupOptions, GroupedFit};
use cipa::sem::{Estimator, Missing, SemOptions};

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

fn near(c: &mut Checker, what: String, actual: f64, expected: f64) {
    let tol = 1e-6 * expected.abs().max(1e-3) / expected.abs().max(1e-300);
    c.num_tol(what, actual, expected, tol);
}

/// The golden `<level>.json` and cipa's grouped FIML fit of its model; `None` without
/// ../shared.
fn fitted(level: &str, equal: &[GroupEqual]) -> Option<(GroupedFit, Value)> {
    let data = blanked()?;
    let dir = common::golden_dir("sem_hs_groups_fiml_diag");
    let text = std::fs::read_to_string(dir.join(format!("{level}.json"))).expect("golden");
    let exp: Value = serde_json::from_str(&text).expect("valid JSON");
    let flat = cipa::spec::syntax::parse_flat("model", exp["model"].as_str().expect("model"))
        .unwrap_or_else(|e| panic!("{e}"));
    let gopts = GroupOptions {
        column: "school".into(),
        equal: equal.to_vec(),
        partial: Vec::new(),
    };
    let opts = SemOptions::lavaan(Estimator::Ml, Missing::Fiml);
    let fit = groups::fit(&flat, &data, &opts, &gopts).unwrap_or_else(|e| panic!("{e}"));
    // cipa's optimum is at or below lavaan's default stop.
    assert!(fit.fit.chisq <= num(&exp["chisq_default_fit"]) * (1.0 + 1e-12));
    Some((fit, exp))
}

fn check_modindices(level: &str, equal: &[GroupEqual]) {
    let Some((fit, exp)) = fitted(level, equal) else {
        return;
    };
    let mi = diagnostics::modification_indices(&fit).unwrap_or_else(|e| panic!("{e}"));
    // As sem_fiml.rs: under fixed.x lavaan lists some rows with an MI of ~1e-25 (a zero
    // gradient) and leaves others out as NA by rounding; those rows are not compared.
    let rows: Vec<&Value> = (exp["modindices"].as_array().expect("rows").iter())
        .filter(|e| num(&e["mi"]) > 1e-20)
        .collect();
    let mi: Vec<_> = mi.into_iter().filter(|m| m.row.mi > 1e-20).collect();
    let key = |l: &str, o: &str, r: &str, g: f64| format!("{l} {o} {r} (group {g})");
    let ours: Vec<String> = (mi.iter())
        .map(|m| key(&m.row.lhs, &m.row.op, &m.row.rhs, m.group as f64))
        .collect();
    let theirs: Vec<String> = (rows.iter())
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap_or("").to_string();
            key(&s("lhs"), &s("op"), &s("rhs"), num(&e["group"]))
        })
        .collect();
    let mut c = Checker::new(format!("sem_hs_groups_fiml_diag/{level} modindices"));
    c.eq("rows", &ours, &theirs);
    for ((m, e), k) in mi.iter().zip(&rows).zip(&ours) {
        let r = &m.row;
        for (col, v) in [
            ("mi", r.mi),
            ("epc", r.epc),
            ("sepc_lv", r.sepc_lv),
            ("sepc_all", r.sepc_all),
            ("sepc_nox", r.sepc_nox),
        ] {
            near(&mut c, format!("{k} {col}"), v, num(&e[col]));
        }
    }
    c.finish();
}

#[test]
fn hs_groups_fiml_modindices_configural() {
    check_modindices("configural", &[]);
}

#[test]
fn hs_groups_fiml_modindices_metric() {
    check_modindices("metric", &[GroupEqual::Loadings]);
}

/// With fixed.x covariates (ageyr, sex): each group's A1 without the covariates' own moments.
#[test]
fn hs_groups_fiml_modindices_fixedx() {
    check_modindices("fixedx", &[]);
}

fn check_residuals(level: &str, equal: &[GroupEqual]) {
    let Some((fit, exp)) = fitted(level, equal) else {
        return;
    };
    let res = diagnostics::residuals(&fit).unwrap_or_else(|e| panic!("{e}"));
    let mut c = Checker::new(format!("sem_hs_groups_fiml_diag/{level} residuals"));
    c.eq(
        "groups",
        res.len(),
        exp["groups"].as_array().expect("groups").len(),
    );
    for (g, r) in res.iter().enumerate() {
        let e = &exp["groups"][g];
        for (name, m) in [
            ("raw", &r.raw),
            ("cor_bollen", &r.cor_bollen),
            ("cor_bentler", &r.cor_bentler),
            ("normalized", &r.normalized),
            ("standardized", &r.standardized),
        ] {
            for i in 0..m.cov.rows {
                for j in 0..m.cov.cols {
                    let what = format!("group {} {name} cov[{i},{j}]", g + 1);
                    near(&mut c, what, m.cov[(i, j)], num(&e[name]["cov"][i][j]));
                }
            }
            let mean = m.mean.as_ref().expect("FIML has a mean structure");
            for (i, v) in mean.iter().enumerate() {
                let what = format!("group {} {name} mean[{i}]", g + 1);
                near(&mut c, what, *v, num(&e[name]["mean"][i]));
            }
        }
    }
    c.finish();
}

#[test]
fn hs_groups_fiml_residuals_configural() {
    check_residuals("configural", &[]);
}

#[test]
fn hs_groups_fiml_residuals_metric() {
    check_residuals("metric", &[GroupEqual::Loadings]);
}

/// With fixed.x covariates (ageyr, sex): each group's informations without the covariates'
/// own moments (lavaan's x.idx), their residuals 0.
#[test]
fn hs_groups_fiml_residuals_fixedx() {
    check_residuals("fixedx", &[]);
}
