//! The teaching datasets shipped in datasets/, embedded so `--data example:NAME` works from any
//! directory.

use super::SimulateError;

/// (name, file in datasets/, CSV text).
pub const EXAMPLES: &[(&str, &str, &str)] = &[(
    "sme",
    "sme_survey.csv",
    include_str!("../../datasets/sme_survey.csv"),
)];

/// The CSV text of a shipped example, by name.
pub fn example_csv(name: &str) -> Result<&'static str, SimulateError> {
    EXAMPLES
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, _, t)| *t)
        .ok_or_else(|| SimulateError::UnknownExample {
            name: name.into(),
            known: EXAMPLES
                .iter()
                .map(|(n, _, _)| format!("example:{n}"))
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// The file name a shipped example is read as (for messages): `datasets/sme_survey.csv`.
pub fn example(name: &str) -> Result<(String, &'static str), SimulateError> {
    let text = example_csv(name)?;
    let file = EXAMPLES
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, f, _)| *f)
        .unwrap_or(name);
    Ok((format!("datasets/{file}"), text))
}
