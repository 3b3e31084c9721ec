//! Mediation through a curvilinear path (issue 15): `fit` with `coop ~ log_size + log_size^2` and
//! `export ~ log_size + coop`, the instantaneous indirect effect θ(x) = (a1 + 2 a2 x) b of Hayes
//! and Preacher (2010, MEDCURVE) against the `medcurve` block of
//! tests/golden/curvilinear_size_coop/expected.json (R's lm), and the conditional effect of X in
//! its own squared equation (a1 + 2 a2 x) with Johnson-Neyman.

use serde_json::Value;

use crate::common::cli::{cipa, json, usage_error, write};
use crate::common::{golden_dir, Checker};

const CASE: &str = "curvilinear_size_coop";
const MODEL: &str = "coop ~ a1*log_size + a2*log_size^2\nexport ~ log_size + b*coop\n";

fn expected() -> Value {
    let path = golden_dir(CASE).join("expected.json");
    let e: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    e["medcurve"].clone()
}

fn nums(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn fit(extra: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let model = write(dir.path(), "medcurve.cipa", MODEL);
    let data = golden_dir(CASE).join("data.csv");
    let (model, data) = (model.display().to_string(), data.display().to_string());
    let mut args = vec!["fit", "--data", &data, "--spec", &model, "--format", "json"];
    args.extend_from_slice(extra);
    json(&cipa(&args))
}

fn effects<'a>(j: &'a Value, list: &str) -> Vec<&'a Value> {
    j["effects"][list].as_array().unwrap().iter().collect()
}

#[test]
fn instantaneous_indirect_effects_match_r_at_given_x() {
    let e = expected();
    let at = nums(&e["at"]);
    let xvals = at
        .iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let j = fit(&["--xvals", &xvals, "--boot", "500", "--seed", "7"]);
    let mut c = Checker::new(format!("{CASE} medcurve"));
    let indirect = effects(&j, "indirect");
    c.eq("indirect effects", indirect.len(), at.len());
    let theta = nums(&e["theta"]);
    for (k, (r, t)) in indirect.iter().zip(&theta).enumerate() {
        c.num(
            format!("theta({})", at[k]),
            r["effect"].as_f64().unwrap(),
            *t,
        );
        let (lo, hi) = (
            r["ci_lower"].as_f64().unwrap(),
            r["ci_upper"].as_f64().unwrap(),
        );
        c.eq(
            format!("interval around theta({})", at[k]),
            lo < *t && *t < hi,
            true,
        );
        c.num(
            format!("probed at x = {}", at[k]),
            r["moderators"]["log_size"].as_f64().unwrap_or(f64::NAN),
            at[k],
        );
    }
    let direct = effects(&j, "direct");
    c.eq("one direct effect", direct.len(), 1);
    c.num(
        "direct",
        direct[0]["effect"].as_f64().unwrap(),
        e["direct"].as_f64().unwrap(),
    );
    // No index of moderated mediation for an effect that changes with X itself.
    c.eq(
        "no index",
        j["effects"]["index_of_moderated_mediation"]
            .as_array()
            .map_or(0, Vec::len),
        0,
    );
    c.finish();
}

#[test]
fn x_in_its_square_has_conditional_effects_and_johnson_neyman() {
    let e = expected();
    let (a1, a2) = (e["a1"].as_f64().unwrap(), e["a2"].as_f64().unwrap());
    let at = nums(&e["at"]);
    let xvals = at
        .iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let j = fit(&["--xvals", &xvals, "--boot", "0", "--jn"]);
    let mut c = Checker::new(format!("{CASE} conditional slope of x"));
    let cond = j["conditional_effects"].as_array().unwrap();
    let row = cond
        .iter()
        .find(|r| r["outcome"] == "coop" && r["focal"] == "log_size")
        .expect("conditional effects of log_size on coop");
    let rows = row["rows"].as_array().unwrap();
    c.eq("rows", rows.len(), at.len());
    for (r, x) in rows.iter().zip(&at) {
        c.num(
            format!("a1 + 2 a2 x at {x}"),
            r["effect"].as_f64().unwrap(),
            a1 + 2.0 * a2 * x,
        );
    }
    let jn = j["johnson_neyman"].as_array().unwrap();
    let region = jn
        .iter()
        .find(|r| r["outcome"] == "coop")
        .expect("Johnson-Neyman of log_size in its square");
    // Along X the slope is a1 + 2 a2 x (the 2 from the power rule), significant away from the
    // turning point -a1 / (2 a2) and not at it.
    for r in region["table"].as_array().unwrap() {
        let x = r["value"].as_f64().unwrap();
        c.num(
            format!("JN slope at {x}"),
            r["effect"].as_f64().unwrap(),
            a1 + 2.0 * a2 * x,
        );
    }
    let tp = -a1 / (2.0 * a2);
    let points = nums(&region["points"]);
    c.eq("a boundary inside the range", points.is_empty(), false);
    let nearest = region["table"]
        .as_array()
        .unwrap()
        .iter()
        .min_by(|a, b| {
            let d = |r: &&Value| (r["value"].as_f64().unwrap() - tp).abs();
            d(a).total_cmp(&d(b))
        })
        .unwrap();
    c.eq(
        "not significant near the turning point",
        nearest["p"].as_f64().unwrap() > 0.05,
        true,
    );
    c.finish();
}

#[test]
fn x_is_probed_at_mean_and_sd_by_default() {
    let j = fit(&["--boot", "0"]);
    let data = crate::common::read_data(&golden_dir(CASE).join("data.csv"));
    let x = data.numeric("log_size").unwrap();
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    let sd = (x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let e = expected();
    let (a1, a2, b) = (
        e["a1"].as_f64().unwrap(),
        e["a2"].as_f64().unwrap(),
        e["b"].as_f64().unwrap(),
    );
    let mut c = Checker::new(format!("{CASE} medcurve at mean ± SD"));
    let indirect = effects(&j, "indirect");
    c.eq("three probes", indirect.len(), 3);
    for (r, x) in indirect.iter().zip([mean - sd, mean, mean + sd]) {
        c.num_tol(
            format!("theta({x})"),
            r["effect"].as_f64().unwrap(),
            (a1 + 2.0 * a2 * x) * b,
            1e-9,
        );
    }
    c.finish();
}

#[test]
fn a_power_of_a_mediator_and_xvals_without_a_power_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = golden_dir(CASE).join("data.csv").display().to_string();
    let m2 = write(
        dir.path(),
        "m2.cipa",
        "coop ~ log_size\nexport ~ log_size + coop + coop^2\n",
    );
    let m2 = m2.display().to_string();
    let msg = usage_error(&cipa(&[
        "fit", "--data", &data, "--spec", &m2, "--boot", "0",
    ]));
    assert!(msg.contains("power of 'coop'"), "{msg}");
    let lin = write(
        dir.path(),
        "lin.cipa",
        "coop ~ log_size\nexport ~ log_size + coop\n",
    );
    let lin = lin.display().to_string();
    let msg = usage_error(&cipa(&[
        "fit", "--data", &data, "--spec", &lin, "--boot", "0", "--xvals", "3,4",
    ]));
    assert!(msg.contains("--xvals"), "{msg}");
}
