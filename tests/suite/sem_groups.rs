//! Multi-group SEM (`sem::groups`) against lavaan 0.6-14: the invariance sequence of the
//! three-factor CFA of HolzingerSwineford1939 across its two schools
//! (tests/golden/sem_hs_invariance/{ml,mlr}/{configural,metric,scalar,scalar_partial,strict},
//! made by make.R there): every parameter of every group (estimate, SE, z, p, interval, std.lv
//! and std.all with their SEs, label, free index), every fit measure cipa computes and each
//! group's R², to 1e-5 relative (on the parameter's SE scale for values near zero, as
//! sem_golden.rs compares), df, npar and n exactly.
//!
//! lavaan's nlminb stops at rel.tol 1e-10 on F, so its θ̂ is good to ~1e-5 in the flatter
//! directions of these models: cipa's chi-square is below lavaan's in every case (checked) with
//! |∇F| < 1e-10, and restarting lavaan from its own solution (`start = fit`, three times) moves
//! its configural estimates towards cipa's (group 1 x8 ~~ x8: lavaan 0.509721, restarts
//! 0.509722, 0.509723, 0.509724; cipa 0.509730; group 2: 0.401193 → 0.401191; cipa 0.401184).
//! So parameter rows are compared to [`PARAM_REL`] (configural: [`CONFIGURAL_REL`]); the fit
//! measures to 1e-5 except the RMSEA close-fit p-values (p ≈ 3e-6 magnifies lavaan's ~1e-8
//! error in T about fivefold).

use serde_json::Value;

use crate::common::{self, Checker};
use cipa::sem::groups::{self, GroupEqual, GroupOptions, GroupedFit};
use cipa::sem::{Estimator, Missing, SemOptions};

pub(crate) const REL: f64 = 1e-5;
pub(crate) const PARAM_REL: f64 = 3e-5;
pub(crate) const CONFIGURAL_REL: f64 = 1e-4;
const P_CLOSE_REL: f64 = 5e-5;
const MODEL: &str = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9";

pub(crate) fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

fn hs() -> Option<cipa::data::Dataset> {
    let path = common::shared_or_skip_file("datasets/lavaan_pkg/HolzingerSwineford1939.csv")?;
    Some(common::read_data(&path))
}

fn fit_hs(
    model: &str,
    est: Estimator,
    equal: &[GroupEqual],
    partial: &[&str],
) -> Option<GroupedFit> {
    let data = hs()?;
    let flat = cipa::spec::syntax::parse_flat("model", model).unwrap_or_else(|e| panic!("{e}"));
    let gopts = GroupOptions {
        column: "school".into(),
        equal: equal.to_vec(),
        partial: partial.iter().map(|s| s.to_string()).collect(),
    };
    let opts = SemOptions::lavaan(est, Missing::Listwise);
    Some(groups::fit(&flat, &data, &opts, &gopts).unwrap_or_else(|e| panic!("{e}")))
}

/// One golden case: `est`/`level` with lavaan's group.equal and group.partial.
fn check_level(est: Estimator, level: &str, equal: &[GroupEqual], partial: &[&str]) {
    let dir = if est == Estimator::Ml { "ml" } else { "mlr" };
    let case = format!("sem_hs_invariance/{dir}/{level}");
    let text = std::fs::read_to_string(common::golden_dir(&case).join("expected.json"))
        .expect("expected.json");
    let exp: Value = serde_json::from_str(&text).expect("valid JSON");
    let Some(fit) = fit_hs(MODEL, est, equal, partial) else {
        return;
    };
    let rel = if level == "configural" {
        CONFIGURAL_REL
    } else {
        PARAM_REL
    };
    check_fit(&case, &fit, &exp, rel);
}

/// Compares a grouped fit with lavaan's expected.json (also tests/suite/sem_framework_groups.rs).
pub(crate) fn check_fit(case: &str, fit: &GroupedFit, exp: &Value, rel: f64) {
    println!(
        "{case}: chisq {:.12} (lavaan {:.12}), |gradient| {:.1e}, {} iterations",
        fit.fit.chisq,
        num(&exp["fit"]["chisq"]),
        fit.gradient,
        fit.iterations
    );
    let mut c = Checker::new(case);
    let ns: Vec<f64> = fit.groups.iter().map(|g| g.n as f64).collect();
    let exp_n: Vec<f64> = exp["n"].as_array().expect("n").iter().map(num).collect();
    c.eq("n per group", ns, exp_n);
    c.eq("npar", fit.n_free as f64, num(&exp["npar"]));
    let chisq = num(&exp["fit"]["chisq"]);
    if fit.fit.chisq > chisq * (1.0 + 1e-12) {
        c.fail(format!(
            "cipa's chisq {} above lavaan's {chisq}",
            fit.fit.chisq
        ));
    }
    check_parameters(&mut c, fit, &exp["parameters"], rel);
    for (name, v) in fit.fit.pairs() {
        let e = &exp["fit"][name];
        if e.is_null() && v.is_nan() {
            continue;
        }
        if ["df", "npar", "ntotal", "baseline_df"].contains(&name) {
            c.eq(name, v, num(e));
        } else if name.starts_with("rmsea_") && name.contains("pvalue") {
            c.num_tol(name, v, num(e), P_CLOSE_REL);
        } else {
            c.num_tol(name, v, num(e), REL);
        }
    }
    for g in &fit.groups {
        let e = exp["r2"][&g.level].as_array().expect("r2 of the group");
        c.eq(format!("r2 count {}", g.level), g.r2.len(), e.len());
        for ((name, v), e) in g.r2.iter().zip(e) {
            let e = num(e);
            let tol = rel * e.abs().max(0.1) / e.abs().max(1e-300);
            c.num_tol(format!("r2 {name} ({})", g.level), *v, e, tol);
        }
    }
    c.finish();
}

pub(crate) fn check_parameters(c: &mut Checker, fit: &GroupedFit, rows: &Value, rel: f64) {
    let rows = rows.as_array().expect("parameter rows");
    c.eq("parameter rows", fit.parameters.len(), rows.len());
    for (k, (gr, e)) in fit.parameters.iter().zip(rows).enumerate() {
        let r = &gr.row;
        let what = format!("row {k} {} {} {} (group {})", r.lhs, r.op, r.rhs, gr.group);
        c.eq(
            format!("{what} lhs"),
            r.lhs.as_str(),
            e["lhs"].as_str().unwrap(),
        );
        c.eq(
            format!("{what} op"),
            r.op.as_str(),
            e["op"].as_str().unwrap(),
        );
        c.eq(
            format!("{what} rhs"),
            r.rhs.as_str(),
            e["rhs"].as_str().unwrap(),
        );
        c.eq(
            format!("{what} label"),
            r.label.as_str(),
            e["label"].as_str().unwrap(),
        );
        c.eq(format!("{what} free"), r.free as f64, num(&e["free"]));
        for (col, v) in [
            ("est", r.est),
            ("se", r.se),
            ("z", r.z),
            ("pvalue", r.p),
            ("ci_lower", r.ci_lower),
            ("ci_upper", r.ci_upper),
            ("std_lv", r.std_lv),
            ("std_all", r.std_all),
            ("std_lv_se", r.std_lv_se),
            ("std_all_se", r.std_all_se),
        ] {
            let ev = num(&e[col]);
            if (col.ends_with("_se") || col == "z" || col == "pvalue") && ev.is_nan() {
                continue;
            }
            // As sem_golden.rs: values near zero on their SE's scale, z on max(|z|, 1), p
            // through z.
            let on_scale = |scale: f64| rel * scale.max(ev.abs()) / ev.abs().max(1e-300);
            let tol = match col {
                "est" => on_scale(r.se),
                "ci_lower" | "ci_upper" => on_scale(3.0 * r.se),
                "std_lv" => on_scale(r.std_lv_se),
                "std_all" => on_scale(r.std_all_se),
                "z" => on_scale(1.0),
                "pvalue" => {
                    let z = r.z.abs();
                    let phi = (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
                    rel + 4.0 * phi * rel * z.max(1.0) / ev.max(1e-300)
                }
                _ => rel,
            };
            c.num_tol(format!("{what} {col}"), v, ev, tol);
        }
    }
}

use GroupEqual::{Intercepts, Loadings, Residuals};

#[test]
fn hs_configural_ml() {
    check_level(Estimator::Ml, "configural", &[], &[]);
}

#[test]
fn hs_metric_ml() {
    check_level(Estimator::Ml, "metric", &[Loadings], &[]);
}

#[test]
fn hs_scalar_ml() {
    check_level(Estimator::Ml, "scalar", &[Loadings, Intercepts], &[]);
}

#[test]
fn hs_scalar_partial_ml() {
    check_level(
        Estimator::Ml,
        "scalar_partial",
        &[Loadings, Intercepts],
        &["x3 ~ 1"],
    );
}

#[test]
fn hs_strict_ml() {
    check_level(
        Estimator::Ml,
        "strict",
        &[Loadings, Intercepts, Residuals],
        &[],
    );
}

#[test]
fn hs_configural_mlr() {
    check_level(Estimator::Mlr, "configural", &[], &[]);
}

#[test]
fn hs_metric_mlr() {
    check_level(Estimator::Mlr, "metric", &[Loadings], &[]);
}

#[test]
fn hs_scalar_mlr() {
    check_level(Estimator::Mlr, "scalar", &[Loadings, Intercepts], &[]);
}

#[test]
fn hs_scalar_partial_mlr() {
    check_level(
        Estimator::Mlr,
        "scalar_partial",
        &[Loadings, Intercepts],
        &["x3 ~ 1"],
    );
}

#[test]
fn hs_strict_mlr() {
    check_level(
        Estimator::Mlr,
        "strict",
        &[Loadings, Intercepts, Residuals],
        &[],
    );
}

/// lavTestLRT's table (lrt.json "lrt") and each level's CFI/RMSEA ("delta") against an
/// invariance sequence (also tests/suite/sem_framework_groups.rs).
pub(crate) fn check_sequence(
    c: &mut Checker,
    inv: &cipa::sem::groups::invariance::Invariance,
    exp: &Value,
) {
    let rows = exp["lrt"].as_array().unwrap();
    c.eq("levels", inv.levels.len(), rows.len());
    for (l, e) in inv.levels.iter().zip(rows) {
        c.eq(
            format!("{} name", l.name),
            l.name.as_str(),
            e["model"].as_str().unwrap(),
        );
        c.eq(format!("{} df", l.name), l.df, num(&e["df"]));
        c.num_tol(format!("{} chisq", l.name), l.chisq, num(&e["chisq"]), REL);
        match &l.diff {
            None => c.eq(format!("{} diff", l.name), e["chisq_diff"].is_null(), true),
            Some(d) => {
                c.num_tol(
                    format!("{} chisq_diff", l.name),
                    d.chisq_diff,
                    num(&e["chisq_diff"]),
                    REL,
                );
                c.eq(format!("{} df_diff", l.name), d.df_diff, num(&e["df_diff"]));
                c.num_tol(
                    format!("{} pvalue", l.name),
                    d.pvalue,
                    num(&e["pvalue"]),
                    // The upper chi-square tail falls like e^(−T/2): a relative error ε in T
                    // is about ε·T/2 in p.
                    REL * (1.0 + d.chisq_diff / 2.0),
                );
            }
        }
    }
    for (l, e) in inv.levels.iter().zip(exp["delta"].as_array().unwrap()) {
        c.num_tol(format!("{} cfi", l.name), l.cfi, num(&e["cfi"]), REL);
        c.num_tol(format!("{} rmsea", l.name), l.rmsea, num(&e["rmsea"]), REL);
    }
}

/// lavTestLRT over the sequence (plain differences under ML, Satorra-Bentler 2001 under MLR),
/// the partial scalar model against the metric one, and the CFI/RMSEA of every level.
fn check_lrt(est: Estimator) {
    use cipa::sem::groups::invariance::{self, Level};
    let dir = if est == Estimator::Ml { "ml" } else { "mlr" };
    let case = format!("sem_hs_invariance/{dir}/lrt.json");
    let text = std::fs::read_to_string(
        common::golden_dir("sem_hs_invariance")
            .join(dir)
            .join("lrt.json"),
    )
    .expect("lrt.json");
    let exp: Value = serde_json::from_str(&text).expect("valid JSON");
    let Some(data) = hs() else {
        return;
    };
    let flat = cipa::spec::syntax::parse_flat("model", MODEL).unwrap();
    let gopts = GroupOptions {
        column: "school".into(),
        ..GroupOptions::default()
    };
    let opts = SemOptions::lavaan(est, Missing::Listwise);
    let inv = invariance::invariance(&flat, &data, &opts, &gopts).unwrap_or_else(|e| panic!("{e}"));
    let mut c = Checker::new(&case);
    check_sequence(&mut c, &inv, &exp);
    // The scalar level fails Chen's cut-off (ΔCFI = -0.038); the metric one does not.
    c.eq(
        "first failing",
        inv.first_failing.as_deref(),
        Some("scalar"),
    );
    let metric = Level::of("metric", vec![Loadings], inv.levels[1].fit.clone());
    let partial = fit_hs(MODEL, est, &[Loadings, Intercepts], &["x3 ~ 1"]).unwrap();
    let d = invariance::difference(&metric, &Level::of("partial", vec![], partial));
    let e = &exp["partial_vs_metric"];
    c.num_tol(
        "partial chisq_diff",
        d.chisq_diff,
        num(&e["chisq_diff"]),
        REL,
    );
    c.eq("partial df_diff", d.df_diff, num(&e["df_diff"]));
    let tol = REL * (1.0 + d.chisq_diff / 2.0);
    c.num_tol("partial pvalue", d.pvalue, num(&e["pvalue"]), tol);
    c.finish();
}

#[test]
fn hs_invariance_lrt_ml() {
    check_lrt(Estimator::Ml);
}

#[test]
fn hs_invariance_lrt_mlr() {
    check_lrt(Estimator::Mlr);
}

/// `c(a1, a2)*x2` labels the loading per group (the configural fit, labelled), and a `:=` over
/// both groups' labels has the delta-method SE whose squared z is lavTestWald's statistic for
/// a1 == a2 (lrt.json's "wald", lavaan 0.6-14).
#[test]
fn group_labels_and_defined_parameter_across_groups() {
    for est in [Estimator::Ml, Estimator::Mlr] {
        let dir = if est == Estimator::Ml { "ml" } else { "mlr" };
        let text = std::fs::read_to_string(
            common::golden_dir("sem_hs_invariance")
                .join(dir)
                .join("lrt.json"),
        )
        .expect("lrt.json");
        let exp: Value = serde_json::from_str(&text).expect("valid JSON");
        let model = format!("{}\nd := a1 - a2", exp["wald"]["model"].as_str().unwrap());
        let Some(fit) = fit_hs(&model, est, &[], &[]) else {
            return;
        };
        let mut c = Checker::new(format!("c() labels, {dir}"));
        c.num_tol("chisq", fit.fit.chisq, num(&exp["lrt"][0]["chisq"]), REL);
        let row = |g: usize| {
            fit.parameters
                .iter()
                .find(|r| r.group == g && r.row.lhs == "visual" && r.row.rhs == "x2")
                .unwrap()
        };
        c.eq("group 1 label", row(1).row.label.as_str(), "a1");
        c.eq("group 2 label", row(2).row.label.as_str(), "a2");
        let d = fit.parameters.iter().find(|r| r.row.op == ":=").unwrap();
        c.eq("defined group", d.group, 0);
        c.num_tol(
            "d = a1 - a2",
            d.row.est,
            row(1).row.est - row(2).row.est,
            1e-12,
        );
        // The configural model: lavaan's estimates are good to ~1e-4 here (module comment).
        let wald = num(&exp["wald"]["stat"]);
        c.num_tol("z² = Wald", d.row.z * d.row.z, wald, CONFIGURAL_REL);
        c.finish();
    }
}

/// A label shared by the groups (`c(a, a)*x2`) is an equality constraint across them: one df
/// more than the configural model, the same estimate in both groups; `c(1, NA)*x1` fixes the
/// marker in group 1 and frees it in group 2 (lavaan's per-group modifiers).
#[test]
fn shared_label_and_per_group_fixed_values() {
    let Some(eq) = fit_hs(
        &MODEL.replace("x1 + x2", "x1 + c(a, a)*x2"),
        Estimator::Ml,
        &[],
        &[],
    ) else {
        return;
    };
    let free = fit_hs(MODEL, Estimator::Ml, &[], &[]).unwrap();
    assert_eq!(eq.fit.df, free.fit.df + 1.0);
    let x2: Vec<f64> = eq
        .parameters
        .iter()
        .filter(|r| r.row.lhs == "visual" && r.row.rhs == "x2")
        .map(|r| r.row.est)
        .collect();
    assert_eq!(x2.len(), 2);
    assert!((x2[0] - x2[1]).abs() < 1e-10, "{x2:?}");
    let model =
        "visual =~ c(1, NA)*x1 + x2 + c(NA, 1)*x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9";
    let mixed = fit_hs(model, Estimator::Ml, &[], &[]).unwrap();
    let marker = |g: usize, x: &str| {
        mixed
            .parameters
            .iter()
            .find(|r| r.group == g && r.row.lhs == "visual" && r.row.rhs == x)
            .map(|r| (r.row.free > 0, r.row.est))
            .unwrap()
    };
    assert_eq!(marker(1, "x1"), (false, 1.0));
    assert!(marker(2, "x1").0);
    assert!(marker(1, "x3").0);
    assert_eq!(marker(2, "x3"), (false, 1.0));
    // Rescaling the marker leaves the fit unchanged.
    assert!((mixed.fit.chisq - free.fit.chisq).abs() < 1e-6 * free.fit.chisq);
}

fn grouped_error(model: &str, data: &cipa::data::Dataset, column: &str) -> cipa::sem::SemError {
    let flat = cipa::spec::syntax::parse_flat("model", model).unwrap();
    let gopts = GroupOptions {
        column: column.into(),
        ..GroupOptions::default()
    };
    match groups::fit(&flat, data, &SemOptions::default(), &gopts) {
        Ok(_) => panic!("expected an error for {column}"),
        Err(e) => e,
    }
}

#[test]
fn modifier_count_must_match_the_groups() {
    let Some(data) = hs() else {
        return;
    };
    let model =
        "visual =~ x1 + c(a1, a2, a3)*x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9";
    let e = grouped_error(model, &data, "school");
    match &e {
        cipa::sem::SemError::ModifierCount { count, groups, pos } => {
            assert_eq!((*count, *groups, pos.line), (3, 2, 1));
            assert!(pos.col > 1, "{pos:?}");
        }
        other => panic!("{other}"),
    }
    assert!(
        e.to_string()
            .contains("3 values but the data have 2 groups"),
        "{e}"
    );
}

#[test]
fn bad_grouping_variables_and_groups() {
    let Some(data) = hs() else {
        return;
    };
    let levels = |e: cipa::sem::SemError| match e {
        cipa::sem::SemError::GroupLevels { levels, .. } => levels,
        other => panic!("{other}"),
    };
    // Every id is its own level.
    assert_eq!(levels(grouped_error(MODEL, &data, "id")), 301);
    let school = data.var("school").unwrap().data.clone();
    let pasteur: Vec<usize> = (0..data.n_rows())
        .filter(|&i| school.display(i) == "Pasteur")
        .collect();
    assert_eq!(
        levels(grouped_error(MODEL, &data.take_rows(&pasteur), "school")),
        1
    );
    // 20 Grant-White rows: more than the 9 variables but fewer than the group's 30 parameters.
    let mut rows = pasteur.clone();
    rows.extend(
        (0..data.n_rows())
            .filter(|&i| school.display(i) != "Pasteur")
            .take(20),
    );
    let e = grouped_error(MODEL, &data.take_rows(&rows), "school");
    match &e {
        cipa::sem::SemError::GroupTooSmall { group, n, npar, .. } => {
            assert_eq!((group.as_str(), *n, *npar), ("Grant-White", 20, 30));
        }
        other => panic!("{other}"),
    }
    // x5 constant among the Pasteur rows.
    let mut constant = data.clone();
    let v = constant.var_mut("x5").unwrap();
    if let cipa::data::Column::Numeric(x) = &mut v.data {
        for &i in &pasteur {
            x[i] = 3.0;
        }
    }
    let e = grouped_error(MODEL, &constant, "school");
    match &e {
        cipa::sem::SemError::GroupConstantItem {
            group, variable, ..
        } => {
            assert_eq!((group.as_str(), variable.as_str()), ("Pasteur", "x5"));
        }
        other => panic!("{other}"),
    }
    assert!(
        e.to_string()
            .contains("'x5' is constant in group 'Pasteur'"),
        "{e}"
    );
}

/// lavTestWald of "a1 == a2" on the configural model labelled `c(a1, a2)*x2` (V̂ the expected
/// information's inverse under ML, the Huber-White sandwich under MLR), through the same
/// `wald.rs` as one group: to 1e-6 against {ml,mlr}/wald.json (make_wald.R: lavaan fitted by its
/// Gauss-Newton optimizer to 1e-14, so W is compared at the optimum), and to the configural
/// tolerance against lrt.json's "wald" (lavaan's default nlminb fit, good to ~1e-5 only; module
/// comment). lavaan's plabels (numbered over both groups) and a `:=` over both groups' labels
/// name the same constraint, and for one linear constraint W = z² of `d := a1 - a2` (the delta
/// method with the same V̂).
#[test]
fn wald_test_across_groups() {
    for est in [Estimator::Ml, Estimator::Mlr] {
        let dir = if est == Estimator::Ml { "ml" } else { "mlr" };
        let read = |file: &str| -> Value {
            let path = common::golden_dir("sem_hs_invariance").join(dir).join(file);
            let text = std::fs::read_to_string(&path).expect("golden file");
            serde_json::from_str(&text).expect("valid JSON")
        };
        let (exp, lrt) = (read("wald.json"), read("lrt.json"));
        let model = format!("{}\nd := a1 - a2", exp["model"].as_str().unwrap());
        let Some(fit) = fit_hs(&model, est, &[], &[]) else {
            return;
        };
        let w = fit
            .wald_text(exp["constraints"].as_str().unwrap())
            .unwrap_or_else(|e| panic!("{e}"));
        let mut c = Checker::new(format!("grouped Wald, {dir}"));
        c.num("chisq", fit.fit.chisq, num(&exp["chisq"]));
        c.num("stat", w.stat, num(&exp["stat"]));
        c.eq("df", w.df as f64, num(&exp["df"]));
        c.p("p", w.pvalue, num(&exp["pvalue"]));
        c.eq("se", w.se.as_str(), exp["se"].as_str().unwrap());
        let nlminb = num(&lrt["wald"]["stat"]);
        c.num_tol("stat (nlminb fit)", w.stat, nlminb, CONFIGURAL_REL);
        let plabel = |g: usize| {
            let i = fit
                .parameters
                .iter()
                .filter(|r| r.group > 0)
                .position(|r| r.group == g && r.row.lhs == "visual" && r.row.rhs == "x2")
                .unwrap();
            fit.table.rows[i].plabel.clone()
        };
        let by_plabel = fit
            .wald_text(&format!("{} == {}", plabel(1), plabel(2)))
            .unwrap();
        c.num_tol("plabels", by_plabel.stat, w.stat, 1e-12);
        let by_defined = fit.wald_text("d == 0").unwrap();
        c.num_tol(":= name", by_defined.stat, w.stat, 1e-12);
        let d = fit.parameters.iter().find(|r| r.row.op == ":=").unwrap();
        c.num_tol("W = z² of d", w.stat, d.row.z * d.row.z, 1e-10);
        c.finish();
    }
}

/// `cipa sem --group --wald`: the test in the report and as JSON `wald`, equal to the
/// library's; with --invariance it is a usage error.
#[test]
fn cli_wald_under_groups() {
    use crate::common::cli::{cipa, json, ok, usage_error};
    let Some(path) = common::shared_or_skip_file("datasets/lavaan_pkg/HolzingerSwineford1939.csv")
    else {
        return;
    };
    let data = path.display().to_string();
    let model = "visual =~ x1 + c(a1, a2)*x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9";
    let base = [
        "sem", "--data", &data, "--syntax", model, "--group", "school", "--wald", "a1 == a2",
    ];
    let doc = json(&cipa(&[&base[..], &["--format", "json"]].concat()));
    let fit = fit_hs(model, Estimator::Ml, &[], &[]).unwrap();
    let w = fit.wald_text("a1 == a2").unwrap();
    assert_eq!(doc["wald"]["stat"].as_f64(), Some(w.stat));
    assert_eq!(doc["wald"]["df"], 1);
    assert_eq!(doc["wald"]["constraints"][0], "a1 == a2");
    let text = ok(&cipa(&base));
    assert!(text.contains("Wald test of the constraints"), "{text}");
    let err = usage_error(&cipa(&[&base[..], &["--invariance"]].concat()));
    assert!(err.contains("drop --invariance"), "{err}");
}
