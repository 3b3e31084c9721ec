use crate::data::{read_path, ColumnKind, Dataset, ReadOptions};

use super::args::DataArgs;
use super::{usage, CliError};

/// Resolves the data flags into reader options.
pub fn read_options(a: &DataArgs) -> Result<ReadOptions, CliError> {
    let mut opts = ReadOptions::default();
    for m in a.missing.iter().map(|m| m.trim()).filter(|m| !m.is_empty()) {
        match m.parse::<f64>() {
            Ok(x) if x.is_finite() => opts.missing_codes.push(x),
            _ => opts.missing_tokens.push(m.to_string()),
        }
    }
    for c in &a.categorical {
        if a.numeric.contains(c) {
            return Err(usage(format!(
                "column '{c}' is given both as --categorical and --numeric"
            )));
        }
        opts.kinds.push((c.clone(), ColumnKind::Categorical));
    }
    for c in &a.numeric {
        opts.kinds.push((c.clone(), ColumnKind::Numeric));
    }
    opts.delimiter = match a.delimiter.as_deref() {
        None => None,
        Some("tab") | Some("\\t") | Some("\t") => Some(b'\t'),
        Some(d) if d.len() == 1 && d.is_ascii() => Some(d.as_bytes()[0]),
        Some(d) => {
            return Err(usage(format!(
                "--delimiter '{d}' must be one ASCII character (or 'tab')"
            )))
        }
    };
    opts.decimal = match a.decimal.as_deref().map(str::trim) {
        None => None,
        Some(d) => Some(
            d.bytes()
                .next()
                .filter(|_| d.len() == 1)
                .and_then(crate::data::read::Decimal::from_byte)
                .ok_or_else(|| {
                    usage(format!(
                        "--decimal '{d}' must be '.' or ',' (the mark between whole and decimal digits)"
                    ))
                })?,
        ),
    };
    opts.sheet = a.sheet.clone();
    Ok(opts)
}

/// Reads the data file named by the flags and adds the scores of any constructs defined with
/// --construct/--constructs as columns named after them.
pub fn load(a: &DataArgs) -> Result<Dataset, CliError> {
    add_columns(a, load_items(a)?)
}

/// Adds to data as read the columns the flags define: size classes and construct scores.
pub fn add_columns(a: &DataArgs, mut data: Dataset) -> Result<Dataset, CliError> {
    for spec in &a.size_class {
        add_size_class(&mut data, spec)?;
    }
    let constructs = super::constructs::definitions(a)?;
    super::constructs::add_scores(&mut data, &constructs, a)?;
    Ok(data)
}

/// Warnings about the values of `vars`: numbers that look like missing-value codes far outside
/// the rest of their column.
pub fn value_warnings(data: &Dataset, vars: &[&str]) -> Vec<String> {
    crate::data::suspect_codes(data, vars)
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// Every variable of a model's equations (outcomes and the factors of their terms), once each.
pub fn model_variables(spec: &crate::spec::ModelSpec) -> Vec<&str> {
    let mut vars: Vec<&str> = Vec::new();
    for e in &spec.equations {
        for v in std::iter::once(&e.outcome).chain(e.terms.iter().flat_map(|t| t.factors.iter())) {
            if !vars.contains(&v.as_str()) {
                vars.push(v);
            }
        }
    }
    vars
}

/// Reads the data file named by the flags, without construct scores.
pub fn load_items(a: &DataArgs) -> Result<Dataset, CliError> {
    let opts = read_options(a)?;
    read_data(&a.data, &opts)
}

/// Reads a data file, or a shipped example given as `example:NAME` (embedded in the binary, so it
/// works from any directory).
pub fn read_data(path: &std::path::Path, opts: &ReadOptions) -> Result<Dataset, CliError> {
    if let Some(name) = path.to_str().and_then(|p| p.strip_prefix("example:")) {
        let (source, text) = crate::simulate::example(name).map_err(crate::Error::from)?;
        return Ok(crate::data::read_csv_str(&source, text, b',', opts)?);
    }
    Ok(read_path(path, opts)?)
}

/// `--size-class COL[:SCHEME]`: a categorical column COL_class with the size class of each
/// firm's employee count (missing where the count is missing).
fn add_size_class(data: &mut Dataset, spec: &str) -> Result<(), CliError> {
    use crate::domain::{size_class, SizeScheme};
    let (col, scheme) = match spec.split_once(':') {
        Some((c, s)) => (c.trim(), s.trim()),
        None => (spec.trim(), "eu"),
    };
    let scheme = SizeScheme::parse(scheme).map_err(crate::Error::from)?;
    let values = data.numeric(col)?;
    let mut classes: Vec<Option<&str>> = Vec::with_capacity(values.len());
    for (i, &v) in values.iter().enumerate() {
        if v.is_nan() {
            classes.push(None);
            continue;
        }
        let c = size_class(v, scheme).map_err(|e| {
            usage(format!(
                "--size-class {spec}: row {} of '{col}': {e}",
                data.lines().get(i).copied().unwrap_or(i as u64 + 2)
            ))
        })?;
        classes.push(Some(c));
    }
    let name = format!("{col}_class");
    let order = scheme.levels();
    data.set(crate::data::Variable::categorical_in_order(
        name, &classes, &order,
    ))?;
    Ok(())
}
