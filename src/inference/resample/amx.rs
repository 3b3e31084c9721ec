//! The bootstrap's sums as exact integer sums on the tile unit of Intel's Advanced Matrix
//! Extensions (AMX-INT8, Xeon from Sapphire Rapids on). Each product column `k` is put on a
//! fixed-point grid, `V_ik = round(p_ik · 2^s_k)` with the column's largest value at 53-54 bits
//! (so it is exact), and written in seven signed base-256 digits; sixteen draws' row counts are
//! bytes. One `TDPBUSD` multiplies a tile of counts (16 draws × 64 rows) by a tile of digits
//! (64 rows × 16 digit columns) into 32-bit sums, which cannot overflow (a digit is at most
//! 128 in size and a draw's counts sum to n, so a sum is at most 128·n < 2³¹ for n < 2²⁴).
//! The digits' sums give `Σ_i c_i · V_ik` exactly, rounded once to a double and scaled back by
//! `2^-s_k`: the moment is the exact sum on the grid, whatever order or unit computed it (the
//! portable [`Digits::sums_exact`] gives the same bits, tested). On model 58 at n = 2,000 this
//! takes the sums from about 10 ms of a core to about 2 (docs/PERFORMANCE.md).
//!
//! The grid is finer than the data's precision for the column's large values and coarser for
//! values far smaller than its largest (a value 2⁻²⁰ of the largest keeps 33 bits): the sums'
//! error is at most n·2^-s_k / 2, below the rounding error of summing the same n doubles in
//! floating point (about n·ε·max|p|). The numbers differ from the floating-point sums of the
//! other kernels in the last bits, so a run on a CPU with AMX is bit-identical to itself (any
//! thread count) but not to one without.

/// Digits per value: seven signed base-256 digits hold any integer below 2⁵⁵ in size.
const DIGITS: usize = 7;
/// Rows of a tile of counts (the bytes of one draw's 64 rows are one tile row).
const ROWS: usize = 64;
/// Draws per tile of counts.
pub(super) const DRAWS: usize = 16;
/// Digit columns per tile.
const COLS: usize = 16;
/// 2²⁴, the weight of the fourth digit.
const TWO_24: f64 = 16_777_216.0;

/// Whether this CPU and system run the tiles (checked once): AMX-TILE and AMX-INT8, the tile
/// state enabled by the system, and permission to use it (Linux's `arch_prctl`). Setting
/// `CIPA_NO_AMX` in the environment turns them off, for draws bit-identical to those of a CPU
/// without them (docs/PERFORMANCE.md).
pub(super) fn available() -> bool {
    static OK: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *OK.get_or_init(|| std::env::var_os("CIPA_NO_AMX").is_none() && detect())
}

#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
fn detect() -> bool {
    use std::arch::asm;
    use std::arch::x86_64::__cpuid_count;
    // CPUID.1:ECX.OSXSAVE[27]; CPUID.(7,0):EDX.AMX-TILE[24], AMX-INT8[25].
    #[allow(unused_unsafe)]
    let (one, seven) = unsafe { (__cpuid_count(1, 0), __cpuid_count(7, 0)) };
    if one.ecx & (1 << 27) == 0 || seven.edx & (3 << 24) != 3 << 24 {
        return false;
    }
    let (lo, _hi): (u32, u32);
    // SAFETY: XGETBV with ECX = 0 reads XCR0; OSXSAVE says the instruction is enabled.
    unsafe {
        asm!("xgetbv", in("ecx") 0u32, out("eax") lo, out("edx") _hi, options(nomem, nostack))
    };
    // XCR0 bits 17 (XTILECFG) and 18 (XTILEDATA): the system saves the tile state.
    if lo & (3 << 17) != 3 << 17 {
        return false;
    }
    // arch_prctl(ARCH_REQ_XCOMP_PERM = 0x1023, XFEATURE_XTILEDATA = 18): the process asks for
    // the tile data state (Linux 5.16 on); 0 when granted.
    let ret: i64;
    // SAFETY: a system call with two integer arguments and no memory.
    unsafe {
        asm!("syscall", inlateout("rax") 158i64 => ret, in("rdi") 0x1023i64, in("rsi") 18i64,
             lateout("rcx") _, lateout("r11") _, options(nostack));
    }
    ret == 0
}

#[cfg(not(all(target_arch = "x86_64", target_os = "linux")))]
fn detect() -> bool {
    false
}

/// The product columns as digits, laid out as the tiles read them.
#[derive(Debug, Clone)]
pub(super) struct Digits {
    n: usize,
    /// Bytes of a draw's counts: n rounded up to a whole tile.
    stride: usize,
    /// Product columns (each `DIGITS` digit columns).
    used: usize,
    /// Tiles of digit columns.
    tiles: usize,
    /// Tile `(block b, tile t)` at `(b · tiles + t) · 1024`: row `k` holds, for each of its 16
    /// digit columns, the digits of rows `64b + 4k .. 64b + 4k + 4` (the layout of `TDPBUSD`'s
    /// second source).
    b: Vec<i8>,
    /// `2^-s_k`: from the grid back to the column's scale.
    unscale: Vec<f64>,
}

impl Digits {
    /// The digits of the first `used` products of the row-major `n × width` matrix `p`, or
    /// `None` where a column has a value that is not finite or whose grid is out of range.
    pub(super) fn new(p: &[f64], width: usize, used: usize) -> Option<Digits> {
        let n = p.len().checked_div(width).unwrap_or(0);
        if n == 0 || n >= 1 << 24 {
            return None;
        }
        let stride = n.next_multiple_of(ROWS);
        let tiles = (used * DIGITS).div_ceil(COLS);
        // Each column's largest size, in one pass over the rows (not a pass per column).
        let (mut largest, mut finite) = (vec![0.0f64; used], true);
        for row in p.chunks_exact(width) {
            for (l, &v) in largest.iter_mut().zip(row) {
                finite &= v.is_finite();
                *l = l.max(v.abs());
            }
        }
        if !finite {
            return None;
        }
        let mut grids = Vec::with_capacity(used);
        let mut unscale = Vec::with_capacity(used);
        for &l in &largest {
            let s = grid(l)?;
            grids.push(f64::powi(2.0, s));
            unscale.push(f64::powi(2.0, -s));
        }
        let mut b = vec![0i8; (stride / ROWS) * tiles * 1024];
        let write = |(block, tiles_of_block): (usize, &mut [i8])| {
            let rows = &p[block * ROWS * width..((block + 1) * ROWS).min(n) * width];
            write_block(rows, width, &grids, tiles_of_block);
        };
        // The blocks' tiles are disjoint: with the pool, a worker free beside the fit (the
        // draw-free stages are short) takes some of them (this is on the way to the first
        // draws: 0.5 ms of one core for model 58 at n = 2,000).
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            b.par_chunks_mut(tiles * 1024).enumerate().for_each(write);
        }
        #[cfg(not(feature = "parallel"))]
        b.chunks_mut(tiles * 1024).enumerate().for_each(write);
        Some(Digits {
            n,
            stride,
            used,
            tiles,
            b,
            unscale,
        })
    }

    /// Where row `i`'s digit of column `c` sits in `b`.
    fn place(&self, i: usize, c: usize) -> usize {
        let (block, r) = (i / ROWS, i % ROWS);
        let (tile, col) = (c / COLS, c % COLS);
        (block * self.tiles + tile) * 1024 + (r / 4) * 64 + col * 4 + r % 4
    }

    /// Bytes of a draw's counts in a group (see [`Digits::sums16`]).
    pub(super) fn stride(&self) -> usize {
        self.stride
    }

    /// The exact sums of one draw's counts, written as [`Digits::sums16`] writes them: the
    /// reference the tiles are tested against, and the way for a draw whose byte counts wrapped.
    pub(super) fn sums_exact(&self, counts: &[u32], out: &mut [f64]) {
        let cols = self.used * DIGITS;
        let mut sums = vec![0i64; cols];
        for (i, &c) in counts.iter().enumerate().take(self.n) {
            if c != 0 {
                for (col, s) in sums.iter_mut().enumerate() {
                    *s += i64::from(c) * i64::from(self.b[self.place(i, col)]);
                }
            }
        }
        self.finish(|col| sums[col], out);
    }

    /// The sums of product `k` from its digit columns' sums `sum(col)`: exact in 128 bits,
    /// rounded once to a double, scaled back. `out` has room for `used` products; the rest of
    /// it is set to zero.
    fn finish(&self, sum: impl Fn(usize) -> i64, out: &mut [f64]) {
        // A digit column's sum is at most 128·n in size. Below 2²¹ rows the low three digits
        // (< 2⁴⁵) and the high four (< 2⁵³ before the shift by 2²⁴) are exact doubles, and
        // their fused sum is the exact sum rounded once, as the 128-bit way gives it.
        let small = self.n < 1 << 21;
        for (k, o) in out.iter_mut().enumerate() {
            *o = if k >= self.used {
                0.0
            } else if small {
                let d = |j: usize| sum(k * DIGITS + j);
                let low = d(0) + (d(1) << 8) + (d(2) << 16);
                let high = d(3) + (d(4) << 8) + (d(5) << 16) + (d(6) << 24);
                (high as f64).mul_add(TWO_24, low as f64) * self.unscale[k]
            } else {
                let exact: i128 = (0..DIGITS)
                    .map(|j| i128::from(sum(k * DIGITS + j)) << (8 * j))
                    .sum();
                exact as f64 * self.unscale[k]
            };
        }
    }

    /// The sums of up to sixteen draws whose counts are the bytes `counts[l · stride ..]`
    /// (each draw's summing to n: the caller checked), into rows of `width` of `out` (live
    /// rows); `tile_sums` is working memory. The counts are left as they are.
    #[cfg(all(target_arch = "x86_64", target_os = "linux"))]
    pub(super) fn sums16(
        &self,
        counts: &[u8],
        out: &mut [f64],
        width: usize,
        tile_sums: &mut Vec<i32>,
    ) {
        assert!(available() && counts.len() == DRAWS * self.stride);
        let live = out.len() / width;
        assert!(live <= DRAWS && out.len() == live * width && width >= self.used);
        tile_sums.resize(DRAWS * self.tiles * COLS, 0);
        // SAFETY: the tile unit is there (asserted); the shapes are asserted above.
        unsafe { x86::tiles(self, counts, tile_sums) };
        let row = self.tiles * COLS;
        for (d, out) in out.chunks_exact_mut(width).enumerate() {
            let sums = &tile_sums[d * row..(d + 1) * row];
            self.finish(|col| i64::from(sums[col]), out);
        }
    }

    #[cfg(not(all(target_arch = "x86_64", target_os = "linux")))]
    pub(super) fn sums16(&self, _: &[u8], _: &mut [f64], _: usize, _: &mut Vec<i32>) {
        unreachable!("the tiles run only where `available` says so")
    }
}

/// The digits of one block of up to 64 rows (`rows`, row-major of `width`) into its tiles
/// (`tiles`, each 16 rows of 64 bytes; rows past the data are zeros). Value v on its grid is
/// V = round(v·2^s); V + BIAS has the unsigned base-256 digits u_j, and the balanced digits
/// are u_j − 128, the bytes u_j with the top bit flipped. Four rows' digits of a column are
/// four consecutive bytes.
fn write_block(rows: &[f64], width: usize, grids: &[f64], tiles: &mut [i8]) {
    const BIAS: i64 = 0x0080_8080_8080_8080;
    let used = grids.len();
    let mut biased = vec![BIAS as u64; ROWS * used];
    for (r, row) in rows.chunks_exact(width).enumerate() {
        for (k, (&v, &g)) in row.iter().zip(grids).enumerate() {
            biased[k * ROWS + r] = ((v * g).round_ties_even() as i64 + BIAS) as u64;
        }
    }
    for (k, biased) in biased.chunks_exact(ROWS).enumerate() {
        for j in 0..DIGITS {
            let c = k * DIGITS + j;
            let at = (c / COLS) * 1024 + (c % COLS) * 4;
            for (quad, v) in biased.chunks_exact(4).enumerate() {
                for (q, &v) in v.iter().enumerate() {
                    tiles[at + quad * 64 + q] = ((v >> (8 * j)) as u8 ^ 0x80) as i8;
                }
            }
        }
    }
}

/// The grid exponent of a column whose largest size is `largest` (finite): that value times
/// `2^s` in [2⁵³, 2⁵⁴); 0 for a column of zeros; `None` for an exponent a double cannot scale by.
fn grid(largest: f64) -> Option<i32> {
    if largest == 0.0 {
        return Some(0);
    }
    let exponent = largest.log2().floor() as i32;
    // log2 of a value just below a power of two may round up to it.
    let exponent = if f64::powi(2.0, exponent) > largest {
        exponent - 1
    } else {
        exponent
    };
    let s = 53 - exponent;
    (-1000..=1000).contains(&s).then_some(s)
}

#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
mod x86 {
    use super::{Digits, COLS, DRAWS, ROWS};
    use std::arch::asm;

    /// The tile configuration (palette 1): tiles 0-6 of 16 rows of 64 bytes. Tiles 0-3 hold
    /// sums (16 draws × 16 digit columns of i32), tile 4 counts, tiles 5 and 6 digits.
    #[repr(C, align(64))]
    struct Config([u8; 64]);

    impl Config {
        fn new() -> Config {
            let mut c = [0u8; 64];
            c[0] = 1;
            for t in 0..7 {
                c[16 + 2 * t..18 + 2 * t].copy_from_slice(&64u16.to_le_bytes());
                c[48 + t] = 16;
            }
            Config(c)
        }
    }

    /// Loads tile `b` (5 or 6) with the digits at `ptr` and adds counts × digits to sum tile `c`.
    macro_rules! multiply {
        ($c:literal, $b:literal, $ptr:expr) => {
            asm!(concat!("tileloadd tmm", $b, ", [{p} + {s}*1]"), p = in(reg) $ptr,
                 s = in(reg) 64usize, options(nostack, readonly));
            asm!(concat!("tdpbusd tmm", $c, ", tmm4, tmm", $b), options(nostack, nomem));
        };
    }

    /// Every digit tile against every block of the counts, four sum tiles at a time, into
    /// `sums` (16 rows of `tiles · 16` i32).
    ///
    /// # Safety
    /// The tile unit must be available; `counts` holds 16 rows of `d.stride` bytes and `sums`
    /// 16 rows of `d.tiles · 16`.
    pub(super) unsafe fn tiles(d: &Digits, counts: &[u8], sums: &mut [i32]) {
        assert!(counts.len() == DRAWS * d.stride && sums.len() == DRAWS * d.tiles * COLS);
        let config = Config::new();
        let blocks = d.stride / ROWS;
        let row_bytes = d.tiles * COLS * 4;
        // SAFETY: every tile load reads 16 rows of 64 bytes within `counts` (rows of `stride`
        // bytes, block b at b·64) or `d.b` (tile (b, t) at (b·tiles + t)·1024); every store
        // writes 16 rows of 64 bytes within `sums` (rows of `row_bytes`, tile t at t·64).
        unsafe {
            asm!("ldtilecfg [{}]", in(reg) &config, options(nostack, readonly));
            for t0 in (0..d.tiles).step_by(4) {
                let group = (d.tiles - t0).min(4);
                asm!(
                    "tilezero tmm0",
                    "tilezero tmm1",
                    "tilezero tmm2",
                    "tilezero tmm3",
                    options(nostack, nomem)
                );
                for b in 0..blocks {
                    asm!("tileloadd tmm4, [{p} + {s}*1]", p = in(reg) counts.as_ptr().add(b * ROWS),
                         s = in(reg) d.stride, options(nostack, readonly));
                    let digits = d.b.as_ptr().add((b * d.tiles + t0) * 1024);
                    multiply!("0", "5", digits);
                    if group > 1 {
                        multiply!("1", "6", digits.add(1024));
                    }
                    if group > 2 {
                        multiply!("2", "5", digits.add(2048));
                    }
                    if group > 3 {
                        multiply!("3", "6", digits.add(3072));
                    }
                }
                let out = sums.as_mut_ptr().add(t0 * COLS);
                asm!("tilestored [{p} + {s}*1], tmm0", p = in(reg) out, s = in(reg) row_bytes,
                     options(nostack));
                if group > 1 {
                    asm!("tilestored [{p} + {s}*1], tmm1", p = in(reg) out.add(COLS),
                         s = in(reg) row_bytes, options(nostack));
                }
                if group > 2 {
                    asm!("tilestored [{p} + {s}*1], tmm2", p = in(reg) out.add(2 * COLS),
                         s = in(reg) row_bytes, options(nostack));
                }
                if group > 3 {
                    asm!("tilestored [{p} + {s}*1], tmm3", p = in(reg) out.add(3 * COLS),
                         s = in(reg) row_bytes, options(nostack));
                }
            }
            asm!("tilerelease", options(nostack, nomem));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn products(n: usize, width: usize, used: usize) -> Vec<f64> {
        (0..n * width)
            .map(|i| {
                let (r, k) = (i / width, i % width);
                if k >= used {
                    0.0
                } else {
                    // Columns of different scales and signs, one of zeros.
                    let v = ((r * 37 + k * 11) % 101) as f64 / 7.0 - 7.0 + (r % 7) as f64 * 1e-3;
                    if k == 2 {
                        0.0
                    } else {
                        v * 10f64.powi(k as i32 % 5 - 2)
                    }
                }
            })
            .collect()
    }

    /// The exact sums are within the rounding of a floating-point sum of the same products.
    #[test]
    fn exact_sums_agree_with_floating_point() {
        let (n, width, used) = (300, 16, 13);
        let p = products(n, width, used);
        let d = Digits::new(&p, width, used).expect("finite products");
        let counts: Vec<u32> = (0..n).map(|i| ((i * 13) % 4) as u32).collect();
        let mut out = vec![f64::NAN; width];
        d.sums_exact(&counts, &mut out);
        for k in 0..width {
            let plain: f64 = (0..n)
                .map(|i| f64::from(counts[i]) * p[i * width + k])
                .sum();
            let size: f64 = (0..n)
                .map(|i| f64::from(counts[i]) * p[i * width + k].abs())
                .sum();
            assert!(
                (out[k] - plain).abs() <= 1e-13 * size.max(1e-300),
                "{k}: {} {plain}",
                out[k]
            );
        }
        assert_eq!(out[2], 0.0);
    }

    /// The tiles give the exact sums bit for bit (sixteen draws and fewer, n not a whole
    /// number of tiles).
    #[test]
    fn tiles_give_the_exact_sums() {
        if !available() {
            eprintln!("skipped: no AMX tile unit here");
            return;
        }
        for (n, width, used, live) in [(300, 16, 13, 16), (2000, 40, 38, 16), (70, 8, 3, 5)] {
            let p = products(n, width, used);
            let d = Digits::new(&p, width, used).expect("finite products");
            let draws: Vec<Vec<u32>> = (0..live)
                .map(|l| (0..n).map(|i| ((i * 7 + l * 3) % 5) as u32).collect())
                .collect();
            let mut bytes = vec![0u8; DRAWS * d.stride()];
            for (l, c) in draws.iter().enumerate() {
                for (i, &v) in c.iter().enumerate() {
                    bytes[l * d.stride() + i] = v as u8;
                }
            }
            let mut out = vec![f64::NAN; live * width];
            let mut work = Vec::new();
            d.sums16(&bytes, &mut out, width, &mut work);
            for (l, c) in draws.iter().enumerate() {
                let mut exact = vec![f64::NAN; width];
                d.sums_exact(c, &mut exact);
                let got = &out[l * width..(l + 1) * width];
                assert_eq!(
                    got.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
                    exact.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
                    "n {n} draw {l}"
                );
            }
        }
    }

    /// A column's grid puts its largest value at 53-54 bits; zeros, tiny and non-finite values.
    #[test]
    fn grids() {
        assert_eq!(grid(1.0), Some(53));
        assert_eq!(grid(0.0), Some(0));
        assert_eq!(grid(1e-310), None);
        let mut p = vec![1.0; 16];
        p[3] = f64::INFINITY;
        assert!(
            Digits::new(&p, 8, 5).is_none(),
            "a value that is not finite"
        );
        let s = grid(3.0e7).unwrap();
        let top = 3.0e7 * f64::powi(2.0, s);
        assert!((2f64.powi(53)..2f64.powi(54)).contains(&top));
    }
}
