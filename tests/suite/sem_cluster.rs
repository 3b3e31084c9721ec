//! Cluster-robust MLR against lavaan 0.6-14's `cluster =` on a single-level model
//! (tests/golden/sem_cluster, made by its make.R on the first 100 clusters of lavaan's
//! Demo.twolevel): every parameter row (SEs from the cluster-summed meat), every fit measure
//! (the Yuan-Bentler test from the clustered Γ and meat, the baseline's too, and the scaled and
//! robust indices) to 1e-6; with a fixed.x covariate; and with only 12 clusters (fewer clusters
//! than parameters: the meat is singular, the SEs still as lavaan's); and under FIML.

use cipa::sem::{self, Estimator, Missing, SemOptions};
use serde_json::Value;

use crate::common;
use crate::sem_golden::check_fit;

const REL: f64 = 1e-6;

fn expected(case: &str) -> Value {
    let path = common::golden_dir("sem_cluster")
        .join(case)
        .join("expected.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("expected.json")).expect("JSON")
}

fn data(exp: &Value) -> cipa::data::Dataset {
    let rel = exp["data"].as_str().expect("data path");
    common::read_data(&common::crate_root().join(rel))
}

/// The case's rows: every row of data.csv, or for "few" those of clusters 1-12 (make.R's
/// subset).
fn fit_case(case: &str) -> (sem::SemFit, Value) {
    let exp = expected(case);
    let mut d = data(&exp);
    if case == "few" {
        let ids = d.numeric("cluster").expect("cluster column").to_vec();
        let rows: Vec<usize> = (0..ids.len()).filter(|&r| ids[r] <= 12.0).collect();
        d = d.take_rows(&rows);
    }
    let flat = cipa::spec::syntax::parse_flat(case, exp["model"].as_str().expect("model"))
        .unwrap_or_else(|e| panic!("{e}"));
    let missing = if case == "fiml" {
        Missing::Fiml
    } else {
        Missing::Listwise
    };
    let opts = SemOptions::lavaan(Estimator::Mlr, missing);
    let fit = sem::cluster::fit_clustered(&flat, &d, &opts, "cluster")
        .unwrap_or_else(|e| panic!("{case}: {e}"));
    (fit, exp)
}

#[test]
fn cluster_robust_cfa() {
    let (fit, exp) = fit_case("cfa");
    let info = fit.cluster.clone().expect("cluster info");
    assert_eq!(info.clusters, 100);
    assert_eq!(info.variable, "cluster");
    check_fit("sem_cluster/cfa", &fit, &exp, REL);
}

#[test]
fn cluster_robust_sem_with_fixed_x_covariate() {
    let (fit, exp) = fit_case("sem");
    check_fit("sem_cluster/sem", &fit, &exp, REL);
}

#[test]
fn cluster_robust_cfa_with_few_clusters() {
    let (fit, exp) = fit_case("few");
    assert_eq!(fit.cluster.as_ref().map(|c| c.clusters), Some(12));
    check_fit("sem_cluster/few", &fit, &exp, REL);
}

/// FIML (lavaan's `missing = "ml"` with `cluster =`): the casewise scores of the model, the h1
/// and the baseline summed within clusters; the FIML-corrected robust indices follow.
#[test]
fn cluster_robust_cfa_fiml() {
    let (fit, exp) = fit_case("fiml");
    assert_eq!(fit.cluster.as_ref().map(|c| c.clusters), Some(100));
    // lavaan's nlminb stops ~1e-6 short of the FIML optimum (its Gauss-Newton does not reach
    // it), as in tests/suite/sem_fiml.rs: 1e-5.
    check_fit("sem_cluster/fiml", &fit, &exp, 1e-5);
}

/// A missing cluster value, a single cluster and plain ML are typed errors saying what to do.
#[test]
fn cluster_input_errors() {
    let exp = expected("cfa");
    let d = data(&exp);
    let flat = cipa::spec::syntax::parse_flat("cfa", exp["model"].as_str().expect("model"))
        .expect("model");
    let mlr = SemOptions::lavaan(Estimator::Mlr, Missing::Listwise);
    let err = |d: &cipa::data::Dataset, opts: &SemOptions| {
        sem::cluster::fit_clustered(&flat, d, opts, "cluster")
            .expect_err("an error")
            .to_string()
    };
    let mut ids = d.numeric("cluster").expect("cluster").to_vec();
    ids[4] = f64::NAN;
    let mut holed = d.clone();
    holed
        .set(cipa::data::Variable::numeric("cluster", ids.clone()))
        .expect("column");
    assert!(
        err(&holed, &mlr).contains("missing on line 6"),
        "{}",
        err(&holed, &mlr)
    );
    // Clusters 1-5 with one id: enough rows to fit, one cluster.
    let rows: Vec<usize> = (0..ids.len()).filter(|&r| ids[r] <= 5.0).collect();
    let mut merged = d.take_rows(&rows);
    merged
        .set(cipa::data::Variable::numeric(
            "cluster",
            vec![1.0; rows.len()],
        ))
        .expect("column");
    let one = err(&merged, &mlr);
    assert!(one.contains("one cluster"), "{one}");
    let ml = SemOptions::lavaan(Estimator::Ml, Missing::Listwise);
    assert!(err(&d, &ml).contains("--estimator mlr"));
    let e = sem::cluster::fit_clustered(&flat, &d, &mlr, "country").expect_err("unknown");
    assert!(e.to_string().contains("country"), "{e}");
}

/// `cipa sem --cluster VAR`: the JSON's `cluster` block and SEs are the library's (hence
/// lavaan's); with two clusters (HolzingerSwineford1939's schools) the report warns; without
/// --estimator mlr it is a usage error naming the flag.
#[test]
fn cli_cluster() {
    use crate::common::cli::{cipa, json, ok};
    let (lib, exp) = fit_case("cfa");
    let data = common::crate_root()
        .join(exp["data"].as_str().expect("data"))
        .display()
        .to_string();
    let model = exp["model"].as_str().expect("model");
    let args = [
        "sem",
        "--data",
        &data,
        "--syntax",
        model,
        "--estimator",
        "mlr",
        "--cluster",
        "cluster",
    ];
    let doc = json(&cipa(&common::cli::with(&args, &["--format", "json"])));
    assert_eq!(doc["cluster"]["clusters"], 100);
    assert_eq!(doc["options"]["cluster"], "cluster");
    let se = doc["parameters"][1]["se"].as_f64().expect("se");
    assert_eq!(se, lib.parameters[1].se);
    let text = ok(&cipa(&args));
    assert!(
        text.contains("Clusters") && text.contains("100 of 'cluster'"),
        "{text}"
    );
    let no_mlr = cipa(&[
        "sem",
        "--data",
        &data,
        "--syntax",
        model,
        "--cluster",
        "cluster",
    ]);
    assert!(!no_mlr.status.success());
    assert!(common::cli::stderr(&no_mlr).contains("--estimator mlr"));
    let Some(hs) = common::shared_or_skip_file("datasets/lavaan_pkg/HolzingerSwineford1939.csv")
    else {
        return;
    };
    let text = ok(&cipa(&[
        "sem",
        "--data",
        hs.to_str().expect("path"),
        "--syntax",
        "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6",
        "--estimator",
        "mlr",
        "--cluster",
        "school",
    ]));
    assert!(text.contains("only 2 clusters of 'school'"), "{text}");
}
