//! Whole conditional process analyses with B = 5000 percentile bootstrap: PROCESS model 4 (two
//! parallel mediators) and model 58 (W on both stages), at n = 300, 2,000 and 20,000, on one
//! thread and on every core. Data are generated here from a fixed linear congruential sequence,
//! so the bench needs no files.

use cipa::analysis::{analyse, AnalysisOptions};
use cipa::data::{Dataset, Variable};
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

criterion_group!(benches, process);
criterion_main!(benches);
