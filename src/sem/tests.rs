//! Unit tests of the engine's stages on small hand-built models: the analytic gradient against
//! finite differences, the parameter table's defaults and typed errors, the constraint
//! reparametrisation.

use crate::spec::flat::{Constraint, ConstraintOp, FlatModel, Modifier, Pos, RelOp, Relation};
use crate::spec::Expr;

use super::constraints::reparametrise;
use super::gradient::{delta, gradient, gradient_direct};
use super::linalg::Mat;
use super::model::Model;
use super::objective::f_ml;
use super::partable::{build, Op};
use super::sample::SampleStats;
use super::{SemError, SemOptions};

/// `lhs op rhs` on line `line`, with an optional label or fixed value.
fn rel(
    line: usize,
    lhs: &str,
    op: RelOp,
    rhs: &str,
    label: Option<&str>,
    fixed: Option<f64>,
) -> Relation {
    Relation {
        lhs: lhs.into(),
        op,
        rhs: if rhs.is_empty() {
            vec![]
        } else {
            vec![rhs.into()]
        },
        modifier: Modifier {
            labels: label.map(|l| vec![Some(l.to_string())]).unwrap_or_default(),
            fixed: fixed.map(|v| vec![Some(v)]).unwrap_or_default(),
            start: vec![],
        },
        pos: Pos {
            line,
            col: 1,
            len: 1,
        },
        lhs_pos: Pos::default(),
    }
}

fn names(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// f =~ x1 + x2 + x3; g =~ x4 + x5 + x6; g ~ b*f + z; x1 ~~ x4.
fn two_factor() -> FlatModel {
    use RelOp::*;
    FlatModel {
        relations: vec![
            rel(1, "f", Measure, "x1", None, None),
            rel(1, "f", Measure, "x2", None, None),
            rel(1, "f", Measure, "x3", None, None),
            rel(2, "g", Measure, "x4", None, None),
            rel(2, "g", Measure, "x5", None, None),
            rel(2, "g", Measure, "x6", None, None),
            rel(3, "g", Regress, "f", Some("b"), None),
            rel(3, "g", Regress, "z", None, None),
            rel(4, "x1", Covary, "x4", None, None),
            rel(5, "x2", Intercept, "", None, None),
        ],
        ..FlatModel::default()
    }
}

/// A positive-definite 7 × 7 covariance with structure, and means.
fn moments(p: usize) -> SampleStats {
    let mut s = Mat::identity(p);
    for i in 0..p {
        for j in 0..p {
            s[(i, j)] += 0.4 / (1.0 + (i as f64 - j as f64).abs())
                + if i == j { 0.3 * i as f64 } else { 0.0 };
        }
    }
    let mean = (0..p).map(|i| 1.0 + 0.5 * i as f64).collect();
    let names: Vec<String> = (0..p).map(|i| format!("v{i}")).collect();
    SampleStats::new(&names, 200.0, mean, s).expect("positive definite")
}

#[test]
fn defaults_follow_lavaan_sem() {
    let data = names(&["x1", "x2", "x3", "x4", "x5", "x6", "z"]);
    let pt = build(&two_factor(), &data, &SemOptions::default()).unwrap();
    // Indicators first, then the exogenous covariate.
    assert_eq!(pt.ov, data);
    assert_eq!(pt.ov_x, names(&["z"]));
    assert!(pt.meanstructure, "a ~1 row switches the mean structure on");
    let find = |l: &str, op: Op, r: &str| {
        pt.rows
            .iter()
            .find(|x| x.lhs == l && x.op == op && x.rhs == r)
            .unwrap()
    };
    assert_eq!(find("f", Op::Measure, "x1").free, 0, "marker loading fixed");
    assert_eq!(find("f", Op::Measure, "x1").ustart, Some(1.0));
    assert!(find("f", Op::Measure, "x2").free > 0);
    assert!(find("z", Op::Covary, "z").exo, "fixed.x variance");
    assert!(find("z", Op::Intercept, "").exo, "fixed.x mean");
    assert_eq!(
        find("f", Op::Intercept, "").free,
        0,
        "latent means fixed at 0"
    );
    assert!(
        find("x5", Op::Intercept, "").free > 0,
        "observed intercepts free"
    );
    assert!(find("g", Op::Covary, "g").free > 0);
    assert_eq!(find("g", Op::Regress, "f").label, "b");
    // No covariance between f (exogenous) and g (dependent).
    assert!(!pt
        .rows
        .iter()
        .any(|x| x.op == Op::Covary && x.lhs == "f" && x.rhs == "g"));
    // std.lv: latent variances fixed at 1, every loading free.
    let opts = SemOptions {
        std_lv: true,
        ..SemOptions::default()
    };
    let pt = build(&two_factor(), &data, &opts).unwrap();
    let find = |l: &str, op: Op, r: &str| {
        pt.rows
            .iter()
            .find(|x| x.lhs == l && x.op == op && x.rhs == r)
            .unwrap()
            .clone()
    };
    assert!(find("f", Op::Measure, "x1").free > 0);
    assert_eq!(
        (
            find("f", Op::Covary, "f").free,
            find("f", Op::Covary, "f").ustart
        ),
        (0, Some(1.0))
    );
}

#[test]
fn analytic_gradient_matches_finite_differences() {
    let data = names(&["x1", "x2", "x3", "x4", "x5", "x6", "z"]);
    let pt = build(&two_factor(), &data, &SemOptions::default()).unwrap();
    let s = moments(7);
    let model = Model::new(&pt, &s);
    let theta: Vec<f64> = (0..pt.n_free)
        .map(|k| 0.3 + 0.05 * (k % 7) as f64)
        .collect();
    let f = |t: &[f64]| {
        let (_, imp) = model.implied(t).unwrap();
        f_ml(&imp, &s, true).unwrap().0
    };
    let (m, imp) = model.implied(&theta).unwrap();
    let (_, inv) = f_ml(&imp, &s, true).unwrap();
    let g = gradient(&delta(&model, &m, &imp), &imp, &inv, &s, true);
    for k in 0..theta.len() {
        let h = 1e-6;
        let (mut up, mut dn) = (theta.clone(), theta.clone());
        up[k] += h;
        dn[k] -= h;
        let fd = (f(&up) - f(&dn)) / (2.0 * h);
        assert!(
            (g[k] - fd).abs() < 1e-6 * (1.0 + fd.abs()),
            "parameter {k}: analytic {} numeric {fd}",
            g[k]
        );
    }
}

/// The gradient chained through the LISREL matrices equals tr(GΣ_k) − 2r′Σ⁻¹μ_k from Δ, with
/// and without the mean part, on a model with every kind of cell (ν rows included).
#[test]
fn direct_gradient_matches_the_delta_gradient() {
    let data = names(&["x1", "x2", "x3", "x4", "x5", "x6", "z"]);
    let opts = SemOptions {
        meanstructure: true,
        ..SemOptions::default()
    };
    let pt = build(&two_factor(), &data, &opts).unwrap();
    let s = moments(7);
    let theta: Vec<f64> = (0..pt.n_free)
        .map(|k| 0.3 + 0.05 * (k % 7) as f64)
        .collect();
    for meanstructure in [false, true] {
        let mut model = Model::new(&pt, &s);
        model.meanstructure = meanstructure;
        let (m, imp) = model.implied(&theta).unwrap();
        let (_, inv) = f_ml(&imp, &s, meanstructure).unwrap();
        let via_delta = gradient(&delta(&model, &m, &imp), &imp, &inv, &s, meanstructure);
        let direct = gradient_direct(&model, &m, &imp, &inv, &s);
        assert_eq!(direct.len(), via_delta.len());
        for (k, (a, b)) in direct.iter().zip(&via_delta).enumerate() {
            assert!(
                (a - b).abs() < 1e-10 * (1.0 + b.abs()),
                "meanstructure {meanstructure}, parameter {k}: direct {a} via Δ {b}"
            );
        }
    }
}

#[test]
fn typed_errors_name_the_position() {
    use RelOp::*;
    let data = names(&["x1", "x2", "x3", "y"]);
    let opts = SemOptions::default();
    let mut m = FlatModel {
        relations: vec![
            rel(1, "f", Measure, "x1", None, None),
            rel(2, "f", Measure, "x22", None, None),
        ],
        ..FlatModel::default()
    };
    match build(&m, &data, &opts) {
        Err(SemError::UnknownVariable {
            name,
            pos,
            suggestions,
        }) => {
            assert_eq!((name.as_str(), pos.line), ("x22", 2));
            assert!(suggestions.contains(&"x2".to_string()));
        }
        other => panic!("{other:?}"),
    }
    m.relations = vec![
        rel(1, "f", Measure, "x1", None, None),
        rel(3, "y", Regress, "eta", None, None),
    ];
    assert!(
        matches!(build(&m, &data, &opts), Err(SemError::LatentWithoutIndicators { pos, .. }) if pos.line == 3)
    );
    m.relations = vec![
        rel(1, "x1", Regress, "x2", None, None),
        rel(2, "x2", Regress, "x3", None, None),
        rel(3, "x3", Regress, "x1", None, None),
    ];
    match build(&m, &data, &opts) {
        Err(SemError::Cycle { cycle, .. }) => assert_eq!(cycle.first(), cycle.last()),
        other => panic!("{other:?}"),
    }
    m.relations = vec![
        rel(1, "f", Measure, "x1", None, None),
        rel(1, "f", Measure, "x2", Some("a"), None),
    ];
    m.constraints = vec![Constraint {
        lhs: Expr::Label("a".into()),
        op: ConstraintOp::Equal,
        rhs: Expr::Label("q".into()),
        pos: Pos {
            line: 4,
            col: 3,
            len: 6,
        },
        text: "a == q".into(),
    }];
    assert!(
        matches!(build(&m, &data, &opts), Err(SemError::UnknownLabel { label, pos }) if label == "q" && pos.line == 4)
    );
}

#[test]
fn shared_labels_and_linear_constraints_reduce_the_parameters() {
    use RelOp::*;
    let data = names(&["x1", "x2", "x3", "x4"]);
    let m = FlatModel {
        relations: vec![
            rel(1, "f", Measure, "x1", None, None),
            rel(1, "f", Measure, "x2", Some("a"), None),
            rel(1, "f", Measure, "x3", Some("a"), None),
            rel(1, "f", Measure, "x4", Some("c"), None),
        ],
        constraints: vec![Constraint {
            lhs: Expr::Add(
                Box::new(Expr::Label("a".into())),
                Box::new(Expr::Label("c".into())),
            ),
            op: ConstraintOp::Equal,
            rhs: Expr::Num(2.0),
            pos: Pos::default(),
            text: "a + c == 2".into(),
        }],
        ..FlatModel::default()
    };
    let pt = build(&m, &data, &SemOptions::default()).unwrap();
    let s = moments(4);
    let model = Model::new(&pt, &s);
    let re = reparametrise(&pt, &model.base).unwrap();
    assert_eq!(re.rank, 2);
    assert_eq!(re.k.cols, pt.n_free - 2);
    // Any z gives a θ that satisfies both constraints.
    let theta = re.theta(&vec![0.7; re.k.cols]);
    let (a1, a2, c) = (theta[0], theta[1], theta[2]);
    assert!((a1 - a2).abs() < 1e-12 && (a1 + c - 2.0).abs() < 1e-12);
}

#[test]
fn observed_information_equals_expected_at_a_perfect_fit() {
    // With S = Σ(θ) and ȳ = μ(θ) the Hessian of F/2 is the expected information.
    let data = names(&["x1", "x2", "x3", "x4", "x5", "x6", "z"]);
    let pt = build(&two_factor(), &data, &SemOptions::default()).unwrap();
    let s0 = moments(7);
    let model = Model::new(&pt, &s0);
    let theta: Vec<f64> = (0..pt.n_free)
        .map(|k| 0.4 + 0.05 * (k % 5) as f64)
        .collect();
    let (_, imp) = model.implied(&theta).unwrap();
    let names7: Vec<String> = (0..7).map(|i| format!("v{i}")).collect();
    let s = SampleStats::new(&names7, 200.0, imp.mu.clone(), imp.sigma.clone()).unwrap();
    let model = Model::new(&pt, &s);
    use super::vcov::{information, Information};
    let e = information(&model, &s, &theta, Information::Expected).unwrap();
    let o = information(&model, &s, &theta, Information::Observed).unwrap();
    for i in 0..e.rows {
        for j in 0..e.cols {
            assert!(
                (e[(i, j)] - o[(i, j)]).abs() < 1e-6 * (1.0 + e[(i, j)].abs()),
                "[{i},{j}] {} {}",
                e[(i, j)],
                o[(i, j)]
            );
        }
    }
}
