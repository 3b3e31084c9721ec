//! Product terms of observed variables (`y ~ x + w + x:w`): lavaan fits them as one more
//! observed variable named `x:w` whose values are the raw (uncentred) products of the rows
//! (`lav_data_full` → `lav_data_interaction`), so the engine sees an ordinary column.
//! Products that involve a latent variable (latent interactions) are issue 12's and refused by
//! the parameter table.

use std::borrow::Cow;

use crate::data::{Dataset, Variable};
use crate::spec::flat::{FlatModel, RelOp};

use super::SemError;

/// `data` with a column for every observed product term of `flat` that it lacks; a factor that
/// is not a data column (a latent) is left for the parameter table to refuse. A missing factor
/// makes the product missing.
pub fn with_products<'a>(
    flat: &FlatModel,
    data: &'a Dataset,
) -> Result<Cow<'a, Dataset>, SemError> {
    let mut added: Vec<Variable> = Vec::new();
    for rel in flat.relations.iter().filter(|r| r.rhs.len() > 1) {
        let name = rel.rhs.join(":");
        if rel.op != RelOp::Regress
            || data.contains(&name)
            || added.iter().any(|v| v.name == name)
            || !rel.rhs.iter().all(|f| data.contains(f))
        {
            continue;
        }
        let mut values = vec![1.0; data.n_rows()];
        for factor in &rel.rhs {
            for (v, x) in values.iter_mut().zip(data.numeric(factor)?) {
                *v *= x;
            }
        }
        added.push(Variable::numeric(name, values));
    }
    if added.is_empty() {
        return Ok(Cow::Borrowed(data));
    }
    let mut vars = data.variables().to_vec();
    vars.extend(added);
    let out = Dataset::with_lines(data.source.clone(), vars, data.lines().to_vec())?;
    Ok(Cow::Owned(out))
}
