//! Conditional indirect effects of `cipa sem` (a := naming an observed moderator, probed at its
//! values) and the observed product term `negtone:negexp`, against lavaan 0.6-14 with the probe
//! values substituted by hand (tests/golden/sem_condind/make.R: PROCESS model 14 on Hayes's
//! teams data). Estimates and delta-method SEs to 1e-5 relative.

use serde_json::Value;

use crate::common::{self, Checker};
use cipa::analysis::sem_probe;
use cipa::effects::probe::ProbeMethod;
use cipa::sem::{self, Missing, SemOptions};

const REL: f64 = 1e-5;
const MODEL: &str = "negtone ~ a*dysfunc
perform ~ cp*dysfunc + b1*negtone + b2*negexp + b3*negtone:negexp
ind_w := a*b1 + a*b3*negexp";

fn expected() -> Option<(Value, cipa::data::Dataset)> {
    let dir = common::golden_dir("sem_condind");
    let text = std::fs::read_to_string(dir.join("expected.json")).expect("expected.json");
    let exp: Value = serde_json::from_str(&text).expect("valid JSON");
    let rel = exp["data"].as_str().expect("data path");
    let path = common::shared_or_skip_file(rel.trim_start_matches("../shared/"))?;
    Some((exp, common::read_data(&path)))
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

/// The fit of MODEL probed by `method`, checked against lavaan's := rows `prefix_1..3` and
/// `imm`, and every model row.
fn check(method: ProbeMethod, values_key: &str, prefix: &str) {
    let Some((exp, data)) = expected() else {
        return;
    };
    let flat = cipa::spec::syntax::parse_flat("sem_condind", MODEL).expect("model parses");
    let data = sem::products::with_products(&flat, &data).expect("products");
    let (flat, probed) =
        sem_probe::expand(&flat, &data, Missing::Listwise, &method).expect("expands");
    let fit = sem::fit(&flat, &data, &SemOptions::default()).expect("fits");
    let mut c = Checker::new(format!("sem_condind {values_key}"));
    assert_eq!(probed.len(), 1);
    let p = &probed[0];
    assert_eq!(p.moderator, "negexp");
    let want: Vec<f64> = exp[values_key]
        .as_array()
        .expect("values")
        .iter()
        .map(num)
        .collect();
    assert_eq!(p.values.len(), want.len());
    for (k, (g, w)) in p.values.iter().zip(&want).enumerate() {
        c.num_tol(format!("probe value {k}"), *g, *w, 1e-12);
    }
    let mut want_names: Vec<String> = (1..=3).map(|k| format!("{prefix}_{k}")).collect();
    want_names.push("imm".into());
    let mut got_names = p.rows.clone();
    got_names.push(p.index.clone().expect("linear in W: an index"));
    let rows = exp["parameters"].as_array().expect("parameters");
    for (got, want) in got_names.iter().zip(&want_names) {
        let e = rows
            .iter()
            .find(|r| r["lhs"] == want.as_str())
            .expect("lavaan row");
        let g = fit
            .parameters
            .iter()
            .find(|r| &r.lhs == got)
            .unwrap_or_else(|| panic!("no := row {got}"));
        c.num_tol(format!("{got} est"), g.est, num(&e["est"]), REL);
        c.num_tol(format!("{got} se"), g.se, num(&e["se"]), REL);
    }
    for e in rows.iter().filter(|r| r["op"] != ":=") {
        let key = |r: &cipa::sem::ParameterRow| {
            r.lhs == e["lhs"].as_str().unwrap_or("")
                && r.op == e["op"].as_str().unwrap_or("")
                && r.rhs == e["rhs"].as_str().unwrap_or("")
        };
        match fit.parameters.iter().find(|r| key(r)) {
            Some(g) => {
                let what = format!("{} {} {}", g.lhs, g.op, g.rhs);
                c.num_tol(format!("{what} est"), g.est, num(&e["est"]), REL);
                c.num_tol(format!("{what} se"), g.se, num(&e["se"]), REL);
            }
            None => c.fail(format!("no row {} {} {}", e["lhs"], e["op"], e["rhs"])),
        }
    }
    let ov: Vec<String> = exp["observed_variables"]
        .as_array()
        .expect("ov")
        .iter()
        .map(|v| v.as_str().unwrap_or("").to_string())
        .collect();
    c.eq("observed variables", fit.observed.clone(), ov);
    c.finish();
}

#[test]
fn percentiles_match_lavaan_with_the_values_substituted() {
    check(ProbeMethod::Percentiles, "percentiles", "ind_w");
}

#[test]
fn mean_sd_matches_lavaan_with_the_values_substituted() {
    check(ProbeMethod::MeanSd, "mean_sd", "ind_msd");
}

/// A product with a latent factor is no observed product column but a latent interaction
/// (issue 12; tests/suite/sem_dmc.rs).
#[test]
fn a_latent_product_term_is_a_latent_interaction() {
    let csv = "x1,x2,x3,w,y\n1,2,3,1,2\n2,1,3,2,3\n3,3,1,1,1\n4,2,2,2,5\n";
    let data = cipa::data::read_csv_str("t.csv", csv, b',', &Default::default()).unwrap();
    let flat = cipa::spec::syntax::parse_flat("t", "f =~ x1 + x2 + x3\ny ~ f + w + f:w").unwrap();
    let observed = sem::products::with_products(&flat, &data).unwrap();
    assert!(!observed.contains("f:w"));
    let opts = SemOptions::default();
    let ex = sem::interaction::expand(&flat, &data, &opts.interaction, opts.missing).unwrap();
    assert_eq!(ex.products[0].name, "f:w");
    assert!(ex.data.contains("x1:w"));
}
