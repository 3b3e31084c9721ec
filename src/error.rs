//! One error type for the library. Each layer has its own typed error carrying the offending value;
//! messages say what is wrong and what to do about it. The binary maps every variant to exit code 2
//! (bad input or usage); anything else is an internal error (exit code 1).

use thiserror::Error;

pub use crate::data::DataError;
pub use crate::domain::DomainError;
pub use crate::estimation::EstimationError;
pub use crate::measure::MeasureError;
#[cfg(feature = "plot")]
pub use crate::plot::PlotError;
pub use crate::sem::SemError;
pub use crate::simulate::SimulateError;
pub use crate::spec::SpecError;

/// Any error cipa's library can return.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading, parsing or preparing data failed.
    #[error(transparent)]
    Data(#[from] DataError),
    /// A field helper (cultural or geographic distance, size classes) was given bad input.
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// A simulation design is invalid.
    #[error(transparent)]
    Simulate(#[from] SimulateError),
    /// A model could not be estimated from the data given.
    #[error(transparent)]
    Estimation(#[from] EstimationError),
    /// A measurement request (constructs, reliability, CFA, validity) is invalid or cannot be
    /// estimated from the data given.
    #[error(transparent)]
    Measure(#[from] MeasureError),
    /// A model specification is invalid or does not fit the data.
    #[error(transparent)]
    Spec(#[from] SpecError),
    /// A latent-variable model (`cipa sem`) cannot be built or estimated.
    #[error(transparent)]
    Sem(#[from] SemError),
    /// A figure could not be drawn.
    #[cfg(feature = "plot")]
    #[error(transparent)]
    Plot(#[from] PlotError),
    /// An option or argument combination is invalid.
    #[error("{0}")]
    Usage(String),
    /// Writing an output file failed.
    #[error("cannot write '{path}': {message}")]
    Output { path: String, message: String },
}

/// Shorthand for results of cipa's library.
pub type Result<T, E = Error> = std::result::Result<T, E>;
