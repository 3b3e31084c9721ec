//! Sample moments and the FIML H1 against lavaan 0.6-14 (tests/golden/sem_hs_fiml: the
//! HolzingerSwineford1939 items with about 8% of cells blanked; ml/moments.json is written by
//! make.R): the missing-data patterns, the EM H1 moments and `unrestricted.logl`, and at lavaan's
//! fitted moments the casewise log-likelihood and its gradient in μ and Σ.

use cipa::sem::h1::{EmOptions, H1};
use cipa::sem::missing::{casewise_loglik, loglik, loglik_gradient, MissingPatterns};
use cipa::sem::moments::{DataView, Moments};
use serde_json::Value;

use crate::common::{golden_dir, shared_or_skip_file, Table};

/// The items x1..x9 (lavaan's order) with the golden's blanked cells, row-major.
fn blanked_items(golden: &Value) -> Option<(Vec<f64>, usize, usize)> {
    let path = shared_or_skip_file("datasets/lavaan_pkg/HolzingerSwineford1939.csv")?;
    let table = Table::read(&path);
    let names: Vec<&str> = golden["observed_variables"]
        .as_array()
        .expect("observed_variables")
        .iter()
        .map(|v| v.as_str().expect("a name"))
        .collect();
    let cols: Vec<usize> = names
        .iter()
        .map(|n| {
            table
                .header
                .iter()
                .position(|h| h == n)
                .unwrap_or_else(|| panic!("no column {n}"))
        })
        .collect();
    let (n, p) = (table.rows.len(), cols.len());
    let mut y = vec![0.0; n * p];
    for (i, row) in table.rows.iter().enumerate() {
        for (j, &c) in cols.iter().enumerate() {
            y[i * p + j] = row[c].parse().expect("a number");
        }
    }
    let blank = Table::read(&golden_dir("sem_hs_fiml").join("blank.csv"));
    for cell in &blank.rows {
        let line: usize = cell[0].parse().expect("a line");
        let j = names.iter().position(|n| *n == cell[1]).expect("an item");
        // `line` is the file line of the row, the header being line 1.
        y[(line - 2) * p + j] = f64::NAN;
    }
    assert!(blank.rows.len() > 100);
    Some((y, n, p))
}

fn golden() -> Value {
    let path = golden_dir("sem_hs_fiml").join("ml/moments.json");
    let text = std::fs::read_to_string(&path).expect("moments.json");
    serde_json::from_str(&text).expect("JSON")
}

fn vector(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|x| x.as_f64().expect("a number"))
        .collect()
}

fn matrix(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("rows")
        .iter()
        .flat_map(vector)
        .collect()
}

fn assert_close(what: &str, got: &[f64], want: &[f64], rel: f64) {
    assert_eq!(got.len(), want.len(), "{what}");
    let scale = want.iter().fold(0.0f64, |m, w| m.max(w.abs()));
    for (k, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            (g - w).abs() <= rel * scale.max(f64::MIN_POSITIVE),
            "{what}[{k}]: {g} vs lavaan {w}"
        );
    }
}

#[test]
fn fiml_h1_matches_lavaan() {
    let g = golden();
    let Some((y, n, p)) = blanked_items(&g) else {
        return;
    };
    let data = DataView::new(&y, n, p).expect("shape");
    let pats = MissingPatterns::new(data).expect("patterns");
    assert_eq!(
        pats.len() as u64,
        g["npatterns"].as_u64().expect("npatterns")
    );
    assert_eq!(pats.n as u64, g["n"].as_u64().expect("n"));
    assert!(pats.empty_rows.is_empty());

    let h1 = H1::em(&pats, EmOptions::default()).expect("EM");
    assert!(h1.converged, "{} iterations", h1.iterations);
    // The same EM with the same stopping rule: the same iterate up to rounding.
    assert_close("h1 mean", &h1.mean, &vector(&g["h1_mean"]), 1e-9);
    assert_close("h1 cov", &h1.cov, &matrix(&g["h1_cov"]), 1e-9);
    let want = g["unrestricted_logl"].as_f64().expect("logl");
    assert!(
        (h1.logl - want).abs() < 1e-9 * want.abs(),
        "unrestricted logl {} vs lavaan {want}",
        h1.logl
    );
}

#[test]
fn fiml_loglik_and_gradient_at_lavaans_estimates() {
    let g = golden();
    let Some((y, n, p)) = blanked_items(&g) else {
        return;
    };
    let data = DataView::new(&y, n, p).expect("shape");
    let pats = MissingPatterns::new(data).expect("patterns");
    let (mu, sigma) = (vector(&g["h0_mean"]), matrix(&g["h0_cov"]));
    let logl = g["logl"].as_f64().expect("logl");
    let l = loglik(&pats, &mu, &sigma).expect("loglik");
    assert!(
        (l - logl).abs() < 1e-10 * logl.abs(),
        "{l} vs lavaan {logl}"
    );
    let cw = casewise_loglik(data, &pats, &mu, &sigma).expect("casewise");
    assert_close("casewise logl", &cw, &vector(&g["h0_casewise_logl"]), 1e-12);
    let grad = loglik_gradient(&pats, &mu, &sigma).expect("gradient");
    assert!((grad.logl - l).abs() < 1e-9);
    // At lavaan's estimates the gradient is small (its optimizer stops near 1e-5), so compare
    // it absolutely, on the scale of the terms that cancel in it (n times an entry of Σ⁻¹).
    let check = |what: &str, got: &[f64], want: &[f64]| {
        for (k, (a, b)) in got.iter().zip(want).enumerate() {
            assert!((a - b).abs() < 1e-9, "{what}[{k}]: {a} vs lavaan {b}");
        }
    };
    check("dlogl/dmu", &grad.d_mu, &vector(&g["h0_dlogl_dmu"]));
    check(
        "dlogl/dSigma",
        &grad.d_sigma,
        &matrix(&g["h0_dlogl_dsigma"]),
    );
}

#[test]
fn complete_data_moments_and_bootstrap_counts() {
    let g = golden();
    let Some((y, n, p)) = blanked_items(&g) else {
        return;
    };
    // Listwise: the complete rows only.
    let complete: Vec<f64> = y
        .chunks(p)
        .filter(|r| r.iter().all(|v| !v.is_nan()))
        .flatten()
        .copied()
        .collect();
    let nc = complete.len() / p;
    assert!(nc > 100 && nc < n);
    let view = DataView::new(&complete, nc, p).expect("shape");
    let m = Moments::complete(view).expect("moments");
    let h1 = H1::complete(&m).expect("h1");
    // Complete data through the EM give the same H1 in two steps.
    let em = H1::em(
        &MissingPatterns::new(view).expect("patterns"),
        EmOptions::default(),
    )
    .expect("EM");
    assert_eq!(em.iterations, 2);
    assert_close("em = complete", &em.cov, &h1.cov, 1e-12);
    assert!((em.logl - h1.logl).abs() < 1e-9 * h1.logl.abs());
    // A draw as counts equals the draw as copied rows.
    let counts: Vec<u32> = (0..nc as u32).map(|i| (i * 7 + 3) % 4).collect();
    let w = Moments::weighted(view, &counts).expect("weighted");
    let mut copied = Vec::new();
    for (i, &c) in counts.iter().enumerate() {
        for _ in 0..c {
            copied.extend_from_slice(&complete[i * p..(i + 1) * p]);
        }
    }
    let direct = Moments::complete(DataView::new(&copied, copied.len() / p, p).expect("shape"))
        .expect("moments");
    assert_eq!(w.n, direct.n);
    assert_close("weighted mean", &w.mean, &direct.mean, 1e-13);
    assert_close("weighted cov", &w.cov, &direct.cov, 1e-13);
}
