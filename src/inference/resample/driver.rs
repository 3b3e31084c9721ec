//! The resampling driver: `B` draws in blocks (in parallel with the `parallel` feature), each
//! computed by the estimator's [`Step`] from a draw of a [`DrawSource`]. The loop machinery lives
//! here once; the statistic is passed in (argmin's executor and solver).

use serde::Serialize;

use super::ledger::Ledger;
use super::source::{Clusters, DrawSource, Normal, Rows};

/// How many times one draw may be replaced before the resampling gives up.
const MAX_RETRIES: u64 = 100;
/// Draws per block, the unit of work a worker takes (its buffers and scratch are made once and
/// reused from block to block). 128 rather than 256: the last block of a run is what the other
/// workers may wait for (about 0.6 ms of model 58 at n = 2,000 on one core instead of 1.2 ms),
/// and a block costs little more than its draws.
const BLOCK_DRAWS: usize = 128;

/// An estimator's work on one draw: "fit this draw and write its statistics". `D` is what a draw
/// is ([`DrawSource::Draw`]): row counts for the bootstrap, a generator for Monte Carlo.
pub trait Step<D: ?Sized>: Sync {
    /// Per-worker working memory, made once per block of draws so the hot loop allocates nothing.
    type Scratch;
    /// How many statistics a draw writes.
    fn statistics(&self) -> usize;
    fn scratch(&self) -> Self::Scratch;
    /// Computes the statistics of one draw into `out` (of length [`Step::statistics`]), or says
    /// why they cannot be computed on it (the draw is then replaced and the reason recorded).
    fn draw(
        &self,
        scratch: &mut Self::Scratch,
        draw: &mut D,
        out: &mut [f64],
    ) -> Result<(), String>;

    /// Whether [`Step::draws`] leaves every draw of its batch cleared (count vectors set to zero
    /// as it read them), so that the next batch can be drawn into them without clearing them
    /// first ([`super::DrawSource::draws_onto_cleared`]). The default: no.
    fn clears_draws(&self) -> bool {
        false
    }

    /// How many draws [`Step::draws`] takes at once; 1 (the default) means one at a time.
    fn batch(&self) -> usize {
        1
    }

    /// The statistics of the plain bootstrap's draws `(seed, streams[k])` straight from their
    /// streams, for a step that can draw and weigh them together (a step of weighted moments,
    /// [`super::Moments::sums_of_streams`]): as [`Step::draws`] of the draws' count vectors,
    /// without them. False (the default) where it cannot; the driver then draws the counts.
    fn draws_from_streams(
        &self,
        _scratch: &mut Self::Scratch,
        _seed: u64,
        _streams: &[u64],
        _out: &mut [f64],
        _failed: &mut [Option<String>],
    ) -> bool {
        false
    }

    /// The statistics of several draws at once, for a step whose work batches (weighted moments
    /// of count draws, [`super::Moments`]): `out` holds `draws.len()` rows of
    /// [`Step::statistics`] values, and `failed[k]` is set to why draw `k` could not be computed
    /// (the driver then replaces that draw through [`Step::draw`]). A draw's statistics must
    /// not depend on the other draws of the batch, so they equal what [`Step::draw`] gives.
    fn draws(
        &self,
        scratch: &mut Self::Scratch,
        draws: &mut [&mut D],
        out: &mut [f64],
        failed: &mut [Option<String>],
    ) {
        let m = self.statistics().max(1);
        for ((d, out), f) in draws.iter_mut().zip(out.chunks_mut(m)).zip(failed) {
            *f = self.draw(scratch, d, out).err();
        }
    }
}

/// A [`Step`] made of closures (see [`step_fn`]).
pub struct FnStep<I, F> {
    statistics: usize,
    init: I,
    f: F,
}

/// A step from closures: `init()` makes the scratch, `f(scratch, draw, out)` computes a draw's
/// `statistics` values.
///
/// ```
/// use cipa::inference::resample::{step_fn, Resampler};
///
/// let x: Vec<f64> = (0..30).map(|i| i as f64).collect();
/// let mean = step_fn(1, || (), |_: &mut (), counts: &mut [u32], out: &mut [f64]| {
///     let n: u32 = counts.iter().sum();
///     out[0] = counts.iter().zip(&x).map(|(&c, v)| c as f64 * v).sum::<f64>() / n as f64;
///     Ok(())
/// });
/// let draws = Resampler::new(1000, 42).bootstrap(x.len(), &mean).unwrap();
/// assert_eq!(draws.column(0).len(), 1000);
/// ```
pub fn step_fn<D: ?Sized, S, I, F>(statistics: usize, init: I, f: F) -> FnStep<I, F>
where
    I: Fn() -> S + Sync,
    F: Fn(&mut S, &mut D, &mut [f64]) -> Result<(), String> + Sync,
{
    FnStep {
        statistics,
        init,
        f,
    }
}

impl<D: ?Sized, S, I, F> Step<D> for FnStep<I, F>
where
    I: Fn() -> S + Sync,
    F: Fn(&mut S, &mut D, &mut [f64]) -> Result<(), String> + Sync,
{
    type Scratch = S;

    fn statistics(&self) -> usize {
        self.statistics
    }

    fn scratch(&self) -> S {
        (self.init)()
    }

    fn draw(&self, scratch: &mut S, draw: &mut D, out: &mut [f64]) -> Result<(), String> {
        (self.f)(scratch, draw, out)
    }
}

/// The draws: `values[b * m + j]` is statistic j in draw b.
#[derive(Debug, Clone, PartialEq)]
pub struct Draws {
    pub b: usize,
    pub m: usize,
    pub values: Vec<f64>,
    pub ledger: Ledger,
    pub seed: u64,
}

impl Draws {
    /// All draws of statistic `j`.
    pub fn column(&self, j: usize) -> Vec<f64> {
        (0..self.b).map(|b| self.values[b * self.m + j]).collect()
    }
}

/// Why the resampling as a whole could not be completed: a draw failed on every replacement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BootstrapFailure {
    pub draw: usize,
    pub reason: String,
}

fn quiet(_: usize) {}

/// The driver's configuration: how many draws, the seed, the threads and a progress observer.
#[derive(Clone, Copy)]
pub struct Resampler<'a> {
    /// Number of draws (B).
    pub draws: usize,
    pub seed: u64,
    /// Worker threads (0 = every core, with the `parallel` feature); results do not depend on it.
    pub threads: usize,
    progress: &'a (dyn Fn(usize) + Sync),
}

impl std::fmt::Debug for Resampler<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Resampler")
            .field("draws", &self.draws)
            .field("seed", &self.seed)
            .field("threads", &self.threads)
            .finish_non_exhaustive()
    }
}

impl Resampler<'static> {
    /// `draws` draws under `seed`, on every core, unobserved.
    pub fn new(draws: usize, seed: u64) -> Self {
        Resampler {
            draws,
            seed,
            threads: 0,
            progress: &quiet,
        }
    }
}

impl<'a> Resampler<'a> {
    pub fn threads(self, threads: usize) -> Self {
        Resampler { threads, ..self }
    }

    /// Calls `progress(k)` after every block of `k` finished draws (from whichever worker finished
    /// it), for a progress display, and `progress(0)` before each block starts (where a program
    /// embedding cipa can stop a run by unwinding). It does not affect the draws.
    pub fn observe<'b>(self, progress: &'b (dyn Fn(usize) + Sync)) -> Resampler<'b> {
        Resampler {
            draws: self.draws,
            seed: self.seed,
            threads: self.threads,
            progress,
        }
    }

    /// The nonparametric bootstrap of `n` rows: `step` gets each draw's row counts.
    pub fn bootstrap<E: Step<[u32]>>(&self, n: usize, step: &E) -> Result<Draws, BootstrapFailure> {
        self.run(&Rows { n }, step)
    }

    /// The cluster bootstrap: `step` gets each draw's row counts, whole clusters resampled.
    pub fn cluster_bootstrap<E: Step<[u32]>>(
        &self,
        clusters: &Clusters,
        step: &E,
    ) -> Result<Draws, BootstrapFailure> {
        self.run(clusters, step)
    }

    /// Monte Carlo draws: `step` gets each draw's own generator.
    pub fn monte_carlo<E>(&self, step: &E) -> Result<Draws, BootstrapFailure>
    where
        E: Step<rand_xoshiro::Xoshiro256PlusPlus>,
    {
        self.run(&Normal, step)
    }

    /// Runs the draws of `source` through `step`, [`Step::batch`] draws at a time. A failed draw
    /// is retried alone on a stream beyond every first attempt's (`draw + attempt·B`) and
    /// recorded in the ledger.
    pub fn run<D, E>(&self, source: &D, step: &E) -> Result<Draws, BootstrapFailure>
    where
        D: DrawSource,
        E: Step<D::Draw>,
    {
        let (b, seed, m) = (self.draws, self.seed, step.statistics());
        let mut values = vec![0.0; b * m];
        let ledgers = blocks(&mut values, m, self.threads, |start, block| {
            self.block(source, step, start, block, &mut None)
        });
        Ok(Draws {
            b,
            m,
            values,
            ledger: merged(ledgers)?,
            seed,
        })
    }

    /// As [`Resampler::run`], with the draws stored by statistic ([`ColumnDraws`]), the layout
    /// the summaries read: each block of draws is computed in a buffer of its worker and then
    /// written into the columns while it is still in cache. (Summarising from the draws in rows
    /// meant gathering every statistic's column from a 5 MB matrix with a stride of `m` values,
    /// 5% of a model 58 run; docs/PERFORMANCE.md.) The values are the same as `run` gives.
    pub fn run_by_column<D, E>(&self, source: &D, step: &E) -> Result<ColumnDraws, BootstrapFailure>
    where
        D: DrawSource,
        E: Step<D::Draw>,
    {
        let (b, seed, m) = (self.draws, self.seed, step.statistics());
        // Not zeroed: every element is written once by the block that owns its draw before the
        // length is set (a zeroed 5 MB matrix was a serial memset or page faults per run).
        let mut values: Vec<f64> = Vec::with_capacity(b * m);
        let sink = ColumnSink {
            ptr: values.as_mut_ptr(),
            b,
            m,
        };
        type State<D, E> = (
            Vec<f64>,
            Option<
                Worker<<D as DrawSource>::Buffer, <E as Step<<D as DrawSource>::Draw>>::Scratch>,
            >,
        );
        let ledgers = block_queue(b, self.threads, |start, len, state: &mut State<D, E>| {
            let (buffer, worker) = state;
            super::timing::mark("block start");
            buffer.resize(len * m, 0.0);
            let ledger = self.block(source, step, start, buffer, worker)?;
            // SAFETY: `block_queue` hands each block of draws start..start + len (disjoint
            // blocks covering 0..b) to exactly one call, so this call alone writes them.
            unsafe { sink.write(start, buffer) };
            super::timing::mark("block end");
            Ok(ledger)
        });
        let ledger = merged(ledgers)?;
        // SAFETY: every block succeeded, so every draw 0..b of every column 0..m was written,
        // within the capacity b·m.
        unsafe { values.set_len(b * m) };
        Ok(ColumnDraws {
            b,
            m,
            values,
            ledger,
            seed,
        })
    }

    /// The draws `start..start + block.len() / m` into `block` (rows of `m` statistics), failed
    /// draws replaced; the block's ledger. `worker` holds the buffers and scratch of the
    /// worker's last block, if any, which this one reuses (made here otherwise).
    fn block<D, E>(
        &self,
        source: &D,
        step: &E,
        start: usize,
        block: &mut [f64],
        worker: &mut Option<Worker<D::Buffer, E::Scratch>>,
    ) -> Result<Ledger, BootstrapFailure>
    where
        D: DrawSource,
        E: Step<D::Draw>,
    {
        let (b, seed, m) = (self.draws, self.seed, step.statistics().max(1));
        // Before a block too, so an observer can stop a run between blocks (by unwinding);
        // zero draws done, nothing for a display to count.
        (self.progress)(0);
        let batch = step.batch().clamp(1, BLOCK_DRAWS);
        let Worker {
            buffers,
            scratch,
            cleared,
        } = worker.get_or_insert_with(|| Worker {
            buffers: (0..batch).map(|_| source.buffer()).collect(),
            scratch: step.scratch(),
            // Fresh buffers: a source's new buffer is cleared.
            cleared: step.clears_draws(),
        });
        let mut failed = vec![None; batch];
        let mut ledger = Ledger::default();
        for (c, outs) in block.chunks_mut(batch * m).enumerate() {
            let first = start + c * batch;
            let len = outs.len() / m;
            let streams: Vec<u64> = (first..first + len).map(|d| d as u64).collect();
            let fused = source.plain_rows()
                && step.draws_from_streams(scratch, seed, &streams, outs, &mut failed[..len]);
            if !fused {
                let buffers_now = &mut buffers[..len];
                let mut draws = if *cleared {
                    source.draws_onto_cleared(seed, &streams, buffers_now)
                } else {
                    source.draws(seed, &streams, buffers_now)
                };
                step.draws(scratch, &mut draws, outs, &mut failed[..len]);
                drop(draws);
                *cleared = step.clears_draws();
            }
            for (k, out) in outs.chunks_mut(m).enumerate() {
                if let Some(reason) = failed[k].take() {
                    // The replacement is drawn in the first buffer (every batch's first) and
                    // left there.
                    *cleared = false;
                    let retry = Retry {
                        draw: first + k,
                        seed,
                        b,
                    };
                    retry.replace(
                        source,
                        step,
                        &mut buffers[0],
                        scratch,
                        out,
                        reason,
                        &mut ledger,
                    )?;
                }
            }
        }
        (self.progress)(block.len() / m);
        Ok(ledger)
    }
}

/// A worker's memory from block to block: the draws' buffers of a batch, the step's scratch,
/// and whether the buffers are clear (fresh, or cleared by the step and not used by a
/// replacement since), for [`DrawSource::draws_onto_cleared`]. Reused, not made per block:
/// making them was a cleared allocation of a batch of count vectors (256 KB for model 58 at
/// n = 2,000) per 256 draws.
struct Worker<B, S> {
    buffers: Vec<B>,
    scratch: S,
    cleared: bool,
}

/// The blocks' ledgers merged in block order, or the first block's failure.
fn merged(ledgers: Vec<Result<Ledger, BootstrapFailure>>) -> Result<Ledger, BootstrapFailure> {
    let mut ledger = Ledger::default();
    for l in ledgers {
        ledger.merge(l?);
    }
    Ok(ledger)
}

/// The draws stored by statistic: `values[j * b + d]` is statistic j in draw d (what
/// [`Resampler::run_by_column`] gives; [`Draws`] holds the same values by draw).
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnDraws {
    pub b: usize,
    pub m: usize,
    pub values: Vec<f64>,
    pub ledger: Ledger,
    pub seed: u64,
}

impl ColumnDraws {
    /// All draws of statistic `j`.
    pub fn column(&self, j: usize) -> &[f64] {
        &self.values[j * self.b..(j + 1) * self.b]
    }
}

impl From<Draws> for ColumnDraws {
    fn from(d: Draws) -> ColumnDraws {
        let values = (0..d.m).flat_map(|j| d.column(j)).collect();
        ColumnDraws {
            b: d.b,
            m: d.m,
            values,
            ledger: d.ledger,
            seed: d.seed,
        }
    }
}

/// The column-major matrix of [`Resampler::run_by_column`], written by blocks of draws on
/// several workers at once. Blocks own disjoint ranges of draws, so no element is written twice.
struct ColumnSink {
    ptr: *mut f64,
    b: usize,
    m: usize,
}

// SAFETY: the pointer is only written through `write`, whose callers write disjoint elements.
unsafe impl Sync for ColumnSink {}

impl ColumnSink {
    /// Writes `rows` (draws `start..` in rows of `m`) into their columns, one column at a time:
    /// each column's part is one run of consecutive stores, which the prefetchers follow (eight
    /// draws at a time into every column kept 133 half-written lines in flight for model 58);
    /// the rows are read from the worker's cache.
    ///
    /// # Safety
    /// No other call may write draws of the same range, and `start + rows.len() / m <= b`.
    unsafe fn write(&self, start: usize, rows: &[f64]) {
        let m = self.m;
        if m == 0 {
            return;
        }
        let len = rows.len() / m;
        assert!(start + len <= self.b && rows.len() == len * m);
        for j in 0..m {
            // SAFETY: column j's draws start..start + len are below b (asserted), within the
            // b·m elements allocated, and the caller's alone.
            // (Raw writes: the elements are not initialised before this.)
            let dest = unsafe { self.ptr.add(j * self.b + start) };
            for (k, row) in rows.chunks_exact(m).enumerate() {
                unsafe { dest.add(k).write(row[j]) };
            }
        }
    }
}

/// The replacement of a failed draw: attempts `1, 2, ...` on streams `draw + attempt·B`.
struct Retry {
    draw: usize,
    seed: u64,
    b: usize,
}

impl Retry {
    /// Records `reason` (the first attempt's failure) and every further failure; gives up after
    /// [`MAX_RETRIES`] replacements.
    #[allow(clippy::too_many_arguments)]
    fn replace<D: DrawSource, E: Step<D::Draw>>(
        &self,
        source: &D,
        step: &E,
        buffer: &mut D::Buffer,
        scratch: &mut E::Scratch,
        out: &mut [f64],
        reason: String,
        ledger: &mut Ledger,
    ) -> Result<(), BootstrapFailure> {
        let mut reason = reason;
        for attempt in 1..=MAX_RETRIES {
            ledger.record(&reason);
            let stream = self.draw as u64 + attempt * (self.b as u64);
            let d = source.draw(self.seed, stream, buffer);
            match step.draw(scratch, d, out) {
                Ok(()) => return Ok(()),
                Err(r) => reason = r,
            }
        }
        ledger.record(&reason);
        Err(BootstrapFailure {
            draw: self.draw,
            reason,
        })
    }
}

/// `work` on a pool of `threads` workers (0 = rayon's global pool, all cores).
#[cfg(feature = "parallel")]
pub(super) fn on_threads<R: Send>(threads: usize, work: impl FnOnce() -> R + Send) -> R {
    if threads == 0 {
        return work();
    }
    match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    }
}

/// `a()` and `b()`, beside each other on the pool of every core when `threads` is 0 (the
/// default), one after the other otherwise (a run asked for `threads` workers makes its pools
/// where it resamples). For work that does not read the other's results, so whichever order
/// they run in gives the same values.
pub fn join_on<A, B, RA, RB>(threads: usize, a: A, b: B) -> (RA, RB)
where
    A: FnOnce() -> RA + Send,
    B: FnOnce() -> RB + Send,
    RA: Send,
    RB: Send,
{
    #[cfg(feature = "parallel")]
    if threads == 0 {
        use super::warm;
        // Whichever side ends first, its worker does not go to sleep: it spins (for at most
        // warm::LINGER) until the other side hands out parallel work or ends, so that it is
        // awake to take its share (docs/PERFORMANCE.md: a worker woken from sleep there took
        // up to 2 ms on this virtual machine).
        let epoch = warm::release();
        let linger = |r| {
            // Released, or the other side is still busy after LINGER: either way, on.
            let _ = warm::spin_until_released(epoch, std::time::Instant::now() + warm::LINGER);
            r
        };
        return rayon::join(
            || {
                let r = a();
                warm::release();
                r
            },
            || linger(b()),
        );
    }
    let _ = threads;
    let ra = a();
    (ra, b())
}

/// `run(first_draw, block)` over blocks of [`BLOCK_DRAWS`] draws of `values` (in parallel with
/// the `parallel` feature, on `threads` workers; 0 = all).
fn blocks<R: Send>(
    values: &mut [f64],
    m: usize,
    threads: usize,
    run: impl Fn(usize, &mut [f64]) -> R + Sync,
) -> Vec<R> {
    let len = BLOCK_DRAWS * m.max(1);
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        on_threads(threads, || {
            values
                .par_chunks_mut(len)
                .enumerate()
                .map(|(i, block)| run(i * BLOCK_DRAWS, block))
                .collect()
        })
    }
    #[cfg(not(feature = "parallel"))]
    {
        let _ = threads;
        values
            .chunks_mut(len)
            .enumerate()
            .map(|(i, block)| run(i * BLOCK_DRAWS, block))
            .collect()
    }
}

/// The smallest block [`block_plan`] makes: the analysis' batch of draws (`RowStep`'s 32).
const TAIL_DRAWS: usize = 32;

/// The blocks `(first draw, draws)` of a run of `b` draws on `workers` workers, in the order
/// the workers take them: [`BLOCK_DRAWS`] draws while many are left, then smaller, each about
/// a `2 · workers`-th of what is left (a multiple of [`TAIL_DRAWS`]), down to [`TAIL_DRAWS`]
/// (guided self-scheduling, Polychronopoulos & Kuck 1987, IEEE Trans. Computers 36(12)). With
/// blocks of one size the last one (0.5 ms of model 58 at n = 2,000) was often run by one
/// worker while the other waited (docs/PERFORMANCE.md); now the workers end within a small
/// block of each other. Which draws a block holds changes nothing in them.
fn block_plan(b: usize, workers: usize) -> Vec<(usize, usize)> {
    let mut plan = Vec::new();
    let mut start = 0;
    while start < b {
        let left = b - start;
        let guided = (left / (2 * workers.max(1))).clamp(TAIL_DRAWS, BLOCK_DRAWS);
        let len = (guided / TAIL_DRAWS * TAIL_DRAWS).min(left);
        plan.push((start, len));
        start += len;
    }
    plan
}

/// `run(first_draw, draws, state)` for every block of [`block_plan`] (on `threads` workers with
/// the `parallel` feature; 0 = all), each worker taking the next block from a shared counter
/// when it is free, with a state of its own (from `T::default()`) reused from block to block.
/// The results in block order.
fn block_queue<T: Default, R: Send>(
    b: usize,
    threads: usize,
    run: impl Fn(usize, usize, &mut T) -> R + Sync,
) -> Vec<R> {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        use std::sync::atomic::{AtomicUsize, Ordering};
        super::warm::release();
        on_threads(threads, || {
            let workers = rayon::current_num_threads();
            let plan = block_plan(b, workers);
            let next = AtomicUsize::new(0);
            // One task per worker, each taking blocks until none is left: a worker busy
            // elsewhere (the draw-free stages beside the resampling) joins when it is free.
            let mut done: Vec<(usize, R)> = (0..workers)
                .into_par_iter()
                .flat_map_iter(|_| {
                    let mut state = T::default();
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&(start, len)) = plan.get(i) else {
                            break;
                        };
                        mine.push((i, run(start, len, &mut state)));
                    }
                    mine
                })
                .collect();
            done.sort_unstable_by_key(|(i, _)| *i);
            done.into_iter().map(|(_, r)| r).collect()
        })
    }
    #[cfg(not(feature = "parallel"))]
    {
        let _ = threads;
        let mut state = T::default();
        block_plan(b, 1)
            .into_iter()
            .map(|(start, len)| run(start, len, &mut state))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_draws_for_any_thread_count() {
        let x: Vec<f64> = (0..40).map(|i| (i as f64 * 0.37).sin()).collect();
        let step = step_fn(
            1,
            || (),
            |_: &mut (), c: &mut [u32], out: &mut [f64]| {
                let n: u32 = c.iter().sum();
                out[0] = c.iter().zip(&x).map(|(&k, v)| k as f64 * v).sum::<f64>() / n as f64;
                if c[3] == 5 {
                    return Err("rare".into());
                }
                Ok(())
            },
        );
        let one = Resampler::new(500, 42)
            .threads(1)
            .bootstrap(40, &step)
            .unwrap();
        let many = Resampler::new(500, 42)
            .threads(4)
            .bootstrap(40, &step)
            .unwrap();
        assert_eq!(one, many);
    }

    /// Draws stored by statistic hold the values `run` gives by draw, failed draws' replacements
    /// and the ledger included, on any number of threads, B not a multiple of the blocks.
    #[test]
    fn draws_by_column_are_the_draws_by_row() {
        let x: Vec<f64> = (0..40).map(|i| (i as f64 * 0.37).sin()).collect();
        let step = step_fn(
            3,
            || (),
            |_: &mut (), c: &mut [u32], out: &mut [f64]| {
                if c[3] == 4 {
                    return Err("rare".into());
                }
                let n: u32 = c.iter().sum();
                out[0] = c.iter().zip(&x).map(|(&k, v)| k as f64 * v).sum::<f64>() / n as f64;
                out[1] = f64::from(c[0]);
                out[2] = if c[1] == 3 { f64::NAN } else { -out[0] };
                Ok(())
            },
        );
        let rows = Resampler::new(700, 9)
            .threads(1)
            .bootstrap(40, &step)
            .unwrap();
        assert!(rows.ledger.failed > 0);
        for threads in [1, 2, 3] {
            let r = Resampler::new(700, 9).threads(threads);
            let cols = r.run_by_column(&Rows { n: 40 }, &step).unwrap();
            let expected = ColumnDraws::from(rows.clone());
            let bits = |d: &ColumnDraws| d.values.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&cols), bits(&expected));
            assert_eq!((cols.b, cols.m, cols.seed), (700, 3, 9));
            assert_eq!(cols.ledger, expected.ledger);
            assert_eq!(cols.column(1), &rows.column(1)[..]);
        }
    }

    /// A step that clears its batch's counts as it reads them (`clears_draws`) gets the draws a
    /// step that leaves them gets, for batches after failed draws' replacements too (the first
    /// buffer then holds a replacement's counts and must be cleared again).
    #[test]
    fn a_step_that_clears_its_draws_sees_the_same_draws() {
        struct Clearing<F>(F, bool);
        impl<F: Fn(&[u32]) -> Result<f64, String> + Sync> Step<[u32]> for Clearing<F> {
            type Scratch = ();
            fn statistics(&self) -> usize {
                1
            }
            fn scratch(&self) {}
            fn draw(&self, _: &mut (), c: &mut [u32], out: &mut [f64]) -> Result<(), String> {
                out[0] = (self.0)(c)?;
                Ok(())
            }
            fn batch(&self) -> usize {
                16
            }
            fn clears_draws(&self) -> bool {
                self.1
            }
            fn draws(
                &self,
                _: &mut (),
                draws: &mut [&mut [u32]],
                out: &mut [f64],
                failed: &mut [Option<String>],
            ) {
                for ((c, out), f) in draws.iter_mut().zip(out.iter_mut()).zip(failed) {
                    match (self.0)(c) {
                        Ok(v) => *out = v,
                        Err(e) => *f = Some(e),
                    }
                    if self.1 {
                        c.fill(0);
                    }
                }
            }
        }
        let stat = |c: &[u32]| {
            if c[3] == 4 {
                return Err("rare".to_string());
            }
            Ok(c.iter()
                .enumerate()
                .map(|(i, &k)| (i * i) as f64 * f64::from(k))
                .sum())
        };
        let keep = Resampler::new(700, 9)
            .threads(1)
            .bootstrap(40, &Clearing(stat, false))
            .unwrap();
        assert!(keep.ledger.failed > 0);
        for threads in [1, 2] {
            let clear = Resampler::new(700, 9)
                .threads(threads)
                .bootstrap(40, &Clearing(stat, true))
                .unwrap();
            assert_eq!(clear, keep);
        }
    }

    /// A failed draw is replaced by the draw on stream `b + B` and counted in the ledger; a draw
    /// that fails on every replacement stops the run and names the draw.
    #[test]
    fn failed_draws_are_replaced_and_recorded() {
        let b = 10;
        let step = step_fn(
            1,
            || (),
            |_: &mut (), rng: &mut rand_xoshiro::Xoshiro256PlusPlus, out: &mut [f64]| {
                use rand::RngCore;
                let v = rng.next_u64();
                out[0] = v as f64;
                if v.is_multiple_of(3) {
                    Err("divisible by three".to_string())
                } else {
                    Ok(())
                }
            },
        );
        let d = Resampler::new(b, 5).monte_carlo(&step).unwrap();
        let mut failed = 0;
        for draw in 0..b {
            let mut attempt = 0;
            let v = loop {
                use rand::RngCore;
                let v = super::super::stream_rng(5, (draw + attempt * b) as u64).next_u64();
                if !v.is_multiple_of(3) {
                    break v;
                }
                failed += 1;
                attempt += 1;
            };
            assert_eq!(d.values[draw], v as f64);
        }
        assert_eq!(d.ledger.failed, failed);
        let never = step_fn(
            1,
            || (),
            |_: &mut (), _: &mut [u32], _: &mut [f64]| Err("no".to_string()),
        );
        let e = Resampler::new(3, 1).bootstrap(5, &never).unwrap_err();
        assert_eq!((e.draw, e.reason.as_str()), (0, "no"));
    }

    /// The blocks cover every draw once, in order, none longer than BLOCK_DRAWS, the tail in
    /// smaller blocks (multiples of the batch but the last).
    #[test]
    fn block_plan_covers_the_draws_with_a_finer_tail() {
        for (b, workers) in [
            (0, 2),
            (1, 2),
            (31, 1),
            (5000, 2),
            (5000, 1),
            (1000, 8),
            (777, 3),
        ] {
            let plan = block_plan(b, workers);
            let mut next = 0;
            for (k, &(start, len)) in plan.iter().enumerate() {
                assert_eq!(start, next);
                assert!(len > 0 && len <= BLOCK_DRAWS);
                assert!(k + 1 == plan.len() || len % TAIL_DRAWS == 0);
                next += len;
            }
            assert_eq!(next, b);
            assert!(plan.windows(2).all(|w| w[1].1 <= w[0].1), "{b} {workers}");
        }
        let plan = block_plan(5000, 2);
        assert_eq!(plan[0], (0, BLOCK_DRAWS));
        assert!(plan.iter().rev().take(3).all(|&(_, len)| len <= TAIL_DRAWS));
    }

    #[test]
    fn the_observer_sees_every_draw() {
        let seen = std::sync::atomic::AtomicUsize::new(0);
        let count = |k: usize| {
            seen.fetch_add(k, std::sync::atomic::Ordering::Relaxed);
        };
        let step = step_fn(
            2,
            || (),
            |_: &mut (), _: &mut [u32], out: &mut [f64]| {
                out.fill(1.0);
                Ok(())
            },
        );
        Resampler::new(600, 1)
            .observe(&count)
            .bootstrap(4, &step)
            .unwrap();
        assert_eq!(seen.into_inner(), 600);
    }
}
