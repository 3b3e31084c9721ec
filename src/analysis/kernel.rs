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
}

impl GramBuffers {
    pub fn new(q: usize) -> GramBuffers {
        GramBuffers {
            w: vec![0.0; q * BLOCK],
            acc: vec![0.0; q * (q + 1) / 2 * LANES],
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
            // SAFETY: the CPU has the features this version is compiled for (checked above).
            unsafe { gram_avx2_fma(z, n, q, counts, buf, gram) };
            return;
        }
    }
    gram_impl::<false>(z, n, q, counts, buf, gram);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn gram_avx2_fma(
    z: &[f64],
    n: usize,
    q: usize,
    counts: &[u32],
    buf: &mut GramBuffers,
    gram: &mut [f64],
) {
    gram_impl::<true>(z, n, q, counts, buf, gram);
}

#[inline(always)]
fn madd<const FMA: bool>(a: f64, b: f64, acc: f64) -> f64 {
    if FMA {
        a.mul_add(b, acc)
    } else {
        acc + a * b
    }
}

#[inline(always)]
fn gram_impl<const FMA: bool>(
    z: &[f64],
    n: usize,
    q: usize,
    counts: &[u32],
    buf: &mut GramBuffers,
    gram: &mut [f64],
) {
    let GramBuffers { w, acc } = buf;
    acc.iter_mut().for_each(|v| *v = 0.0);
    let mut start = 0;
    while start < n {
        let len = (n - start).min(BLOCK);
        let body = len / LANES * LANES;
        let c = &counts[start..start + len];
        for a in 0..q {
            let za = &z[a * n + start..a * n + start + len];
            for ((wv, &k), &zv) in w[a * BLOCK..a * BLOCK + len].iter_mut().zip(c).zip(za) {
                *wv = k as f64 * zv;
            }
        }
        let mut pair = 0;
        for a in 0..q {
            let wa = &w[a * BLOCK..a * BLOCK + len];
            for b in 0..=a {
                let zb = &z[b * n + start..b * n + start + len];
                let mut l = [0.0; LANES];
                l.copy_from_slice(&acc[pair * LANES..(pair + 1) * LANES]);
                for (wc, zc) in wa[..body]
                    .chunks_exact(LANES)
                    .zip(zb[..body].chunks_exact(LANES))
                {
                    for j in 0..LANES {
                        l[j] = madd::<FMA>(wc[j], zc[j], l[j]);
                    }
                }
                for j in body..len {
                    l[j - body] = madd::<FMA>(wa[j], zb[j], l[j - body]);
                }
                acc[pair * LANES..(pair + 1) * LANES].copy_from_slice(&l);
                pair += 1;
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
            gram_impl::<false>(&z, n, q, &counts, &mut buf, &mut plain);
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
