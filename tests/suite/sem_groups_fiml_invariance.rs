//! The measurement-invariance sequence under FIML (`invariance::invariance` with
//! `Missing::Fiml`) against lavaan 0.6-14's lavTestLRT of the four FIML fits
//! (tests/golden/sem_hs_groups_fiml_lrt, its make.R): HolzingerSwineford1939 across its two
//! schools with the cells of tests/golden/sem_hs_fiml/blank.csv blanked; plain chi-square
//! differences under ML, Satorra-Bentler (2001) scaled ones under MLR, and every level's test,
//! scaling factor, CFI and RMSEA, to the grouped FIML goldens' 1e-5 relative (sem_groups_fiml.rs).

use serde_json::Value;

use crate::common::{self, Checker};
use crate::sem_groups_fiml::blanked;
use cipa::sem::groups::{invariance, GroupOptions};
use cipa::sem::{Estimator, Missing, SemOptions};

const REL: f64 = 1e-5;

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

fn check(est: Estimator) {
    let file = if est == Estimator::Ml {
        "ml.json"
    } else {
        "mlr.json"
    };
    let path = common::golden_dir("sem_hs_groups_fiml_lrt").join(file);
    let exp: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("golden")).expect("JSON");
    let Some(data) = blanked() else {
        return;
    };
    let flat = cipa::spec::syntax::parse_flat("model", exp["model"].as_str().expect("model"))
        .unwrap_or_else(|e| panic!("{e}"));
    let gopts = GroupOptions {
        column: "school".into(),
        ..GroupOptions::default()
    };
    let opts = SemOptions::lavaan(est, Missing::Fiml);
    let inv = invariance::invariance(&flat, &data, &opts, &gopts).unwrap_or_else(|e| panic!("{e}"));
    let mut c = Checker::new(format!("sem_hs_groups_fiml_lrt/{file}"));
    let method = if est == Estimator::Ml {
        "chisq"
    } else {
        "satorra.bentler.2001"
    };
    c.eq("method", inv.method, method);
    let rows = exp["lrt"].as_array().expect("lrt");
    let levels = exp["levels"].as_array().expect("levels");
    c.eq("levels", inv.levels.len(), rows.len());
    for (k, ((l, e), v)) in inv.levels.iter().zip(rows).zip(levels).enumerate() {
        let name = l.name.as_str();
        c.eq(
            format!("{name} name"),
            name,
            e["model"].as_str().unwrap_or(""),
        );
        c.eq(format!("{name} df"), l.df, num(&e["df"]));
        c.num_tol(format!("{name} chisq"), l.chisq, num(&e["chisq"]), REL);
        c.num_tol(format!("{name} pvalue"), l.pvalue, num(&v["pvalue"]), 5e-5);
        c.num_tol(format!("{name} cfi"), l.cfi, num(&v["cfi"]), REL);
        c.num_tol(format!("{name} rmsea"), l.rmsea, num(&v["rmsea"]), REL);
        match est {
            Estimator::Ml => c.eq(format!("{name} unscaled"), l.chisq_scaled, None),
            Estimator::Mlr => {
                let scaled = l.chisq_scaled.unwrap_or(f64::NAN);
                c.num_tol(
                    format!("{name} chisq_scaled"),
                    scaled,
                    num(&v["chisq_scaled"]),
                    REL,
                );
                let sf = l.scaling_factor.unwrap_or(f64::NAN);
                c.num_tol(
                    format!("{name} scaling"),
                    sf,
                    num(&v["scaling_factor"]),
                    REL,
                );
            }
        }
        match &l.diff {
            None => c.eq(format!("{name} no diff"), e["chisq_diff"].is_null(), true),
            Some(d) => {
                let want = num(&e["chisq_diff"]);
                let tol = REL * sb2001_condition(est, &levels[k - 1], v);
                c.num_tol(format!("{name} chisq_diff"), d.chisq_diff, want, tol);
                c.eq(format!("{name} df_diff"), d.df_diff, num(&e["df_diff"]));
                // The upper chi-square tail falls like e^(−T/2): a relative error ε in T is
                // about ε·T/2 in p (as sem_groups.rs).
                let tol = REL * (1.0 + d.chisq_diff / 2.0);
                c.num_tol(format!("{name} p"), d.pvalue, num(&e["pvalue"]), tol);
            }
        }
    }
    c.finish();
}

/// How the Satorra-Bentler (2001) difference magnifies a relative error in the two scaling
/// factors: c_d = (df₀c₀ − df₁c₁)/(df₀ − df₁), so a relative ε in c₀ and c₁ moves c_d (and
/// T_d) by up to ε·(df₀c₀ + df₁c₁)/|df₀c₀ − df₁c₁| (metric against configural: 12.8; lavaan's
/// scaling factors carry its θ̂'s ~1e-6, sem_groups_fiml.rs). 1 for plain differences.
fn sb2001_condition(est: Estimator, less: &Value, more: &Value) -> f64 {
    if est == Estimator::Ml {
        return 1.0;
    }
    let dc = |v: &Value| num(&v["df"]) * num(&v["scaling_factor"]);
    ((dc(more) + dc(less)) / (dc(more) - dc(less)).abs()).max(1.0)
}

#[test]
fn hs_groups_fiml_invariance_ml() {
    check(Estimator::Ml);
}

#[test]
fn hs_groups_fiml_invariance_mlr() {
    check(Estimator::Mlr);
}
