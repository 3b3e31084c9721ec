//! The resampling engine, shared by every estimator that wants resampled intervals: one driver
//! ([`Resampler`]) runs `B` draws in parallel, each from its own seeded stream, and the estimator
//! supplies the per-draw step ([`Step`]: "fit this draw and write its statistics").
//!
//! - [`source`]: where a draw comes from. Draw `b` takes its own random stream from `(seed, b)`
//!   (xoshiro256++ seeded through SplitMix64 from the pair), so results are bit-identical whatever
//!   the number of threads. [`Rows`] turns the stream into row counts (the nonparametric
//!   bootstrap: a draw is a vector of counts, not a copied data set); [`Clusters`] does the same
//!   for whole clusters (every row of a cluster drawn k times counts k); [`Strata`] resamples
//!   rows within fixed-size strata (the groups of a multi-group SEM); [`Normal`] hands the stream
//!   itself to the step (Monte Carlo draws of coefficients).
//! - [`driver`]: the parallel loop. A step that fails on a draw (a singular resample, say) has the
//!   draw replaced by a deterministic retry on a later stream, and the failure is recorded in the
//!   [`Ledger`], never hidden.
//! - [`interval`]: percentile, bias-corrected and BCa intervals of the draws, with PROCESS's order
//!   statistics, and the jackknife acceleration of BCa.
//! - The hot loop of a regression bootstrap, the count-weighted sums of the rows' products
//!   ([`Moments`]): `tiles.rs` for count vectors (AVX-512, AVX2 or portable, the same bits);
//!   for the plain bootstrap the draws are drawn and summed together, eight in the lanes of a
//!   register (`lanes.rs`, the same bits as the tiles) or sixteen on the AMX tile unit as exact
//!   fixed-point sums (`amx.rs`, bits of their own; `CIPA_NO_AMX` turns it off); `counts.rs`
//!   draws eight streams at once; `warm.rs` wakes the pool while a fit is planned.

mod amx;
mod counts;
pub mod driver;
pub mod interval;
mod lanes;
mod ledger;
mod moments;
pub mod source;
mod tiles;
pub mod timing;
mod warm;

pub use counts::resample_counts_many;
pub use driver::{join_on, step_fn, BootstrapFailure, ColumnDraws, Draws, FnStep, Resampler, Step};
pub use interval::{
    acceleration, jackknife, summarise, summarise_all, summarise_columns, summarise_derived,
    summarise_with, BootSummary, CiMethod, DrawColumns,
};
pub use ledger::{Ledger, MAX_FAILED_SHARE};
pub use moments::{Moments, StreamWork};
pub use source::{
    resample_counts, stream_rng, ClusterBuffer, Clusters, DrawSource, Normal, Rows, Strata,
};
pub use warm::{join_pool_from_this_thread, wake_workers};
