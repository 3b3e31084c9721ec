//! Property tests of the OLS estimator and its covariances on random, well-conditioned data:
//! n in 20..200, 2-5 predictors, optionally one product term, heteroskedastic errors and a random
//! cluster variable with 8-12 clusters. The reference computations are written out here,
//! independently of cipa's QR path: normal equations solved with a plain Gauss-Jordan inverse,
//! sandwich sums as loops.

use cipa::data::Variable;
use cipa::estimation::{r2_change, EquationFit, OlsSummary, Summary};
use cipa::inference::wald_f;
use cipa::prelude::*;
use proptest::collection::vec;
use proptest::prelude::*;

/// Relative tolerance for identities that hold up to rounding.
const TOL: f64 = 1e-10;

/// A random data set and a row permutation.
#[derive(Debug, Clone)]
struct Case {
    n: usize,
    p: usize,
    product: bool,
    /// Predictors, `x[j][i]`.
    x: Vec<Vec<f64>>,
    y: Vec<f64>,
    cluster: Vec<f64>,
    perm: Vec<usize>,
}

impl Case {
    fn names(&self) -> Vec<String> {
        (1..=self.p).map(|j| format!("x{j}")).collect()
    }

    /// Terms: x1..xp, and x1:x2 when `product`.
    fn terms(&self) -> Vec<String> {
        let mut t = self.names();
        if self.product {
            t.push("x1:x2".to_string());
        }
        t
    }

    fn k(&self) -> usize {
        1 + self.terms().len()
    }

    fn dataset(&self) -> Dataset {
        let mut vars = vec![Variable::numeric("y", self.y.clone())];
        for (j, name) in self.names().iter().enumerate() {
            vars.push(Variable::numeric(name.as_str(), self.x[j].clone()));
        }
        vars.push(Variable::numeric("g", self.cluster.clone()));
        vars.push(Variable::numeric(
            "id",
            (0..self.n).map(|i| i as f64).collect(),
        ));
        Dataset::new("proptest", vars).expect("data set")
    }

    fn regression(&self) -> Regression {
        let terms = self.terms();
        let terms: Vec<&str> = terms.iter().map(String::as_str).collect();
        Regression::new("y", &terms)
    }

    /// The design as rows, in cipa's column order: constant, x1..xp, x1·x2.
    fn design_rows(&self) -> Vec<Vec<f64>> {
        (0..self.n)
            .map(|i| {
                let mut r = vec![1.0];
                r.extend(self.x.iter().map(|c| c[i]));
                if self.product {
                    r.push(self.x[0][i] * self.x[1][i]);
                }
                r
            })
            .collect()
    }
}

/// Not shrunk: shrinking drives the values towards 0, that is towards constant or collinear
/// columns, which are a different test.
fn case_strategy() -> impl Strategy<Value = Case> {
    (20usize..200, 2usize..=5, any::<bool>(), 8u32..=12)
        .prop_flat_map(|(n, p, product, g)| {
            (
                vec(-1.0f64..1.0, n * p),
                vec(-1.0f64..1.0, n),
                vec(-2.0f64..2.0, p + 1),
                vec(0..g, n),
                Just((0..n).collect::<Vec<usize>>()).prop_shuffle(),
            )
                .prop_map(move |(xs, e, beta, mut cl, perm)| {
                    let x: Vec<Vec<f64>> = xs.chunks(n).map(<[f64]>::to_vec).collect();
                    // Heteroskedastic errors: their spread grows with |x1|.
                    let y = (0..n)
                        .map(|i| {
                            beta[0]
                                + (0..p).map(|j| beta[j + 1] * x[j][i]).sum::<f64>()
                                + e[i] * (0.5 + x[0][i].abs())
                        })
                        .collect();
                    // At least two clusters.
                    cl[0] = 0;
                    cl[1] = 1;
                    Case {
                        n,
                        p,
                        product,
                        x,
                        y,
                        cluster: cl.into_iter().map(f64::from).collect(),
                        perm,
                    }
                })
        })
        .no_shrink()
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 64,
        // Do not write proptest-regressions/ files into the source tree.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn fit(case: &Case, cov: CovType) -> EquationFit {
    case.regression()
        .fit_ols(&case.dataset(), cov)
        .expect("OLS fit on well-conditioned data")
}

fn summary(fit: &EquationFit) -> &OlsSummary {
    match &fit.summary {
        Summary::Ols(s) => s,
        other => panic!("expected an OLS summary, got {other:?}"),
    }
}

/// The 2-norm condition number of the slopes' block of a fit's coefficient covariance (the
/// matrix a Wald F on all slopes inverts).
fn slope_condition(f: &EquationFit) -> f64 {
    let k = f.k();
    let slopes = faer::Mat::<f64>::from_fn(k - 1, k - 1, |i, j| f.cov[(i + 1) * k + j + 1]);
    let Ok(eig) = slopes.self_adjoint_eigenvalues(faer::Side::Lower) else {
        return f64::INFINITY;
    };
    let (lo, hi) = eig.iter().fold((f64::INFINITY, 0.0f64), |(lo, hi), &v| {
        (lo.min(v.abs()), hi.max(v.abs()))
    });
    hi / lo
}

fn rel_close(a: f64, b: f64, tol: f64) -> bool {
    if a.is_nan() || b.is_nan() {
        return a.is_nan() && b.is_nan();
    }
    (a - b).abs() <= tol * a.abs().max(b.abs()).max(1e-300)
}

/// Compares two covariance matrices: every entry to `tol` relative to the geometric mean of the
/// two diagonal entries it sits between (off-diagonal entries can be near zero).
fn cov_close(a: &[f64], b: &[f64], k: usize, tol: f64) -> Result<(), String> {
    for i in 0..k {
        for j in 0..k {
            let scale = (b[i * k + i] * b[j * k + j]).sqrt();
            let d = (a[i * k + j] - b[i * k + j]).abs();
            if d > tol * scale {
                return Err(format!(
                    "entry ({i},{j}): {} vs {} (scale {scale:e})",
                    a[i * k + j],
                    b[i * k + j]
                ));
            }
        }
    }
    Ok(())
}

/// Inverse of a small dense matrix by Gauss-Jordan elimination with partial pivoting.
fn gauss_jordan_inverse(a: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let k = a.len();
    let mut m: Vec<Vec<f64>> = a
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let mut r = row.clone();
            r.extend((0..k).map(|j| if i == j { 1.0 } else { 0.0 }));
            r
        })
        .collect();
    for c in 0..k {
        let pivot = (c..k)
            .max_by(|&i, &j| m[i][c].abs().total_cmp(&m[j][c].abs()))
            .expect("a pivot row");
        m.swap(c, pivot);
        let d = m[c][c];
        assert!(d.abs() > 1e-12, "singular X'X in a property test");
        for v in m[c].iter_mut() {
            *v /= d;
        }
        let pivot_row = m[c].clone();
        for (r, row) in m.iter_mut().enumerate() {
            let f = row[c];
            if r != c && f != 0.0 {
                for (x, p) in row.iter_mut().zip(&pivot_row) {
                    *x -= f * p;
                }
            }
        }
    }
    m.into_iter().map(|r| r[k..].to_vec()).collect()
}

/// OLS by the normal equations: coefficients, residuals and (X'X)⁻¹.
struct Reference {
    b: Vec<f64>,
    e: Vec<f64>,
    xtx_inv: Vec<Vec<f64>>,
}

fn reference(case: &Case) -> Reference {
    let rows = case.design_rows();
    let k = rows[0].len();
    let mut xtx = vec![vec![0.0; k]; k];
    let mut xty = vec![0.0; k];
    for (r, y) in rows.iter().zip(&case.y) {
        for a in 0..k {
            xty[a] += r[a] * y;
            for b in 0..k {
                xtx[a][b] += r[a] * r[b];
            }
        }
    }
    let xtx_inv = gauss_jordan_inverse(&xtx);
    let b: Vec<f64> = (0..k)
        .map(|a| (0..k).map(|c| xtx_inv[a][c] * xty[c]).sum())
        .collect();
    let e = rows
        .iter()
        .zip(&case.y)
        .map(|(r, y)| y - r.iter().zip(&b).map(|(x, b)| x * b).sum::<f64>())
        .collect();
    Reference { b, e, xtx_inv }
}

/// `(X'X)⁻¹ (Σ ω_i x_i x_iᵀ) (X'X)⁻¹`, written as loops.
fn sandwich_loop(rows: &[Vec<f64>], inv: &[Vec<f64>], omega: &[f64]) -> Vec<Vec<f64>> {
    let k = inv.len();
    let mut meat = vec![vec![0.0; k]; k];
    for (r, w) in rows.iter().zip(omega) {
        for a in 0..k {
            for b in 0..k {
                meat[a][b] += w * r[a] * r[b];
            }
        }
    }
    let mut out = vec![vec![0.0; k]; k];
    for a in 0..k {
        for b in 0..k {
            let mut s = 0.0;
            for c in 0..k {
                for d in 0..k {
                    s += inv[a][c] * meat[c][d] * inv[d][b];
                }
            }
            out[a][b] = s;
        }
    }
    out
}

proptest! {
    #![proptest_config(config())]

    /// HC1 = n/(n-k) · HC0, entry by entry.
    #[test]
    fn hc1_is_scaled_hc0(case in case_strategy()) {
        let hc0 = fit(&case, CovType::Hc0);
        let hc1 = fit(&case, CovType::Hc1);
        let (n, k) = (case.n as f64, case.k() as f64);
        let scaled: Vec<f64> = hc0.cov.iter().map(|v| v * n / (n - k)).collect();
        prop_assert_eq!(hc1.cov.len(), case.k() * case.k());
        if let Err(m) = cov_close(&hc1.cov, &scaled, case.k(), TOL) {
            prop_assert!(false, "HC1 vs n/(n-k)·HC0: {}", m);
        }
    }

    /// CR1 with every row its own cluster is HC1: G/(G-1)·(n-1)/(n-k) = n/(n-k) when G = n.
    #[test]
    fn cr1_with_singleton_clusters_is_hc1(case in case_strategy()) {
        let hc1 = fit(&case, CovType::Hc1);
        let cr1 = case
            .regression()
            .cluster("id")
            .fit_ols(&case.dataset(), CovType::Cr1)
            .expect("CR1 fit");
        prop_assert_eq!(cr1.cluster.clone(), Some(("id".to_string(), case.n)));
        if let Err(m) = cov_close(&cr1.cov, &hc1.cov, case.k(), TOL) {
            prop_assert!(false, "CR1 (singletons) vs HC1: {}", m);
        }
    }

    /// Residuals are orthogonal to every column of the design.
    #[test]
    fn residuals_orthogonal_to_design(case in case_strategy()) {
        let f = fit(&case, CovType::Ols);
        let rows = case.design_rows();
        let e_norm = f.residuals.iter().map(|e| e * e).sum::<f64>().sqrt();
        for j in 0..case.k() {
            let col_norm = rows.iter().map(|r| r[j] * r[j]).sum::<f64>().sqrt();
            let dot: f64 = rows.iter().zip(&f.residuals).map(|(r, e)| r[j] * e).sum();
            prop_assert!(
                dot.abs() <= 1e-12 * col_norm * e_norm.max(1e-300) * (case.n as f64).sqrt(),
                "column {}: X'e = {:e} (|x| = {}, |e| = {})", j, dot, col_norm, e_norm
            );
        }
        // Fitted + residual = y.
        for i in 0..case.n {
            prop_assert!((f.fitted[i] + f.residuals[i] - case.y[i]).abs() <= 1e-12 * (1.0 + case.y[i].abs()));
        }
    }

    /// Permuting the rows changes nothing: coefficients, every standard error, R², F.
    #[test]
    fn invariant_to_row_order(case in case_strategy()) {
        let data = case.dataset();
        let shuffled = data.take_rows(&case.perm);
        let reg = case.regression();
        let covs = [CovType::Ols, CovType::Hc0, CovType::Hc1, CovType::Hc2, CovType::Hc3, CovType::Hc4];
        let mut pairs = Vec::new();
        for cov in covs {
            pairs.push((
                cov,
                reg.fit_ols(&data, cov).expect("fit"),
                reg.fit_ols(&shuffled, cov).expect("fit, shuffled"),
            ));
        }
        let cl = reg.clone().cluster("g");
        pairs.push((
            CovType::Cr1,
            cl.fit_ols(&data, CovType::Cr1).expect("CR1 fit"),
            cl.fit_ols(&shuffled, CovType::Cr1).expect("CR1 fit, shuffled"),
        ));
        for (cov, a, b) in &pairs {
            for (ca, cb) in a.coefficients.iter().zip(&b.coefficients) {
                prop_assert_eq!(&ca.term, &cb.term);
                // Estimates relative to their standard error (a coefficient can be near zero).
                prop_assert!(
                    (ca.estimate - cb.estimate).abs() <= TOL * (ca.estimate.abs() + ca.se),
                    "{:?} {}: {} vs {}", cov, ca.term, ca.estimate, cb.estimate
                );
                prop_assert!(rel_close(ca.se, cb.se, TOL), "{:?} {} se: {} vs {}", cov, ca.term, ca.se, cb.se);
            }
            let (sa, sb) = (summary(a), summary(b));
            prop_assert!(rel_close(sa.r2, sb.r2, TOL), "{:?} R²", cov);
            // The Wald F inverts the slopes' covariance, so its rounding error grows with that
            // matrix's condition number (a CR1 covariance from eight clusters can be nearly
            // singular, giving F in the millions).
            let f_tol = TOL * slope_condition(a).max(1.0);
            prop_assert!(rel_close(sa.f, sb.f, f_tol), "{:?} F: {} vs {} (tol {})", cov, sa.f, sb.f, f_tol);
        }
        // Row-order invariance of the row bookkeeping too.
        prop_assert_eq!(pairs[0].1.n, pairs[0].2.n);
    }

    /// Classical standard errors are sqrt(MSE · diag((X'X)⁻¹)), with (X'X)⁻¹ from Gauss-Jordan,
    /// and the coefficients solve the normal equations.
    #[test]
    fn ols_se_matches_normal_equations(case in case_strategy()) {
        let f = fit(&case, CovType::Ols);
        let r = reference(&case);
        let (n, k) = (case.n, case.k());
        let sse: f64 = r.e.iter().map(|e| e * e).sum();
        let mse = sse / (n - k) as f64;
        prop_assert!(rel_close(summary(&f).mse, mse, 1e-9), "MSE {} vs {}", summary(&f).mse, mse);
        for j in 0..k {
            let c = &f.coefficients[j];
            let se = (mse * r.xtx_inv[j][j]).sqrt();
            prop_assert!(
                (c.estimate - r.b[j]).abs() <= 1e-9 * (r.b[j].abs() + se),
                "{}: b {} vs {}", c.term, c.estimate, r.b[j]
            );
            prop_assert!(rel_close(c.se, se, 1e-9), "{}: se {} vs {}", c.term, c.se, se);
            prop_assert!(rel_close(f.xtx_inv[j * k + j], r.xtx_inv[j][j], 1e-9));
        }
    }

    /// HC0 and HC3 standard errors equal the sandwich written as loops (HC3 with leverages
    /// h_i = x_iᵀ (X'X)⁻¹ x_i).
    #[test]
    fn hc0_and_hc3_match_direct_loops(case in case_strategy()) {
        let r = reference(&case);
        let rows = case.design_rows();
        let k = case.k();
        let hat: Vec<f64> = rows
            .iter()
            .map(|x| (0..k).map(|a| (0..k).map(|b| x[a] * r.xtx_inv[a][b] * x[b]).sum::<f64>()).sum())
            .collect();
        let w0: Vec<f64> = r.e.iter().map(|e| e * e).collect();
        let w3: Vec<f64> = r.e.iter().zip(&hat).map(|(e, h)| e * e / ((1.0 - h) * (1.0 - h))).collect();
        for (cov, w) in [(CovType::Hc0, w0), (CovType::Hc3, w3)] {
            let v = sandwich_loop(&rows, &r.xtx_inv, &w);
            let f = fit(&case, cov);
            prop_assert_eq!(f.coefficients.len(), k);
            for (j, c) in f.coefficients.iter().enumerate() {
                let se = v[j][j].sqrt();
                prop_assert!(rel_close(c.se, se, 1e-9), "{:?} {}: se {} vs {}", cov, c.term, c.se, se);
            }
        }
    }

    /// The R² change test of all slopes at once is the overall F test, and ΔR² is R².
    #[test]
    fn r2_change_of_all_slopes_is_overall_f(case in case_strategy()) {
        let f = fit(&case, CovType::Ols);
        let s = summary(&f);
        let r = r2_change(&f, &case.terms()).expect("R² change");
        prop_assert!(rel_close(r.f, s.f, TOL), "F {} vs {}", r.f, s.f);
        prop_assert!(rel_close(r.r2_change, s.r2, TOL), "ΔR² {} vs R² {}", r.r2_change, s.r2);
        prop_assert_eq!(r.df1, s.df1);
        prop_assert_eq!(r.df2, s.df2);
        prop_assert!(rel_close(r.p, s.p, 1e-6) || (r.p < 1e-300 && s.p < 1e-300), "p {} vs {}", r.p, s.p);
        // With a robust covariance, ΔR² stays the classical one and F is the fit's Wald F.
        let h = fit(&case, CovType::Hc3);
        let rh = r2_change(&h, &case.terms()).expect("R² change, HC3");
        prop_assert!(rel_close(rh.r2_change, s.r2, 1e-9), "HC3 ΔR² {} vs R² {}", rh.r2_change, s.r2);
        prop_assert!(rel_close(rh.f, summary(&h).f, TOL), "HC3 F {} vs {}", rh.f, summary(&h).f);
    }

    /// The Wald F on all slopes with the classical covariance is the classical F.
    #[test]
    fn wald_f_with_ols_cov_is_classical_f(case in case_strategy()) {
        let f = fit(&case, CovType::Ols);
        let s = summary(&f);
        let slopes: Vec<usize> = (1..case.k()).collect();
        let w = wald_f(&f.estimates(), &f.cov, &slopes, s.df2).expect("Wald F");
        prop_assert!(rel_close(w.f, s.f, TOL), "Wald F {} vs classical F {}", w.f, s.f);
        prop_assert_eq!(w.df1, s.df1);
        prop_assert_eq!(w.df2, s.df2);
        prop_assert!(rel_close(w.p, s.p, 1e-6) || (w.p < 1e-300 && s.p < 1e-300), "p {} vs {}", w.p, s.p);
        // The classical F from R²: (R²/q) / ((1 - R²)/(n - k)).
        let q = (case.k() - 1) as f64;
        let from_r2 = (s.r2 / q) / ((1.0 - s.r2) / s.df2);
        prop_assert!(rel_close(from_r2, s.f, 1e-9));
    }
}
