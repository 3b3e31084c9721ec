//! The construct flags shared by every command (--construct, --constructs, --scale, --score):
//! definitions parsed once, scores added as data columns before a model is fitted.

use crate::data::Dataset;
use crate::measure::{
    parse_constructs, parse_constructs_file, score_constructs, Construct, ScoreMethod,
};

use super::args::DataArgs;
use super::{usage, CliError};

/// The constructs defined on the command line and in the --constructs file, in that order.
pub fn definitions(a: &DataArgs) -> Result<Vec<Construct>, CliError> {
    let mut cs = parse_constructs(&a.constructs).map_err(crate::Error::from)?;
    if let Some(path) = &a.constructs_file {
        let text = std::fs::read_to_string(path).map_err(|e| {
            usage(format!(
                "cannot read the constructs file '{}': {e}",
                path.display()
            ))
        })?;
        cs.extend(parse_constructs_file(&text).map_err(crate::Error::from)?);
        crate::measure::check_constructs(&cs).map_err(crate::Error::from)?;
    }
    Ok(cs)
}

/// The --scale range.
pub fn scale(a: &DataArgs) -> Result<Option<(f64, f64)>, CliError> {
    let Some(s) = &a.scale else { return Ok(None) };
    let parts: Vec<&str> = s.split(',').map(str::trim).collect();
    match parts.as_slice() {
        [lo, hi] => match (lo.parse::<f64>(), hi.parse::<f64>()) {
            (Ok(lo), Ok(hi)) if lo.is_finite() && hi.is_finite() && lo < hi => Ok(Some((lo, hi))),
            _ => Err(usage(format!(
                "--scale '{s}': write MIN,MAX with MIN < MAX, e.g. --scale 1,7"
            ))),
        },
        _ => Err(usage(format!(
            "--scale '{s}': write MIN,MAX, e.g. --scale 1,7"
        ))),
    }
}

/// The --score method.
pub fn score_method(a: &DataArgs) -> Result<ScoreMethod, CliError> {
    match a.score.to_ascii_lowercase().as_str() {
        "mean" => Ok(ScoreMethod::Mean),
        "sum" => Ok(ScoreMethod::Sum),
        s => Err(usage(format!("unknown --score '{s}': use mean or sum"))),
    }
}

/// Adds a score column per construct; a construct named like an existing column is an error.
pub fn add_scores(data: &mut Dataset, cs: &[Construct], a: &DataArgs) -> Result<(), CliError> {
    if cs.is_empty() {
        return Ok(());
    }
    if let Some(c) = cs.iter().find(|c| data.contains(&c.name)) {
        return Err(usage(format!(
            "construct '{}' has the name of a column of '{}'; rename the construct",
            c.name, data.source
        )));
    }
    score_constructs(data, cs, scale(a)?, score_method(a)?)?;
    Ok(())
}
