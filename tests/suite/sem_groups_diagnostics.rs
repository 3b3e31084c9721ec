//! Diagnostics of multi-group fits against lavaan 0.6-14: `modindices()` of the three-factor
//! CFA of HolzingerSwineford1939 across its two schools, configural and metric
//! (tests/golden/sem_hs_groups_mi, made by its make.R): every row in lavaan's order with its
//! group, MI, EPC and standardized EPCs.

use serde_json::Value;

use crate::common::hs::by_school;
use crate::common::{self, Checker};
use cipa::sem::groups::{self, diagnostics, GroupEqual, GroupedFit};
use cipa::sem::{Estimator, Missing, SemOptions};

/// MIs relative on the scale max(|MI|, 1), EPCs on max(|EPC|, 0.1). The metric model to
/// [`REL`] (lavaan's MI of freeing the marker x1 is 1.931762 in group 1 and 1.931818 in group
/// 2, where by symmetry of the equal loadings they are one number, cipa's 1.931706 in both:
/// lavaan's θ̂ carries ~3e-5 of optimiser noise); the configural one to [`CONFIGURAL_REL`]: lavaan's θ̂ is good to ~1e-5 there
/// (sem_groups.rs) and its MIs and EPCs are read at it. Restarting lavaan from its own fit
/// (`start = fit`, three times) moves them towards cipa's: group 2 x5 ~~ x6 EPC −3.25854e-4 →
/// −3.25853e-4, −3.28183e-4, −3.29614e-4 (cipa −3.29758e-4); group 1 x1 ~~ x3 MI 0.640540 →
/// 0.640530, 0.640559, 0.640582 (cipa 0.640691), its chi-square falling each time.
const REL: f64 = 1e-4;
const CONFIGURAL_REL: f64 = 3e-4;
const STANDARDIZED_ABS: f64 = 1e-3;

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

/// lavaan's golden `<case>/<level>.json` and cipa's ML fit by school of the model it names,
/// with these equality constraints; `None` without ../shared.
fn golden_fit(case: &str, level: &str, equal: &[GroupEqual]) -> Option<(Value, GroupedFit)> {
    let data = common::read_data(&common::shared_or_skip_file(
        "datasets/lavaan_pkg/HolzingerSwineford1939.csv",
    )?);
    let text = std::fs::read_to_string(common::golden_dir(case).join(format!("{level}.json")))
        .expect("golden");
    let exp: Value = serde_json::from_str(&text).expect("valid JSON");
    let flat = cipa::spec::syntax::parse_flat("model", exp["model"].as_str().unwrap()).unwrap();
    let opts = SemOptions::lavaan(Estimator::Ml, Missing::Listwise);
    let fit =
        groups::fit(&flat, &data, &opts, &by_school(equal, &[])).unwrap_or_else(|e| panic!("{e}"));
    Some((exp, fit))
}

fn check(level: &str, equal: &[GroupEqual]) {
    let Some((exp, fit)) = golden_fit("sem_hs_groups_mi", level, equal) else {
        return;
    };
    let mi = diagnostics::modification_indices(&fit).unwrap_or_else(|e| panic!("{e}"));
    let rows = exp["modindices"].as_array().unwrap();
    let mut c = Checker::new(format!("sem_hs_groups_mi/{level}"));
    c.eq("rows", mi.len(), rows.len());
    for (m, e) in mi.iter().zip(rows) {
        let r = &m.row;
        let what = format!("{} {} {} (group {})", r.lhs, r.op, r.rhs, m.group);
        let key = |l: &str, o: &str, rh: &str, g: f64| format!("{l} {o} {rh} (group {g})");
        c.eq(
            format!("{what} key"),
            key(&r.lhs, &r.op, &r.rhs, m.group as f64),
            key(
                e["lhs"].as_str().unwrap(),
                e["op"].as_str().unwrap(),
                e["rhs"].as_str().unwrap(),
                num(&e["group"]),
            ),
        );
        for (col, v) in [
            ("mi", r.mi),
            ("epc", r.epc),
            ("sepc_lv", r.sepc_lv),
            ("sepc_all", r.sepc_all),
            ("sepc_nox", r.sepc_nox),
        ] {
            let ev = num(&e[col]);
            let scale = if col == "mi" { 1.0 } else { 0.1 };
            let rel = if level == "configural" {
                CONFIGURAL_REL
            } else {
                REL
            };
            let tol = rel * ev.abs().max(scale) / ev.abs().max(1e-300);
            c.num_tol(format!("{what} {col}"), v, ev, tol);
        }
    }
    c.finish();
}

#[test]
fn hs_groups_modindices_configural() {
    check("configural", &[]);
}

#[test]
fn hs_groups_modindices_metric() {
    check("metric", &[GroupEqual::Loadings]);
}

/// `a` within `rel` of `e` relative to max(|e|, floor): a residual is a difference of O(1)
/// moments, so lavaan's ~1e-5 optimiser noise in θ̂ is absolute on the moments' scale (floor
/// 0.1 for raw and correlation residuals, 1 for the z-like normalized and standardized ones;
/// lavaan leaves saturated mean residuals at exactly 0, cipa at ~1e-12).
fn close(c: &mut Checker, what: String, a: f64, e: f64, rel: f64, floor: f64) {
    let bound = rel * e.abs().max(floor);
    let ok = (a - e).abs() <= bound;
    c.eq(
        format!("{what}: cipa {a:e}, R {e:e} within {bound:e}"),
        ok,
        true,
    );
}

/// Each group's raw, cor.bollen, cor.bentler, normalized and standardized residuals
/// (covariances and means) against lavaan's `residuals(fit, type = ...)`
/// (tests/golden/sem_hs_groups_residuals), at the tolerances of the MIs above; the
/// standardized ones to [`STANDARDIZED_ABS`] (on max(|r|, 1)): their SEs are small where a
/// three-indicator factor nearly saturates its block, which magnifies lavaan's θ̂ noise.
/// Restarting lavaan's metric fit from itself (`start = fit`, three times) moves group 2's
/// standardized x5-x6 residual 0.125425 → 0.125388, 0.125375, 0.125357 (cipa 0.125296) and
/// group 1's x2 variance −1.139861 → −1.139899, −1.139926, −1.139946 (cipa −1.140009).
fn check_residuals(level: &str, equal: &[GroupEqual]) {
    let Some((exp, fit)) = golden_fit("sem_hs_groups_residuals", level, equal) else {
        return;
    };
    let res = diagnostics::residuals(&fit).unwrap_or_else(|e| panic!("{e}"));
    let rel = if level == "configural" {
        CONFIGURAL_REL
    } else {
        REL
    };
    let mut c = Checker::new(format!("sem_hs_groups_residuals/{level}"));
    c.eq("groups", res.len(), exp["groups"].as_array().unwrap().len());
    for (g, r) in res.iter().enumerate() {
        let e = &exp["groups"][g];
        for (name, m) in [
            ("raw", &r.raw),
            ("cor_bollen", &r.cor_bollen),
            ("cor_bentler", &r.cor_bentler),
            ("normalized", &r.normalized),
            ("standardized", &r.standardized),
        ] {
            let p = m.cov.rows;
            let floor = if name.starts_with("raw") || name.starts_with("cor") {
                0.1
            } else {
                1.0
            };
            let rel = if name == "standardized" {
                STANDARDIZED_ABS
            } else {
                rel
            };
            for i in 0..p {
                for j in 0..p {
                    let ev = num(&e[name]["cov"][i][j]);
                    let what = format!("group {} {name} cov[{i},{j}]", g + 1);
                    close(&mut c, what, m.cov[(i, j)], ev, rel, floor);
                }
            }
            let mean = m
                .mean
                .as_ref()
                .expect("means under the grouped mean structure");
            for (i, v) in mean.iter().enumerate() {
                let ev = num(&e[name]["mean"][i]);
                close(
                    &mut c,
                    format!("group {} {name} mean[{i}]", g + 1),
                    *v,
                    ev,
                    rel,
                    floor,
                );
            }
        }
    }
    c.finish();
}

#[test]
fn hs_groups_residuals_configural() {
    check_residuals("configural", &[]);
}

#[test]
fn hs_groups_residuals_metric() {
    check_residuals("metric", &[GroupEqual::Loadings]);
}
