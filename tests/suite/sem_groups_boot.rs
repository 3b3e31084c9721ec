//! Resampling under `--group` (issue 12): the bootstrap of a multi-group fit resamples each
//! group's rows within that group (lavaan's `lav_bootstrap.R`), and Monte Carlo draws θ from
//! N(θ̂, V̂) of the grouped fit. Golden: tests/golden/sem_hs_groups_boot (lavaan 0.6-14,
//! `se = "bootstrap"`, B = 1000, percentile intervals), a two-school latent mediation with
//! group-specific paths, each school's indirect effect and their difference; cipa's draws are
//! compared within the Monte Carlo bounds of tests/suite/sem_boot.rs (R's random streams cannot
//! be reproduced).

use serde_json::Value;

use crate::common;
use cipa::inference::resample::CiMethod;
use cipa::sem::groups::{self, resample::bootstrap, GroupOptions, GroupedFit};
use cipa::sem::resample::SemBootOptions;
use cipa::sem::SemOptions;

fn golden() -> Value {
    let dir = common::golden_dir("sem_hs_groups_boot");
    let text = std::fs::read_to_string(dir.join("expected.json")).expect("expected.json");
    serde_json::from_str(&text).expect("valid JSON")
}

fn hs() -> Option<cipa::data::Dataset> {
    let path = common::shared_or_skip_file("datasets/lavaan_pkg/HolzingerSwineford1939.csv")?;
    Some(common::read_data(&path))
}

fn school() -> GroupOptions {
    GroupOptions {
        column: "school".into(),
        ..GroupOptions::default()
    }
}

fn fit(model: &str, data: &cipa::data::Dataset) -> (cipa::spec::flat::FlatModel, GroupedFit) {
    let flat = cipa::spec::syntax::parse_flat("boot", model).expect("model");
    let fit = groups::fit(&flat, data, &SemOptions::default(), &school()).expect("grouped fit");
    (flat, fit)
}

/// cipa's within-group bootstrap (B = 1000) against lavaan's: the SE and percentile bounds of
/// every free parameter of both schools and of ind1, ind2 and their difference, within four
/// SDs of the difference of two independent bootstraps (the SE only where lavaan's draws have
/// no far outliers: Pasteur's speed factor is weakly determined, see make.R).
#[test]
fn grouped_bootstrap_agrees_with_lavaan() {
    let Some(data) = hs() else { return };
    let exp = golden();
    let (flat, fit) = fit(exp["model"].as_str().expect("model"), &data);
    let opts = SemBootOptions {
        boot: 1000,
        seed: 20261205,
        ci: CiMethod::Percentile,
        ..SemBootOptions::default()
    };
    let boot = bootstrap(&flat, &data, &fit, &opts).expect("bootstrap");
    println!("cipa's failed draws: {:?}", boot.failed);
    // lavaan drops its failed runs (B_used of B).
    let lavaan_b = exp["B_used"].as_f64().expect("B_used");
    let compared = crate::sem_boot::compare_with_lavaan(&boot, &exp, lavaan_b);
    // Every free parameter of both groups and the three := rows, three numbers each, but the
    // SEs of rows whose lavaan draws have far outliers (make.R).
    let rows = exp["parameters"].as_array().expect("rows");
    let far = rows
        .iter()
        .filter(|r| r["se_outliers"].as_u64().unwrap_or(0) > 0)
        .count();
    assert!(far <= 10, "{far} rows with far lavaan draws");
    assert_eq!(compared, 3 * (fit.theta.len() + 3) - far);
    assert!(boot.failed.failed < 50, "{:?}", boot.failed);
    let diff = boot
        .parameters
        .iter()
        .find(|r| r.lhs == "diff")
        .expect("diff");
    assert_eq!(diff.group, Some(0));
    assert!(diff.ci_lower.expect("lower") < diff.est && diff.est < diff.ci_upper.expect("upper"));
}

/// The bootstrap and Monte Carlo results of a grouped fit are bit for bit the same for 1, 2
/// and 4 threads, percentile and BCa alike, with B, seed and method echoed.
#[test]
fn grouped_bootstrap_is_the_same_for_any_thread_count() {
    let Some(data) = hs() else { return };
    let model = "textual =~ x4 + x5 + x6\ntextual ~ c(a1, a2)*x1\nd := a1 - a2";
    let (flat, fit) = fit(model, &data);
    for ci in [CiMethod::Percentile, CiMethod::Bca] {
        let run = |threads| {
            let opts = SemBootOptions {
                boot: 60,
                seed: 7,
                ci,
                mc: 500,
                threads,
                ..SemBootOptions::default()
            };
            bootstrap(&flat, &data, &fit, &opts).expect("bootstrap")
        };
        let one = run(1);
        assert_eq!(one, run(2));
        assert_eq!(one, run(4));
        assert_eq!(one.b, 60);
        assert_eq!(one.seed, 7);
        assert_eq!(one.method, ci);
        assert!(one.parameters.iter().all(|r| r.se.is_some()));
        assert_eq!(one.monte_carlo.as_ref().map(|m| m.defined.len()), Some(1));
        if ci == CiMethod::Bca {
            assert!(one.parameters.iter().all(|r| r.acceleration.is_some()));
        }
    }
}

/// Monte Carlo intervals of the `:=` rows across groups: the SE of the linear `da := a1 - a2`
/// is its delta-method SE, and the SE of a product `ind1 := a1*b1` is its exact one under
/// normal (a1, b1), √(b²σ_a² + a²σ_b² + 2abσ_ab + σ_a²σ_b² + σ_ab²) (Goodman 1960; the delta
/// method keeps the first three terms), each within 3% (R = 20000: the SE of an SE is 0.5%).
#[test]
fn grouped_monte_carlo_matches_the_exact_se() {
    let Some(data) = hs() else { return };
    let exp = golden();
    let model = format!("{}\nda := a1 - a2", exp["model"].as_str().expect("model"));
    let (flat, fit) = fit(&model, &data);
    let opts = SemBootOptions {
        mc: 20000,
        seed: 3,
        ..SemBootOptions::default()
    };
    let mc = bootstrap(&flat, &data, &fit, &opts)
        .expect("Monte Carlo")
        .monte_carlo
        .expect("Monte Carlo intervals");
    let row = |name: &str| {
        fit.parameters
            .iter()
            .find(|r| r.row.label == name || (r.row.op == ":=" && r.row.lhs == name))
            .unwrap_or_else(|| panic!("{name}"))
    };
    let mc_se = |name: &str| {
        let d = mc.defined.iter().find(|d| d.lhs == name).expect("MC row");
        assert_eq!(d.group, Some(0));
        d.se.expect("se")
    };
    let da = mc_se("da");
    let delta = row("da").row.se;
    assert!((da / delta - 1.0).abs() < 0.03, "MC {da} delta {delta}");
    // The schools share no parameter, so Var(diff) = Var(ind1) + Var(ind2).
    let mut var_diff = 0.0;
    for (ind, a, b) in [("ind1", "a1", "b1"), ("ind2", "a2", "b2")] {
        let (ra, rb) = (&row(a).row, &row(b).row);
        let (ia, ib) = (ra.free - 1, rb.free - 1);
        let (va, vb, cab) = (fit.vcov[(ia, ia)], fit.vcov[(ib, ib)], fit.vcov[(ia, ib)]);
        let (ea, eb) = (ra.est, rb.est);
        let exact =
            (eb * eb * va + ea * ea * vb + 2.0 * ea * eb * cab + va * vb + cab * cab).sqrt();
        let se = mc_se(ind);
        assert!(
            (se / exact - 1.0).abs() < 0.03,
            "{ind}: MC {se} exact {exact}"
        );
        var_diff += exact * exact;
    }
    let (se, exact) = (mc_se("diff"), var_diff.sqrt());
    assert!(
        (se / exact - 1.0).abs() < 0.03,
        "diff: MC {se} exact {exact}"
    );
}
