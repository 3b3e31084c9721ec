//! The "gather" alternative to the bootstrap's count tiles, measured alone (docs/PERFORMANCE.md,
//! "The gather lever"). Not part of the crate's build; compile and run it by hand on the machine
//! to be measured:
//!
//!     rustc -O -C target-cpu=native benches/compare/gather_vs_tiles.rs -o /tmp/gather_vs_tiles
//!     /tmp/gather_vs_tiles
//!
//! Model 58's shape: n = 2,000 rows of 40 products (38 distinct, padded), B = 5,000 draws.
//! - `tiles`: what `src/inference/resample/tiles.rs` does, the draws' counts (as doubles) times
//!   the products, four draws per row load, 4 × 5 AVX-512 accumulators.
//! - `gather`: each draw's n drawn rows summed directly by index (no count vector), AVX-512,
//!   with two or four partial sums per draw to hide the adds' latency.
//!
//! The drawn indices and counts are made once beforehand, so only the summing is timed, in CPU
//! time of the thread (Linux's /proc/thread-self/schedstat), since wall time on a shared machine
//! mostly measures the other processes. Needs Linux and a CPU with AVX-512F.

use std::arch::x86_64::*;

const W: usize = 40;
const N: usize = 2000;
const B: usize = 5000;
const BATCH: usize = 32;

/// CPU nanoseconds this thread has run (the first field of schedstat).
fn cpu_ns() -> u64 {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").expect("Linux schedstat");
    s.split_whitespace()
        .next()
        .and_then(|v| v.parse().ok())
        .expect("a number")
}

fn xoshiro(s: &mut [u64; 4]) -> u64 {
    let r = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
    let t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = s[3].rotate_left(45);
    r
}

/// Sum of the rows `idx` of `p`, with `K` partial sums (rows `t ≡ k mod K` in sum `k`).
#[target_feature(enable = "avx512f")]
unsafe fn gather<const K: usize>(p: &[f64], idx: &[u32], out: &mut [f64]) {
    assert!(idx.iter().all(|&i| (i as usize + 1) * W <= p.len()) && out.len() >= W);
    let mut acc = [[_mm512_setzero_pd(); 5]; K];
    // SAFETY: every index's row is within `p` (asserted).
    unsafe {
        for rows in idx.chunks_exact(K) {
            for (a, &i) in acc.iter_mut().zip(rows) {
                let r = p.as_ptr().add(i as usize * W);
                for (j, a) in a.iter_mut().enumerate() {
                    *a = _mm512_add_pd(*a, _mm512_loadu_pd(r.add(8 * j)));
                }
            }
        }
        for j in 0..5 {
            let mut s = acc[0][j];
            for a in &acc[1..] {
                s = _mm512_add_pd(s, a[j]);
            }
            _mm512_storeu_pd(out.as_mut_ptr().add(8 * j), s);
        }
    }
}

/// Four draws' count-weighted sums of the rows of `p` (`c[d * N + i]`: draw d's count of row i).
#[target_feature(enable = "avx512f")]
unsafe fn tiles(p: &[f64], c: &[f64], out: &mut [f64]) {
    assert!(p.len() == N * W && c.len() >= 4 * N && out.len() >= 4 * W);
    let mut acc = [[_mm512_setzero_pd(); 5]; 4];
    // SAFETY: the loads are within `p` and `c` (asserted).
    unsafe {
        for i in 0..N {
            let r = p.as_ptr().add(i * W);
            let v: [__m512d; 5] = std::array::from_fn(|j| _mm512_loadu_pd(r.add(8 * j)));
            for (d, a) in acc.iter_mut().enumerate() {
                let cd = _mm512_set1_pd(*c.as_ptr().add(d * N + i));
                for (a, v) in a.iter_mut().zip(&v) {
                    *a = _mm512_fmadd_pd(cd, *v, *a);
                }
            }
        }
        for (d, a) in acc.iter().enumerate() {
            for (j, a) in a.iter().enumerate() {
                _mm512_storeu_pd(out.as_mut_ptr().add(d * W + 8 * j), *a);
            }
        }
    }
}

fn main() {
    assert!(is_x86_feature_detected!("avx512f"), "needs AVX-512F");
    let p: Vec<f64> = (0..N * W).map(|i| (i as f64 * 0.37).sin()).collect();
    let mut s = [1u64, 2, 3, 4];
    let idx: Vec<u32> = (0..N * BATCH)
        .map(|_| ((xoshiro(&mut s) >> 32) * N as u64 >> 32) as u32)
        .collect();
    let mut counts = vec![0.0f64; BATCH * N];
    for d in 0..BATCH {
        for &i in &idx[d * N..(d + 1) * N] {
            counts[d * N + i as usize] += 1.0;
        }
    }
    let mut out = vec![0.0; BATCH * W];
    let mut check = 0.0;
    for round in 0..3 {
        for name in ["gather, 2 partial sums", "gather, 4 partial sums", "tiles"] {
            let t0 = cpu_ns();
            for _ in 0..B / BATCH {
                for d in 0..BATCH {
                    let (draw, sums) = (&idx[d * N..(d + 1) * N], &mut out[d * W..]);
                    // SAFETY: the CPU has AVX-512F (asserted above).
                    unsafe {
                        match name.as_bytes()[name.len() - 1] {
                            b's' if name.contains('2') => gather::<2>(&p, draw, sums),
                            b's' if name.contains('4') => gather::<4>(&p, draw, sums),
                            _ if d % 4 == 0 => tiles(&p, &counts[d * N..], sums),
                            _ => {}
                        }
                    }
                }
                check += out[3];
            }
            let ms = (cpu_ns() - t0) as f64 * 1e-6;
            println!("round {round}: {name}: {ms:.1} ms of CPU for B = {B}");
        }
    }
    println!("(checksum {check})");
}
