//! LMS (`cipa::sem::lms`, issue 12): one fit of one latent interaction at n = 2,000 on the
//! simulated data of designs/latent_interaction.toml (seed 1), with the default settings (32
//! Gauss-Hermite nodes, EM then Newton, observed-information SEs). The target is < 2 s.
//!
//! Quick settings: `cargo bench --bench lms -- --warm-up-time 1 --measurement-time 10`.

use cipa::sem::lms;
use cipa::sem::SemOptions;
use cipa::simulate::{generate, Design};
use criterion::{criterion_group, criterion_main, Criterion};

const MODEL: &str = "intl =~ 0.8*intl_1 + intl_2 + intl_3
collab =~ 0.8*collab_1 + collab_2 + collab_3
cultural_distance_latent =~ 0.8*cdist_1 + cdist_2 + cdist_3
intl ~ collab + cultural_distance_latent + collab:cultural_distance_latent";

fn lms_n2000(c: &mut Criterion) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/designs/latent_interaction.toml"
    );
    let design = Design::read(std::path::Path::new(path)).expect("the design");
    let data = generate(&design, 2000, 1)
        .expect("simulated data")
        .to_dataset("latent_interaction")
        .expect("a data set");
    let flat = cipa::spec::syntax::parse_flat("bench", MODEL).expect("model");
    let opts = SemOptions::default();
    let mut group = c.benchmark_group("lms_latent_interaction_n2000");
    group.sample_size(10);
    group.bench_function("fit", |b| {
        b.iter(|| lms::fit(&flat, &data, &opts).expect("fit"))
    });
    group.finish();
}

criterion_group!(benches, lms_n2000);
criterion_main!(benches);
