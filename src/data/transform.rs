use super::{Column, DataError, Dataset};

/// A column transform, applied in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transform {
    /// Natural logarithm; every value used must be positive.
    Log,
    /// Subtract the mean.
    Center,
    /// Subtract the mean and divide by the sample standard deviation (n - 1).
    Standardize,
}

impl Transform {
    pub fn name(self) -> &'static str {
        match self {
            Transform::Log => "log",
            Transform::Center => "center",
            Transform::Standardize => "standardize",
        }
    }
}

/// Transforms numeric column `name` in place. Means and SDs are computed over `rows` (the
/// analysis sample after listwise deletion, as PROCESS centres) or, if `None`, over every
/// non-missing value; the transform itself applies to every non-missing value.
pub fn apply_transform(
    data: &mut Dataset,
    name: &str,
    t: Transform,
    rows: Option<&[usize]>,
) -> Result<(), DataError> {
    let values = data.numeric(name)?.to_vec();
    let lines = data.lines().to_vec();
    let source = data.source.clone();
    let used: Vec<f64> = match rows {
        Some(r) => r
            .iter()
            .map(|&i| values[i])
            .filter(|x| !x.is_nan())
            .collect(),
        None => values.iter().copied().filter(|x| !x.is_nan()).collect(),
    };
    let err = |message: String| DataError::Transform {
        column: name.to_string(),
        message,
    };
    if used.is_empty() {
        return Err(err("has no non-missing values to transform".into()));
    }
    let out: Vec<f64> = match t {
        Transform::Log => {
            if let Some(i) = values.iter().position(|&x| x <= 0.0) {
                return Err(err(format!(
                    "cannot take the log of {} ('{}' line {}); log needs positive values: add a constant first or use another transform",
                    values[i], source, lines[i]
                )));
            }
            values.iter().map(|x| x.ln()).collect()
        }
        Transform::Center => {
            let m = mean(&used);
            values.iter().map(|x| x - m).collect()
        }
        Transform::Standardize => {
            let m = mean(&used);
            let sd = (used.iter().map(|x| (x - m).powi(2)).sum::<f64>()
                / (used.len() as f64 - 1.0))
                .sqrt();
            if sd.is_nan() || sd <= 0.0 || !sd.is_finite() {
                return Err(err("has no variation, so it cannot be standardized".into()));
            }
            values.iter().map(|x| (x - m) / sd).collect()
        }
    };
    data.var_mut(name)?.data = Column::Numeric(out);
    Ok(())
}

fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}
