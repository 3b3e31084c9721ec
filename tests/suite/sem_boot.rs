//! The SEM bootstrap against lavaan 0.6-14 (tests/golden/sem_hs_mediation_boot, made by its
//! make.R: `sem(..., se = "bootstrap", bootstrap = 2000)` percentile intervals and the
//! Bollen-Stine p value of `bootstrapLavaan(type = "bollen.stine", R = 1000)`).
//!
//! R's random streams cannot be reproduced, so the two bootstraps are independent Monte Carlo
//! estimates of the same quantities and are compared within bounds on their difference, four
//! standard deviations (with ~50 compared numbers, a false alarm has probability below 0.5%):
//!
//! - a bootstrap SE s from B draws has Var(s)/σ² ≈ (κ − 1)/(4B), κ the draws' kurtosis
//!   (3 for normal draws: 1/(2B)); κ is estimated from cipa's own draws, since several of these
//!   sampling distributions (the loading of x9) are far from normal;
//! - a q-quantile from B draws has SD √(q(1 − q)/B)/f(x_q); the density f at the quantile is
//!   estimated from cipa's draws by the spacing of order statistics around it (Siddiqui 1960;
//!   Bloch & Gastwirth 1968): 1/f ≈ (x_(q+h) − x_(q−h)) / (2h), h = 0.02;
//! - Bollen-Stine: lavaan's count of T* ≥ T was 0 of 1000. Given the pooled count x of both
//!   runs (the same p), the chance that all x fell in cipa's B draws is (B / (B + 1000))^x; cipa's
//!   count must keep that above 0.2%.

use serde_json::Value;

use crate::common;
use cipa::inference::resample::{CiMethod, Draws};
use cipa::sem::resample::{bootstrap, SemBootOptions, SemBootstrap};
use cipa::sem::{self, SemOptions};

const B: usize = 1000;
const LAVAAN_B: f64 = 2000.0;
const SDS: f64 = 4.0;

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

fn sorted(d: &Draws, j: usize) -> Vec<f64> {
    let mut x = d.column(j);
    x.sort_by(f64::total_cmp);
    x
}

/// The q-quantile of sorted draws (nearest order statistic).
fn quantile(x: &[f64], q: f64) -> f64 {
    let k = ((x.len() as f64 * q).round() as usize).clamp(1, x.len());
    x[k - 1]
}

/// The draws' kurtosis E(x − μ)⁴ / σ⁴.
fn kurtosis(x: &[f64]) -> f64 {
    let n = x.len() as f64;
    let m = x.iter().sum::<f64>() / n;
    let m2 = x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / n;
    let m4 = x.iter().map(|v| (v - m).powi(4)).sum::<f64>() / n;
    m4 / (m2 * m2)
}

/// The SD of the difference of two independent q-quantile estimates from `b` and `lavaan_b`
/// draws.
fn quantile_sd(x: &[f64], q: f64, b: f64, lavaan_b: f64) -> f64 {
    let h = 0.02;
    let inv_f = (quantile(x, q + h) - quantile(x, q - h)) / (2.0 * h);
    (q * (1.0 - q) * (1.0 / b + 1.0 / lavaan_b)).sqrt() * inv_f
}

#[test]
fn bootstrap_and_bollen_stine_agree_with_lavaan() {
    let dir = common::golden_dir("sem_hs_mediation_boot");
    let text = std::fs::read_to_string(dir.join("expected.json")).expect("expected.json");
    let exp: Value = serde_json::from_str(&text).expect("valid JSON");
    let data_rel = exp["data"].as_str().expect("data path");
    let Some(path) = common::shared_or_skip_file(data_rel.trim_start_matches("../shared/")) else {
        return;
    };
    let data = common::read_data(&path);
    let model = exp["model"].as_str().expect("model");
    let flat = cipa::spec::syntax::parse_flat("boot", model).expect("model");
    let fit = sem::fit(&flat, &data, &SemOptions::default()).expect("fit");
    let opts = SemBootOptions {
        boot: B,
        seed: 20261205,
        ci: CiMethod::Percentile,
        mc: 0,
        bollen_stine: true,
        threads: 0,
    };
    let boot = bootstrap(&flat, &data, &fit, &opts).expect("bootstrap");
    let compared = compare_with_lavaan(&boot, &exp, LAVAAN_B);
    assert!(compared >= 3 * 20, "only {compared} numbers compared");
    assert!(boot.failed.failed < B / 20, "{:?}", boot.failed);
    let bs = boot.bollen_stine.as_ref().expect("Bollen-Stine");
    assert!((bs.chisq - num(&exp["bollen_stine"]["chisq"])).abs() < 1e-6 * bs.chisq);
    assert_eq!(num(&exp["bollen_stine"]["pvalue"]), 0.0);
    let count = (bs.pvalue * B as f64).round();
    let share = B as f64 / (B as f64 + 1000.0);
    assert!(
        share.powf(count) > 0.002,
        "Bollen-Stine: {count} of cipa's {B} draws reach T, none of lavaan's 1000"
    );
}

/// cipa's bootstrap SEs and percentile bounds against lavaan's (`exp["parameters"]`, from
/// `lavaan_b` draws) within [`SDS`] SDs of their difference; panics naming every miss, returns
/// how many numbers were compared. Rows lavaan has but cipa does not resample must be fixed.
pub(crate) fn compare_with_lavaan(boot: &SemBootstrap, exp: &Value, lavaan_b: f64) -> usize {
    let b = boot.b as f64;
    let draws = boot.draws.as_ref().expect("draws");
    let mut failures = Vec::new();
    let mut compared = 0;
    for e in exp["parameters"].as_array().expect("rows") {
        let (lhs, op, rhs) = (e["lhs"].as_str(), e["op"].as_str(), e["rhs"].as_str());
        // A grouped golden names lavaan's group (0 for `:=`); cipa's grouped rows carry it.
        let group = e["group"].as_u64().map(|g| g as usize);
        let Some(r) = boot.parameters.iter().find(|r| {
            Some(r.lhs.as_str()) == lhs
                && Some(r.op.as_str()) == op
                && Some(r.rhs.as_str()) == rhs
                && (group.is_none() || r.group == group)
        }) else {
            assert_eq!(num(&e["se"]), 0.0, "no bootstrap row for {e}");
            continue;
        };
        let name = match r.group {
            Some(g) => format!("{} {} {} (group {g})", r.lhs, r.op, r.rhs),
            None => format!("{} {} {}", r.lhs, r.op, r.rhs),
        };
        let x = sorted(draws, r.column);
        let se = r.se.expect("se");
        let se_sd = se * ((kurtosis(&x) - 1.0) / 4.0 * (1.0 / b + 1.0 / lavaan_b)).sqrt();
        let checks = [
            ("se", se, num(&e["se"]), se_sd),
            (
                "ci_lower",
                r.ci_lower.expect("lower"),
                num(&e["ci_lower"]),
                quantile_sd(&x, 0.025, b, lavaan_b),
            ),
            (
                "ci_upper",
                r.ci_upper.expect("upper"),
                num(&e["ci_upper"]),
                quantile_sd(&x, 0.975, b, lavaan_b),
            ),
        ];
        // A grouped golden counts lavaan's draws far out (`se_outliers`, more than 10 IQRs
        // from the median): a few such draws set an SE, so only the bounds are compared there.
        let far = e["se_outliers"].as_u64().unwrap_or(0);
        for (what, got, want, sd) in checks {
            if what == "se" && far > 0 {
                println!(
                    "{name} se: cipa {got:.5} lavaan {want:.5} ({far} far draws; not compared)"
                );
                continue;
            }
            compared += 1;
            println!(
                "{name} {what}: cipa {got:.5} lavaan {want:.5} ({:+.2} SD)",
                (got - want) / sd
            );
            if (got - want).abs() > SDS * sd {
                failures.push(format!(
                    "{name} {what}: cipa {got} lavaan {want}, bound {}",
                    SDS * sd
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    compared
}
