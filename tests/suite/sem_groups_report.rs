//! The rest of `cipa sem`'s outputs under `--group` (issue 12): each group's reliability
//! against semTools 0.5-6's compRelSEM and AVE on a multi-group lavaan fit
//! (tests/golden/sem_hs_groups_reliability, made by make.R there), and end to end one path
//! diagram and one set of APA tables per group.

use serde_json::Value;

use crate::common::cli::{cipa, json, ok, usage_error};
use crate::common::{self, shared_or_skip_file};
use cipa::sem::groups::{self, GroupEqual, GroupOptions};
use cipa::sem::{Estimator, Missing, SemOptions};

const MODEL: &str = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9";

/// lavaan's estimates are good to ~1e-5 relative on these models (tests/suite/sem_groups.rs
/// explains why); omega and AVE are smooth in them.
const REL: f64 = 5e-5;

fn hs_path() -> Option<String> {
    shared_or_skip_file("datasets/lavaan_pkg/HolzingerSwineford1939.csv")
        .map(|p| p.display().to_string())
}

fn close(got: f64, want: f64, what: &str) {
    let tol = REL * want.abs().max(1e-3);
    assert!(
        (got - want).abs() <= tol,
        "{what}: cipa {got}, semTools {want}"
    );
}

fn check_reliability(level: &str, equal: &[GroupEqual]) {
    let Some(path) = hs_path() else { return };
    let data = common::read_data(std::path::Path::new(&path));
    let flat = cipa::spec::syntax::parse_flat("model", MODEL).unwrap();
    let gopts = GroupOptions {
        column: "school".into(),
        equal: equal.to_vec(),
        partial: vec![],
    };
    let opts = SemOptions::lavaan(Estimator::Ml, Missing::Listwise);
    let fit = groups::fit(&flat, &data, &opts, &gopts).unwrap();
    let rel = fit.reliability().unwrap();
    let text = std::fs::read_to_string(
        common::golden_dir("sem_hs_groups_reliability").join("expected.json"),
    )
    .unwrap();
    let want: Value = serde_json::from_str(&text).unwrap();
    let groups = want[level].as_array().unwrap();
    assert_eq!(rel.len(), groups.len());
    for (k, g) in groups.iter().enumerate() {
        assert_eq!(fit.groups[k].level, g["level"].as_str().unwrap());
        assert_eq!(rel[k].len(), 3, "one row per latent");
        for r in &rel[k] {
            let what = format!("{level} group {} {}", k + 1, r.latent);
            close(
                r.omega,
                g["omega"][&r.latent].as_f64().unwrap(),
                &format!("{what} omega"),
            );
            close(
                r.ave,
                g["ave"][&r.latent].as_f64().unwrap(),
                &format!("{what} AVE"),
            );
        }
    }
}

#[test]
fn reliability_per_group_matches_semtools_configural() {
    check_reliability("configural", &[]);
}

#[test]
fn reliability_per_group_matches_semtools_metric() {
    check_reliability("metric", &[GroupEqual::Loadings]);
}

fn base(data: &str) -> Vec<&str> {
    vec![
        "sem", "--data", data, "--syntax", MODEL, "--group", "school",
    ]
}

#[test]
fn reliability_in_text_and_json_per_group() {
    let Some(data) = hs_path() else { return };
    let doc = json(&cipa(&[&base(&data)[..], &["--format", "json"]].concat()));
    let rel = &doc["groups"][1]["reliability"];
    assert_eq!(rel[2]["latent"], "speed");
    // semTools: Grant-White speed omega 0.766437877207215 (expected.json).
    let omega = rel[2]["omega"].as_f64().unwrap();
    assert!((omega - 0.766437877207215).abs() < 1e-4, "{omega}");
    let text = ok(&cipa(&base(&data)));
    assert_eq!(text.matches("Reliability").count(), 2, "{text}");
}

#[test]
fn one_diagram_per_group_with_its_level_and_n() {
    let Some(data) = hs_path() else { return };
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("paths.svg");
    let t = target.display().to_string();
    ok(&cipa(&[&base(&data)[..], &["--diagram", &t]].concat()));
    for (level, n) in [("Pasteur", 156), ("Grant-White", 145)] {
        let svg = std::fs::read_to_string(dir.path().join(format!("paths_{level}.svg"))).unwrap();
        assert!(svg.contains(&format!("Group {level} (n = {n})")), "{level}");
    }
    assert!(!target.exists(), "no ungrouped diagram");
    let out = dir.path().join("res");
    let o = out.display().to_string();
    cipa(&[&base(&data)[..], &["--out", &o]].concat());
    let figures: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("figures.json")).unwrap()).unwrap();
    let images: Vec<&str> = figures["figures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["image"].as_str().unwrap())
        .collect();
    assert_eq!(
        images,
        [
            "plots/diagram_sem_Pasteur.svg",
            "plots/diagram_sem_Grant-White.svg"
        ]
    );
    assert!(out.join("plots/diagram_sem_Grant-White.png").exists());
    assert!(out.join("apa.md").exists());
}

#[test]
fn apa_tables_per_group() {
    let Some(data) = hs_path() else { return };
    let md = ok(&cipa(&[&base(&data)[..], &["--apa"]].concat()));
    let p = md
        .find("factor loadings (school = Pasteur)")
        .expect("group 1 table");
    let g = md
        .find("factor loadings (school = Grant-White)")
        .expect("group 2 table");
    assert!(p < g);
    assert!(md.contains("**Table 2**"), "{md}");
    // Grant-White's visual omega and AVE in its panel heading (semTools .661, .400).
    assert!(md.contains("visual (ω = .66, AVE = .40)"), "{md}");
    assert!(
        md.contains("Estimates of group Grant-White (n = 145)"),
        "{md}"
    );
}

#[test]
fn invariance_refuses_one_model_outputs() {
    let Some(data) = hs_path() else { return };
    for extra in [&["--apa"][..], &["--diagram", "x.svg"][..]] {
        let err = usage_error(&cipa(
            &[&base(&data)[..], &["--invariance"], extra].concat(),
        ));
        assert!(err.contains("--invariance fits four"), "{err}");
    }
}

const EQUAL_X2: &str =
    "visual =~ x1 + c(a, a)*x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9";

/// `--compare` under `--group`: lavTestLRT of the configural model and the one with x2's
/// loading labelled equal across schools (tests/golden/sem_hs_invariance/make_compare.R, both
/// fitted by lavaan's Gauss-Newton to 1e-14), ML and MLR, to 1e-6 relative.
fn check_compare(est: &str) {
    let Some(data) = hs_path() else { return };
    let dir = tempfile::tempdir().unwrap();
    let other = crate::common::cli::write(dir.path(), "equal.lav", EQUAL_X2);
    let o = other.display().to_string();
    let doc = json(&cipa(
        &[
            &base(&data)[..],
            &["--compare", &o, "--estimator", est, "--format", "json"],
        ]
        .concat(),
    ));
    let golden: Value = serde_json::from_str(
        &std::fs::read_to_string(
            common::golden_dir(&format!("sem_hs_invariance/{est}")).join("compare.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let rows = doc["lrt"]["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let want = if est == "ml" {
        "standard"
    } else {
        "satorra_bentler_2001"
    };
    assert_eq!(doc["lrt"]["method"], want);
    assert_eq!(rows[1]["model"], o.as_str());
    let mut keys = vec!["df", "aic", "bic", "chisq"];
    if est == "ml" {
        keys.push("rmsea");
    }
    for k in keys {
        for (i, r) in rows.iter().enumerate() {
            let Some(w) = golden[k][i].as_f64() else {
                continue;
            };
            let got = r[k].as_f64().unwrap_or(f64::NAN);
            assert!(
                (got - w).abs() <= 1e-6 * w.abs().max(1.0),
                "{est} {k}[{i}]: {got} vs {w}"
            );
        }
    }
    for k in ["chisq_diff", "df_diff", "pvalue"] {
        let w = golden[k][1].as_f64().unwrap();
        let got = rows[1][k].as_f64().unwrap();
        assert!(
            (got - w).abs() <= 1e-6 * w.abs().max(1e-3),
            "{est} {k}: {got} vs {w}"
        );
    }
    let text = ok(&cipa(
        &[&base(&data)[..], &["--compare", &o, "--estimator", est]].concat(),
    ));
    assert!(text.contains(&o), "{text}");
}

#[test]
fn compare_grouped_models_ml() {
    check_compare("ml");
}

#[test]
fn compare_grouped_models_mlr() {
    check_compare("mlr");
}

#[test]
fn compare_refuses_other_groups() {
    let Some(path) = hs_path() else { return };
    let data = common::read_data(std::path::Path::new(&path));
    let fit = |model: &str, column: &str| {
        let flat = cipa::spec::syntax::parse_flat("model", model).unwrap();
        let gopts = GroupOptions {
            column: column.into(),
            equal: vec![],
            partial: vec![],
        };
        groups::fit(&flat, &data, &SemOptions::default(), &gopts).unwrap()
    };
    let (a, b) = (fit(MODEL, "school"), fit(MODEL, "sex"));
    let err = cipa::sem::lrt::lrt_groups(&[("a", &a), ("b", &b)]).unwrap_err();
    assert!(err.to_string().contains("different groups"), "{err}");
}

#[test]
fn wald_with_invariance_names_the_levels_to_fit() {
    let Some(data) = hs_path() else { return };
    let err = usage_error(&cipa(
        &[&base(&data)[..], &["--invariance", "--wald", "a1 == a2"]].concat(),
    ));
    assert!(
        err.contains("scalar: loadings,intercepts") && err.contains("--group-equal"),
        "{err}"
    );
}

/// `--cluster` under `--group`: lavaan's `cluster = "cluster", group = "half"` with MLR on the
/// first 100 clusters of Demo.twolevel, `half` odd/even cluster numbers
/// (tests/golden/sem_groups_cluster/make.R, Gauss-Newton to 1e-14): every estimate and
/// cluster-robust SE of both groups and the scaled and robust fit measures to 1e-6 relative.
fn check_cluster(case: &str, model: &str) {
    let path = common::crate_root().join("tests/golden/sem_groups_cluster/data.csv");
    let data = common::read_data(&path);
    let flat = cipa::spec::syntax::parse_flat("model", model).unwrap();
    let gopts = GroupOptions {
        column: "half".into(),
        equal: vec![],
        partial: vec![],
    };
    let opts = SemOptions::lavaan(Estimator::Mlr, Missing::Listwise);
    let fit = groups::cluster::fit_clustered(&flat, &data, &opts, &gopts, "cluster").unwrap();
    let text = std::fs::read_to_string(
        common::golden_dir(&format!("sem_groups_cluster/{case}")).join("expected.json"),
    )
    .unwrap();
    let want: Value = serde_json::from_str(&text).unwrap();
    let rel = |got: f64, w: f64, what: &str| {
        assert!(
            (got - w).abs() <= 1e-6 * w.abs().max(1e-3),
            "{case} {what}: cipa {got}, lavaan {w}"
        );
    };
    assert_eq!(fit.cluster.len(), 2);
    assert_eq!(fit.cluster[0].clusters, 50);
    let params = want["parameters"].as_array().unwrap();
    for p in params {
        let (lhs, op, rhs) = (p["lhs"].as_str(), p["op"].as_str(), p["rhs"].as_str());
        let g = p["group"].as_u64().unwrap() as usize;
        let row = fit
            .parameters
            .iter()
            .find(|r| {
                r.group == g
                    && Some(r.row.lhs.as_str()) == lhs
                    && Some(r.row.op.as_str()) == op
                    && Some(r.row.rhs.as_str()) == rhs
            })
            .unwrap_or_else(|| panic!("{case}: no row {p}"));
        let what = format!("group {g} {lhs:?} {op:?} {rhs:?}");
        rel(
            row.row.est,
            p["est"].as_f64().unwrap(),
            &format!("{what} est"),
        );
        rel(row.row.se, p["se"].as_f64().unwrap(), &format!("{what} se"));
    }
    let f = &want["fit"];
    let s = fit.fit.scaled.as_ref().expect("MLR has a scaled test");
    rel(fit.fit.chisq, f["chisq"].as_f64().unwrap(), "chisq");
    rel(
        s.chisq_scaled,
        f["chisq.scaled"].as_f64().unwrap(),
        "chisq.scaled",
    );
    let c = f["chisq.scaling.factor"].as_f64().unwrap();
    rel(s.chisq_scaling_factor, c, "scaling factor");
    rel(
        s.pvalue_scaled,
        f["pvalue.scaled"].as_f64().unwrap(),
        "pvalue.scaled",
    );
    rel(
        s.cfi_robust,
        f["cfi.robust"].as_f64().unwrap(),
        "cfi.robust",
    );
    rel(
        s.tli_robust,
        f["tli.robust"].as_f64().unwrap(),
        "tli.robust",
    );
    rel(
        s.rmsea_robust,
        f["rmsea.robust"].as_f64().unwrap(),
        "rmsea.robust",
    );
    rel(
        s.cfi_scaled,
        f["cfi.scaled"].as_f64().unwrap(),
        "cfi.scaled",
    );
    rel(
        s.rmsea_scaled,
        f["rmsea.scaled"].as_f64().unwrap(),
        "rmsea.scaled",
    );
    let b = f["baseline.chisq.scaling.factor"].as_f64().unwrap();
    rel(
        s.baseline_chisq_scaling_factor,
        b,
        "baseline scaling factor",
    );
}

#[test]
fn cluster_robust_groups_match_lavaan_cfa() {
    check_cluster("cfa", "f1 =~ y1 + y2 + y3\nf2 =~ y4 + y5 + y6");
}

#[test]
fn cluster_robust_groups_match_lavaan_with_a_covariate() {
    check_cluster(
        "sem",
        "f1 =~ y1 + y2 + y3\nf2 =~ y4 + y5 + y6\nf2 ~ f1 + x1",
    );
}

#[test]
fn cluster_under_group_end_to_end() {
    let path = common::crate_root().join("tests/golden/sem_groups_cluster/data.csv");
    let data = path.display().to_string();
    let args = [
        "sem",
        "--data",
        &data,
        "--syntax",
        "f1 =~ y1 + y2 + y3\nf2 =~ y4 + y5 + y6",
        "--group",
        "half",
        "--cluster",
        "cluster",
    ];
    let err = usage_error(&cipa(&args));
    assert!(err.contains("--estimator mlr"), "{err}");
    let mlr = [&args[..], &["--estimator", "mlr"]].concat();
    let doc = json(&cipa(&[&mlr[..], &["--format", "json"]].concat()));
    assert_eq!(doc["cluster"][1]["clusters"], 50);
    assert_eq!(doc["options"]["cluster"], "cluster");
    let text = ok(&cipa(&mlr));
    assert!(text.contains("Clusters, odd"), "{text}");
    let err = usage_error(&cipa(&[&mlr[..], &["--invariance"]].concat()));
    assert!(err.contains("--cluster with --invariance"), "{err}");
}
