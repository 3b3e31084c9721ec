//! Builder stage for missingness: shares, the MAR driver, the missing-value code and the
//! columns each applies to.

use super::builder::Builder;
use super::{Derived, Design, Missingness, NodeKind, RawMissing};
use crate::data::closest_names;
use crate::simulate::generate::column_names;
use crate::simulate::SimulateError;

impl Builder {
    pub(super) fn missingness(&self, m: RawMissing) -> Result<Missingness, SimulateError> {
        self.probability("missing.mcar", m.mcar)?;
        self.probability("missing.mar", m.mar)?;
        if !m.mar_strength.is_finite() {
            return Err(self.invalid(format!(
                "missing.mar_strength {} must be a finite number (1 is the default)",
                m.mar_strength
            )));
        }
        let mar_driver = match &m.mar_driver {
            Some(d) => Some(self.mar_driver(d)?),
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

impl Builder {
    /// The MAR driver's values are what the missingness rises with, so it must be a number:
    /// text columns (size classes, combined categoricals) hold none.
    fn mar_driver(&self, name: &str) -> Result<usize, SimulateError> {
        let i = self.lookup(name, "missing.mar_driver")?;
        if let NodeKind::Derived(Derived::SizeClass { .. } | Derived::Combine { .. }) =
            self.nodes[i].kind
        {
            return Err(self.invalid(format!(
                "missing.mar_driver '{name}' is a text column; name a numeric variable, construct or outcome"
            )));
        }
        Ok(i)
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
