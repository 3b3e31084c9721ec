//! Firms in countries (issue 12's proof on the field's own data): the framework's latent
//! mediation on data from designs/framework_countries.toml (firms in 40 countries, a country
//! random intercept on collaboration activity and export performance), fitted with
//! `--cluster country --estimator mlr` against lavaan 0.6-14's `cluster = "country"`,
//! `estimator = "MLR"` (tests/golden/sem_framework_cluster, made by its make.R) to 1e-6 as
//! tests/suite/sem_cluster.rs, and the cluster-blind MLR fit of the same data, whose smaller
//! SEs show what the clustering changes. data.csv is `cipa simulate --design
//! designs/framework_countries.toml --n 1000 --seed 1`: the first test regenerates it byte for
//! byte. `cipa simulate` writes the `country` column and names it in the truth.

use cipa::sem::{self, Estimator, Missing, SemOptions};
use serde_json::Value;

use crate::common;
use crate::sem_golden::check_fit;

const CASE: &str = "sem_framework_cluster";
const REL: f64 = 1e-6;
const DESIGN: &str = "designs/framework_countries.toml";

fn expected(fit: &str) -> Value {
    let path = common::golden_dir(CASE).join(fit).join("expected.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("expected.json")).expect("JSON")
}

fn data_path() -> std::path::PathBuf {
    common::golden_dir(CASE).join("data.csv")
}

fn fit(exp: &Value, cluster: Option<&str>) -> sem::SemFit {
    let d = common::read_data(&data_path());
    let flat = cipa::spec::syntax::parse_flat(CASE, exp["model"].as_str().expect("model"))
        .unwrap_or_else(|e| panic!("{e}"));
    let opts = SemOptions::lavaan(Estimator::Mlr, Missing::Listwise);
    match cluster {
        Some(c) => sem::cluster::fit_clustered(&flat, &d, &opts, c),
        None => sem::fit(&flat, &d, &opts),
    }
    .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn data_is_the_simulators_output_for_seed_1() {
    let design = cipa::simulate::Design::read(&common::crate_root().join(DESIGN))
        .unwrap_or_else(|e| panic!("{e}"));
    let sim = cipa::simulate::generate(&design, 1000, 1).unwrap_or_else(|e| panic!("{e}"));
    let committed = std::fs::read_to_string(data_path()).expect("data.csv");
    assert!(
        sim.to_csv() == committed,
        "`cipa simulate --design {DESIGN} --n 1000 --seed 1` no longer writes \
         tests/golden/{CASE}/data.csv: if the simulator changed on purpose, rewrite data.csv \
         and rerun make.R there"
    );
}

#[test]
fn cluster_robust_mlr_equals_lavaan() {
    let exp = expected("cluster");
    let f = fit(&exp, Some("country"));
    let info = f.cluster.clone().expect("cluster info");
    assert_eq!((info.clusters, info.variable.as_str()), (40, "country"));
    check_fit(&format!("{CASE}/cluster"), &f, &exp, REL);
}

/// The same model without --cluster is lavaan's plain MLR; the country random intercepts make
/// the clustered SE of the second stage (perf ~ collab_act) larger than the cluster-blind one.
#[test]
fn cluster_blind_mlr_equals_lavaan_and_understates_the_se() {
    let exp = expected("mlr");
    let blind = fit(&exp, None);
    check_fit(&format!("{CASE}/mlr"), &blind, &exp, REL);
    let clustered = fit(&expected("cluster"), Some("country"));
    let se = |f: &sem::SemFit| {
        f.parameters
            .iter()
            .find(|r| r.lhs == "perf" && r.op == "~" && r.rhs == "collab_act")
            .map(|r| r.se)
            .expect("perf ~ collab_act")
    };
    assert!(
        se(&clustered) > 1.3 * se(&blind),
        "{} vs {}",
        se(&clustered),
        se(&blind)
    );
}

/// `cipa sem --cluster country --estimator mlr`: the JSON parameters and scaled test are
/// lavaan's.
#[test]
fn cli_cluster_equals_lavaan() {
    use crate::common::cli::{cipa, json};
    let exp = expected("cluster");
    let data = data_path().display().to_string();
    let doc = json(&cipa(&[
        "sem",
        "--data",
        &data,
        "--syntax",
        exp["model"].as_str().unwrap(),
        "--cluster",
        "country",
        "--estimator",
        "mlr",
        "--format",
        "json",
    ]));
    let mut c = common::Checker::new(format!("{CASE} CLI"));
    let num = |v: &Value| v.as_f64().unwrap_or(f64::NAN);
    c.num(
        "chisq_scaled",
        num(&doc["fit"]["chisq_scaled"]),
        num(&exp["fit"]["chisq_scaled"]),
    );
    let rows = doc["parameters"].as_array().unwrap();
    for e in exp["parameters"].as_array().unwrap() {
        let what = format!("{} {} {}", e["lhs"], e["op"], e["rhs"]);
        let Some(r) = rows
            .iter()
            .find(|r| r["lhs"] == e["lhs"] && r["op"] == e["op"] && r["rhs"] == e["rhs"])
        else {
            c.fail(format!("{what}: not in cipa's JSON"));
            continue;
        };
        // Values near zero on their SE's scale, as sem_golden.rs.
        let (est, se) = (num(&e["est"]), num(&e["se"]));
        let tol = REL * se.max(est.abs()) / est.abs().max(1e-300);
        c.num_tol(format!("{what} est"), num(&r["est"]), est, tol);
        if se > 0.0 {
            c.num_tol(format!("{what} se"), num(&r["se"]), se, REL);
        }
    }
    c.finish();
}

/// `cipa simulate --design designs/framework_countries.toml` writes the country id after
/// firm_id, 40 countries, and the truth echoes the design's cluster and random intercepts; the
/// default design has neither.
#[test]
fn simulate_writes_the_country_column_and_names_it_in_the_truth() {
    use crate::common::cli::{cipa_in, ok};
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("firms.csv");
    let out_s = out.display().to_string();
    let root = common::crate_root();
    let args = [
        "simulate",
        "--design",
        DESIGN,
        "--n",
        "300",
        "--seed",
        "5",
        "--population-n",
        "0",
        "--out",
        &out_s,
    ];
    ok(&cipa_in(&root, &args));
    let csv = std::fs::read_to_string(&out).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    assert_eq!(&header[..2], ["firm_id", "country"]);
    let ids: std::collections::BTreeSet<u32> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap().parse().unwrap())
        .collect();
    assert!(
        ids.len() > 30 && ids.iter().all(|&i| (1..=40).contains(&i)),
        "{ids:?}"
    );
    let truth: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("firms.truth.json")).unwrap(),
    )
    .unwrap();
    let cl = &truth["cluster"];
    assert_eq!(cl["column"], "country");
    assert_eq!(cl["clusters"], 40);
    assert_eq!(cl["random_intercepts"][0]["term"], "collab");
    assert_eq!(cl["random_intercepts"][1]["value"], 0.5);
    let plain = dir.path().join("plain.csv");
    let plain_s = plain.display().to_string();
    ok(&cipa_in(
        &root,
        &[
            "simulate",
            "--n",
            "20",
            "--seed",
            "5",
            "--population-n",
            "0",
            "--out",
            &plain_s,
        ],
    ));
    let csv = std::fs::read_to_string(&plain).unwrap();
    assert!(!csv.lines().next().unwrap().contains("country"));
    let truth = std::fs::read_to_string(dir.path().join("plain.truth.json")).unwrap();
    assert!(!truth.contains("\"cluster\""), "{truth}");
}
