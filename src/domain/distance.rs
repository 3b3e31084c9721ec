//! Kogut-Singh (1988) cultural distance: for host country j and home country H over d dimensions,
//! `KS_j = Σ_i ((I_ij − I_iH)² / V_i) / d`, where `V_i` is the variance of dimension i across
//! countries. By default `V_i` is the sample variance (n − 1) over every row of the table that has
//! dimension i; a study may instead take the variances over its own set of countries.

use serde::Serialize;

use super::{DomainError, HofstedeTable, DIMENSIONS};

/// Which dimensions enter: Hofstede's original four (pdi, idv, mas, uai), as Kogut and Singh
/// (1988) used, or all six.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Dims {
    Four,
    Six,
}

impl Dims {
    pub fn count(self) -> usize {
        match self {
            Dims::Four => 4,
            Dims::Six => 6,
        }
    }

    /// 4 or 6; anything else is an error.
    pub fn from_count(n: usize) -> Result<Self, DomainError> {
        match n {
            4 => Ok(Dims::Four),
            6 => Ok(Dims::Six),
            _ => Err(DomainError::Invalid(format!(
                "Kogut-Singh distance uses 4 or 6 dimensions, not {n}"
            ))),
        }
    }
}

/// One dimension's part of the distance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DimensionTerm {
    pub dimension: &'static str,
    pub home: f64,
    pub host: f64,
    pub variance: f64,
    /// `(host − home)² / variance`.
    pub term: f64,
}

/// A Kogut-Singh distance with what it was computed from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KogutSingh {
    pub kogut_singh: f64,
    pub dims: usize,
    pub home: String,
    pub host: String,
    /// The table the variances came from.
    pub variance_from: String,
    pub terms: Vec<DimensionTerm>,
}

/// The formula itself, for scores and variances of equal length.
pub fn kogut_singh(home: &[f64], host: &[f64], variances: &[f64]) -> f64 {
    let d = home.len() as f64;
    home.iter()
        .zip(host)
        .zip(variances)
        .map(|((h, j), v)| (j - h).powi(2) / v)
        .sum::<f64>()
        / d
}

/// The distance from `home` to `host` (names or codes in `scores`), with the variances from
/// `variance_from` (or `scores` itself when `None`).
pub fn kogut_singh_between(
    scores: &HofstedeTable,
    home: &str,
    host: &str,
    dims: Dims,
    variance_from: Option<&HofstedeTable>,
) -> Result<KogutSingh, DomainError> {
    let vt = variance_from.unwrap_or(scores);
    let variances = vt.variances(dims.count())?;
    let h = scores.find(home)?;
    let j = scores.find(host)?;
    let mut terms = Vec::new();
    for (k, &variance) in variances.iter().enumerate() {
        let score = |c: &super::CountryScores| {
            c.scores[k].ok_or_else(|| DomainError::MissingScore {
                path: scores.source.clone(),
                country: c.name.clone(),
                dimension: DIMENSIONS[k].into(),
            })
        };
        let (a, b) = (score(h)?, score(j)?);
        terms.push(DimensionTerm {
            dimension: DIMENSIONS[k],
            home: a,
            host: b,
            variance,
            term: (b - a).powi(2) / variance,
        });
    }
    let home_v: Vec<f64> = terms.iter().map(|t| t.home).collect();
    let host_v: Vec<f64> = terms.iter().map(|t| t.host).collect();
    Ok(KogutSingh {
        kogut_singh: kogut_singh(&home_v, &host_v, &variances),
        dims: dims.count(),
        home: h.name.clone(),
        host: j.name.clone(),
        variance_from: vt.source.clone(),
        terms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_on_a_small_case() {
        // ((2-0)²/4 + (3-0)²/9) / 2 = (1 + 1) / 2 = 1.
        assert_eq!(kogut_singh(&[0.0, 0.0], &[2.0, 3.0], &[4.0, 9.0]), 1.0);
    }

    #[test]
    fn symmetric_and_zero_for_the_same_country() {
        let t = HofstedeTable::parse(
            "t",
            "ctr,country,pdi,idv,mas,uai,ltowvs,ivr\nA,Aa,1,2,3,4,5,6\nB,Bb,3,1,7,2,9,1\nC,Cc,0,5,5,5,5,5\n",
        )
        .unwrap();
        let ab = kogut_singh_between(&t, "A", "B", Dims::Six, None).unwrap();
        let ba = kogut_singh_between(&t, "B", "A", Dims::Six, None).unwrap();
        assert!((ab.kogut_singh - ba.kogut_singh).abs() < 1e-12);
        assert_eq!(
            kogut_singh_between(&t, "C", "Cc", Dims::Four, None)
                .unwrap()
                .kogut_singh,
            0.0
        );
    }
}
