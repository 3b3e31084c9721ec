//! What PROCESS v4.3.1 prints that cipa does not compute yet, as (reference file, quantity kind,
//! why). The harness fails when a quantity outside this list is missing or disagrees, and also when
//! every quantity of a listed pair matches (remove the entry then): the list can only shrink.
//!
//! Kinds are those of `reference.rs`: `n`, `equation summary`, `coefficient`, `interaction test
//! LABEL`, `conditional effect`, `conditional interaction test`, `JN transition point`, `JN table`,
//! `direct effect`, `conditional direct effect`, `indirect effect`, `conditional indirect effect`,
//! PROCESS's index headings in lower case, `natural direct effect`, `controlled direct effect`,
//! `natural indirect effect`.

/// Every quantity PROCESS prints is computed now; an entry would name a reference output, a
/// kind of quantity and why cipa does not compute it.
pub const MISSING: &[(&str, &str, &str)] = &[];
