//! Whole conditional process analyses with B = 5000 percentile bootstrap: PROCESS model 4 (two
//! parallel mediators) and model 58 (W on both stages), at n = 300, 2,000 and 20,000, on one
//! thread and on every core. Data are generated here from a fixed linear congruential sequence,
//! so the bench needs no files.
//!
//! `bootstrap_kernel` times the two parts of the bootstrap's hot loop alone, for B = 5000 draws
//! of model 58's moments (the 41 column pairs its three equations need, 38 distinct products):
//! drawing the row counts (`counts`) and summing the products under them, 32 draws per batch as
//! the bootstrap does (`sums`).

use cipa::analysis::{analyse, AnalysisOptions};
use cipa::data::{Dataset, Variable};
use cipa::inference::resample::{resample_counts_many, Moments};
use cipa::spec::{template::template, Roles};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

fn make_data(n: usize) -> Dataset {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut unif = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 11) as f64) / ((1u64 << 53) as f64)
    };
    let mut normal = move || (0..12).map(|_| unif()).sum::<f64>() - 6.0;
    let mut cols: Vec<Vec<f64>> = (0..5).map(|_| Vec::with_capacity(n)).collect();
    for _ in 0..n {
        let (x, w) = (normal(), normal());
        let m1 = 0.4 * x + 0.2 * w + 0.2 * x * w + normal();
        let m2 = 0.3 * x + normal();
        let y = 0.3 * m1 + 0.2 * m2 + 0.1 * m1 * w + 0.1 * x + normal();
        for (c, v) in cols.iter_mut().zip([x, w, m1, m2, y]) {
            c.push(v);
        }
    }
    let vars = ["x", "w", "m1", "m2", "y"]
        .iter()
        .zip(cols)
        .map(|(n, c)| Variable::numeric(*n, c))
        .collect();
    Dataset::new("bench", vars).expect("columns have equal length")
}

fn process(c: &mut Criterion) {
    let mut group = c.benchmark_group("process_b5000");
    group.sample_size(10);
    for model in [4u32, 58] {
        let roles = Roles {
            x: "x".into(),
            y: "y".into(),
            m: vec!["m1".into(), "m2".into()],
            w: (model == 58).then(|| "w".to_string()),
            ..Default::default()
        };
        let spec = template(model)
            .and_then(|t| t.instantiate(&roles))
            .expect("valid model");
        for n in [300usize, 2_000, 20_000] {
            let data = make_data(n);
            for threads in [1usize, 0] {
                let opts = AnalysisOptions {
                    boot: 5000,
                    seed: 1,
                    threads,
                    ..Default::default()
                };
                let id = format!(
                    "model{model}/n{n}/{}",
                    if threads == 1 {
                        "1thread"
                    } else {
                        "allthreads"
                    }
                );
                group.bench_with_input(BenchmarkId::from_parameter(id), &data, |b, d| {
                    b.iter(|| analyse(d, &spec, &opts).expect("analysis runs"))
                });
            }
        }
    }
    group.finish();
}

/// Model 58's stacked columns (constant, x, w, xw, m1, m2, m1w, m2w, y) and the pairs of them its
/// equations' normal equations need, as `analysis::system` asks for them.
fn model58_moments(n: usize) -> Moments {
    let d = make_data(n);
    let col = |name: &str| d.numeric(name).expect("bench data are numeric").to_vec();
    let (x, w, m1, m2, y) = (col("x"), col("w"), col("m1"), col("m2"), col("y"));
    let times = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(u, v)| u * v).collect::<Vec<_>>();
    let cols = [
        vec![1.0; n],
        x.clone(),
        w.clone(),
        times(&x, &w),
        m1.clone(),
        m2.clone(),
    ];
    let mut cols = cols.to_vec();
    cols.extend([times(&m1, &w), times(&m2, &w), y]);
    let refs: Vec<&[f64]> = cols.iter().map(|c| c.as_slice()).collect();
    let (m_eq, y_eq) = ([0, 1, 2, 3], [0, 1, 4, 5, 2, 6, 7]);
    let mut pairs = Vec::new();
    for (idx, outcomes) in [(&m_eq[..], &[4, 5][..]), (&y_eq[..], &[8][..])] {
        for (i, &a) in idx.iter().enumerate() {
            pairs.extend(idx[..=i].iter().map(|&b| (a, b)));
            pairs.extend(outcomes.iter().map(|&o| (o, a)));
        }
    }
    Moments::new(&refs, &pairs)
}

fn kernel(c: &mut Criterion) {
    const B: usize = 5000;
    const BATCH: usize = 32;
    let mut group = c.benchmark_group("bootstrap_kernel");
    group.sample_size(10);
    for n in [2_000usize, 20_000] {
        let moments = model58_moments(n);
        let mut counts = vec![vec![0u32; n]; BATCH];
        let mut sums = vec![0.0; BATCH * moments.width()];
        let streams = |b0: usize| (b0..b0 + BATCH).map(|s| s as u64).collect::<Vec<_>>();
        group.bench_function(BenchmarkId::new("counts", format!("n{n}")), |b| {
            b.iter(|| {
                for b0 in (0..B).step_by(BATCH) {
                    resample_counts_many(1, &streams(b0), &mut counts);
                }
            })
        });
        resample_counts_many(1, &streams(0), &mut counts);
        group.bench_function(BenchmarkId::new("sums", format!("n{n}")), |b| {
            b.iter(|| {
                for _ in (0..B).step_by(BATCH) {
                    moments.sums(&counts, &mut sums);
                }
            })
        });
    }
    group.finish();
}

criterion_group!(benches, process, kernel);
criterion_main!(benches);
