//! Cluster-robust MLR with groups under FIML (`groups::cluster::fit_clustered` with
//! `Missing::Fiml`) against lavaan 0.6-14's `sem(..., estimator = "MLR", missing = "ml",
//! group = "half", cluster = "cluster")` (tests/golden/sem_groups_cluster_fiml, its make.R):
//! the first 100 clusters of Demo.twolevel with 6% of each item blanked, `half` odd/even
//! cluster numbers. Every parameter column of both groups and every fit measure (the scaled
//! test, robust CFI/TLI/RMSEA from the cluster-summed casewise scores). lavaan's default
//! optimizer stops short of the FIML optimum (nlminb, rel.tol 1e-10), so the tolerances are the
//! grouped FIML goldens' (sem_groups_fiml.rs): parameters 1e-4, fit measures 1e-5, p-values 5e-5.

use serde_json::Value;

use crate::common::{self, Checker};
use crate::sem_groups::check_parameters;
use cipa::sem::groups::{self, GroupOptions};
use cipa::sem::{Estimator, Missing, SemOptions};

const PARAM_REL: f64 = 1e-4;
const REL: f64 = 1e-5;

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

fn check(case: &str) {
    let dir = common::golden_dir("sem_groups_cluster_fiml");
    let data = common::read_data(&dir.join("data.csv"));
    let text = std::fs::read_to_string(dir.join(case).join("expected.json")).expect("golden");
    let exp: Value = serde_json::from_str(&text).expect("valid JSON");
    let flat = cipa::spec::syntax::parse_flat("model", exp["model"].as_str().expect("model"))
        .unwrap_or_else(|e| panic!("{e}"));
    let gopts = GroupOptions {
        column: "half".into(),
        ..GroupOptions::default()
    };
    let opts = SemOptions::lavaan(Estimator::Mlr, Missing::Fiml);
    let fit = groups::cluster::fit_clustered(&flat, &data, &opts, &gopts, "cluster")
        .unwrap_or_else(|e| panic!("{e}"));
    let mut c = Checker::new(format!("sem_groups_cluster_fiml/{case}"));
    c.eq("clusters per group", fit.cluster.len(), 2);
    c.eq(
        "clusters",
        fit.cluster.iter().map(|k| k.clusters).sum::<usize>(),
        100,
    );
    let n: Vec<f64> = fit.groups.iter().map(|g| g.n as f64).collect();
    let n_exp: Vec<f64> = exp["n"].as_array().expect("n").iter().map(num).collect();
    c.eq("n", n, n_exp);
    check_parameters(&mut c, &fit, &exp["parameters"], PARAM_REL);
    let chisq = num(&exp["fit"]["chisq"]);
    if fit.fit.chisq > chisq * (1.0 + 1e-12) {
        c.fail(format!(
            "cipa's chisq {} above lavaan's {chisq}",
            fit.fit.chisq
        ));
    }
    let pairs = fit.fit.pairs();
    for (name, v) in &pairs {
        let e = &exp["fit"][*name];
        if e.is_null() && v.is_nan() {
            continue;
        }
        // A p-value magnifies the ~1e-6 relative error of lavaan's T by |d ln p/d ln T|, which
        // grows in the far tail (sem's scaled close-fit p of 1.2e-7 differs by 5.3e-5
        // relative): 5e-5 relative, or 1e-10 absolute.
        let tol = match name.contains("pvalue") {
            true => 5e-5_f64.max(1e-10 / num(e).abs().max(1e-300)),
            false => REL,
        };
        c.num_tol(*name, *v, num(e), tol);
    }
    let has = |n: &str| pairs.iter().any(|(k, _)| *k == n);
    c.eq("chisq_scaled reported", has("chisq_scaled"), true);
    c.eq("cfi_robust reported", has("cfi_robust"), true);
    c.finish();
}

#[test]
fn groups_cluster_fiml_cfa() {
    check("cfa");
}

/// With a fixed.x covariate (x1, complete): its moments masked in each group's h1 pieces.
#[test]
fn groups_cluster_fiml_sem() {
    check("sem");
}
