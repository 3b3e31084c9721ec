//! The draws of a design's `[cluster]` (design/cluster.rs): which cluster each firm is in and
//! each cluster's random intercepts. Each comes from its own stream of the seed, so a design
//! without clusters draws exactly what it drew before, and adding a random intercept to one
//! equation leaves the others' draws unchanged.

use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

use super::design::Design;
use super::generate::rng;

const STREAM_CLUSTER_IDS: u64 = 30_000;
const STREAM_CLUSTER_INTERCEPTS: u64 = 30_001;

/// Each row's cluster, 0-based (empty for a design without `[cluster]`): uniform over the
/// clusters, so their sizes vary as a multinomial draw (as firms per country in a survey do).
pub(super) fn ids(d: &Design, seed: u64, n: usize) -> Vec<usize> {
    let Some(c) = &d.cluster else {
        return Vec::new();
    };
    let mut r = rng(seed, STREAM_CLUSTER_IDS);
    (0..n).map(|_| r.random_range(0..c.count)).collect()
}

/// Per row, the random intercept equation `eq` receives (all zero when it has none).
pub(super) fn intercepts(d: &Design, seed: u64, eq: usize, ids: &[usize]) -> Option<Vec<f64>> {
    let c = d.cluster.as_ref()?;
    let &(_, sd) = c.intercept_sd.iter().find(|(e, _)| *e == eq)?;
    let mut r = rng(seed, STREAM_CLUSTER_INTERCEPTS + eq as u64);
    let u: Vec<f64> = (0..c.count)
        .map(|_| {
            let z: f64 = StandardNormal.sample(&mut r);
            sd * z
        })
        .collect();
    Some(ids.iter().map(|&c| u[c]).collect())
}
