//! Bad input to the measurement toolkit gives typed errors that name the construct or item:
//! a constant item, too few items for alpha or a one-factor CFA, a non-positive-definite item
//! covariance matrix, an empirically unidentified model, reverse coding without a scale range.

use cipa::data::{Dataset, Variable};
use cipa::measure::{measure, parse_constructs, MeasureError, MeasureOptions};

/// A deterministic pseudo-random normal stream (Box-Muller on an LCG), enough for test data.
fn normals(seed: u64, n: usize) -> Vec<f64> {
    let mut s = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut u = || {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((s >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    };
    (0..n)
        .map(|_| (-2.0 * u().ln()).sqrt() * (2.0 * std::f64::consts::PI * u()).cos())
        .collect()
}

/// Items `prefix1..prefixk` loading 0.7 on one factor.
fn items(prefix: &str, k: usize, factor: &[f64], seed: u64) -> Vec<Variable> {
    (0..k)
        .map(|j| {
            let e = normals(seed + j as u64, factor.len());
            let v = factor
                .iter()
                .zip(&e)
                .map(|(f, e)| 0.7 * f + 0.7 * e)
                .collect();
            Variable::numeric(format!("{prefix}{}", j + 1), v)
        })
        .collect()
}

fn data(extra: Vec<Variable>) -> Dataset {
    let f = normals(1, 200);
    let g: Vec<f64> = normals(2, 200)
        .iter()
        .zip(&f)
        .map(|(a, b)| 0.8 * a + 0.4 * b)
        .collect();
    let mut vars = items("a", 3, &f, 10);
    vars.extend(items("b", 3, &g, 20));
    vars.extend(extra);
    Dataset::new("test", vars).unwrap()
}

fn measure_err(d: &Dataset, defs: &[&str], opts: &MeasureOptions) -> MeasureError {
    let cs = parse_constructs(defs).unwrap();
    match measure(d, &cs, opts) {
        Err(cipa::Error::Measure(e)) => e,
        Err(e) => panic!("not a measurement error: {e}"),
        Ok(_) => panic!("no error for {defs:?}"),
    }
}

#[test]
fn a_valid_model_fits() {
    let d = data(vec![]);
    let cs = parse_constructs(&["A=a1,a2,a3", "B=b1,b2,b3"]).unwrap();
    let m = measure(&d, &cs, &MeasureOptions::default()).unwrap();
    assert!(
        m.cfa.converged && m.cfa.warnings.is_empty(),
        "{:?}",
        m.cfa.warnings
    );
    assert_eq!(m.cfa.fit.df, 8.0);
}

#[test]
fn constant_item_is_named() {
    let d = data(vec![Variable::numeric("a4", vec![3.0; 200])]);
    let e = measure_err(
        &d,
        &["A=a1,a2,a3,a4", "B=b1,b2,b3"],
        &MeasureOptions::default(),
    );
    assert!(
        matches!(&e, MeasureError::ConstantItem { item, construct, .. } if item == "a4" && construct == "A"),
        "{e}"
    );
    assert!(e.to_string().contains("'a4'"), "{e}");
}

#[test]
fn one_item_construct_has_no_alpha() {
    let e = measure_err(
        &data(vec![]),
        &["A=a1,a2,a3", "B=b1"],
        &MeasureOptions::default(),
    );
    assert!(
        matches!(&e, MeasureError::TooFewItems { construct, needed: 2, .. } if construct == "B"),
        "{e}"
    );
    assert!(e.to_string().contains("alpha"), "{e}");
}

#[test]
fn one_factor_cfa_needs_three_items() {
    let e = measure_err(&data(vec![]), &["A=a1,a2"], &MeasureOptions::default());
    assert!(
        matches!(&e, MeasureError::TooFewItems { construct, needed: 3, .. } if construct == "A"),
        "{e}"
    );
    assert!(e.to_string().contains("one-factor CFA"), "{e}");
}

#[test]
fn a_redundant_item_is_not_positive_definite() {
    let d = data(vec![]);
    let a1 = d.numeric("a1").unwrap().to_vec();
    let a2 = d.numeric("a2").unwrap().to_vec();
    let sum: Vec<f64> = a1.iter().zip(&a2).map(|(x, y)| x + y).collect();
    let d = data(vec![Variable::numeric("a4", sum)]);
    let e = measure_err(
        &d,
        &["A=a1,a2,a3,a4", "B=b1,b2,b3"],
        &MeasureOptions::default(),
    );
    assert!(
        matches!(&e, MeasureError::NotPositiveDefinite { dependent, .. } if dependent == "a4"),
        "{e}"
    );
}

#[test]
fn uncorrelated_two_item_factors_are_unidentified() {
    // Two 2-item factors whose items are exactly uncorrelated across factors: the factor
    // covariance is 0 and each factor's loading cannot be separated from its variance.
    let n = 64;
    let pat = |k: usize| -> Vec<f64> {
        (0..n)
            .map(|i| if (i >> k) & 1 == 1 { 1.0 } else { -1.0 })
            .collect()
    };
    let mix = |a: &[f64], b: &[f64], w: f64| -> Vec<f64> {
        a.iter().zip(b).map(|(x, y)| x + w * y).collect()
    };
    let (p0, p1, p2, p3, p4, p5) = (pat(0), pat(1), pat(2), pat(3), pat(4), pat(5));
    let d = Dataset::new(
        "t",
        vec![
            Variable::numeric("a1", mix(&p0, &p1, 0.8)),
            Variable::numeric("a2", mix(&p0, &p2, 0.9)),
            Variable::numeric("b1", mix(&p3, &p4, 0.8)),
            Variable::numeric("b2", mix(&p3, &p5, 0.7)),
        ],
    )
    .unwrap();
    let opts = MeasureOptions {
        boot: 0,
        ..Default::default()
    };
    let e = measure_err(&d, &["A=a1,a2", "B=b1,b2"], &opts);
    assert!(matches!(&e, MeasureError::Unidentified { .. }), "{e}");
}

#[test]
fn reverse_coding_needs_a_scale() {
    let e = measure_err(&data(vec![]), &["A=a1,-a2,a3"], &MeasureOptions::default());
    assert!(
        matches!(&e, MeasureError::NoScaleRange { item, .. } if item == "a2"),
        "{e}"
    );
}

#[test]
fn marker_inside_a_construct_is_rejected() {
    let opts = MeasureOptions {
        marker: Some("a1".into()),
        ..Default::default()
    };
    let e = measure_err(&data(vec![]), &["A=a1,a2,a3"], &opts);
    assert!(matches!(e, MeasureError::MarkerInConstruct { .. }), "{e}");
}

#[test]
fn htmt_bootstrap_is_identical_for_any_thread_count() {
    let d = data(vec![]);
    let cs = parse_constructs(&["A=a1,a2,a3", "B=b1,b2,b3"]).unwrap();
    let run = |threads| {
        let opts = MeasureOptions {
            boot: 200,
            seed: 7,
            threads,
            ..Default::default()
        };
        measure(&d, &cs, &opts).unwrap().htmt
    };
    let one = run(1);
    assert_eq!(one, run(2));
    let h = &one[0];
    assert!(h.ci_lower < h.value && h.value < h.ci_upper, "{h:?}");
    assert!(
        h.htmt2_ci_lower < h.htmt2 && h.htmt2 < h.htmt2_ci_upper,
        "{h:?}"
    );
}

#[test]
fn heywood_case_is_a_warning() {
    // Population correlations r12 = r13 = 0.8, r23 = 0.5: a one-factor model needs
    // λ1² = r12·r13/r23 = 1.28, so item 1's residual variance is negative.
    let n = 2000;
    let z: Vec<Vec<f64>> = (0..3).map(|k| normals(100 + k, n)).collect();
    // Cholesky factor of [[1, .8, .8], [.8, 1, .5], [.8, .5, 1]].
    let l21 = 0.8;
    let l22 = (1.0f64 - 0.64).sqrt();
    let l31 = 0.8;
    let l32 = (0.5 - 0.64) / l22;
    let l33 = (1.0f64 - l31 * l31 - l32 * l32).sqrt();
    let x1 = z[0].clone();
    let x2: Vec<f64> = (0..n).map(|i| l21 * z[0][i] + l22 * z[1][i]).collect();
    let x3: Vec<f64> = (0..n)
        .map(|i| l31 * z[0][i] + l32 * z[1][i] + l33 * z[2][i])
        .collect();
    let d = Dataset::new(
        "t",
        vec![
            Variable::numeric("h1", x1),
            Variable::numeric("h2", x2),
            Variable::numeric("h3", x3),
        ],
    )
    .unwrap();
    let cs = parse_constructs(&["H=h1,h2,h3"]).unwrap();
    let m = measure(
        &d,
        &cs,
        &MeasureOptions {
            boot: 0,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(m.cfa.converged);
    assert!(m.cfa.residuals[0].estimate < 0.0, "{:?}", m.cfa.residuals);
    assert!(
        m.warnings
            .iter()
            .any(|w| w.contains("Heywood") && w.contains("'h1'")),
        "{:?}",
        m.warnings
    );
    // CR, AVE and omega of an improper solution are withheld, not printed as if valid.
    let r = &m.reliability[0];
    assert!(
        r.cr.is_nan() && r.cr_fornell_larcker.is_nan() && r.cr_comprelsem.is_nan(),
        "{r:?}"
    );
    assert!(
        r.ave.is_nan() && r.sqrt_ave.is_nan() && r.omega.is_nan(),
        "{r:?}"
    );
    assert!(r.alpha.is_finite());
    assert!(
        m.warnings.iter().any(|w| w.contains("construct 'H'")
            && w.contains("CR, AVE")
            && w.contains("negative residual variance")),
        "{:?}",
        m.warnings
    );
    let doc = cipa::report::measure_json(&m, serde_json::json!({}), serde_json::json!({}));
    assert!(
        doc["reliability"][0]["cr"].is_null(),
        "{}",
        doc["reliability"][0]
    );
    assert!(doc["reliability"][0]["ave"].is_null());
}

/// A Heywood case in one construct withholds its CR and AVE and its Fornell-Larcker pairs, and
/// leaves the other construct's alone.
#[test]
fn heywood_case_withholds_only_the_affected_construct() {
    let n = 2000;
    let z: Vec<Vec<f64>> = (0..3).map(|k| normals(100 + k, n)).collect();
    let l22 = (1.0f64 - 0.64).sqrt();
    let l32 = (0.5 - 0.64) / l22;
    let l33 = (1.0f64 - 0.64 - l32 * l32).sqrt();
    let x1 = z[0].clone();
    let x2: Vec<f64> = (0..n).map(|i| 0.8 * z[0][i] + l22 * z[1][i]).collect();
    let x3: Vec<f64> = (0..n)
        .map(|i| 0.8 * z[0][i] + l32 * z[1][i] + l33 * z[2][i])
        .collect();
    let f = normals(200, n);
    let mut vars = vec![
        Variable::numeric("h1", x1),
        Variable::numeric("h2", x2),
        Variable::numeric("h3", x3),
    ];
    // B correlates with H through h1's factor so the two-factor model is identified.
    let g: Vec<f64> = f
        .iter()
        .zip(&z[0])
        .map(|(a, b)| 0.8 * a + 0.4 * b)
        .collect();
    vars.extend(items("b", 3, &g, 300));
    let d = Dataset::new("t", vars).unwrap();
    let cs = parse_constructs(&["H=h1,h2,h3", "B=b1,b2,b3"]).unwrap();
    let m = measure(&d, &cs, &MeasureOptions::default()).unwrap();
    assert!(m.cfa.converged, "{:?}", m.warnings);
    assert!(m.reliability[0].cr.is_nan() && m.reliability[0].ave.is_nan());
    assert!(m.reliability[1].cr.is_finite() && m.reliability[1].ave.is_finite());
    assert_eq!(m.fornell_larcker[0].passes, None);
    let report = cipa::report::measure_report(&m, vec![], 3, false, vec![]);
    let text = cipa::report::render(&report, cipa::report::Format::Text);
    assert!(text.contains("0 of 0 pairs meet the criterion"), "{text}");
    assert!(text.contains("1 pair(s) not assessed"), "{text}");
}

/// Two 2-item factors whose factors are independent in the population: the sample covariance
/// between them is noise, the loadings of each factor cannot be told from its variance, and the
/// CFA would print standardized loadings far above 1. That is an Unidentified error that says why
/// and what to do.
#[test]
fn nearly_uncorrelated_two_item_factors_are_unidentified() {
    let n = 300;
    let f = normals(11, n);
    let g = normals(12, n);
    let mut vars = items("a", 2, &f, 30);
    vars.extend(items("b", 2, &g, 40));
    let d = Dataset::new("t", vars).unwrap();
    let e = measure_err(&d, &["A=a1,a2", "B=b1,b2"], &MeasureOptions::default());
    assert!(matches!(&e, MeasureError::Unidentified { .. }), "{e}");
    let msg = e.to_string();
    assert!(msg.contains("two-item"), "{msg}");
    assert!(msg.contains("Add a third item"), "{msg}");
}

/// Values outside --scale are an error naming the item, the file line and the value; the
/// suggested range covers the observed values.
#[test]
fn values_outside_the_scale_are_named() {
    let mut vars = data(vec![]).variables().to_vec();
    let mut c: Vec<f64> = (0..200).map(|i| (1 + i % 5) as f64).collect();
    c[9] = 7.0;
    vars.push(Variable::numeric("c1", c));
    vars.push(Variable::numeric(
        "c2",
        (0..200).map(|i| (1 + (i * 7) % 5) as f64).collect(),
    ));
    let d = Dataset::new("t", vars).unwrap();
    let opts = MeasureOptions {
        scale: Some((1.0, 5.0)),
        ..Default::default()
    };
    // The range is checked before anything is estimated.
    let e = measure_err(&d, &["C=c1,-c2"], &opts);
    match &e {
        MeasureError::OutsideScale {
            item,
            line,
            value,
            suggest_min,
            suggest_max,
            ..
        } => {
            assert_eq!(item, "c1");
            assert_eq!(*line, 11, "row 10 is file line 11 under the header");
            assert_eq!(*value, 7.0);
            assert_eq!((*suggest_min, *suggest_max), (1.0, 7.0));
        }
        other => panic!("not OutsideScale: {other}"),
    }
    assert!(e.to_string().contains("--scale 1,7"), "{e}");
    // Scores for other commands check the same.
    let mut d2 = d.clone();
    let cs = parse_constructs(&["C=c1,-c2"]).unwrap();
    let e = cipa::measure::score_constructs(&mut d2, &cs, Some((1.0, 5.0)), Default::default())
        .unwrap_err();
    assert!(e.to_string().contains("'c1'"), "{e}");
}

/// An item already written as -ITEM that still loads negatively is not told to be written as
/// -ITEM; the warning says it may be reversed twice.
#[test]
fn reversed_item_loading_negatively_gets_the_right_advice() {
    let d = data(vec![]);
    let cs = parse_constructs(&["A=a1,a2,a3", "B=b1,b2,-b3"]).unwrap();
    let opts = MeasureOptions {
        // The a and b items are standard normal: a wide range keeps every value inside it.
        scale: Some((-10.0, 10.0)),
        ..Default::default()
    };
    let m = measure(&d, &cs, &opts).unwrap();
    assert!(
        m.warnings
            .iter()
            .any(|w| w.contains("'b3'") && w.contains("still load negatively")),
        "{:?}",
        m.warnings
    );
    assert!(
        !m.warnings
            .iter()
            .any(|w| w.contains("'b3'") && w.contains("write them as -ITEM")),
        "{:?}",
        m.warnings
    );
}

#[test]
fn constant_marker_is_named_as_the_marker() {
    let d = data(vec![Variable::numeric("const", vec![4.0; 200])]);
    let opts = MeasureOptions {
        marker: Some("const".into()),
        ..Default::default()
    };
    let e = measure_err(&d, &["A=a1,a2,a3", "B=b1,b2,b3"], &opts);
    assert!(
        matches!(&e, MeasureError::ConstantMarker { item, .. } if item == "const"),
        "{e}"
    );
    assert!(e.to_string().contains("--marker"), "{e}");
    assert!(!e.to_string().contains("construct 'marker'"), "{e}");
}

#[test]
fn saturated_one_factor_model_has_cfi_exactly_one() {
    let d = data(vec![]);
    let cs = parse_constructs(&["A=a1,a2,a3"]).unwrap();
    let m = measure(&d, &cs, &MeasureOptions::default()).unwrap();
    assert_eq!(m.cfa.fit.df, 0.0);
    assert_eq!(m.cfa.fit.chisq, 0.0);
    assert_eq!(m.cfa.fit.cfi, 1.0);
    assert_eq!(m.cfa.fit.tli, 1.0);
    assert_eq!(m.cfa.fit.rmsea, 0.0);
}

#[test]
fn undeclared_reverse_item_as_marker_converges_and_warns() {
    // b1 stored reversed but not declared: every other item of B correlates negatively with it.
    let d = data(vec![]);
    let flipped: Vec<f64> = d.numeric("b1").unwrap().iter().map(|x| -x).collect();
    let mut vars: Vec<Variable> = d
        .variables()
        .iter()
        .filter(|v| v.name != "b1")
        .cloned()
        .collect();
    vars.push(Variable::numeric("b1", flipped));
    let d = Dataset::new("t", vars).unwrap();
    let cs = parse_constructs(&["A=a1,a2,a3", "B=b1,b2,b3"]).unwrap();
    let m = measure(
        &d,
        &cs,
        &MeasureOptions {
            boot: 0,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(m.cfa.converged, "{:?}", m.warnings);
    assert!(
        m.warnings
            .iter()
            .any(|w| w.contains("load negatively") && w.contains("'b2'")),
        "{:?}",
        m.warnings
    );
}

#[test]
fn fewer_rows_than_items_and_unknown_vif_outcome() {
    let d = data(vec![]);
    let few = d.take_rows(&[0, 1, 2, 3, 4]);
    let e = measure_err(
        &few,
        &["A=a1,a2,a3", "B=b1,b2,b3"],
        &MeasureOptions::default(),
    );
    assert!(
        matches!(
            e,
            MeasureError::TooFewRows {
                n: 5,
                needed: 7,
                ..
            }
        ),
        "{e}"
    );
    assert!(
        e.to_string()
            .starts_with("only 5 row(s) are complete on all 6 construct items, but at least 7"),
        "{e}"
    );
    let opts = MeasureOptions {
        vif_outcome: Some("C".into()),
        ..Default::default()
    };
    let e = measure_err(&d, &["A=a1,a2,a3", "B=b1,b2,b3"], &opts);
    assert!(e.to_string().contains("'C' is not a construct"), "{e}");
}

#[test]
fn failed_bootstrap_resamples_are_reported() {
    // A rare item value: resamples without its one distinct row make the item constant.
    let d = data(vec![]);
    let mut vars: Vec<Variable> = d.variables().to_vec();
    let mut rare = vec![0.0; 200];
    rare[17] = 1.0;
    vars.push(Variable::numeric("rare", rare));
    let d = Dataset::new("t", vars).unwrap();
    let cs = parse_constructs(&["A=a1,a2,a3,rare", "B=b1,b2,b3"]).unwrap();
    let opts = MeasureOptions {
        boot: 50,
        seed: 3,
        ..Default::default()
    };
    let m = measure(&d, &cs, &opts).unwrap();
    assert!(
        m.warnings.iter().any(|w| w.starts_with("HTMT bootstrap")),
        "{:?}",
        m.warnings
    );
}
