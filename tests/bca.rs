//! BCa intervals: the jackknife acceleration against a direct computation in R, and the interval's
//! relation to the bias-corrected one.

use cipa::analysis::{analyse, AnalysisOptions};
use cipa::data::{read_path, ReadOptions};
use cipa::effects::EffectKind;
use cipa::inference::CiMethod;
use cipa::spec::{template::template, Roles};

fn shared() -> Option<std::path::PathBuf> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/datasets/hayes2018/pmi.csv");
    if p.exists() {
        Some(p)
    } else {
        println!("skipping: ../shared not found");
        None
    }
}

#[test]
fn jackknife_acceleration_matches_r() {
    let Some(path) = shared() else { return };
    let data = read_path(&path, &ReadOptions::default()).unwrap();
    let roles = Roles {
        x: "cond".into(),
        y: "reaction".into(),
        m: vec!["pmi".into()],
        ..Default::default()
    };
    let spec = template(4).unwrap().instantiate(&roles).unwrap();
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
