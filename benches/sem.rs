//! The ML engine of `cipa sem`: one fit, and B = 1000 bootstrap draws with percentile intervals
//! (every draw a warm-started refit from its weighted moments), on two models:
//!
//! - `sem_synthetic_n500`: the framework-sized model of benches/common/sem_data.rs (4 latents ×
//!   4-5 items, 2 covariates) on its simulated n = 500 rows;
//! - `sem_framework`: the framework's model and survey data (models/framework/latent_mediation.lav
//!   on datasets/sme_survey.csv, listwise), or any other model and CSV given by the environment
//!   variables CIPA_SEM_MODEL and CIPA_SEM_DATA (so a changed framework model needs no edit here).
//!
//! Quick settings: `cargo bench --bench sem -- --warm-up-time 1 --measurement-time 5`.

#[path = "common/sem_data.rs"]
mod sem_data;

use cipa::data::Dataset;
use cipa::sem::resample::{bootstrap, SemBootOptions};
use cipa::sem::{fit, SemOptions};
use cipa::spec::flat::FlatModel;
use criterion::{criterion_group, criterion_main, Criterion};

fn fit_and_bootstrap(c: &mut Criterion, group: &str, flat: &FlatModel, data: &Dataset) {
    let opts = SemOptions::default();
    let mut group = c.benchmark_group(group);
    group.bench_function("fit", |b| b.iter(|| fit(flat, data, &opts).expect("fit")));
    let fitted = fit(flat, data, &opts).expect("fit");
    let boot = SemBootOptions {
        boot: 1000,
        seed: 1,
        ..SemBootOptions::default()
    };
    group.sample_size(10);
    group.bench_function("bootstrap_1000", |b| {
        b.iter(|| bootstrap(flat, data, &fitted, &boot).expect("bootstrap"))
    });
    group.finish();
}

fn synthetic(c: &mut Criterion) {
    let data = sem_data::dataset(500);
    let flat = cipa::spec::syntax::parse_flat("bench", sem_data::MODEL).expect("model");
    fit_and_bootstrap(c, "sem_synthetic_n500", &flat, &data);
}

fn framework(c: &mut Criterion) {
    let root = env!("CARGO_MANIFEST_DIR");
    let model_path = std::env::var("CIPA_SEM_MODEL")
        .unwrap_or_else(|_| format!("{root}/models/framework/latent_mediation.lav"));
    let data_path = std::env::var("CIPA_SEM_DATA")
        .unwrap_or_else(|_| format!("{root}/datasets/sme_survey.csv"));
    let text = std::fs::read_to_string(&model_path).expect("the model file");
    let flat = cipa::spec::syntax::parse_flat(&model_path, &text).expect("model");
    let data = cipa::data::read_path(&data_path, &cipa::data::ReadOptions::default())
        .expect("the data file");
    fit_and_bootstrap(c, "sem_framework", &flat, &data);
}

criterion_group!(benches, synthetic, framework);
criterion_main!(benches);
