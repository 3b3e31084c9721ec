//! Property tests of the counterfactual effects (`xmint`) on random data whose outcome has no
//! X×M interaction: Y is exactly linear in X, M and a covariate plus noise orthogonal to every
//! column of Y's design (X·M included), so the fitted X×M coefficient is zero up to rounding.
//! Then every natural and controlled direct effect equals c'·Δ and both natural indirect
//! effects equal a·b·Δ (Δ = x_cf − x_ref), with a, b and c' those of model 4 fitted to the same
//! data, and the total effect is their sum.

use cipa::analysis::{analyse, Analysis, AnalysisOptions, Xmint};
use cipa::data::{Dataset, Variable};
use cipa::effects::EffectKind;
use cipa::spec::Roles;
use proptest::collection::vec;
use proptest::prelude::*;

const TOL: f64 = 1e-8;

/// `e` with its projection on the span of `cols` removed (modified Gram-Schmidt).
fn orthogonal_to(cols: &[Vec<f64>], mut e: Vec<f64>) -> Vec<f64> {
    let mut basis: Vec<Vec<f64>> = Vec::new();
    for c in cols {
        let mut q = c.clone();
        for b in &basis {
            let d: f64 = q.iter().zip(b).map(|(x, y)| x * y).sum();
            q.iter_mut().zip(b).for_each(|(x, y)| *x -= d * y);
        }
        let norm = q.iter().map(|x| x * x).sum::<f64>().sqrt();
        q.iter_mut().for_each(|x| *x /= norm);
        basis.push(q);
    }
    for b in &basis {
        let d: f64 = e.iter().zip(b).map(|(x, y)| x * y).sum();
        e.iter_mut().zip(b).for_each(|(x, y)| *x -= d * y);
    }
    e
}

/// (data, x_ref, x_cf): n rows of X, C, M = 0.5 + a·X + 0.2·C + noise and
/// Y = 1 + c'·X + b·M − 0.3·C + noise ⟂ [1, X, M, X·M, C].
fn data_strategy() -> impl Strategy<Value = (Dataset, f64, f64)> {
    (30usize..80).prop_flat_map(|n| {
        (
            vec(-2.0f64..2.0, n),
            vec(-1.0f64..1.0, n),
            vec(-1.0f64..1.0, n),
            vec(-1.0f64..1.0, n),
            (-1.0f64..1.0, -1.0f64..1.0, -1.0f64..1.0),
            (-2.0f64..2.0, 0.1f64..3.0),
        )
            .prop_map(move |(x, c, em, ey, (a, b, cp), (x_ref, delta))| {
                let m: Vec<f64> = (0..n)
                    .map(|i| 0.5 + a * x[i] + 0.2 * c[i] + em[i])
                    .collect();
                let xm: Vec<f64> = (0..n).map(|i| x[i] * m[i]).collect();
                let cols = [vec![1.0; n], x.clone(), m.clone(), xm, c.clone()];
                let noise = orthogonal_to(&cols, ey);
                let y: Vec<f64> = (0..n)
                    .map(|i| 1.0 + cp * x[i] + b * m[i] - 0.3 * c[i] + noise[i])
                    .collect();
                let vars = vec![
                    Variable::numeric("x", x),
                    Variable::numeric("m", m),
                    Variable::numeric("y", y),
                    Variable::numeric("c", c),
                ];
                let data = Dataset::new("proptest", vars).expect("data set");
                (data, x_ref, x_ref + delta)
            })
    })
}

fn roles() -> Roles {
    Roles {
        x: "x".into(),
        y: "y".into(),
        m: vec!["m".into()],
        cov: vec!["c".into()],
        ..Roles::default()
    }
}

fn of(a: &Analysis, kind: EffectKind) -> f64 {
    a.effects
        .iter()
        .find(|e| e.def.kind == kind && e.def.moderators.is_empty())
        .map(|e| e.effect)
        .unwrap_or_else(|| panic!("no {kind:?}"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= TOL * b.abs().max(1.0)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn without_an_interaction_the_natural_effects_are_a_b_and_c_prime(
        (data, x_ref, x_cf) in data_strategy(),
    ) {
        let opts = AnalysisOptions { boot: 0, ..AnalysisOptions::default() };
        let m4 = analyse(&data, &crate::common::process_model(4, &roles()), &opts).unwrap();
        let xmint = AnalysisOptions {
            xmint: Some(Xmint { xrefval: vec![x_ref, x_cf], cdeval: Some(0.7) }),
            ..opts
        };
        let cf = analyse(&data, &crate::common::process_model(74, &roles()), &xmint).unwrap();
        let y_eq = &cf.equations[1].0;
        let xm = y_eq.coefficient("m:x").expect("the product").estimate;
        prop_assert!(xm.abs() < 1e-9, "X×M coefficient {xm}");
        let delta = x_cf - x_ref;
        let ab = of(&m4, EffectKind::Indirect) * delta;
        let c_prime = of(&m4, EffectKind::Direct) * delta;
        for kind in [
            EffectKind::PureNaturalDirect,
            EffectKind::TotalNaturalDirect,
            EffectKind::ControlledDirect,
        ] {
            let got = of(&cf, kind);
            prop_assert!(close(got, c_prime), "{kind:?} {got} vs c'·Δ {c_prime}");
        }
        for kind in [EffectKind::TotalNaturalIndirect, EffectKind::PureNaturalIndirect] {
            let got = of(&cf, kind);
            prop_assert!(close(got, ab), "{kind:?} {got} vs a·b·Δ {ab}");
        }
        let total = of(&cf, EffectKind::CounterfactualTotal);
        prop_assert!(close(total, ab + c_prime), "total {total} vs {}", ab + c_prime);
    }
}
