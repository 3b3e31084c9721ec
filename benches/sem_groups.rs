//! The measurement-invariance sequence of `cipa sem --group VAR --invariance` (issue 12's speed
//! target: under 0.2 s for the four fits of two groups at n = 1,000): configural, metric, scalar
//! and strict fits and their lavTestLRT differences (sem::groups::invariance::invariance), on the
//! framework design simulated at n = 1,000 (`cipa simulate --n 1000 --seed 1`, read back as the
//! CLI reads its CSV), grouped by family_owned, with the framework's latent mediation less the
//! grouping covariate (benches/compare/framework_groups.lav). A single configural fit is timed
//! beside it so the sequence's cost per fit can be read off.
//!
//! Quick settings: `cargo bench --bench sem_groups -- --warm-up-time 1 --measurement-time 5`.
//! The whole-process timing against lavaan is benches/compare/sem_groups_vs_lavaan.sh.

use cipa::cli::embed::{simulate, SimulateArgs};
use cipa::sem::groups::{self, invariance::invariance, GroupOptions};
use cipa::sem::SemOptions;
use criterion::{criterion_group, criterion_main, Criterion};

fn framework_groups(c: &mut Criterion) {
    let root = env!("CARGO_MANIFEST_DIR");
    let path = format!("{root}/benches/compare/framework_groups.lav");
    let text = std::fs::read_to_string(&path).expect("the model file");
    let flat = cipa::spec::syntax::parse_flat(&path, &text).expect("model");
    let args = SimulateArgs {
        design: None,
        n: 1000,
        seed: Some(1),
        exact: false,
        out: None,
        truth: None,
        population_n: 0,
    };
    let (data, _) = simulate(&args).expect("simulated data");
    let opts = SemOptions::default();
    let gopts = GroupOptions {
        column: "family_owned".into(),
        ..GroupOptions::default()
    };
    let mut group = c.benchmark_group("sem_groups_framework_n1000");
    group.sample_size(10);
    group.bench_function("configural_fit", |b| {
        b.iter(|| groups::fit(&flat, &data, &opts, &gopts).expect("fit"))
    });
    group.bench_function("invariance_sequence", |b| {
        b.iter(|| invariance(&flat, &data, &opts, &gopts).expect("invariance"))
    });
    group.finish();
}

criterion_group!(benches, framework_groups);
criterion_main!(benches);
