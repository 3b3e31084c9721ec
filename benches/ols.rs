//! OLS with HC3 standard errors at n = 1,000 and 100,000, p = 6 (constant + 4 predictors + one
//! product term), on data generated here with a fixed linear congruential sequence so the bench
//! needs no data files and no RNG crate.

use cipa::data::{Dataset, Variable};
use cipa::estimation::Regression;
use cipa::inference::CovType;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

fn make_data(n: usize) -> Dataset {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut unif = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 11) as f64) / ((1u64 << 53) as f64)
    };
    let cols: Vec<Vec<f64>> = (0..4)
        .map(|_| (0..n).map(|_| unif() * 6.0 + 1.0).collect())
        .collect();
    let y: Vec<f64> = (0..n)
        .map(|i| {
            1.0 + 0.5 * cols[0][i] - 0.3 * cols[1][i] + 0.2 * cols[0][i] * cols[1][i] + unif() * 2.0
        })
        .collect();
    let mut vars = vec![Variable::numeric("y", y)];
    for (j, c) in cols.into_iter().enumerate() {
        vars.push(Variable::numeric(format!("x{}", j + 1), c));
    }
    Dataset::new("bench", vars).expect("columns have equal length")
}

fn ols_hc3(c: &mut Criterion) {
    let mut group = c.benchmark_group("ols_hc3_p6");
    for n in [1_000usize, 100_000] {
        let data = make_data(n);
        let model = Regression::new("y", &["x1", "x2", "x3", "x4", "x1:x2"]);
        if n >= 100_000 {
            group.sample_size(20);
        }
        group.bench_with_input(BenchmarkId::from_parameter(n), &data, |b, d| {
            b.iter(|| {
                model
                    .fit_ols(d, CovType::Hc3)
                    .expect("well-conditioned design")
            })
        });
    }
    group.finish();
}

criterion_group!(benches, ols_hc3);
criterion_main!(benches);
