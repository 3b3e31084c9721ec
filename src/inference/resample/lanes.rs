//! The bootstrap's sums with draws in the lanes of a register (AVX-512): eight draws' counts of
//! a row, drawn into one vector ([`super::counts`]'s interleaved layout), are multiplied by each
//! of the row's products and added to that product's eight sums. Beside the tiles of `tiles.rs`
//! (a register of eight products for one draw), this wastes no lane on padding (model 58 has 38
//! products in a width of 40), and the counts go from the generator to the sums without a
//! vector per draw in between (no pass that turns a draw's counts into doubles and clears
//! them). Measured on model 58 at n = 2,000, B = 5000: docs/PERFORMANCE.md.
//!
//! The sums are added in the order of `tiles.rs` (rows in blocks of [`ROWS`]; in a block one
//! fused multiply-add per row in row order from zero; the blocks' sums added in order onto
//! zero), so a draw's sums are the same bits whichever way they are computed (tested).

use super::tiles::ROWS;

/// Draws per vector.
pub(super) const LANES: usize = 8;

/// Whether this CPU has the lanes (AVX-512F); without them the tiles of `tiles.rs` run.
pub(super) fn available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx512f")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// `out[l * width + k] = Σ_i counts[i * 8 + l] · p[i * width + k]` for the first `used`
/// products of the row-major `n × width` matrix `p` and the draws `l < live` (the rest of each
/// row of `out` is set to zero), and every count set to zero. `out` holds `live` rows of
/// `width`. Only where [`available`] says so.
pub(super) fn lane_sums(
    p: &[f64],
    width: usize,
    used: usize,
    counts: &mut [u32],
    live: usize,
    out: &mut [f64],
) {
    let n = counts.len() / LANES;
    assert!(counts.len() == n * LANES && p.len() == n * width && used <= width);
    assert!(live <= LANES && out.len() == live * width && available());
    #[cfg(target_arch = "x86_64")]
    {
        let mut sums = vec![[0.0; LANES]; used];
        // SAFETY: the CPU has AVX-512F (asserted); the shapes are asserted above.
        unsafe { x86::sums(p, width, counts, &mut sums) };
        out.fill(0.0);
        for (l, row) in out.chunks_exact_mut(width).enumerate() {
            for (o, s) in row.iter_mut().zip(&sums) {
                *o = s[l];
            }
        }
    }
}

/// How many products a pass over a block takes: as many as registers allow, in passes of
/// (nearly) equal size, so no pass is left with a few products and its own reading of the
/// counts.
fn pass_len(left: usize) -> usize {
    const MOST: usize = 24;
    left.div_ceil(left.div_ceil(MOST).max(1))
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::{pass_len, LANES, ROWS};
    use std::arch::x86_64::*;

    /// Every block of rows, in passes of up to 24 products; `sums[k][l]` is product k's sum
    /// for draw l (from zero).
    #[target_feature(enable = "avx512f")]
    pub(super) unsafe fn sums(p: &[f64], width: usize, counts: &mut [u32], sums: &mut [[f64; 8]]) {
        let n = counts.len() / LANES;
        let used = sums.len();
        assert!(p.len() == n * width && used <= width);
        let mut total = vec![_mm512_setzero_pd(); used];
        for r0 in (0..n).step_by(ROWS) {
            let rows = (n - r0).min(ROWS);
            let block = Block {
                counts: &counts[r0 * LANES..(r0 + rows) * LANES],
                p: &p[r0 * width..(r0 + rows) * width],
                width,
            };
            let mut k0 = 0;
            while k0 < used {
                let len = pass_len(used - k0);
                // SAFETY (every arm): k0 + len <= used <= width, the block's shape from above.
                unsafe { block.pass(k0, len, &mut total[k0..k0 + len]) };
                k0 += len;
            }
            counts[r0 * LANES..(r0 + rows) * LANES].fill(0);
        }
        for (s, t) in sums.iter_mut().zip(&total) {
            // SAFETY: an array of eight doubles has the size of the vector.
            unsafe { _mm512_storeu_pd(s.as_mut_ptr(), *t) };
        }
    }

    /// One block of rows: its counts (eight lanes a row) and products.
    struct Block<'a> {
        counts: &'a [u32],
        p: &'a [f64],
        width: usize,
    }

    impl Block<'_> {
        /// Products `k0..k0 + len` of the block, added to `total`.
        #[target_feature(enable = "avx512f")]
        unsafe fn pass(&self, k0: usize, len: usize, total: &mut [__m512d]) {
            macro_rules! by_len {
                ($($j:literal)*) => {
                    match len {
                        // SAFETY: as the caller's.
                        $($j => unsafe { self.pass_of::<$j>(k0, total) },)*
                        _ => unreachable!("a pass takes 1 to 24 products"),
                    }
                };
            }
            by_len!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24)
        }

        /// [`Block::pass`] of `J` products: `J` sums of eight draws in registers.
        #[target_feature(enable = "avx512f")]
        unsafe fn pass_of<const J: usize>(&self, k0: usize, total: &mut [__m512d]) {
            let rows = self.counts.len() / LANES;
            assert!(total.len() == J && k0 + J <= self.width);
            assert!(rows == 0 || (rows - 1) * self.width + k0 + J <= self.p.len());
            let mut acc = [_mm512_setzero_pd(); J];
            // SAFETY: row i < rows reads counts i·8..i·8 + 8 and products i·width + k0 + j for
            // j < J, within the slices (asserted).
            unsafe {
                let (c, p) = (self.counts.as_ptr(), self.p.as_ptr().add(k0));
                for i in 0..rows {
                    let count = _mm512_cvtepu32_pd(_mm256_loadu_si256(c.add(i * LANES).cast()));
                    let row = p.add(i * self.width);
                    for (j, a) in acc.iter_mut().enumerate() {
                        *a = _mm512_fmadd_pd(count, _mm512_set1_pd(*row.add(j)), *a);
                    }
                }
            }
            for (t, a) in total.iter_mut().zip(&acc) {
                *t = _mm512_add_pd(*t, *a);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tiles::weighted_sums;
    use super::*;

    /// The lanes give the tiles' sums bit for bit, for sizes around the block and the passes,
    /// any number of live draws, and leave the counts zero.
    #[test]
    fn lanes_sum_as_the_tiles_do() {
        if !available() {
            eprintln!("skipped: this CPU has no AVX-512F, the lanes do not run here");
            return;
        }
        for (n, width, used) in [
            (1, 8, 5),
            (127, 16, 16),
            (128, 40, 38),
            (300, 56, 49),
            (1000, 104, 97),
        ] {
            let p: Vec<f64> = (0..n * width)
                .map(|i| {
                    if i % width < used {
                        ((i * 37 % 101) as f64 - 50.0) / 7.0 + (i % 7) as f64 * 1e-3
                    } else {
                        0.0
                    }
                })
                .collect();
            for live in [8, 3] {
                let draws: Vec<Vec<u32>> = (0..live)
                    .map(|d| (0..n).map(|i| ((i * 13 + d * 5) % 4) as u32).collect())
                    .collect();
                let mut tiles = vec![f64::NAN; live * width];
                weighted_sums(&p, width, &draws, &mut tiles);
                let mut lanes = vec![0u32; n * LANES];
                for (l, d) in draws.iter().enumerate() {
                    for (i, &c) in d.iter().enumerate() {
                        lanes[i * LANES + l] = c;
                    }
                }
                let mut out = vec![f64::NAN; live * width];
                lane_sums(&p, width, used, &mut lanes, live, &mut out);
                let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&out), bits(&tiles), "n {n} width {width} live {live}");
                assert!(lanes.iter().all(|&c| c == 0), "a count left");
            }
        }
    }

    /// Passes are balanced and never longer than the registers allow.
    #[test]
    fn passes_share_the_products() {
        assert_eq!(pass_len(38), 19);
        assert_eq!(pass_len(24), 24);
        assert_eq!(pass_len(25), 13);
        assert_eq!(pass_len(5), 5);
        for left in 1..200 {
            assert!((1..=24).contains(&pass_len(left)));
        }
    }
}
