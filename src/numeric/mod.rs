//! Numerical kernels: least squares by QR with rank checks, small dense matrix helpers, and
//! distribution functions.

pub mod dist;
pub mod lstsq;
pub mod matrix;

pub use lstsq::{qr_least_squares, LeastSquares, RankDeficiency};

/// The distinct finite values, ascending (how many values a variable takes decides whether it
/// is dichotomous, how it is probed and where its curves run).
pub fn distinct_finite(values: &[f64]) -> Vec<f64> {
    let mut d: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    d.sort_by(f64::total_cmp);
    d.dedup();
    d
}
