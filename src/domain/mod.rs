//! Field helpers for research on SME internationalization: Kogut-Singh cultural distance from a
//! table of Hofstede scores, great-circle distance, and firm size classes (EU, US SBA).
//!
//! Beside `data` in the layering: uses `numeric` and `data` only. cipa ships no Hofstede scores;
//! users give the published dimension matrix (see [`hofstede`]).

pub mod distance;
mod error;
pub mod geo;
pub mod hofstede;
pub mod size;

pub use distance::{kogut_singh, kogut_singh_between, Dims, KogutSingh};
pub use error::DomainError;
pub use geo::{great_circle_km, Location, LocationTable, EARTH_RADIUS_KM};
pub use hofstede::{CountryScores, HofstedeTable, DIMENSIONS};
pub use size::{size_class, SizeScheme};
