//! The conditional indirect effect across the moderator's range: the curve is the same function
//! the probe points evaluate, its bands come from the same draws, and the reported regions agree
//! with the bands.

use cipa::analysis::{analyse, Analysis, AnalysisOptions, GRID_POINTS};
use cipa::data::Dataset;
use cipa::effects::EffectKind;
use cipa::inference::CiMethod;
use cipa::spec::template::template;
use cipa::spec::{ModelSpec, Roles};

fn sme() -> Dataset {
    crate::common::sme_example()
}

fn spec(model: u32, w: &str) -> ModelSpec {
    let roles = Roles {
        x: "network_ties".into(),
        y: "export_intensity".into(),
        m: vec!["collab".into()],
        w: Some(w.into()),
        ..Default::default()
    };
    template(model).unwrap().instantiate(&roles).unwrap()
}

fn run(spec: &ModelSpec, w_values: Option<Vec<f64>>, ci: CiMethod) -> Analysis {
    let opts = AnalysisOptions {
        boot: 400,
        seed: 11,
        ci,
        w_values,
        ..Default::default()
    };
    analyse(&sme(), spec, &opts).expect("the model fits")
}

/// At a grid point, the curve and its band equal the conditional indirect effect probed at that
/// value with the same seed, for every interval method.
#[test]
fn curve_matches_probing_at_grid_points() {
    for model in [7, 14, 58] {
        for ci in [CiMethod::Percentile, CiMethod::BiasCorrected, CiMethod::Bca] {
            let s = spec(model, "psychic_distance");
            let a = run(&s, None, ci);
            let curve = a
                .indirect_curves
                .iter()
                .find(|c| c.def.kind == EffectKind::Indirect)
                .expect("a moderated indirect effect has a curve");
            assert_eq!(curve.grid.len(), GRID_POINTS);
            for k in [0, 37, GRID_POINTS - 1] {
                let w = curve.grid[k];
                let probed = run(&s, Some(vec![w]), ci);
                let e = probed
                    .effects
                    .iter()
                    .find(|e| e.def.kind == EffectKind::Indirect && e.def.path == curve.def.path)
                    .unwrap();
                let tag = format!("model {model}, {ci:?}, grid point {k}");
                assert!(
                    (e.effect - curve.estimate[k]).abs() < 1e-12,
                    "{tag}: effect"
                );
                assert!((e.ci_lower - curve.lower[k]).abs() < 1e-12, "{tag}: lower");
                assert!((e.ci_upper - curve.upper[k]).abs() < 1e-12, "{tag}: upper");
            }
        }
    }
}

/// Where the effect is linear in W (model 7), the curve's slope is the index of moderated
/// mediation, which the curve carries.
#[test]
fn linear_curve_has_the_index_as_slope() {
    let a = run(&spec(7, "psychic_distance"), None, CiMethod::Percentile);
    let c = &a.indirect_curves[0];
    let (index, lo, hi) = c.index.expect("model 7 has an index");
    let n = c.grid.len();
    let slope = (c.estimate[n - 1] - c.estimate[0]) / (c.grid[n - 1] - c.grid[0]);
    assert!((slope - index).abs() < 1e-10 * index.abs().max(1.0));
    assert!(lo <= index && index <= hi);
    // Model 58 is quadratic in W: no index.
    let a = run(&spec(58, "psychic_distance"), None, CiMethod::Percentile);
    assert!(a.indirect_curves.iter().all(|c| c.index.is_none()));
}

/// Every grid point strictly inside a reported region has an interval on the region's side of
/// zero, and every grid point outside all regions has an interval containing zero.
#[test]
fn regions_agree_with_the_band() {
    for model in [7, 14, 58] {
        let a = run(&spec(model, "psychic_distance"), None, CiMethod::Percentile);
        for c in &a.indirect_curves {
            for (k, &g) in c.grid.iter().enumerate() {
                let inside = c.significant.iter().find(|(lo, hi, _)| *lo < g && g < *hi);
                match inside {
                    Some((_, _, s)) if *s > 0 => assert!(c.lower[k] > 0.0),
                    Some(_) => assert!(c.upper[k] < 0.0),
                    None => {
                        let on_edge = c.significant.iter().any(|(lo, hi, _)| g == *lo || g == *hi);
                        assert!(
                            on_edge || (c.lower[k] <= 0.0 && c.upper[k] >= 0.0),
                            "model {model}: grid point {k} outside every region excludes zero"
                        );
                    }
                }
            }
        }
    }
}

/// Saved draws hold the effects only, not the curves' grid points.
#[test]
fn saved_draws_leave_out_the_curves() {
    let a = run(&spec(7, "psychic_distance"), None, CiMethod::Percentile);
    let d = a.draws.as_ref().unwrap();
    assert_eq!(d.values.len(), d.b * d.names.len());
    assert!(!a.indirect_curves.is_empty());
    // A dichotomous moderator has no curve.
    let a = run(&spec(7, "family_owned"), None, CiMethod::Percentile);
    assert!(a.indirect_curves.is_empty());
}
