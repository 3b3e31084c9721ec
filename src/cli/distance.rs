//! `cipa distance`: Kogut-Singh cultural distance from a Hofstede table, or great-circle distance
//! from a table of locations or coordinates; between two countries, or as a new column of a data
//! set with home and host columns.

use std::path::PathBuf;

use clap::Args;

use super::output::emit;
use super::{usage, CliError};
use crate::data::{Column, Dataset, ReadOptions, Variable};
use crate::domain::{
    great_circle_km, kogut_singh_between, Dims, DomainError, HofstedeTable, LocationTable,
};

#[derive(Debug, Args)]
pub struct DistanceArgs {
    /// Hofstede scores in the layout of the published dimension matrix (ctr, country, pdi, idv,
    /// mas, uai, ltowvs, ivr); see docs/distance.md for where to obtain it and how to cite it.
    #[arg(long, value_name = "FILE", conflicts_with = "locations")]
    pub scores: Option<PathBuf>,
    /// A table of locations (name, lat, lon in decimal degrees) for great-circle distances.
    #[arg(long, value_name = "FILE")]
    pub locations: Option<PathBuf>,
    /// Home country (name or code) or location.
    #[arg(long, value_name = "NAME")]
    pub from: Option<String>,
    /// Host country (name or code) or location.
    #[arg(long, value_name = "NAME")]
    pub to: Option<String>,
    /// Kogut-Singh over 4 (pdi, idv, mas, uai) or 6 dimensions.
    #[arg(long, default_value_t = 4)]
    pub dims: usize,
    /// Take each dimension's variance from this table (the study's own countries) instead of
    /// every country of --scores.
    #[arg(long = "variance-from", value_name = "FILE")]
    pub variance_from: Option<PathBuf>,
    /// A data set to add a distance column to (or `example:NAME`).
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// With --data: the column of home countries (or locations).
    #[arg(long, value_name = "COL")]
    pub home: Option<String>,
    /// With --data: the column of host countries (or locations).
    #[arg(long, value_name = "COL")]
    pub host: Option<String>,
    /// With --data: great-circle distance from four coordinate columns LAT1,LON1,LAT2,LON2.
    #[arg(long, value_name = "COLS", value_delimiter = ',')]
    pub coords: Vec<String>,
    /// With --data: name of the new column (default kogut_singh or distance_km).
    #[arg(long, value_name = "COL")]
    pub name: Option<String>,
    /// text or json (between two countries).
    #[arg(long, default_value = "text")]
    pub format: String,
    /// Write the output (atomically) to this file.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

fn dom(e: DomainError) -> CliError {
    CliError::Input(e.into())
}

pub fn run(a: DistanceArgs) -> Result<(), CliError> {
    if !matches!(a.format.as_str(), "text" | "json") {
        return Err(usage(format!("--format {}: use text or json", a.format)));
    }
    let dims = Dims::from_count(a.dims).map_err(dom)?;
    if let Some(out) = &a.out {
        let inputs: Vec<&std::path::Path> = [&a.scores, &a.locations, &a.variance_from, &a.data]
            .into_iter()
            .flatten()
            .map(PathBuf::as_path)
            .collect();
        super::output::check_file_target(out, &inputs)?;
    }
    let read = |p: &Option<PathBuf>| p.as_ref().map(HofstedeTable::read).transpose();
    let scores = read(&a.scores).map_err(dom)?;
    let variance = read(&a.variance_from).map_err(dom)?;
    let locations = a
        .locations
        .as_ref()
        .map(LocationTable::read)
        .transpose()
        .map_err(dom)?;
    if let Some(path) = &a.data {
        let data = super::data_opts::read_data(path, &ReadOptions::default())?;
        let (name, values) = column(
            &a,
            &data,
            scores.as_ref(),
            variance.as_ref(),
            locations.as_ref(),
            dims,
        )?;
        let mut data = data;
        data.set(Variable::numeric(name, values))?;
        return emit(&to_csv(&data), a.out.as_deref());
    }
    let (Some(from), Some(to)) = (&a.from, &a.to) else {
        return Err(usage(
            "give --from and --to (two countries or locations), or --data with --home and --host",
        ));
    };
    let json = a.format == "json";
    let text = match (&scores, &locations) {
        (Some(t), None) => {
            let ks = kogut_singh_between(t, from, to, dims, variance.as_ref()).map_err(dom)?;
            if json {
                pretty(&ks)?
            } else {
                kogut_singh_text(&ks)
            }
        }
        (None, Some(l)) => {
            let km = l.distance_km(from, to).map_err(dom)?;
            if json {
                pretty(&serde_json::json!({
                    "distance_km": km, "from": from, "to": to,
                    "method": "haversine", "earth_radius_km": crate::domain::EARTH_RADIUS_KM,
                }))?
            } else {
                format!("Great-circle distance, {from} -> {to}: {km:.1} km\n")
            }
        }
        _ => {
            return Err(usage(
                "give --scores FILE (cultural distance) or --locations FILE (km)",
            ))
        }
    };
    emit(&text, a.out.as_deref())
}

fn pretty<T: serde::Serialize>(v: &T) -> Result<String, CliError> {
    Ok(serde_json::to_string_pretty(v).map_err(|e| CliError::Internal(e.to_string()))? + "\n")
}

/// The Kogut-Singh index with each dimension's term, as text.
fn kogut_singh_text(ks: &crate::domain::KogutSingh) -> String {
    let mut s = format!(
        "Kogut-Singh cultural distance, {} -> {} ({} dimensions): {:.4}\n",
        ks.home, ks.host, ks.dims, ks.kogut_singh
    );
    s += &format!(
        "{:<8} {:>8} {:>8} {:>10} {:>10}\n",
        "dim", "home", "host", "variance", "term"
    );
    for t in &ks.terms {
        s += &format!(
            "{:<8} {:>8} {:>8} {:>10.3} {:>10.4}\n",
            t.dimension, t.home, t.host, t.variance, t.term
        );
    }
    s += &format!("Variances (n - 1) from '{}'.\n", ks.variance_from);
    s
}

/// The new column's name and values (missing where a row's country is missing).
fn column(
    a: &DistanceArgs,
    data: &Dataset,
    scores: Option<&HofstedeTable>,
    variance: Option<&HofstedeTable>,
    locations: Option<&LocationTable>,
    dims: Dims,
) -> Result<(String, Vec<f64>), CliError> {
    let n = data.n_rows();
    if a.coords.len() == 4 {
        let c: Vec<&[f64]> = a
            .coords
            .iter()
            .map(|c| data.numeric(c))
            .collect::<Result<_, _>>()?;
        let mut out = Vec::with_capacity(n);
        for (row, line) in data.lines().iter().enumerate() {
            let v = [c[0][row], c[1][row], c[2][row], c[3][row]];
            out.push(if v.iter().any(|x| x.is_nan()) {
                f64::NAN
            } else {
                great_circle_km(v[0], v[1], v[2], v[3])
                    .map_err(|e| usage(format!("'{}' line {line}: {e}", data.source)))?
            });
        }
        return Ok((a.name.clone().unwrap_or_else(|| "distance_km".into()), out));
    }
    if !a.coords.is_empty() {
        return Err(usage("--coords takes four columns: LAT1,LON1,LAT2,LON2"));
    }
    let (Some(home), Some(host)) = (&a.home, &a.host) else {
        return Err(usage(
            "with --data give --home COL and --host COL, or --coords LAT1,LON1,LAT2,LON2",
        ));
    };
    let (h, j) = (&data.var(home)?.data, &data.var(host)?.data);
    let mut out = Vec::with_capacity(n);
    for row in 0..n {
        if h.is_missing(row) || j.is_missing(row) {
            out.push(f64::NAN);
            continue;
        }
        let (from, to) = (h.display(row), j.display(row));
        let at =
            |e: DomainError| usage(format!("'{}' line {}: {e}", data.source, data.lines()[row]));
        let v = match (scores, locations) {
            (Some(t), None) => {
                kogut_singh_between(t, &from, &to, dims, variance)
                    .map_err(at)?
                    .kogut_singh
            }
            (None, Some(l)) => l.distance_km(&from, &to).map_err(at)?,
            _ => {
                return Err(usage(
                    "give --scores FILE (cultural distance) or --locations FILE (km)",
                ))
            }
        };
        out.push(v);
    }
    let default = if scores.is_some() {
        "kogut_singh"
    } else {
        "distance_km"
    };
    Ok((a.name.clone().unwrap_or_else(|| default.into()), out))
}

/// The data set as CSV, cells as the user would write them (missing = empty).
fn to_csv(data: &Dataset) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(data.names());
    for row in 0..data.n_rows() {
        let rec: Vec<String> = data
            .variables()
            .iter()
            .map(|v| match &v.data {
                Column::Numeric(x) if !x[row].is_nan() => x[row].to_string(),
                c => c.display(row),
            })
            .collect();
        let _ = w.write_record(&rec);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
