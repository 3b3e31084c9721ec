//! Interval methods beyond the percentile bootstrap: BCa (its jackknife acceleration against a
//! direct computation in R) and Monte Carlo intervals.

use cipa::analysis::{analyse, AnalysisOptions};
use cipa::data::Dataset;
use cipa::effects::EffectKind;
use cipa::inference::CiMethod;
use cipa::spec::{ModelSpec, Roles};

use crate::common;

/// PROCESS model 4 on Hayes's pmi data (cond -> pmi -> reaction), when ../shared is there.
fn pmi_model_4() -> Option<(Dataset, ModelSpec)> {
    let path = common::shared_or_skip_file("datasets/hayes2018/pmi.csv")?;
    let roles = Roles {
        x: "cond".into(),
        y: "reaction".into(),
        m: vec!["pmi".into()],
        ..Default::default()
    };
    Some((common::read_data(&path), common::process_model(4, &roles)))
}

#[test]
fn jackknife_acceleration_matches_r() {
    let Some((data, spec)) = pmi_model_4() else {
        return;
    };
    let run = |ci| {
        analyse(
            &data,
            &spec,
            &AnalysisOptions {
                boot: 2000,
                seed: 9,
                ci,
                ..Default::default()
            },
        )
        .unwrap()
    };
    let bca = run(CiMethod::Bca);
    let bc = run(CiMethod::BiasCorrected);
    let ind = |a: &cipa::analysis::Analysis| {
        a.effects
            .iter()
            .find(|e| e.def.kind == EffectKind::Indirect)
            .unwrap()
            .clone()
    };
    let (e_bca, e_bc) = (ind(&bca), ind(&bc));
    // R 4.2.2: jack <- sapply(1:n, function(i) ab(d[-i, ])); d <- mean(jack) - jack;
    // sum(d^3) / (6 * sum(d^2)^1.5), with ab = a*b from lm(pmi ~ cond) and lm(reaction ~ cond + pmi).
    let a = e_bca.acceleration.unwrap();
    assert!((a - -0.006301793878783218).abs() < 1e-10, "{a}");
    // Same draws (same seed): with a small acceleration the BCa bounds stay next to the BC bounds.
    assert_eq!(e_bca.boot_se, e_bc.boot_se);
    assert!(
        (e_bca.ci_lower - e_bc.ci_lower).abs() < 0.05
            && (e_bca.ci_upper - e_bc.ci_upper).abs() < 0.05
    );
    assert!(e_bca.ci_lower < e_bca.effect && e_bca.effect < e_bca.ci_upper);
    assert!(e_bc.acceleration.is_none());
}

#[test]
fn monte_carlo_interval_matches_the_delta_method_scale() {
    let Some((data, spec)) = pmi_model_4() else {
        return;
    };
    let run = |threads| {
        analyse(
            &data,
            &spec,
            &AnalysisOptions {
                boot: 0,
                mc: 20000,
                seed: 4,
                threads,
                normal: true,
                ..Default::default()
            },
        )
        .unwrap()
    };
    let (one, two) = (run(1), run(2));
    let ind = one
        .effects
        .iter()
        .find(|e| e.def.kind == EffectKind::Indirect)
        .unwrap();
    let ind2 = two
        .effects
        .iter()
        .find(|e| e.def.kind == EffectKind::Indirect)
        .unwrap();
    assert_eq!(
        (ind.boot_se, ind.ci_lower, ind.ci_upper),
        (ind2.boot_se, ind2.ci_lower, ind2.ci_upper)
    );
    // The SE of a product of two independent normal coefficients is the second-order
    // (Aroian) SE that the normal-theory test reports: 0.1300 for these data (published PROCESS).
    let mc_se = ind.boot_se.unwrap();
    assert!(
        (mc_se - ind.se.unwrap()).abs() < 0.03 * mc_se,
        "{mc_se} vs {:?}",
        ind.se
    );
    assert_eq!(one.bootstrap.as_ref().unwrap().resampling, "monte_carlo");
    assert!(ind.ci_lower < ind.effect && ind.effect < ind.ci_upper);
}
