//! The ML engine of `cipa sem` on the framework-sized model (benches/common/sem_data.rs: 4
//! latents × 4-5 items, 2 covariates, n = 500): one fit, and B = 1000 bootstrap draws with
//! percentile intervals (every draw a warm-started refit from its weighted moments).

#[path = "common/sem_data.rs"]
mod sem_data;

use cipa::sem::resample::{bootstrap, SemBootOptions};
use cipa::sem::{fit, SemOptions};
use criterion::{criterion_group, criterion_main, Criterion};

fn sem(c: &mut Criterion) {
    let data = sem_data::dataset(500);
    let flat = cipa::spec::syntax::parse_flat("bench", sem_data::MODEL).expect("model");
    let opts = SemOptions::default();
    let mut group = c.benchmark_group("sem_4x4-5_n500");
    group.bench_function("fit", |b| b.iter(|| fit(&flat, &data, &opts).expect("fit")));
    let fitted = fit(&flat, &data, &opts).expect("fit");
    let boot = SemBootOptions {
        boot: 1000,
        seed: 1,
        ..SemBootOptions::default()
    };
    group.sample_size(10);
    group.bench_function("bootstrap_1000", |b| {
        b.iter(|| bootstrap(&flat, &data, &fitted, &boot).expect("bootstrap"))
    });
    group.finish();
}

criterion_group!(benches, sem);
criterion_main!(benches);
