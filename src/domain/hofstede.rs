//! A table of Hofstede's cultural dimension scores, in the layout of the published "dimension data
//! matrix": `ctr, country, pdi, idv, mas, uai, ltowvs, ivr`.
//!
//! Researchers obtain the matrix from Geert Hofstede's website (geerthofstede.com, "Research and
//! VSM" -> "Dimension data matrix"; free for research and education) and cite Hofstede, G.,
//! Hofstede, G. J. & Minkov, M. (2010), *Cultures and Organizations: Software of the Mind*, 3rd ed.,
//! McGraw-Hill. cipa ships no scores. The file may be comma-, semicolon- or tab-separated (the
//! published file uses `;`); missing scores may be empty, `NA`, `.` or SPSS's `#NULL!`. The `ctr`
//! codes are Hofstede's own three-letter codes, which are not ISO codes (Germany is `GER`).

use std::path::Path;

use super::DomainError;
use crate::data::closest_names;

/// The six dimensions in the published order: power distance, individualism, masculinity,
/// uncertainty avoidance, long-term orientation (the WVS-based `ltowvs`) and indulgence.
pub const DIMENSIONS: [&str; 6] = ["pdi", "idv", "mas", "uai", "ltowvs", "ivr"];

/// One country's (or region's) scores; `None` where the table has none.
#[derive(Debug, Clone, PartialEq)]
pub struct CountryScores {
    pub code: String,
    pub name: String,
    pub scores: [Option<f64>; 6],
}

/// A table of scores, with the file name for messages.
#[derive(Debug, Clone, PartialEq)]
pub struct HofstedeTable {
    pub source: String,
    pub rows: Vec<CountryScores>,
}

/// Common English names for countries that the published matrix names otherwise.
const ALIASES: &[(&str, &str)] = &[
    ("united states", "U.S.A."),
    ("united states of america", "U.S.A."),
    ("us", "U.S.A."),
    ("united kingdom", "Great Britain"),
    ("uk", "Great Britain"),
    ("britain", "Great Britain"),
    ("south korea", "Korea South"),
    ("korea", "Korea South"),
    ("republic of korea", "Korea South"),
    ("czechia", "Czech Rep"),
    ("czech republic", "Czech Rep"),
    ("slovakia", "Slovak Rep"),
    ("slovak republic", "Slovak Rep"),
    ("dominican republic", "Dominican Rep"),
];

fn is_missing(cell: &str) -> bool {
    matches!(
        cell.trim().to_ascii_lowercase().as_str(),
        "" | "na" | "." | "#null!" | "nan" | "n/a"
    )
}

fn table_error(source: &str, line: u64, message: String) -> DomainError {
    DomainError::Table {
        path: source.to_string(),
        line,
        message,
    }
}

/// Where the code, the name and each dimension are in a table's records.
struct TableColumns {
    code: usize,
    name: usize,
    dims: Vec<Option<usize>>,
}

impl TableColumns {
    /// The columns from the (lower-cased) header; `ctr`, `country` and the first four dimensions
    /// are required.
    fn find(source: &str, names: &[String]) -> Result<Self, DomainError> {
        let expected = format!("ctr, country, {}", DIMENSIONS.join(", "));
        let find = |col: &str| {
            names
                .iter()
                .position(|n| n == col)
                .ok_or_else(|| DomainError::MissingColumn {
                    path: source.to_string(),
                    column: col.to_string(),
                    expected: expected.clone(),
                })
        };
        let code = find("ctr")?;
        let name = find("country")?;
        // A table with the first four dimensions only is usable for 4-dimension distances.
        let dims: Vec<Option<usize>> = DIMENSIONS
            .iter()
            .enumerate()
            .map(|(i, d)| {
                if i < 4 {
                    find(d).map(Some)
                } else {
                    Ok(find(d).ok())
                }
            })
            .collect::<Result<_, _>>()?;
        Ok(TableColumns { code, name, dims })
    }

    /// One record's country and scores; a score that is neither missing nor a finite number is
    /// an error on its line.
    fn country(
        &self,
        source: &str,
        line: u64,
        rec: &csv::StringRecord,
    ) -> Result<CountryScores, DomainError> {
        let cell = |c: usize| rec.get(c).unwrap_or("").trim();
        let mut scores = [None; 6];
        for (k, col) in self.dims.iter().enumerate() {
            let Some(c) = col else { continue };
            let raw = cell(*c);
            if is_missing(raw) {
                continue;
            }
            // A semicolon-separated export from a European locale may use decimal commas.
            let v: f64 = raw.replace(',', ".").parse().map_err(|_| {
                table_error(
                    source,
                    line,
                    format!(
                        "{} score '{raw}' is not a number (missing scores may be empty, NA or #NULL!)",
                        DIMENSIONS[k]
                    ),
                )
            })?;
            if !v.is_finite() {
                return Err(table_error(
                    source,
                    line,
                    format!("{} score '{raw}' is not finite", DIMENSIONS[k]),
                ));
            }
            scores[k] = Some(v);
        }
        Ok(CountryScores {
            code: cell(self.code).to_string(),
            name: cell(self.name).to_string(),
            scores,
        })
    }
}

impl HofstedeTable {
    /// Reads the table from a file.
    pub fn read(path: impl AsRef<Path>) -> Result<Self, DomainError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| DomainError::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        Self::parse(&path.display().to_string(), &text)
    }

    /// Parses the text of a table; `source` names it in messages.
    pub fn parse(source: &str, text: &str) -> Result<Self, DomainError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let header = text.lines().next().unwrap_or("");
        let delimiter = [b';', b'\t', b',']
            .into_iter()
            .find(|d| header.as_bytes().contains(d))
            .unwrap_or(b',');
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .from_reader(text.as_bytes());
        let names: Vec<String> = reader
            .headers()
            .map_err(|e| table_error(source, 1, e.to_string()))?
            .iter()
            .map(|h| h.trim().to_ascii_lowercase())
            .collect();
        let columns = TableColumns::find(source, &names)?;
        let mut rows = Vec::new();
        for (i, rec) in reader.records().enumerate() {
            let line = i as u64 + 2;
            let rec = rec.map_err(|e| table_error(source, line, e.to_string()))?;
            if rec.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            rows.push(columns.country(source, line, &rec)?);
        }
        if rows.is_empty() {
            return Err(table_error(source, 2, "the table has no countries".into()));
        }
        Ok(HofstedeTable {
            source: source.to_string(),
            rows,
        })
    }

    /// The row of a country given by its code or name (case-insensitive; a few common English
    /// names such as "United States" map to the matrix's own). An unknown country is an error with
    /// the closest names and codes.
    pub fn find(&self, query: &str) -> Result<&CountryScores, DomainError> {
        let q = query.trim().to_lowercase();
        let hit = |q: &str| {
            self.rows
                .iter()
                .find(|r| r.code.to_lowercase() == q)
                .or_else(|| self.rows.iter().find(|r| r.name.to_lowercase() == q))
        };
        if let Some(r) = hit(&q) {
            return Ok(r);
        }
        if let Some((_, name)) = ALIASES.iter().find(|(a, _)| *a == q) {
            if let Some(r) = hit(&name.to_lowercase()) {
                return Ok(r);
            }
        }
        let candidates = self
            .rows
            .iter()
            .flat_map(|r| [r.name.as_str(), r.code.as_str()]);
        Err(DomainError::UnknownCountry {
            path: self.source.clone(),
            name: query.to_string(),
            suggestions: closest_names(query, candidates),
        })
    }

    /// The sample variance (denominator n - 1) of each of the first `dims` dimensions over every
    /// row with that dimension present.
    pub fn variances(&self, dims: usize) -> Result<Vec<f64>, DomainError> {
        (0..dims)
            .map(|k| {
                let v: Vec<f64> = self.rows.iter().filter_map(|r| r.scores[k]).collect();
                if v.len() < 2 {
                    return Err(DomainError::TooFewCountries {
                        path: self.source.clone(),
                        dimension: DIMENSIONS[k].into(),
                        n: v.len(),
                    });
                }
                let n = v.len() as f64;
                let mean = v.iter().sum::<f64>() / n;
                let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
                if var <= 0.0 {
                    return Err(DomainError::ZeroVariance {
                        path: self.source.clone(),
                        dimension: DIMENSIONS[k].into(),
                    });
                }
                Ok(var)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = "ctr;country;pdi;idv;mas;uai;ltowvs;ivr\n\
        GER;Germany;35;67;66;65;83;40\n\
        JPN;Japan;54;46;95;92;88;42\n\
        USA;U.S.A.;40;91;62;46;26;68\n\
        ALB;Albania;#NULL!;#NULL!;#NULL!;#NULL!;61;15\n";

    #[test]
    fn reads_the_published_layout_with_null_markers() {
        let t = HofstedeTable::parse("h.csv", TABLE).unwrap();
        assert_eq!(t.rows.len(), 4);
        assert_eq!(
            t.rows[3].scores,
            [None, None, None, None, Some(61.0), Some(15.0)]
        );
        assert_eq!(t.find("ger").unwrap().name, "Germany");
        assert_eq!(t.find("japan").unwrap().code, "JPN");
        assert_eq!(t.find("United States").unwrap().code, "USA");
    }

    #[test]
    fn unknown_country_suggests_close_names() {
        let t = HofstedeTable::parse("h.csv", TABLE).unwrap();
        let e = t.find("Germny").unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("did you mean Germany"), "{msg}");
    }

    #[test]
    fn variance_uses_rows_with_the_dimension() {
        let t = HofstedeTable::parse("h.csv", TABLE).unwrap();
        let v = t.variances(6).unwrap();
        // pdi over 35, 54, 40 (Albania missing): mean 43, SS = 64 + 121 + 9 = 194, / 2 = 97.
        assert!((v[0] - 97.0).abs() < 1e-12);
        // ltowvs over 83, 88, 26, 61: mean 64.5, SS = 342.25 + 552.25 + 1482.25 + 12.25 = 2389.
        assert!((v[4] - 2389.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn a_missing_column_is_named() {
        let e = HofstedeTable::parse("h.csv", "ctr,country,pdi,idv,mas\nA,B,1,2,3\n").unwrap_err();
        assert!(e.to_string().contains("no column 'uai'"), "{e}");
    }
}
