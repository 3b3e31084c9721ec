//! CFA of 3 correlated factors × 5 items by ML (`fit_cfa`) at n = 500 and 50,000, and the whole
//! measurement table (`measure`, without the HTMT bootstrap) at n = 500, on data generated here
//! from a fixed linear congruential sequence (Box-Muller normals).

use cipa::data::{Dataset, Variable};
use cipa::measure::{fit_cfa, measure, parse_constructs, MeasureOptions};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

fn normals(n: usize, seed: u64) -> Vec<f64> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut unif = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 11) as f64 + 0.5) / ((1u64 << 53) as f64)
    };
    (0..n)
        .map(|_| (-2.0 * unif().ln()).sqrt() * (2.0 * std::f64::consts::PI * unif()).cos())
        .collect()
}

/// 15 items `f{k}_{j}`: three factors correlated 0.4, loadings 0.6-0.8.
fn make_items(n: usize) -> (Vec<String>, Vec<usize>, Vec<Vec<f64>>) {
    let g = normals(n, 1);
    let factors: Vec<Vec<f64>> = (0..3)
        .map(|k| {
            let u = normals(n, 10 + k);
            g.iter()
                .zip(&u)
                .map(|(a, b)| 0.4f64.sqrt() * a + 0.6f64.sqrt() * b)
                .collect()
        })
        .collect();
    let (mut names, mut of, mut cols) = (Vec::new(), Vec::new(), Vec::new());
    for (k, f) in factors.iter().enumerate() {
        for j in 0..5 {
            let l = 0.6 + 0.05 * j as f64;
            let e = normals(n, 100 + 10 * k as u64 + j as u64);
            cols.push(
                f.iter()
                    .zip(&e)
                    .map(|(a, b)| l * a + (1.0 - l * l).sqrt() * b)
                    .collect(),
            );
            names.push(format!("f{}_{}", k + 1, j + 1));
            of.push(k);
        }
    }
    (names, of, cols)
}

fn cfa(c: &mut Criterion) {
    let factors: Vec<String> = ["f1", "f2", "f3"].map(String::from).to_vec();
    let mut group = c.benchmark_group("cfa_3x5");
    for n in [500usize, 50_000] {
        let (names, of, cols) = make_items(n);
        if n >= 50_000 {
            group.sample_size(20);
        }
        group.bench_with_input(BenchmarkId::from_parameter(n), &cols, |b, cols| {
            b.iter(|| fit_cfa(&names, &factors, &of, cols).expect("the model fits"))
        });
    }
    group.finish();
}

fn measurement_table(c: &mut Criterion) {
    let (names, _, cols) = make_items(500);
    let vars = names
        .iter()
        .zip(cols)
        .map(|(n, c)| Variable::numeric(n.clone(), c))
        .collect();
    let data = Dataset::new("bench", vars).expect("equal lengths");
    let cs = parse_constructs(&[
        "f1=f1_1,f1_2,f1_3,f1_4,f1_5",
        "f2=f2_1,f2_2,f2_3,f2_4,f2_5",
        "f3=f3_1,f3_2,f3_3,f3_4,f3_5",
    ])
    .expect("valid definitions");
    let opts = MeasureOptions {
        boot: 0,
        ..Default::default()
    };
    c.bench_function("measure_3x5_n500", |b| {
        b.iter(|| measure(&data, &cs, &opts).expect("fits"))
    });
}

criterion_group!(benches, cfa, measurement_table);
criterion_main!(benches);
