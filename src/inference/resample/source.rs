//! Where a draw comes from: draw `b` (and its replacements, see [`super::driver`]) takes its own
//! random stream from `(seed, b)`, so a draw does not depend on the thread that computes it.

use rand::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// A kind of draw: what the estimator's [`super::Step`] receives, made from a stream.
pub trait DrawSource: Sync {
    /// What one draw is, as the step sees it (row counts, a random generator, ...).
    type Draw: ?Sized;
    /// Per-worker storage for a draw, made once per block of draws.
    type Buffer;
    fn buffer(&self) -> Self::Buffer;
    /// Draw number `stream` under `seed`, made in `buffer`.
    fn draw<'a>(&self, seed: u64, stream: u64, buffer: &'a mut Self::Buffer) -> &'a mut Self::Draw;

    /// Draws `streams` under `seed`, one in each of `buffers` (for a step that takes a batch);
    /// the same draws as [`DrawSource::draw`] gives one at a time.
    fn draws<'a>(
        &self,
        seed: u64,
        streams: &[u64],
        buffers: &'a mut [Self::Buffer],
    ) -> Vec<&'a mut Self::Draw> {
        buffers
            .iter_mut()
            .zip(streams)
            .map(|(b, &s)| self.draw(seed, s, b))
            .collect()
    }

    /// Whether a draw is the row counts of the plain bootstrap of [`Rows`] (a step may then
    /// make its statistics from the draws' streams, [`super::Step::draws_from_streams`]).
    fn plain_rows(&self) -> bool {
        false
    }

    /// As [`DrawSource::draws`], into buffers that are fresh from [`DrawSource::buffer`] or that
    /// the step of the last batch left cleared ([`super::Step::clears_draws`]), which a source
    /// whose new buffers are cleared (all zero) may use to skip clearing them.
    fn draws_onto_cleared<'a>(
        &self,
        seed: u64,
        streams: &[u64],
        buffers: &'a mut [Self::Buffer],
    ) -> Vec<&'a mut Self::Draw> {
        self.draws(seed, streams, buffers)
    }
}

/// The nonparametric bootstrap: a draw is the row counts of a resample of `n` rows with
/// replacement (see [`resample_counts`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rows {
    pub n: usize,
}

impl DrawSource for Rows {
    type Draw = [u32];
    type Buffer = Vec<u32>;

    fn buffer(&self) -> Vec<u32> {
        vec![0; self.n]
    }

    fn draw<'a>(&self, seed: u64, stream: u64, buffer: &'a mut Vec<u32>) -> &'a mut [u32] {
        resample_counts(seed, stream, buffer);
        buffer
    }

    fn plain_rows(&self) -> bool {
        true
    }

    fn draws<'a>(
        &self,
        seed: u64,
        streams: &[u64],
        buffers: &'a mut [Vec<u32>],
    ) -> Vec<&'a mut [u32]> {
        super::counts::resample_counts_many(seed, streams, buffers);
        buffers.iter_mut().map(|b| b.as_mut_slice()).collect()
    }

    fn draws_onto_cleared<'a>(
        &self,
        seed: u64,
        streams: &[u64],
        buffers: &'a mut [Vec<u32>],
    ) -> Vec<&'a mut [u32]> {
        super::counts::resample_counts_many_onto_zeros(seed, streams, buffers);
        buffers.iter_mut().map(|b| b.as_mut_slice()).collect()
    }
}

/// The cluster bootstrap (the "pairs cluster bootstrap" of Cameron, Gelbach & Miller 2008,
/// Rev. Econ. Stat. 90(3)): a draw picks `g` whole clusters with replacement, and every row of a
/// cluster drawn k times gets count k, so the step sees row counts exactly as in [`Rows`]. The
/// clusters' multiplicities are [`resample_counts`] of the draw's stream over `g`, so a draw
/// depends only on `(seed, draw)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clusters {
    /// The cluster of each row, numbered `0..g`.
    ids: Vec<u32>,
    g: usize,
}

impl Clusters {
    /// Rows' cluster ids numbered `0..g` (every number used); `None` when an id is out of that
    /// range or a number is unused.
    pub fn new(ids: Vec<u32>) -> Option<Clusters> {
        let g = ids.iter().map(|&c| c as usize + 1).max().unwrap_or(0);
        let mut used = vec![false; g];
        ids.iter().for_each(|&c| used[c as usize] = true);
        used.iter().all(|&u| u).then_some(Clusters { ids, g })
    }

    /// How many clusters.
    pub fn count(&self) -> usize {
        self.g
    }

    /// The cluster of each row.
    pub fn ids(&self) -> &[u32] {
        &self.ids
    }
}

/// Working memory of a cluster draw: the clusters' multiplicities and the rows' counts.
#[derive(Debug, Clone)]
pub struct ClusterBuffer {
    picks: Vec<u32>,
    rows: Vec<u32>,
}

impl DrawSource for Clusters {
    type Draw = [u32];
    type Buffer = ClusterBuffer;

    fn buffer(&self) -> ClusterBuffer {
        ClusterBuffer {
            picks: vec![0; self.g],
            rows: vec![0; self.ids.len()],
        }
    }

    fn draw<'a>(&self, seed: u64, stream: u64, buffer: &'a mut ClusterBuffer) -> &'a mut [u32] {
        resample_counts(seed, stream, &mut buffer.picks);
        for (r, &c) in buffer.rows.iter_mut().zip(&self.ids) {
            *r = buffer.picks[c as usize];
        }
        &mut buffer.rows
    }
}

/// The stratified bootstrap: the rows are in strata of fixed sizes (stored one stratum after
/// another), and a draw resamples each stratum's rows within that stratum, so every stratum
/// keeps its size (lavaan's bootstrap of a multi-group fit resamples each group's rows from that
/// group, `lav_bootstrap.R`). One stream per draw, `(seed, draw)`, gives the strata's rows in
/// turn, each mapped onto its stratum as [`resample_counts`] maps onto all rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Strata {
    sizes: Vec<usize>,
}

impl Strata {
    /// Strata of `sizes` rows, in the order the rows are stored.
    pub fn new(sizes: Vec<usize>) -> Strata {
        Strata { sizes }
    }

    /// Every row of every stratum.
    pub fn rows(&self) -> usize {
        self.sizes.iter().sum()
    }
}

impl DrawSource for Strata {
    type Draw = [u32];
    type Buffer = Vec<u32>;

    fn buffer(&self) -> Vec<u32> {
        vec![0; self.rows()]
    }

    fn draw<'a>(&self, seed: u64, stream: u64, buffer: &'a mut Vec<u32>) -> &'a mut [u32] {
        buffer.iter_mut().for_each(|c| *c = 0);
        let mut rng = stream_rng(seed, stream);
        let mut start = 0;
        for &n in &self.sizes {
            let n64 = n as u128;
            for _ in 0..n {
                let i = ((rng.next_u64() as u128 * n64) >> 64) as usize;
                buffer[start + i] += 1;
            }
            start += n;
        }
        buffer
    }
}

/// Parametric (Monte Carlo) draws: the step receives the draw's own generator and samples what
/// it needs from it (normal coefficients, say).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Normal;

impl DrawSource for Normal {
    type Draw = Xoshiro256PlusPlus;
    type Buffer = Xoshiro256PlusPlus;

    fn buffer(&self) -> Xoshiro256PlusPlus {
        stream_rng(0, 0)
    }

    fn draw<'a>(
        &self,
        seed: u64,
        stream: u64,
        buffer: &'a mut Xoshiro256PlusPlus,
    ) -> &'a mut Xoshiro256PlusPlus {
        *buffer = stream_rng(seed, stream);
        buffer
    }
}

/// Fills `counts` (length n) with the row counts of resample `(seed, stream)`.
pub fn resample_counts(seed: u64, stream: u64, counts: &mut [u32]) {
    let n = counts.len();
    counts.iter_mut().for_each(|c| *c = 0);
    let mut rng = stream_rng(seed, stream);
    // Lemire's multiply-high maps a 64-bit draw onto 0..n; its bias (at most n/2^64) is far below
    // anything a bootstrap can detect, and it avoids rejection loops in the hot path.
    let n64 = n as u128;
    for _ in 0..n {
        let i = ((rng.next_u64() as u128 * n64) >> 64) as usize;
        counts[i] += 1;
    }
}

/// The generator of draw `stream` under `seed`.
pub fn stream_rng(seed: u64, stream: u64) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(stream_seed(seed, stream))
}

/// The generator's seed for draw `stream` under `seed`.
pub(super) fn stream_seed(seed: u64, stream: u64) -> u64 {
    splitmix64(seed ^ splitmix64(stream))
}

/// SplitMix64's finaliser: spreads (seed, draw) pairs over the generator's seed space.
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_sum_to_n_and_streams_differ() {
        let mut a = vec![0u32; 50];
        let mut b = vec![0u32; 50];
        resample_counts(7, 0, &mut a);
        resample_counts(7, 1, &mut b);
        assert_eq!(a.iter().sum::<u32>(), 50);
        assert_ne!(a, b);
        let mut a2 = vec![0u32; 50];
        resample_counts(7, 0, &mut a2);
        assert_eq!(a, a2);
    }

    /// A cluster draw gives every row of a cluster the same count, the counts of the clusters
    /// are a resample of the clusters (they sum to the number of clusters), and the draw depends
    /// only on (seed, stream).
    #[test]
    fn cluster_draws_resample_whole_clusters() {
        let ids: Vec<u32> = (0..40).map(|i| (i * 7 % 5) as u32).collect();
        let source = Clusters::new(ids.clone()).unwrap();
        assert_eq!(source.count(), 5);
        let mut buf = source.buffer();
        let mut picks = vec![0u32; 5];
        for stream in 0..20 {
            let rows = source.draw(3, stream, &mut buf).to_vec();
            resample_counts(3, stream, &mut picks);
            assert_eq!(picks.iter().sum::<u32>(), 5);
            for (i, &c) in ids.iter().enumerate() {
                assert_eq!(rows[i], picks[c as usize]);
            }
            let again = source.draw(3, stream, &mut source.buffer()).to_vec();
            assert_eq!(rows, again);
        }
        assert!(Clusters::new(vec![0, 2, 2]).is_none(), "cluster 1 unused");
    }

    /// A stratified draw keeps every stratum's size, one stratum is the plain row bootstrap of
    /// the same stream, and a draw depends only on (seed, stream).
    #[test]
    fn strata_draws_keep_each_stratum_size() {
        let source = Strata::new(vec![7, 12, 5]);
        let mut buf = source.buffer();
        for stream in 0..20 {
            let c = source.draw(9, stream, &mut buf).to_vec();
            assert_eq!(c.len(), 24);
            assert_eq!(c[..7].iter().sum::<u32>(), 7);
            assert_eq!(c[7..19].iter().sum::<u32>(), 12);
            assert_eq!(c[19..].iter().sum::<u32>(), 5);
            assert_eq!(c, source.draw(9, stream, &mut source.buffer()).to_vec());
        }
        let one = Strata::new(vec![30]);
        let mut plain = vec![0u32; 30];
        resample_counts(4, 3, &mut plain);
        assert_eq!(one.draw(4, 3, &mut one.buffer()).to_vec(), plain);
    }

    /// The draws a seed gives are part of the API (a published seed must keep reproducing):
    /// these are the counts of the first resample under seed 1.
    #[test]
    fn the_streams_do_not_change() {
        let mut c = vec![0u32; 10];
        resample_counts(1, 0, &mut c);
        assert_eq!(c, [0, 3, 2, 0, 0, 1, 0, 2, 1, 1]);
        assert_eq!(stream_rng(1, 7).next_u64(), 17639470174355701024);
    }
}
