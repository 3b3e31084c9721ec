//! The hot loop of the bootstrap (see benches/process.rs and docs/PERFORMANCE.md): for a batch of
//! count vectors `c_d`, the sums `out[d][k] = Σ_i c_d[i] · p[i][k]` over a row-major `n × width`
//! matrix `p` (the rows' products, [`super::Moments`]). It is the matrix product of the batch's
//! counts (draws × n) with `p`, computed in register tiles of four draws × up to 48 products:
//! each row's products are loaded once for four draws, and a block of rows is reused by every
//! draw of the batch while it sits in cache, so the product runs near the machine's fused
//! multiply-add throughput instead of streaming the columns once per draw.
//!
//! The summation order is fixed and is the same in every implementation below: rows in blocks of
//! [`ROWS`]; within a block one fused multiply-add per row, in row order, starting from zero; the
//! blocks' sums added in order. (A block is read in sub-blocks that fit the L1 cache, the sums
//! carried from one to the next, which leaves that order as it is.) So a draw's sums do not
//! depend on the batch it is in, on the thread that computes it, or on whether AVX-512, AVX2 or
//! the portable code runs (tested).

/// Rows per block (part of the summation order; the counts of a tile's draws over a block stay
/// in L1 cache).
pub(super) const ROWS: usize = 128;
/// Draws per register tile.
const DRAWS: usize = 4;
/// Products per SIMD lane group: `width` is always a multiple of this.
pub(super) const LANES: usize = 8;

/// The counts of up to four draws over one block of rows, as doubles (`c[d * ROWS + i]`).
type CountTile = [f64; ROWS * DRAWS];

/// Bytes of products a sub-block of rows may take, so it stays in the 48 KB L1 data cache with
/// the tile's counts and accumulators while every group of four draws of the batch reads it.
const SUB_BYTES: usize = 24 * 1024;

/// The rows of a block processed at a time: as many as fit [`SUB_BYTES`] (64 for model 58's 40
/// products), a multiple of 16 from 16 to [`ROWS`]. A tile's accumulators are kept in memory between
/// the sub-blocks of a block and carried on, so each sum's chain of fused multiply-adds is the
/// same as over the whole block: the sub-block changes where the products are read from (L1,
/// not L2: a whole block of 128 rows × 40 products is 40 KB), not a bit of the sums. Measured
/// alone (model 58's shape, B = 5000, n = 2,000): the sums about 13% faster than whole blocks.
fn sub_rows(width: usize) -> usize {
    (SUB_BYTES / (width.max(1) * 8) / 16 * 16).clamp(16, ROWS)
}

/// One tile: four draws' sums over `rows` rows for the products `k0..k0 + chunk` (all within a
/// row of width `width`), carried on from `acc` (rows `d < live` of `width`; from zero when
/// `fresh`) and written back there.
struct Tile<'a> {
    counts: &'a CountTile,
    p: &'a [f64],
    width: usize,
    rows: usize,
    k0: usize,
    acc: &'a mut [f64],
    live: usize,
    fresh: bool,
}

/// Writes `out[d * width + k] = Σ_i counts[d][i] · p[i * width + k]`. `width` is a multiple of
/// [`LANES`]; `out` holds `counts.len()` rows of `width`.
pub(super) fn weighted_sums<C: AsRef<[u32]>>(
    p: &[f64],
    width: usize,
    counts: &[C],
    out: &mut [f64],
) {
    let n = p.len().checked_div(width).unwrap_or(0);
    assert!(counts.iter().all(|c| c.as_ref().len() == n));
    sums_by_tiles(p, width, counts.len(), out, |kernel, d, rows, to| {
        kernel.to_doubles(&counts[d].as_ref()[rows], to)
    });
}

/// As [`weighted_sums`], and leaves every count zero: each count is read once, as it is turned
/// into a double, and cleared in the same pass, so the next draws can be counted onto the vectors
/// without clearing them first (a separate pass over every count vector before, about 3% of a
/// model 58 bootstrap).
pub(super) fn weighted_sums_clearing<C: AsMut<[u32]>>(
    p: &[f64],
    width: usize,
    counts: &mut [C],
    out: &mut [f64],
) {
    let n = p.len().checked_div(width).unwrap_or(0);
    assert!(counts.iter_mut().all(|c| c.as_mut().len() == n));
    sums_by_tiles(p, width, counts.len(), out, |kernel, d, rows, to| {
        kernel.to_doubles_clearing(&mut counts[d].as_mut()[rows], to)
    });
}

/// The sums of `draws` draws whose counts of rows `r` the call `convert(kernel, d, r, to)` writes
/// into `to` as doubles (each row range of each draw is asked for once).
fn sums_by_tiles(
    p: &[f64],
    width: usize,
    draws: usize,
    out: &mut [f64],
    mut convert: impl FnMut(Kernel, usize, std::ops::Range<usize>, &mut [f64]),
) {
    assert!(width.is_multiple_of(LANES) && out.len() == draws * width);
    let n = p.len().checked_div(width).unwrap_or(0);
    assert!(i32::try_from(n).is_ok());
    out.fill(0.0);
    let kernel = Kernel::detect();
    let sub = sub_rows(width);
    let mut cw: CountTile = [0.0; ROWS * DRAWS];
    // The block's sums so far, carried from sub-block to sub-block.
    let mut acc = vec![0.0; out.len()];
    for r0 in (0..n).step_by(ROWS) {
        let block_rows = (n - r0).min(ROWS);
        for s0 in (0..block_rows).step_by(sub) {
            let rows = (block_rows - s0).min(sub);
            let first = r0 + s0;
            let block = &p[first * width..(first + rows) * width];
            for d0 in (0..draws).step_by(DRAWS) {
                let live = (draws - d0).min(DRAWS);
                for d in 0..DRAWS {
                    let c = &mut cw[d * ROWS..d * ROWS + rows];
                    if d < live {
                        convert(kernel, d0 + d, first..first + rows, c);
                    } else {
                        c.fill(0.0);
                    }
                }
                let acc = &mut acc[d0 * width..(d0 + live) * width];
                kernel.tiles(&cw, block, width, rows, acc, live, s0 == 0);
            }
        }
        // The blocks' sums added in order (the first onto zero, as a fresh sum always was).
        for (o, a) in out.iter_mut().zip(&acc) {
            *o += a;
        }
    }
}

/// Which implementation of the tiles runs (chosen once per call from the CPU's features).
#[derive(Clone, Copy)]
enum Kernel {
    #[cfg(target_arch = "x86_64")]
    Avx512,
    #[cfg(target_arch = "x86_64")]
    Avx2,
    Portable,
}

impl Kernel {
    fn detect() -> Kernel {
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx512f") {
                return Kernel::Avx512;
            }
            if std::arch::is_x86_feature_detected!("avx2")
                && std::arch::is_x86_feature_detected!("fma")
            {
                return Kernel::Avx2;
            }
        }
        Kernel::Portable
    }

    /// `out[i] = counts[i]` as doubles, with the instruction set's widest conversion: this pass
    /// over every draw's counts was 4-5% of a model 58 run when compiled for the baseline
    /// (two counts per instruction).
    fn to_doubles(self, counts: &[u32], out: &mut [f64]) {
        match self {
            // SAFETY: the CPU has the features these functions are compiled for (detected).
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx512 => unsafe { x86::to_doubles512(counts, out) },
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2 => unsafe { x86::to_doubles256(counts, out) },
            Kernel::Portable => to_doubles(counts, out),
        }
    }

    /// As [`Kernel::to_doubles`], and sets every count to zero.
    fn to_doubles_clearing(self, counts: &mut [u32], out: &mut [f64]) {
        match self {
            // SAFETY: the CPU has the features these functions are compiled for (detected).
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx512 => unsafe { x86::to_doubles_clearing512(counts, out) },
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2 => unsafe { x86::to_doubles_clearing256(counts, out) },
            Kernel::Portable => to_doubles_clearing(counts, out),
        }
    }

    /// Every tile of one sub-block of rows for one group of four draws, across the row's width,
    /// carried on from `acc` (from zero when `fresh`).
    #[allow(clippy::too_many_arguments)]
    fn tiles(
        self,
        cw: &CountTile,
        p: &[f64],
        width: usize,
        rows: usize,
        acc: &mut [f64],
        live: usize,
        fresh: bool,
    ) {
        let mut k0 = 0;
        while k0 < width {
            let chunk = (width - k0).min(self.max_chunk());
            let t = Tile {
                counts: cw,
                p,
                width,
                rows,
                k0,
                acc: &mut *acc,
                live,
                fresh,
            };
            match self {
                // SAFETY: the CPU has the features these functions are compiled for (detected).
                #[cfg(target_arch = "x86_64")]
                Kernel::Avx512 => unsafe { x86::avx512(t, chunk / LANES) },
                #[cfg(target_arch = "x86_64")]
                Kernel::Avx2 => unsafe { x86::avx2(t, chunk / 4) },
                Kernel::Portable => portable(t),
            }
            k0 += chunk;
        }
    }

    /// Products per tile: what fits the registers with four draws' accumulators.
    fn max_chunk(self) -> usize {
        match self {
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx512 => 6 * LANES,
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2 => 12,
            Kernel::Portable => LANES,
        }
    }
}

impl Tile<'_> {
    /// The sums the tile carries on (`sums[d][j]` for product `k0 + j`, `len` products): zero
    /// for a fresh block or a draw beyond `live`, else what the last sub-block left in `acc`.
    fn carried<const W: usize>(&self, len: usize) -> [[f64; W]; DRAWS] {
        let mut sums = [[0.0; W]; DRAWS];
        if !self.fresh {
            for (d, s) in sums.iter_mut().enumerate().take(self.live) {
                let at = d * self.width + self.k0;
                s[..len].copy_from_slice(&self.acc[at..at + len]);
            }
        }
        sums
    }

    /// Whether rows `d < live` of `acc` hold `len` products from `k0` on.
    #[cfg(target_arch = "x86_64")]
    fn carry_fits(&self, len: usize) -> bool {
        self.live == 0 || (self.live - 1) * self.width + self.k0 + len <= self.acc.len()
    }

    /// Leaves the tile's sums in `acc` for the next sub-block (rows `d < live` only).
    fn keep<const W: usize>(self, sums: &[[f64; W]; DRAWS], len: usize) {
        for (d, s) in sums.iter().enumerate().take(self.live) {
            let at = d * self.width + self.k0;
            self.acc[at..at + len].copy_from_slice(&s[..len]);
        }
    }
}

/// Counts as doubles (exact: a count is at most n < 2³¹).
#[inline(always)]
fn to_doubles(counts: &[u32], out: &mut [f64]) {
    for (o, &c) in out.iter_mut().zip(counts) {
        // Through i32: the signed conversion vectorises without AVX-512, the unsigned one not.
        *o = c as i32 as f64;
    }
}

/// [`to_doubles`], clearing each count once read.
#[inline(always)]
fn to_doubles_clearing(counts: &mut [u32], out: &mut [f64]) {
    for (o, c) in out.iter_mut().zip(counts) {
        *o = *c as i32 as f64;
        *c = 0;
    }
}

/// The reference implementation: eight products per tile with `f64::mul_add`.
fn portable(t: Tile) {
    let mut acc: [[f64; LANES]; DRAWS] = t.carried(LANES);
    for i in 0..t.rows {
        let row = &t.p[i * t.width + t.k0..i * t.width + t.k0 + LANES];
        for (d, a) in acc.iter_mut().enumerate() {
            let c = t.counts[d * ROWS + i];
            for (a, &v) in a.iter_mut().zip(row) {
                *a = c.mul_add(v, *a);
            }
        }
    }
    t.keep(&acc, LANES);
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::{Tile, DRAWS, LANES, ROWS};
    use std::arch::x86_64::*;

    /// [`super::to_doubles`] vectorised for AVX-512 (eight counts per conversion).
    #[target_feature(enable = "avx512f")]
    pub(super) unsafe fn to_doubles512(counts: &[u32], out: &mut [f64]) {
        super::to_doubles(counts, out);
    }

    /// [`super::to_doubles`] vectorised for AVX2 (four counts per conversion).
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn to_doubles256(counts: &[u32], out: &mut [f64]) {
        super::to_doubles(counts, out);
    }

    /// [`super::to_doubles_clearing`] vectorised for AVX-512.
    #[target_feature(enable = "avx512f")]
    pub(super) unsafe fn to_doubles_clearing512(counts: &mut [u32], out: &mut [f64]) {
        super::to_doubles_clearing(counts, out);
    }

    /// [`super::to_doubles_clearing`] vectorised for AVX2.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn to_doubles_clearing256(counts: &mut [u32], out: &mut [f64]) {
        super::to_doubles_clearing(counts, out);
    }

    /// Four draws × `V` vectors of eight products: `4·V` accumulators (up to 24) in the 32
    /// registers.
    #[target_feature(enable = "avx512f")]
    unsafe fn tile512<const V: usize>(t: Tile) {
        assert!(t.counts.len() >= DRAWS * ROWS && t.rows <= ROWS);
        assert!(t.rows == 0 || (t.rows - 1) * t.width + t.k0 + V * LANES <= t.p.len());
        assert!(t.live <= DRAWS && t.carry_fits(V * LANES));
        let mut acc = [[_mm512_setzero_pd(); V]; DRAWS];
        // SAFETY: every load is within `t.p`, `t.counts` or `t.acc` (asserted above).
        unsafe {
            // The sums of the block's earlier sub-blocks, straight from their vectors in `acc`
            // (through an array on the stack they cost about 3% of a model 58 run).
            if !t.fresh {
                for (d, a) in acc.iter_mut().enumerate().take(t.live) {
                    let at = t.acc.as_ptr().add(d * t.width + t.k0);
                    for (j, a) in a.iter_mut().enumerate() {
                        *a = _mm512_loadu_pd(at.add(j * LANES));
                    }
                }
            }
            let (p, c) = (t.p.as_ptr().add(t.k0), t.counts.as_ptr());
            for i in 0..t.rows {
                let row = p.add(i * t.width);
                let mut v = [_mm512_setzero_pd(); V];
                for (j, v) in v.iter_mut().enumerate() {
                    *v = _mm512_loadu_pd(row.add(j * LANES));
                }
                for (d, a) in acc.iter_mut().enumerate() {
                    let cd = _mm512_set1_pd(*c.add(d * ROWS + i));
                    for (a, &v) in a.iter_mut().zip(&v) {
                        *a = _mm512_fmadd_pd(cd, v, *a);
                    }
                }
            }
        }
        for (d, a) in acc.iter().enumerate().take(t.live) {
            // SAFETY: row d < live of `t.acc` has room for the tile's products (asserted).
            unsafe {
                let at = t.acc.as_mut_ptr().add(d * t.width + t.k0);
                for (j, a) in a.iter().enumerate() {
                    _mm512_storeu_pd(at.add(j * LANES), *a);
                }
            }
        }
    }

    /// Four draws × `V` vectors of four products: `4·V` accumulators (up to 12) in the 16
    /// registers.
    #[target_feature(enable = "avx2,fma")]
    unsafe fn tile256<const V: usize>(t: Tile) {
        assert!(t.counts.len() >= DRAWS * ROWS && t.rows <= ROWS);
        assert!(t.rows == 0 || (t.rows - 1) * t.width + t.k0 + V * 4 <= t.p.len());
        assert!(t.live <= DRAWS && t.carry_fits(V * 4));
        let mut acc = [[_mm256_setzero_pd(); V]; DRAWS];
        // SAFETY: every load is within `t.p`, `t.counts` or `t.acc` (asserted above).
        unsafe {
            if !t.fresh {
                for (d, a) in acc.iter_mut().enumerate().take(t.live) {
                    let at = t.acc.as_ptr().add(d * t.width + t.k0);
                    for (j, a) in a.iter_mut().enumerate() {
                        *a = _mm256_loadu_pd(at.add(j * 4));
                    }
                }
            }
            let (p, c) = (t.p.as_ptr().add(t.k0), t.counts.as_ptr());
            for i in 0..t.rows {
                let row = p.add(i * t.width);
                let mut v = [_mm256_setzero_pd(); V];
                for (j, v) in v.iter_mut().enumerate() {
                    *v = _mm256_loadu_pd(row.add(j * 4));
                }
                for (d, a) in acc.iter_mut().enumerate() {
                    let cd = _mm256_broadcast_sd(&*c.add(d * ROWS + i));
                    for (a, &v) in a.iter_mut().zip(&v) {
                        *a = _mm256_fmadd_pd(cd, v, *a);
                    }
                }
            }
        }
        for (d, a) in acc.iter().enumerate().take(t.live) {
            // SAFETY: row d < live of `t.acc` has room for the tile's products (asserted).
            unsafe {
                let at = t.acc.as_mut_ptr().add(d * t.width + t.k0);
                for (j, a) in a.iter().enumerate() {
                    _mm256_storeu_pd(at.add(j * 4), *a);
                }
            }
        }
    }

    /// The AVX-512 tiles of `vectors` vectors of eight products.
    #[target_feature(enable = "avx512f")]
    pub(super) unsafe fn avx512(t: Tile, vectors: usize) {
        // SAFETY (all arms): the caller checked the CPU's features.
        unsafe {
            match vectors {
                1 => tile512::<1>(t),
                2 => tile512::<2>(t),
                3 => tile512::<3>(t),
                4 => tile512::<4>(t),
                5 => tile512::<5>(t),
                _ => tile512::<6>(t),
            }
        }
    }

    /// The AVX2 tiles of `vectors` vectors of four products.
    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn avx2(t: Tile, vectors: usize) {
        // SAFETY (all arms): the caller checked the CPU's features.
        unsafe {
            match vectors {
                1 => tile256::<1>(t),
                2 => tile256::<2>(t),
                _ => tile256::<3>(t),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(n: usize, width: usize) -> (Vec<f64>, Vec<Vec<u32>>) {
        let p = (0..n * width)
            .map(|i| ((i * 37 % 101) as f64 - 50.0) / 7.0 + (i % 7) as f64 * 1e-3)
            .collect();
        let counts = (0..7)
            .map(|d| (0..n).map(|i| ((i * 13 + d * 5) % 4) as u32).collect())
            .collect();
        (p, counts)
    }

    /// The fixed order, written out plainly: blocks of ROWS, fused multiply-adds within a block.
    fn reference(p: &[f64], width: usize, c: &[u32], k: usize) -> f64 {
        let mut total = 0.0;
        for r0 in (0..c.len()).step_by(ROWS) {
            let mut s = 0.0f64;
            for i in r0..(r0 + ROWS).min(c.len()) {
                s = f64::from(c[i]).mul_add(p[i * width + k], s);
            }
            total += s;
        }
        total
    }

    /// Every implementation gives the reference's sums bit for bit, whatever the batch (a draw
    /// alone or among others) and however a block is cut into sub-blocks, for sizes around the
    /// block and tile boundaries.
    #[test]
    fn every_kernel_sums_in_the_same_order() {
        for (n, width) in [
            (1, 8),
            (127, 16),
            (128, 40),
            (129, 48),
            (300, 56),
            (1000, 104),
        ] {
            let (p, counts) = data(n, width);
            let mut kernels = vec![Kernel::Portable];
            #[cfg(target_arch = "x86_64")]
            {
                if std::arch::is_x86_feature_detected!("avx512f") {
                    kernels.push(Kernel::Avx512);
                }
                if std::arch::is_x86_feature_detected!("avx2")
                    && std::arch::is_x86_feature_detected!("fma")
                {
                    kernels.push(Kernel::Avx2);
                }
            }
            let mut batch = vec![f64::NAN; counts.len() * width];
            weighted_sums(&p, width, &counts, &mut batch);
            let mut cleared = counts.clone();
            let mut batch_clearing = vec![f64::NAN; counts.len() * width];
            weighted_sums_clearing(&p, width, &mut cleared, &mut batch_clearing);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(
                bits(&batch_clearing),
                bits(&batch),
                "n {n}: clearing changed a sum"
            );
            assert!(
                cleared.iter().flatten().all(|&c| c == 0),
                "n {n}: a count left"
            );
            for kernel in kernels {
                for (d, c) in counts.iter().enumerate() {
                    // Whole blocks, and blocks cut into sub-blocks at uneven points.
                    for sub in [ROWS, 50, 16] {
                        let mut alone = vec![f64::NAN; width];
                        sums_with(kernel, &p, width, &[c], &mut alone, sub);
                        for k in 0..width {
                            let r = reference(&p, width, c, k);
                            assert_eq!(
                                alone[k].to_bits(),
                                r.to_bits(),
                                "n {n} draw {d} product {k} sub-blocks of {sub}"
                            );
                            assert_eq!(batch[d * width + k].to_bits(), r.to_bits());
                        }
                    }
                }
            }
        }
    }

    /// Every kernel's conversion of counts gives the same doubles, and the clearing one leaves
    /// zeros behind, for lengths around the vector widths.
    #[test]
    fn conversions_agree_and_clear() {
        let mut kernels = vec![Kernel::Portable];
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx512f") {
                kernels.push(Kernel::Avx512);
            }
            if std::arch::is_x86_feature_detected!("avx2") {
                kernels.push(Kernel::Avx2);
            }
        }
        for len in [0usize, 1, 3, 4, 7, 8, 9, 17, 64, 128] {
            let counts: Vec<u32> = (0..len as u32).map(|i| i * 7 % 5 + i / 3).collect();
            let expected: Vec<f64> = counts.iter().map(|&c| f64::from(c)).collect();
            for kernel in &kernels {
                let mut out = vec![f64::NAN; len];
                kernel.to_doubles(&counts, &mut out);
                assert_eq!(out, expected);
                let mut cleared = counts.clone();
                let mut out = vec![f64::NAN; len];
                kernel.to_doubles_clearing(&mut cleared, &mut out);
                assert_eq!(out, expected);
                assert!(cleared.iter().all(|&c| c == 0));
            }
        }
    }

    /// [`weighted_sums`] with a given kernel and sub-blocks of `sub` rows (the tests compare
    /// them).
    fn sums_with(
        kernel: Kernel,
        p: &[f64],
        width: usize,
        counts: &[&Vec<u32>],
        out: &mut [f64],
        sub: usize,
    ) {
        let n = p.len() / width;
        out.fill(0.0);
        let mut acc = vec![f64::NAN; out.len()];
        let mut cw: CountTile = [0.0; ROWS * DRAWS];
        for r0 in (0..n).step_by(ROWS) {
            let block_rows = (n - r0).min(ROWS);
            for s0 in (0..block_rows).step_by(sub) {
                let rows = (block_rows - s0).min(sub);
                cw.fill(0.0);
                for (d, c) in counts.iter().enumerate() {
                    for i in 0..rows {
                        cw[d * ROWS + i] = f64::from(c[r0 + s0 + i]);
                    }
                }
                let block = &p[(r0 + s0) * width..(r0 + s0 + rows) * width];
                kernel.tiles(&cw, block, width, rows, &mut acc, counts.len(), s0 == 0);
            }
            for (o, a) in out.iter_mut().zip(&acc) {
                *o += a;
            }
        }
    }
}
