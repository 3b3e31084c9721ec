//! The bootstrap's hot loop (see benches/process.rs): the lower triangle of the count-weighted
//! cross-products `G = Zᵀ C Z` of the stacked columns. Rows go in blocks that stay in L1 cache,
//! the count weighting is fused into the block, and each of the q(q+1)/2 products accumulates in
//! eight independent lanes, which the compiler turns into SIMD without reassociating anything (so
//! a draw's result does not depend on the thread that computes it). On x86-64 the same code is
//! compiled a second time with AVX2 and FMA and chosen at run time.
//!
//! Measured against one faer matrix product of the full `q × q` matrix over pre-weighted columns:
//! half the multiply-adds, and no `n × q` weighted copy streamed through memory on every draw.

/// Rows per block: `q` weighted columns of this many rows stay in L1 with the stacked ones.
pub const BLOCK: usize = 256;
const LANES: usize = 8;

/// Buffers of [`weighted_gram`], one set per worker.
#[derive(Debug, Clone)]
pub struct GramBuffers {
    w: Vec<f64>,
    acc: Vec<f64>,
    cw: Vec<f64>,
}

impl GramBuffers {
    pub fn new(q: usize) -> GramBuffers {
        GramBuffers {
            w: vec![0.0; q * BLOCK],
            acc: vec![0.0; q * (q + 1) / 2 * LANES],
            cw: vec![0.0; BLOCK],
        }
    }
}

/// Writes `Σ_i counts[i]·z[a][i]·z[b][i]` into `gram[b * q + a]` for every `a >= b` (the lower
/// triangle of a column-major `q × q` matrix); `z` holds `q` columns of `n` rows, column-major.
pub fn weighted_gram(
    z: &[f64],
    n: usize,
    q: usize,
    counts: &[u32],
    buf: &mut GramBuffers,
    gram: &mut [f64],
) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        {
            // SAFETY: the CPU has the features this function is compiled for (checked above).
            unsafe { avx2::gram(z, n, q, counts, buf, gram) };
            return;
        }
    }
    gram_blocks(
        z,
        n,
        q,
        counts,
        buf,
        gram,
        dots_portable::<4>,
        dots_portable::<1>,
    );
}

/// Accumulates `wa · zs[k]` (elementwise products) into the lanes of `acc[k]`: rows `i < body`
/// into lane `i % 8`, the rest into the first lanes in order.
fn dots_portable<const N: usize>(wa: &[f64], zs: [&[f64]; N], body: usize, acc: &mut [f64]) {
    let mut l = [[0.0; LANES]; N];
    for (k, lk) in l.iter_mut().enumerate() {
        lk.copy_from_slice(&acc[k * LANES..(k + 1) * LANES]);
    }
    let mut i = 0;
    while i < body {
        let wc = &wa[i..i + LANES];
        for (lk, zk) in l.iter_mut().zip(&zs) {
            let zc = &zk[i..i + LANES];
            for j in 0..LANES {
                lk[j] += wc[j] * zc[j];
            }
        }
        i += LANES;
    }
    for (lk, zk) in l.iter_mut().zip(&zs) {
        for j in body..wa.len() {
            lk[j - body] += wa[j] * zk[j];
        }
    }
    for (k, lk) in l.iter().enumerate() {
        acc[k * LANES..(k + 1) * LANES].copy_from_slice(lk);
    }
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use super::{gram_blocks, GramBuffers, LANES};

    /// The whole pass compiled for AVX2 (the weighting of each block included).
    #[target_feature(enable = "avx2,fma")]
    pub(super) fn gram(
        z: &[f64],
        n: usize,
        q: usize,
        counts: &[u32],
        buf: &mut GramBuffers,
        gram: &mut [f64],
    ) {
        // The closures inherit this function's target features, so calling `dots` is safe.
        let four = |wa: &[f64], zs: [&[f64]; 4], body: usize, acc: &mut [f64]| {
            dots::<4>(wa, zs, body, acc)
        };
        let one = |wa: &[f64], zs: [&[f64]; 1], body: usize, acc: &mut [f64]| {
            dots::<1>(wa, zs, body, acc)
        };
        gram_blocks(z, n, q, counts, buf, gram, four, one);
    }
    use std::arch::x86_64::{_mm256_fmadd_pd, _mm256_loadu_pd, _mm256_storeu_pd};

    /// [`super::dots_portable`] with AVX2 fused multiply-adds: lanes 0-3 and 4-7 of each product
    /// in two registers, so four products keep eight independent accumulators in flight.
    #[target_feature(enable = "avx2,fma")]
    pub(super) fn dots<const N: usize>(wa: &[f64], zs: [&[f64]; N], body: usize, acc: &mut [f64]) {
        assert!(body <= wa.len() && body.is_multiple_of(LANES) && acc.len() >= N * LANES);
        assert!(zs.iter().all(|z| z.len() >= wa.len()));
        // SAFETY: every load and store below is within the slices, by the asserts above.
        unsafe {
            let a = acc.as_mut_ptr();
            let mut lo = [_mm256_loadu_pd(a); N];
            let mut hi = [_mm256_loadu_pd(a.add(4)); N];
            for k in 0..N {
                lo[k] = _mm256_loadu_pd(a.add(k * LANES));
                hi[k] = _mm256_loadu_pd(a.add(k * LANES + 4));
            }
            let w = wa.as_ptr();
            let mut i = 0;
            while i < body {
                let w0 = _mm256_loadu_pd(w.add(i));
                let w1 = _mm256_loadu_pd(w.add(i + 4));
                for k in 0..N {
                    let zk = zs[k].as_ptr();
                    lo[k] = _mm256_fmadd_pd(w0, _mm256_loadu_pd(zk.add(i)), lo[k]);
                    hi[k] = _mm256_fmadd_pd(w1, _mm256_loadu_pd(zk.add(i + 4)), hi[k]);
                }
                i += LANES;
            }
            for k in 0..N {
                _mm256_storeu_pd(a.add(k * LANES), lo[k]);
                _mm256_storeu_pd(a.add(k * LANES + 4), hi[k]);
            }
        }
        for (k, zk) in zs.iter().enumerate() {
            for j in body..wa.len() {
                let l = &mut acc[k * LANES + j - body];
                *l = wa[j].mul_add(zk[j], *l);
            }
        }
    }
}

/// The blocked pass over the rows: weights fused per block, the q(q+1)/2 products four at a time
/// (sharing each load of the weighted column), then the lanes summed in a fixed order.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn gram_blocks(
    z: &[f64],
    n: usize,
    q: usize,
    counts: &[u32],
    buf: &mut GramBuffers,
    gram: &mut [f64],
    four: impl Fn(&[f64], [&[f64]; 4], usize, &mut [f64]),
    one: impl Fn(&[f64], [&[f64]; 1], usize, &mut [f64]),
) {
    let GramBuffers { w, acc, cw } = buf;
    acc.iter_mut().for_each(|v| *v = 0.0);
    let mut start = 0;
    while start < n {
        let len = (n - start).min(BLOCK);
        let body = len / LANES * LANES;
        // Counts as doubles once per block (through i32: counts never exceed n, and the signed
        // conversion is one instruction where the unsigned one is not).
        for (cf, &k) in cw[..len].iter_mut().zip(&counts[start..start + len]) {
            *cf = k as i32 as f64;
        }
        let c = &cw[..len];
        for a in 0..q {
            let za = &z[a * n + start..a * n + start + len];
            for ((wv, &k), &zv) in w[a * BLOCK..a * BLOCK + len].iter_mut().zip(c).zip(za) {
                *wv = k * zv;
            }
        }
        let col = |b: usize| &z[b * n + start..b * n + start + len];
        let mut pair = 0;
        for a in 0..q {
            let wa = &w[a * BLOCK..a * BLOCK + len];
            let mut b = 0;
            while b + 4 <= a + 1 {
                let zs = [col(b), col(b + 1), col(b + 2), col(b + 3)];
                four(wa, zs, body, &mut acc[pair * LANES..(pair + 4) * LANES]);
                pair += 4;
                b += 4;
            }
            while b <= a {
                one(
                    wa,
                    [col(b)],
                    body,
                    &mut acc[pair * LANES..(pair + 1) * LANES],
                );
                pair += 1;
                b += 1;
            }
        }
        start += len;
    }
    let mut pair = 0;
    for a in 0..q {
        for b in 0..=a {
            let l = &acc[pair * LANES..(pair + 1) * LANES];
            gram[b * q + a] = ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]));
            pair += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against the plain triple loop, for sizes around the block and lane boundaries.
    #[test]
    fn matches_the_plain_sum() {
        for n in [1usize, 7, 8, 9, 255, 256, 257, 1000] {
            let q = 5;
            let z: Vec<f64> = (0..n * q)
                .map(|i| ((i * 37 % 101) as f64 - 50.0) / 7.0)
                .collect();
            let counts: Vec<u32> = (0..n).map(|i| (i * 13 % 4) as u32).collect();
            let mut gram = vec![f64::NAN; q * q];
            let mut buf = GramBuffers::new(q);
            weighted_gram(&z, n, q, &counts, &mut buf, &mut gram);
            let mut plain = vec![f64::NAN; q * q];
            gram_blocks(
                &z,
                n,
                q,
                &counts,
                &mut buf,
                &mut plain,
                dots_portable::<4>,
                dots_portable::<1>,
            );
            for a in 0..q {
                for b in 0..=a {
                    let expected: f64 = (0..n)
                        .map(|i| counts[i] as f64 * z[a * n + i] * z[b * n + i])
                        .sum();
                    let got = gram[b * q + a];
                    assert!(
                        (got - expected).abs() <= 1e-12 * expected.abs().max(1.0),
                        "n {n} ({a},{b}): {got} vs {expected}"
                    );
                    assert!((plain[b * q + a] - expected).abs() <= 1e-12 * expected.abs().max(1.0));
                }
            }
        }
    }
}
