//! The weighted logistic refit used by the bootstrap: row weights behave as repeated rows, unit
//! weights give the full-sample fit, and a separated resample is reported, not returned.

use cipa::estimation::{logistic_weighted, Regression};

fn data() -> cipa::data::Dataset {
    crate::common::sme_example()
}

const TERMS: [&str; 3] = ["collab", "network_ties", "psychic_distance"];

#[test]
fn weights_act_as_repeated_rows() {
    let data = data();
    let reg = Regression::new("exporter", &TERMS);
    let full = reg.fit_logistic(&data, &Default::default()).unwrap();
    let d = reg.design(&data, true).unwrap();
    let n = d.n();
    // Unit weights, started away from the optimum: the full-sample estimates.
    let start = vec![0.0; d.k()];
    let b = logistic_weighted(&d, &vec![1; n], &start).unwrap();
    for (x, y) in b.iter().zip(full.estimates()) {
        assert!((x - y).abs() < 1e-8 * y.abs().max(1.0), "{x} vs {y}");
    }
    // Weights 0, 1, 2, 3 cycling: the same as a data set with each row repeated that often.
    let counts: Vec<u32> = (0..n).map(|i| (i % 4) as u32).collect();
    let rows: Vec<usize> = (0..n).flat_map(|i| std::iter::repeat_n(i, i % 4)).collect();
    let sub = data.take_rows(&rows.iter().map(|&i| d.cases.rows[i]).collect::<Vec<_>>());
    let expected = reg.fit_logistic(&sub, &Default::default()).unwrap();
    let b = logistic_weighted(&d, &counts, &full.estimates()).unwrap();
    for (x, y) in b.iter().zip(expected.estimates()) {
        assert!((x - y).abs() < 1e-8 * y.abs().max(1.0), "{x} vs {y}");
    }
}

#[test]
fn a_separated_resample_is_an_error() {
    let data = data();
    let reg = Regression::new("exporter", &TERMS);
    let d = reg.design(&data, true).unwrap();
    let full = reg.fit_logistic(&data, &Default::default()).unwrap();
    // Keep the rows whose outcome the first predictor's median splits perfectly: separation.
    let col = &d.columns[1];
    let mut sorted = col.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    let counts: Vec<u32> =
        d.y.iter()
            .zip(col)
            .map(|(&y, &x)| u32::from((y == 1.0) == (x > median)))
            .collect();
    assert!(counts.iter().sum::<u32>() > 20);
    let err = logistic_weighted(&d, &counts, &full.estimates()).unwrap_err();
    assert!(
        err.contains("separated") || err.contains("did not converge"),
        "{err}"
    );
}
