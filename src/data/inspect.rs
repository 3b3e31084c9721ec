//! Checks of the values a model uses that are not errors but are usually mistakes: a missing-value
//! code such as -99 or 999 read as a number, far outside the column's real values.

use super::{format_number, Column, Dataset};

/// A number that looks like a missing-value code, found far outside the rest of its column.
#[derive(Debug, Clone, PartialEq)]
pub struct SuspectCode {
    pub column: String,
    pub code: f64,
    /// Rows holding it, and the file lines of the first few.
    pub count: usize,
    pub lines: Vec<u64>,
    /// Range of the column's other values.
    pub low: f64,
    pub high: f64,
}

impl std::fmt::Display for SuspectCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let code = format_number(self.code);
        let lines: Vec<String> = self.lines.iter().map(u64::to_string).collect();
        write!(
            f,
            "column '{}' has {} value{} of {code} (line{} {}{}), far outside its other values ({} to {}): if {code} marks a missing answer, declare it with --missing {code}",
            self.column,
            self.count,
            if self.count == 1 { "" } else { "s" },
            if self.lines.len() == 1 { "" } else { "s" },
            lines.join(", "),
            if self.count > self.lines.len() { ", ..." } else { "" },
            format_number(self.low),
            format_number(self.high),
        )
    }
}

/// Lines of a code shown in the message.
const SHOW_LINES: usize = 5;

/// Whether `x` has the shape of a missing-value code: an integer of two or more digits, all 9s
/// but perhaps a last 8 or 7 (99, -99, 999, 998, -9999, 97), either sign.
pub fn looks_like_code(x: f64) -> bool {
    if x.fract() != 0.0 || x.abs() < 10.0 || x.abs() > 1e9 {
        return false;
    }
    let digits = format!("{}", x.abs() as u64);
    let (head, last) = digits.split_at(digits.len() - 1);
    head.chars().all(|c| c == '9') && matches!(last, "9" | "8" | "7")
}

/// Codes in the numeric columns `vars` lying beyond the range of the column's other values by
/// more than that range (at least 1): -99 among years of experience from 1 to 32, 999 on a 1-7
/// scale. A code inside or near the real values (99 among ages) cannot be told from data and
/// is not reported.
pub fn suspect_codes(data: &Dataset, vars: &[&str]) -> Vec<SuspectCode> {
    let mut out = Vec::new();
    for name in vars {
        let Ok(var) = data.var(name) else { continue };
        let Column::Numeric(values) = &var.data else {
            continue;
        };
        let mut codes: Vec<f64> = values
            .iter()
            .copied()
            .filter(|x| looks_like_code(*x))
            .collect();
        codes.sort_by(f64::total_cmp);
        codes.dedup();
        for code in codes {
            let rest = values
                .iter()
                .copied()
                .filter(|x| x.is_finite() && *x != code);
            let (low, high) = rest.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), x| {
                (l.min(x), h.max(x))
            });
            if low > high {
                continue;
            }
            let span = (high - low).max(1.0);
            if code <= high + span && code >= low - span {
                continue;
            }
            let rows: Vec<usize> = (0..values.len()).filter(|&i| values[i] == code).collect();
            out.push(SuspectCode {
                column: var.name.clone(),
                code,
                count: rows.len(),
                lines: rows
                    .iter()
                    .take(SHOW_LINES)
                    .map(|&i| data.lines()[i])
                    .collect(),
                low,
                high,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Variable;

    #[test]
    fn code_shapes() {
        for x in [
            99.0,
            -99.0,
            999.0,
            -999.0,
            998.0,
            97.0,
            9999.0,
            -9.0e4 - 9999.0,
        ] {
            assert!(looks_like_code(x), "{x}");
        }
        for x in [9.0, -9.0, 100.0, 89.0, 99.5, 199.0, 0.0, 979.0] {
            assert!(!looks_like_code(x), "{x}");
        }
    }

    #[test]
    fn finds_codes_far_from_the_data_only() {
        let mut years: Vec<f64> = (1..=30).map(f64::from).collect();
        years.extend([-99.0, -99.0]);
        let mut ages: Vec<f64> = (20..=70).map(f64::from).collect();
        ages.push(99.0);
        let n = ages.len();
        years.resize(n, f64::NAN);
        let d = Dataset::new(
            "s.csv",
            vec![
                Variable::numeric("years", years),
                Variable::numeric("age", ages),
            ],
        )
        .unwrap();
        let found = suspect_codes(&d, &["years", "age", "nope"]);
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!((f.column.as_str(), f.code, f.count), ("years", -99.0, 2));
        assert_eq!(f.lines, vec![32, 33]);
        let msg = f.to_string();
        assert!(
            msg.contains("--missing -99") && msg.contains("(1 to 30)"),
            "{msg}"
        );
    }
}
