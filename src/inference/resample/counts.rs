//! Row counts of several draws at once: eight draws' xoshiro256++ streams advanced together in the
//! lanes of AVX-512 registers, each lane mapping its next number onto a row exactly as
//! [`resample_counts`] does, so every draw's counts are the ones its own stream gives (tested
//! against [`resample_counts`]). Drawing the counts was a sixth of the bootstrap's time with one
//! stream at a time; the lanes halve it (the increments of the counts stay scalar).

use super::source::resample_counts;

/// Fills `counts[k]` with the row counts of resample `(seed, streams[k])`, as
/// [`resample_counts`] would.
pub fn resample_counts_many<C: AsMut<[u32]>>(seed: u64, streams: &[u64], counts: &mut [C]) {
    counts_many(seed, streams, counts, false);
}

/// As [`resample_counts_many`] for count vectors that are all zero already (a step cleared them
/// as it read them, [`super::Step::clears_draws`]): the draws are counted onto them without
/// clearing them first. Counts left in a vector would be added to.
pub(super) fn resample_counts_many_onto_zeros<C: AsMut<[u32]>>(
    seed: u64,
    streams: &[u64],
    counts: &mut [C],
) {
    debug_assert!(counts
        .iter_mut()
        .all(|c| c.as_mut().iter().all(|&v| v == 0)));
    counts_many(seed, streams, counts, true);
}

fn counts_many<C: AsMut<[u32]>>(seed: u64, streams: &[u64], counts: &mut [C], zeroed: bool) {
    assert_eq!(streams.len(), counts.len());
    let mut k = 0;
    #[cfg(target_arch = "x86_64")]
    {
        let n = counts.first_mut().map_or(0, |c| c.as_mut().len());
        let same_n = counts.iter_mut().all(|c| c.as_mut().len() == n);
        if same_n && u32::try_from(n).is_ok() && std::arch::is_x86_feature_detected!("avx512f") {
            let groups = counts.chunks_exact_mut(x86::LANES);
            for (group, streams) in groups.zip(streams.chunks_exact(x86::LANES)) {
                let Ok(group) = <&mut [C; x86::LANES]>::try_from(group) else {
                    continue;
                };
                let states = std::array::from_fn(|l| stream_state(seed, streams[l]));
                // SAFETY: the CPU has AVX-512F (checked above).
                unsafe { x86::counts8(states, &mut group.each_mut().map(|c| c.as_mut()), zeroed) };
                k += x86::LANES;
            }
        }
    }
    for (c, &s) in counts[k..].iter_mut().zip(&streams[k..]) {
        resample_counts(seed, s, c.as_mut());
    }
}

/// Counts the draws `(seed, streams[l])` (at most eight) onto `counts`, `n` rows of eight
/// lanes: draw `l`'s count of row `i` is added to `counts[i * 8 + l]` (the counts of
/// [`resample_counts`]); lanes beyond the streams are left as they are. For the lanes of
/// `lanes.rs`, which read eight draws' counts of a row as one vector.
pub(super) fn resample_counts_interleaved(seed: u64, streams: &[u64], counts: &mut [u32]) {
    const LANES: usize = 8;
    assert!(streams.len() <= LANES && counts.len().is_multiple_of(LANES));
    let n = counts.len() / LANES;
    #[cfg(target_arch = "x86_64")]
    if streams.len() == LANES
        && u32::try_from(counts.len()).is_ok()
        && std::arch::is_x86_feature_detected!("avx512f")
    {
        let states = std::array::from_fn(|l| stream_state(seed, streams[l]));
        // SAFETY: the CPU has AVX-512F (checked above).
        unsafe { x86::counts8_interleaved(states, counts) };
        return;
    }
    let n64 = n as u128;
    for (l, &s) in streams.iter().enumerate() {
        let mut rng = super::stream_rng(seed, s);
        for _ in 0..n {
            // The mapping of `resample_counts`.
            let i = ((rand::RngCore::next_u64(&mut rng) as u128 * n64) >> 64) as usize;
            counts[i * LANES + l] += 1;
        }
    }
}

/// Counts the draws `(seed, streams[l])` (at most sixteen) of `n` rows as bytes onto `counts`:
/// draw `l`'s count of row `i` is added to `counts[l * stride + i]` (the counts of
/// [`resample_counts`], modulo 256). For the tiles of `amx.rs`, which read sixteen draws'
/// counts of 64 rows as one tile of bytes. True when a count wrapped (a row drawn 256 times or
/// more in a draw, which its counts' sum then shows).
pub(super) fn resample_counts_bytes(
    seed: u64,
    streams: &[u64],
    n: usize,
    stride: usize,
    counts: &mut [u8],
) -> bool {
    const LANES: usize = 8;
    assert!(n <= stride && counts.len() >= streams.len() * stride);
    let (mut done, mut wrapped) = (0, false);
    #[cfg(target_arch = "x86_64")]
    if u32::try_from(counts.len()).is_ok() && std::arch::is_x86_feature_detected!("avx512f") {
        for (g, group) in streams.chunks_exact(LANES).enumerate() {
            let states = std::array::from_fn(|l| stream_state(seed, group[l]));
            let part = &mut counts[g * LANES * stride..(g + 1) * LANES * stride];
            // SAFETY: the CPU has AVX-512F (checked above).
            wrapped |= unsafe { x86::counts8_bytes(states, n, stride, part) };
            done += LANES;
        }
    }
    let n64 = n as u128;
    for (l, &s) in streams.iter().enumerate().skip(done) {
        let mut rng = super::stream_rng(seed, s);
        for _ in 0..n {
            // The mapping of `resample_counts`.
            let i = ((rand::RngCore::next_u64(&mut rng) as u128 * n64) >> 64) as usize;
            let c = &mut counts[l * stride + i];
            *c = c.wrapping_add(1);
            wrapped |= *c == 0;
        }
    }
    wrapped
}

/// The xoshiro256++ state of [`super::stream_rng`]`(seed, stream)`: four outputs of SplitMix64
/// from the pair's seed (rand_xoshiro's `seed_from_u64`).
fn stream_state(seed: u64, stream: u64) -> [u64; 4] {
    use rand::{RngCore, SeedableRng};
    let mut sm = rand_xoshiro::SplitMix64::seed_from_u64(super::source::stream_seed(seed, stream));
    let s = std::array::from_fn(|_| sm.next_u64());
    if s == [0; 4] {
        // rand_xoshiro replaces an all-zero state by the one seeded from zero.
        return stream_state_of_zero();
    }
    s
}

fn stream_state_of_zero() -> [u64; 4] {
    use rand::{RngCore, SeedableRng};
    let mut sm = rand_xoshiro::SplitMix64::seed_from_u64(0);
    std::array::from_fn(|_| sm.next_u64())
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::*;

    pub(super) const LANES: usize = 8;

    /// Eight xoshiro256++ streams in the lanes of four registers, and the row count `n` their
    /// numbers are mapped onto.
    pub(super) struct Streams8 {
        s: [__m512i; 4],
        n: __m512i,
    }

    impl Streams8 {
        #[target_feature(enable = "avx512f")]
        pub(super) fn new(states: [[u64; 4]; LANES], n: usize) -> Streams8 {
            let lane = |j: usize| std::array::from_fn::<u64, LANES, _>(|l| states[l][j]);
            // SAFETY: loads of eight u64 from arrays of eight.
            let load = |v: [u64; LANES]| unsafe { _mm512_loadu_si512(v.as_ptr().cast()) };
            Streams8 {
                s: std::array::from_fn(|j| load(lane(j))),
                n: _mm512_set1_epi64(n as i64),
            }
        }

        /// Each lane's next row, below `n` (as 32-bit lanes).
        #[target_feature(enable = "avx512f")]
        #[inline]
        pub(super) fn next_rows(&mut self) -> __m256i {
            let [s0, s1, s2, s3] = &mut self.s;
            // xoshiro256++ (Blackman & Vigna 2021): the output, then the state's step.
            let r = _mm512_add_epi64(_mm512_rol_epi64::<23>(_mm512_add_epi64(*s0, *s3)), *s0);
            let t = _mm512_slli_epi64::<17>(*s1);
            *s2 = _mm512_xor_si512(*s2, *s0);
            *s3 = _mm512_xor_si512(*s3, *s1);
            *s1 = _mm512_xor_si512(*s1, *s2);
            *s0 = _mm512_xor_si512(*s0, *s3);
            *s2 = _mm512_xor_si512(*s2, t);
            *s3 = _mm512_rol_epi64::<45>(*s3);
            // Lemire's ⌊r·n / 2⁶⁴⌋ from 32-bit halves (exact for n < 2³²):
            // ⌊(r_hi·n + ⌊r_lo·n / 2³²⌋) / 2³²⌋.
            let lo = _mm512_srli_epi64::<32>(_mm512_mul_epu32(r, self.n));
            let hi = _mm512_mul_epu32(_mm512_srli_epi64::<32>(r), self.n);
            _mm512_cvtepi64_epi32(_mm512_srli_epi64::<32>(_mm512_add_epi64(hi, lo)))
        }
    }

    /// Eight draws of `n = counts[l].len()` rows (the same for all, below 2³²) from the
    /// xoshiro256++ states `states[l]`, counted onto zeros (`zeroed`: the vectors are zero
    /// already; otherwise they are cleared first).
    #[target_feature(enable = "avx512f")]
    pub(super) unsafe fn counts8(
        states: [[u64; 4]; LANES],
        counts: &mut [&mut [u32]; LANES],
        zeroed: bool,
    ) {
        let n = counts[0].len();
        for c in counts.iter_mut() {
            assert_eq!(c.len(), n);
            if !zeroed {
                c.fill(0);
            }
        }
        let mut streams = Streams8::new(states, n);
        let base: [*mut u32; LANES] = std::array::from_fn(|l| counts[l].as_mut_ptr());
        let mut rows = [0u32; LANES];
        for _ in 0..n {
            // The rows go through memory and are read back one at a time: left to itself, the
            // compiler takes them out of the register with shuffles, which compete with the
            // generator for the vector ports (drawing the counts took a fifth of a model 58
            // run that way). Then each is counted with no bounds check.
            // SAFETY: `rows` holds eight u32; each row is below n (the mapping's result is
            // less than n, which fits in 32 bits), so `base[l] + row` is in `counts[l]`.
            unsafe {
                _mm256_storeu_si256(rows.as_mut_ptr().cast(), streams.next_rows());
                for (l, b) in base.iter().enumerate() {
                    let i = std::ptr::read_volatile(rows.as_ptr().add(l)) as usize;
                    *b.add(i) += 1;
                }
            }
        }
    }

    /// A count cell: incremented in place, saying whether it wrapped to zero.
    pub(super) trait Cell: Copy {
        fn bump(&mut self) -> bool;
    }

    impl Cell for u32 {
        fn bump(&mut self) -> bool {
            *self += 1;
            false
        }
    }

    impl Cell for u8 {
        fn bump(&mut self) -> bool {
            *self = self.wrapping_add(1);
            *self == 0
        }
    }

    /// Eight draws of `n` rows counted into one vector: draw `l`'s row `i` is the cell
    /// `(i << shift) + offsets[l]` (`counts8_interleaved`: shift 3 and offsets 0..8, so
    /// `i · 8 + l`; `counts8_bytes`: shift 0 and offsets `l · stride`). True when a count
    /// wrapped.
    ///
    /// # Safety
    /// The CPU must have AVX-512F, and every cell `(i << shift) + offsets[l]` for `i < n`
    /// must be within `counts`, whose length fits in 32 bits.
    #[target_feature(enable = "avx512f")]
    unsafe fn counts8_at<T: Cell>(
        states: [[u64; 4]; LANES],
        n: usize,
        shift: u32,
        offsets: [u32; LANES],
        counts: &mut [T],
    ) -> bool {
        let mut streams = Streams8::new(states, n);
        // SAFETY: a load of eight u32 from an array of eight.
        let lane = unsafe { _mm256_loadu_si256(offsets.as_ptr().cast()) };
        let by = _mm_cvtsi32_si128(shift as i32);
        let base = counts.as_mut_ptr();
        let mut at = [0u32; LANES];
        let mut wrapped = false;
        for _ in 0..n {
            let rows = streams.next_rows();
            // SAFETY: `at` holds eight u32, each a cell within `counts` (the caller's
            // promise). Through memory, as in counts8.
            unsafe {
                let place = _mm256_add_epi32(_mm256_sll_epi32(rows, by), lane);
                _mm256_storeu_si256(at.as_mut_ptr().cast(), place);
                for l in 0..LANES {
                    let i = std::ptr::read_volatile(at.as_ptr().add(l)) as usize;
                    wrapped |= (*base.add(i)).bump();
                }
            }
        }
        wrapped
    }

    /// As [`counts8`], into one vector of `n` rows of eight lanes: draw `l`'s count of row `i`
    /// is `counts[i * 8 + l]` (the layout the lanes of `lanes.rs` read), which must be zero.
    #[target_feature(enable = "avx512f")]
    pub(super) unsafe fn counts8_interleaved(states: [[u64; 4]; LANES], counts: &mut [u32]) {
        let n = counts.len() / LANES;
        assert!(counts.len() == n * LANES && u32::try_from(counts.len()).is_ok());
        let offsets = std::array::from_fn(|l| l as u32);
        // SAFETY: row i < n of lane l < 8 is cell i·8 + l < counts.len() (asserted).
        unsafe { counts8_at(states, n, 3, offsets, counts) };
    }

    /// Eight draws counted as bytes: draw `l`'s count of row `i` is added to
    /// `counts[l * stride + i]` (a count of 256 wraps to 0; the caller checks each draw's sum).
    /// True when a count wrapped.
    #[target_feature(enable = "avx512f")]
    pub(super) unsafe fn counts8_bytes(
        states: [[u64; 4]; LANES],
        n: usize,
        stride: usize,
        counts: &mut [u8],
    ) -> bool {
        assert!(n <= stride && counts.len() >= LANES * stride);
        assert!(u32::try_from(LANES * stride).is_ok());
        let offsets = std::array::from_fn(|l| (l * stride) as u32);
        // SAFETY: row i < n <= stride of lane l < 8 is cell l·stride + i < 8·stride (asserted).
        unsafe { counts8_at(states, n, 0, offsets, counts) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lanes give each draw the counts of its own stream, for any number of draws (groups
    /// of eight and the rest) and sizes; the states are the generator's.
    #[test]
    fn same_counts_as_one_stream_at_a_time() {
        use rand::RngCore;
        for n in [1usize, 2, 10, 257, 2000] {
            let streams: Vec<u64> = (0..19).map(|s| s * 3 + 1).collect();
            let mut many: Vec<Vec<u32>> = vec![vec![7; n]; streams.len()];
            resample_counts_many(11, &streams, &mut many);
            for (c, &s) in many.iter().zip(&streams) {
                let mut one = vec![0; n];
                resample_counts(11, s, &mut one);
                assert_eq!(c, &one, "n {n} stream {s}");
            }
        }
        // Onto vectors a step cleared: the same counts.
        let streams: Vec<u64> = (0..19).map(|s| s * 3 + 1).collect();
        let mut onto: Vec<Vec<u32>> = vec![vec![0; 300]; streams.len()];
        resample_counts_many_onto_zeros(11, &streams, &mut onto);
        for (c, &s) in onto.iter().zip(&streams) {
            let mut one = vec![0; 300];
            resample_counts(11, s, &mut one);
            assert_eq!(c, &one, "onto zeros, stream {s}");
        }
        // Interleaved: eight lanes (the vector path) and fewer (one stream at a time).
        for (n, k) in [(1usize, 8usize), (300, 8), (2000, 8), (300, 3)] {
            let mut lanes = vec![0u32; n * 8];
            resample_counts_interleaved(11, &streams[..k], &mut lanes);
            for (l, &s) in streams[..k].iter().enumerate() {
                let mut one = vec![0; n];
                resample_counts(11, s, &mut one);
                let got: Vec<u32> = (0..n).map(|i| lanes[i * 8 + l]).collect();
                assert_eq!(got, one, "interleaved n {n} lane {l}");
            }
            assert!((k..8).all(|l| (0..n).all(|i| lanes[i * 8 + l] == 0)));
        }
        // As bytes: two groups of eight (the vector path) and three more one at a time.
        let n = 300;
        let mut bytes = vec![0u8; 19 * 320];
        assert!(!resample_counts_bytes(11, &streams, n, 320, &mut bytes));
        for (l, &s) in streams.iter().enumerate() {
            let mut one = vec![0; n];
            resample_counts(11, s, &mut one);
            let got: Vec<u32> = bytes[l * 320..l * 320 + n]
                .iter()
                .map(|&c| c.into())
                .collect();
            assert_eq!(got, one, "bytes lane {l}");
            assert!(bytes[l * 320 + n..(l + 1) * 320].iter().all(|&c| c == 0));
        }
        for s in 0..50 {
            let mut rng = super::super::stream_rng(5, s);
            let mut state = stream_state(5, s);
            for _ in 0..3 {
                let r = state[0]
                    .wrapping_add(state[3])
                    .rotate_left(23)
                    .wrapping_add(state[0]);
                let t = state[1] << 17;
                state[2] ^= state[0];
                state[3] ^= state[1];
                state[1] ^= state[2];
                state[0] ^= state[3];
                state[2] ^= t;
                state[3] = state[3].rotate_left(45);
                assert_eq!(r, rng.next_u64());
            }
        }
    }
}
