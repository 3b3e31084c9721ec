//! Builder stage for missingness: shares, the MAR driver, the missing-value code and the
//! columns each applies to.

use super::builder::Builder;
use super::{Design, Missingness, RawMissing};
use crate::data::closest_names;
use crate::simulate::generate::column_names;
use crate::simulate::SimulateError;

impl Builder {
    pub(super) fn missingness(&self, m: RawMissing) -> Result<Missingness, SimulateError> {
        self.probability("missing.mcar", m.mcar)?;
        self.probability("missing.mar", m.mar)?;
        let mar_driver = match &m.mar_driver {
            Some(d) => Some(self.lookup(d, "missing.mar_driver")?),
            None if m.mar > 0.0 => {
                return Err(self.invalid("missing.mar > 0 needs missing.mar_driver (the variable the missingness depends on)"))
            }
            None => None,
        };
        if m.code.is_some_and(|c| !c.is_finite()) {
            return Err(self.invalid("missing.code must be a finite number, such as -99"));
        }
        if m.code.is_none() && !m.code_columns.is_empty() {
            return Err(self.invalid(
                "missing.code_columns needs missing.code (the number written for a missing cell, such as -99)",
            ));
        }
        Ok(Missingness {
            mcar: m.mcar,
            mcar_columns: m.mcar_columns,
            mar: m.mar,
            mar_columns: m.mar_columns,
            mar_driver,
            mar_strength: m.mar_strength,
            code: m.code,
            code_columns: m.code_columns,
        })
    }
}

/// Every column named in `[missing]` is one the design writes (items, not only their
/// constructs, so checked once the whole design is known).
pub(super) fn check_columns(design: &Design) -> Result<(), SimulateError> {
    let columns = column_names(design);
    let missing = &design.missing;
    for c in missing
        .mcar_columns
        .iter()
        .chain(&missing.mar_columns)
        .chain(&missing.code_columns)
    {
        if !columns.iter().any(|x| x == c) {
            return Err(SimulateError::UnknownVariable {
                source_name: design.source.clone(),
                name: c.clone(),
                place: "[missing] columns".into(),
                suggestions: closest_names(c, columns.iter().map(String::as_str)),
            });
        }
    }
    Ok(())
}
