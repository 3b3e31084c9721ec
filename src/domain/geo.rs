//! Great-circle distance (haversine formula on a sphere of the mean Earth radius), from
//! coordinates in decimal degrees, and a table of named locations.

use std::path::Path;

use serde::Serialize;

use super::DomainError;
use crate::data::closest_names;

/// The mean Earth radius (IUGG), in km.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

fn check(what: &str, value: f64, limit: f64, range: &'static str) -> Result<(), DomainError> {
    if value.is_finite() && value.abs() <= limit {
        Ok(())
    } else {
        Err(DomainError::Coordinate {
            what: what.into(),
            value,
            range,
        })
    }
}

/// The great-circle distance in km between two points given as (latitude, longitude) in decimal
/// degrees. The haversine form stays accurate for short distances; on a sphere it differs from the
/// ellipsoidal (Vincenty) distance by up to about 0.5 %.
pub fn great_circle_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> Result<f64, DomainError> {
    check("latitude", lat1, 90.0, "[-90, 90]")?;
    check("latitude", lat2, 90.0, "[-90, 90]")?;
    check("longitude", lon1, 180.0, "[-180, 180]")?;
    check("longitude", lon2, 180.0, "[-180, 180]")?;
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    Ok(2.0 * EARTH_RADIUS_KM * a.sqrt().min(1.0).asin())
}

/// A named place.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Location {
    pub name: String,
    pub lat: f64,
    pub lon: f64,
}

/// A user's table of locations: a CSV with columns `name`, `lat` and `lon` (also accepted:
/// `country`/`location`/`code` for the name, `latitude`, `longitude`/`lng`).
#[derive(Debug, Clone, PartialEq)]
pub struct LocationTable {
    pub source: String,
    pub rows: Vec<Location>,
}

impl LocationTable {
    pub fn read(path: impl AsRef<Path>) -> Result<Self, DomainError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| DomainError::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        Self::parse(&path.display().to_string(), &text)
    }

    pub fn parse(source: &str, text: &str) -> Result<Self, DomainError> {
        let header = text.lines().next().unwrap_or("");
        let delimiter = if header.contains(';') {
            b';'
        } else if header.contains('\t') {
            b'\t'
        } else {
            b','
        };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .from_reader(text.as_bytes());
        let err = |line: u64, message: String| DomainError::Table {
            path: source.to_string(),
            line,
            message,
        };
        let names: Vec<String> = reader
            .headers()
            .map_err(|e| err(1, e.to_string()))?
            .iter()
            .map(|h| h.trim().to_ascii_lowercase())
            .collect();
        let find = |opts: &[&str], canonical: &str| {
            names
                .iter()
                .position(|n| opts.contains(&n.as_str()))
                .ok_or_else(|| DomainError::MissingColumn {
                    path: source.to_string(),
                    column: canonical.into(),
                    expected: "name, lat, lon".into(),
                })
        };
        let name_c = find(&["name", "location", "country", "code", "city"], "name")?;
        let lat_c = find(&["lat", "latitude"], "lat")?;
        let lon_c = find(&["lon", "long", "lng", "longitude"], "lon")?;
        let mut rows = Vec::new();
        for (i, rec) in reader.records().enumerate() {
            let line = i as u64 + 2;
            let rec = rec.map_err(|e| err(line, e.to_string()))?;
            let num = |c: usize, what: &str| {
                let raw = rec.get(c).unwrap_or("").trim();
                raw.parse::<f64>()
                    .map_err(|_| err(line, format!("{what} '{raw}' is not a number")))
            };
            let (lat, lon) = (num(lat_c, "latitude")?, num(lon_c, "longitude")?);
            check("latitude", lat, 90.0, "[-90, 90]").map_err(|e| err(line, e.to_string()))?;
            check("longitude", lon, 180.0, "[-180, 180]").map_err(|e| err(line, e.to_string()))?;
            rows.push(Location {
                name: rec.get(name_c).unwrap_or("").trim().to_string(),
                lat,
                lon,
            });
        }
        Ok(LocationTable {
            source: source.into(),
            rows,
        })
    }

    /// A location by name (case-insensitive), or an error with the closest names.
    pub fn find(&self, name: &str) -> Result<&Location, DomainError> {
        let q = name.trim().to_lowercase();
        self.rows
            .iter()
            .find(|r| r.name.to_lowercase() == q)
            .ok_or_else(|| DomainError::UnknownCountry {
                path: self.source.clone(),
                name: name.into(),
                suggestions: closest_names(name, self.rows.iter().map(|r| r.name.as_str())),
            })
    }

    /// The great-circle distance between two named locations, in km.
    pub fn distance_km(&self, from: &str, to: &str) -> Result<f64, DomainError> {
        let (a, b) = (self.find(from)?, self.find(to)?);
        great_circle_km(a.lat, a.lon, b.lat, b.lon)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarter_meridian_and_zero() {
        // Equator to pole: a quarter of the circumference, π R / 2.
        let d = great_circle_km(0.0, 0.0, 90.0, 0.0).unwrap();
        assert!((d - std::f64::consts::FRAC_PI_2 * EARTH_RADIUS_KM).abs() < 1e-9);
        assert_eq!(great_circle_km(10.0, 20.0, 10.0, 20.0).unwrap(), 0.0);
        // Antipodes: half the circumference.
        let d = great_circle_km(0.0, 0.0, 0.0, 180.0).unwrap();
        assert!((d - std::f64::consts::PI * EARTH_RADIUS_KM).abs() < 1e-6);
    }

    #[test]
    fn berlin_tokyo_is_about_8920_km() {
        // Berlin (52.52, 13.405) to Tokyo (35.6895, 139.6917): 8,918 km on the sphere; published
        // great-circle calculators give 8,920 ± 10 km.
        let t = LocationTable::parse(
            "loc.csv",
            "name,lat,lon\nBerlin,52.52,13.405\nTokyo,35.6895,139.6917\n",
        )
        .unwrap();
        let d = t.distance_km("berlin", "Tokyo").unwrap();
        assert!((d - 8918.0).abs() < 15.0, "{d}");
        assert!(t.find("Tokio").unwrap_err().to_string().contains("Tokyo"));
    }

    #[test]
    fn swapped_coordinates_are_refused() {
        assert!(great_circle_km(139.0, 35.0, 0.0, 0.0).is_err());
    }
}
