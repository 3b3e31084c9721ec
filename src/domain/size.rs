//! Firm size classes from the number of employees.
//!
//! - **EU** (Commission Recommendation 2003/361/EC, headcount criterion only; the recommendation
//!   also bounds turnover and balance sheet, which survey data rarely hold): micro < 10, small
//!   10-49, medium 50-249, large >= 250.
//! - **US SBA**: the Small Business Administration's size standards vary by industry (NAICS code);
//!   employee-based standards run from 100 to 1,500, with 500 the most common (and the general
//!   standard for manufacturing and for SBA's non-industry programmes). `UsSba { limit }` gives
//!   `small` below `limit` employees and `large` otherwise; use your industry's standard.
//! - **US Census** (Statistics of U.S. Businesses employment-size classes, grouped): 0-4, 5-9,
//!   10-19, 20-99, 100-499, 500+.

use super::DomainError;

/// A size-class scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SizeScheme {
    Eu,
    UsSba { limit: u32 },
    UsCensus,
}

impl SizeScheme {
    /// `eu`, `sba` (500), `sba:N` or `census`.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let s = s.trim().to_ascii_lowercase();
        match s.as_str() {
            "eu" => Ok(SizeScheme::Eu),
            "sba" | "us-sba" => Ok(SizeScheme::UsSba { limit: 500 }),
            "census" | "us-census" => Ok(SizeScheme::UsCensus),
            _ => match s.strip_prefix("sba:").map(str::parse::<u32>) {
                Some(Ok(limit)) if limit > 0 => Ok(SizeScheme::UsSba { limit }),
                _ => Err(DomainError::Invalid(format!(
                    "unknown size-class scheme '{s}'; use eu, sba, sba:N (N employees) or census"
                ))),
            },
        }
    }

    /// The classes in order, smallest first.
    pub fn levels(self) -> Vec<&'static str> {
        match self {
            SizeScheme::Eu => vec!["micro", "small", "medium", "large"],
            SizeScheme::UsSba { .. } => vec!["small", "large"],
            SizeScheme::UsCensus => vec!["0-4", "5-9", "10-19", "20-99", "100-499", "500+"],
        }
    }
}

/// The class of a firm with `employees` employees (a headcount; fractional full-time
/// equivalents are compared as they are).
pub fn size_class(employees: f64, scheme: SizeScheme) -> Result<&'static str, DomainError> {
    if !employees.is_finite() || employees < 0.0 {
        return Err(DomainError::Employees { value: employees });
    }
    let e = employees;
    Ok(match scheme {
        SizeScheme::Eu => match e {
            e if e < 10.0 => "micro",
            e if e < 50.0 => "small",
            e if e < 250.0 => "medium",
            _ => "large",
        },
        SizeScheme::UsSba { limit } => {
            if e < f64::from(limit) {
                "small"
            } else {
                "large"
            }
        }
        SizeScheme::UsCensus => match e {
            e if e < 5.0 => "0-4",
            e if e < 10.0 => "5-9",
            e if e < 20.0 => "10-19",
            e if e < 100.0 => "20-99",
            e if e < 500.0 => "100-499",
            _ => "500+",
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eu_boundaries() {
        let c = |e| size_class(e, SizeScheme::Eu).unwrap();
        assert_eq!(
            [
                c(0.0),
                c(9.0),
                c(10.0),
                c(49.0),
                c(50.0),
                c(249.0),
                c(250.0)
            ],
            ["micro", "micro", "small", "small", "medium", "medium", "large"]
        );
        assert!(size_class(-1.0, SizeScheme::Eu).is_err());
        assert!(size_class(f64::NAN, SizeScheme::Eu).is_err());
    }

    #[test]
    fn sba_and_census() {
        let s = SizeScheme::parse("sba").unwrap();
        assert_eq!(size_class(499.0, s).unwrap(), "small");
        assert_eq!(size_class(500.0, s).unwrap(), "large");
        let s = SizeScheme::parse("sba:1500").unwrap();
        assert_eq!(size_class(1000.0, s).unwrap(), "small");
        assert_eq!(size_class(19.0, SizeScheme::UsCensus).unwrap(), "10-19");
        assert!(SizeScheme::parse("eurostat").is_err());
    }
}
