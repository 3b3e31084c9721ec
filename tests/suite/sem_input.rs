//! Bad input to the SEM engine: each a typed error naming what is wrong, never a panic or a
//! half-made fit. Data are generated here (a two-factor model with a fixed seed), so these
//! tests need nothing from ../shared.

use cipa::data::{Dataset, Variable};
use cipa::sem::{self, SemError, SemOptions};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// n rows of x1..x6: x1..x3 load on f, x4..x6 on g, corr(f, g) = 0.5; `extra` adds columns.
fn data(n: usize, extra: &[(&str, Vec<f64>)]) -> Dataset {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let mut normal = || -> f64 { (0..12).map(|_| rng.random::<f64>()).sum::<f64>() - 6.0 };
    let mut cols: Vec<Vec<f64>> = vec![Vec::new(); 6];
    for _ in 0..n {
        let f = normal();
        let g = 0.5 * f + 0.75f64.sqrt() * normal();
        for (i, col) in cols.iter_mut().enumerate() {
            let eta = if i < 3 { f } else { g };
            col.push(0.8 * eta + 0.6 * normal());
        }
    }
    let mut vars: Vec<Variable> = cols
        .into_iter()
        .enumerate()
        .map(|(i, c)| Variable::numeric(format!("x{}", i + 1), c))
        .collect();
    vars.extend(
        extra
            .iter()
            .map(|(name, c)| Variable::numeric(*name, c.clone())),
    );
    Dataset::new("generated", vars).expect("equal lengths")
}

fn fit(model: &str, data: &Dataset) -> Result<sem::SemFit, SemError> {
    sem::fit(
        &cipa::spec::syntax::parse_flat("model", model).expect("parses"),
        data,
        &SemOptions::default(),
    )
}

#[test]
fn a_well_specified_model_fits() {
    let d = data(400, &[]);
    let f = fit("f =~ x1 + x2 + x3\ng =~ x4 + x5 + x6", &d).expect("fits");
    assert_eq!(f.fit.df, 8.0);
    assert!(f.gradient < 1e-9);
    let cov = f
        .parameters
        .iter()
        .find(|r| r.lhs == "f" && r.rhs == "g")
        .unwrap();
    assert!(
        (cov.std_all - 0.5).abs() < 0.1,
        "factor correlation {}",
        cov.std_all
    );
}

#[test]
fn more_parameters_than_moments() {
    let d = data(100, &[]);
    let e = fit("f =~ x1 + x2", &d).unwrap_err();
    assert!(
        matches!(e, SemError::NegativeDf { npar: 4, ndat: 3 }),
        "{e}"
    );
}

#[test]
fn an_unidentified_model_names_the_parameters() {
    // Two uncorrelated two-indicator factors: each one's loading and variance trade off.
    let d = data(300, &[]);
    let e = fit("f =~ x1 + x2\ng =~ x4 + x5\nf ~~ 0*g", &d).unwrap_err();
    match &e {
        // Two null directions: each factor's loading, variance and residual variances.
        SemError::Unidentified { parameters } => {
            for p in ["f ~~ f", "g ~~ g", "f =~ x2", "g =~ x5"] {
                assert!(parameters.contains(&p.to_string()), "{e}");
            }
        }
        other => panic!("expected an identification error, got {other}"),
    }
    assert!(e.to_string().contains("not identified"), "{e}");
}

#[test]
fn a_singular_sample_covariance_names_the_variable() {
    let base = data(200, &[]);
    let x1 = base.numeric("x1").unwrap().to_vec();
    let x2 = base.numeric("x2").unwrap().to_vec();
    let sum: Vec<f64> = x1.iter().zip(&x2).map(|(a, b)| a + b).collect();
    let d = data(200, &[("s12", sum)]);
    let e = fit("f =~ x1 + x2 + x3 + s12", &d).unwrap_err();
    assert!(
        matches!(&e, SemError::SampleNotPositiveDefinite { variable } if variable == "s12"),
        "{e}"
    );
}

#[test]
fn unknown_variables_and_cycles_point_at_the_line() {
    let d = data(100, &[]);
    let e = fit("f =~ x1 + x2 + x3\ng =~ x4 + x5 + x7", &d).unwrap_err();
    assert!(
        matches!(&e, SemError::UnknownVariable { name, pos, .. } if name == "x7" && pos.line == 2),
        "{e}"
    );
    assert!(e.to_string().starts_with("2:"), "{e}");
    let e = fit("x1 ~ x2\nx2 ~ x3\nx3 ~ x1", &d).unwrap_err();
    assert!(matches!(&e, SemError::Cycle { .. }), "{e}");
}

/// `cipa measure`'s CFA and the SEM engine are two ML fits of the same model; until the CFA
/// becomes a call into the engine they must agree (loadings, SEs, std.all, chi-square, RMSEA
/// interval, SRMR) on data sets of several sizes and seeds.
#[test]
fn the_measure_cfa_and_the_engine_agree() {
    for (n, seed) in [(150usize, 1u64), (400, 2), (1000, 3)] {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut normal = || -> f64 { (0..12).map(|_| rng.random::<f64>()).sum::<f64>() - 6.0 };
        let mut cols: Vec<Vec<f64>> = vec![Vec::new(); 7];
        for _ in 0..n {
            let f = normal();
            let g = 0.3 * f + 0.9 * normal();
            for (i, col) in cols.iter_mut().enumerate() {
                let (eta, lam) = if i < 4 {
                    (f, 0.5 + 0.1 * i as f64)
                } else {
                    (g, 1.2 - 0.1 * i as f64)
                };
                col.push(lam * eta + 0.7 * normal() + 0.2 * (i as f64));
            }
        }
        let items: Vec<String> = (1..=7).map(|i| format!("i{i}")).collect();
        let factor_of = vec![0, 0, 0, 0, 1, 1, 1];
        let cfa = cipa::measure::fit_cfa(&items, &["f".into(), "g".into()], &factor_of, &cols);
        let vars = items
            .iter()
            .zip(&cols)
            .map(|(name, c)| Variable::numeric(name.as_str(), c.clone()))
            .collect();
        let d = Dataset::new("generated", vars).unwrap();
        let s = fit("f =~ i1 + i2 + i3 + i4\ng =~ i5 + i6 + i7", &d);
        let s = s.expect("sem");
        let cfa = cfa.expect("cfa");
        let close = |a: f64, b: f64, what: &str| {
            assert!(
                (a - b).abs() <= 1e-6 * b.abs().max(1e-3),
                "n = {n}, {what}: engine {a}, measure {b}"
            );
        };
        for l in &cfa.loadings {
            let r = s
                .parameters
                .iter()
                .find(|r| r.op == "=~" && r.rhs == l.item)
                .unwrap();
            close(r.est, l.estimate, &format!("{} loading", l.item));
            if l.se.is_finite() {
                close(r.se, l.se, &format!("{} se", l.item));
            }
            close(r.std_all, l.std, &format!("{} std.all", l.item));
        }
        close(s.fit.chisq, cfa.fit.chisq, "chisq");
        // The engine solves for the bound as R's uniroot does (tolerance eps^¼, as lavaan
        // prints it); measure bisects to 1e-12, so they differ in the sixth digit.
        let (a, b) = (s.fit.rmsea_ci_upper, cfa.fit.rmsea_ci_upper);
        assert!(
            (a - b).abs() <= 1e-4 * b,
            "n = {n}, rmsea upper: engine {a}, measure {b}"
        );
        close(s.fit.srmr, cfa.fit.srmr, "srmr");
        close(s.fit.cfi, cfa.fit.cfi, "cfi");
        close(s.fit.bic2, cfa.fit.bic2, "bic2");
    }
}

#[test]
fn listwise_deletion_is_recorded() {
    let mut x1 = data(300, &[]).numeric("x1").unwrap().to_vec();
    x1[4] = f64::NAN;
    x1[10] = f64::NAN;
    let full = data(300, &[("y", x1)]);
    let f = fit("f =~ x2 + x3 + y", &full).expect("fits");
    assert_eq!(f.n, 298);
    // Rows 4 and 10 (0-based) are file lines 6 and 12.
    assert_eq!(f.dropped_lines, vec![6, 12]);
    assert_eq!(f.fit.ntotal, 298);
}
