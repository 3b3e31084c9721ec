//! Properties of the instantaneous indirect effect (Hayes and Preacher 2010) through a polynomial
//! X -> M path, written out by hand and compared with the effect algebra's plan: with the
//! square's coefficient zero it is the linear model's a·b at every x; otherwise the power rule,
//! θ(x) = (a1 + 2 a2 x + 3 a3 x²) b, and the direct effect is c' whatever x.

use cipa::effects::{EffectKind, EffectPlan, EqShape, Moderator, ProbePoint};
use proptest::prelude::*;

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|f| f.to_string()).collect()
}

/// `m ~ x + x^2 + x^3`, `y ~ x + m`, X probed at `at`.
fn plan(at: &[f64]) -> EffectPlan {
    let shapes = vec![
        EqShape {
            outcome: "m".into(),
            columns: vec![vec![], s(&["x"]), s(&["x", "x"]), s(&["x", "x", "x"])],
        },
        EqShape {
            outcome: "y".into(),
            columns: vec![vec![], s(&["x"]), s(&["m"])],
        },
    ];
    let points = at
        .iter()
        .map(|&v| ProbePoint {
            label: v.to_string(),
            value: v,
            codes: vec![v],
        })
        .collect();
    let x = Moderator {
        name: "x".into(),
        factors: s(&["x"]),
        points,
        index_unit: 1.0,
    };
    EffectPlan::new(shapes, &s(&["x"]), "y", vec![x], false, false).expect("a plan")
}

fn effects(plan: &EffectPlan, betas: &[Vec<f64>], kind: EffectKind) -> Vec<f64> {
    let mut out = vec![0.0; plan.effects.len()];
    plan.evaluate(betas, &mut out);
    plan.effects
        .iter()
        .zip(out)
        .filter(|(e, _)| e.kind == kind)
        .map(|(_, v)| v)
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-10 * (1.0 + a.abs().max(b.abs()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn theta_is_a_times_b_when_the_square_is_zero(
        a1 in -5.0f64..5.0, b in -5.0f64..5.0, c in -5.0f64..5.0,
        at in proptest::collection::vec(-10.0f64..10.0, 1..5),
    ) {
        let p = plan(&at);
        let betas = vec![vec![0.3, a1, 0.0, 0.0], vec![1.0, c, b]];
        let theta = effects(&p, &betas, EffectKind::Indirect);
        prop_assert_eq!(theta.len(), at.len());
        for t in &theta {
            prop_assert!(close(*t, a1 * b), "{} vs {}", t, a1 * b);
        }
        let direct = effects(&p, &betas, EffectKind::Direct);
        prop_assert_eq!(direct.len(), 1);
        prop_assert!(close(direct[0], c));
    }

    #[test]
    fn theta_follows_the_power_rule(
        a1 in -5.0f64..5.0, a2 in -2.0f64..2.0, a3 in -1.0f64..1.0, b in -5.0f64..5.0,
        at in proptest::collection::vec(-10.0f64..10.0, 1..5),
    ) {
        let p = plan(&at);
        let betas = vec![vec![0.3, a1, a2, a3], vec![1.0, 0.2, b]];
        let theta = effects(&p, &betas, EffectKind::Indirect);
        for (t, x) in theta.iter().zip(&at) {
            let want = (a1 + 2.0 * a2 * x + 3.0 * a3 * x * x) * b;
            prop_assert!(close(*t, want), "θ({}) = {} vs {}", x, t, want);
        }
    }
}

#[test]
fn no_index_of_moderated_mediation_for_a_curvilinear_x() {
    let p = plan(&[1.0, 2.0]);
    assert!(p
        .effects
        .iter()
        .all(|e| e.kind != EffectKind::IndexOfModeratedMediation));
    assert!(
        p.notes.iter().any(|n| n.contains("instantaneous")),
        "{:?}",
        p.notes
    );
}

#[test]
fn a_power_of_a_mediator_is_refused() {
    let shapes = vec![
        EqShape {
            outcome: "m".into(),
            columns: vec![vec![], s(&["x"])],
        },
        EqShape {
            outcome: "y".into(),
            columns: vec![vec![], s(&["x"]), s(&["m"]), s(&["m", "m"])],
        },
    ];
    let e = EffectPlan::new(shapes, &s(&["x"]), "y", vec![], false, false).unwrap_err();
    assert!(e.0.contains("power of 'm'"), "{}", e.0);
}
