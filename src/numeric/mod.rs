//! Numerical kernels: least squares by QR with rank checks, small dense matrix helpers, and
//! distribution functions.

pub mod dist;
pub mod lstsq;
pub mod matrix;

pub use lstsq::{qr_least_squares, LeastSquares, RankDeficiency};
