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
