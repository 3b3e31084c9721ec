use serde::Serialize;

use super::DataError;

/// How a categorical variable with k levels becomes k - 1 numeric columns (PROCESS's `mcx`/`mcw`
/// options 1-4; Hayes & Montoya, 2017). Levels are in sort order with the reference level first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Contrast {
    /// Dummy coding: column j is 1 for level j + 1, 0 otherwise; the reference is 0 everywhere.
    #[default]
    Indicator,
    /// Column j is 1 for every level after level j; its coefficient is level j+1 minus level j.
    Sequential,
    /// Column j compares level j with the mean of the levels after it (0 for levels before it).
    Helmert,
    /// Column j is 1 for level j + 1, and the reference level is -1 in every column; coefficients
    /// are deviations from the unweighted mean of the level means.
    Effect,
}

impl std::str::FromStr for Contrast {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "indicator" | "dummy" | "1" => Ok(Contrast::Indicator),
            "sequential" | "2" => Ok(Contrast::Sequential),
            "helmert" | "3" => Ok(Contrast::Helmert),
            "effect" | "4" => Ok(Contrast::Effect),
            _ => Err(format!(
                "unknown coding '{s}': use indicator, sequential, helmert or effect"
            )),
        }
    }
}

impl Contrast {
    pub fn label(self) -> &'static str {
        match self {
            Contrast::Indicator => "indicator",
            Contrast::Sequential => "sequential",
            Contrast::Helmert => "Helmert",
            Contrast::Effect => "effect",
        }
    }
}

/// A coding scheme and, optionally, the reference (first) level.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Coding {
    pub contrast: Contrast,
    pub reference: Option<String>,
}

/// One generated column: its name, what its coefficient means, and its value for each level
/// (in the data's level order).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodedColumn {
    pub name: String,
    pub meaning: String,
    pub values: Vec<f64>,
}

/// The most levels a categorical predictor may have. Its k levels become k - 1 columns of the
/// design, one value per row each, and a table of k·k codes: an identifier or a free-text column
/// named as a predictor (a level per row) made 20,000 rows take 9.4 GB before the fit was
/// refused for having more parameters than rows, and more rows would end the process on a failed
/// allocation. A thousand is far above any classification a model takes as dummies (countries,
/// industry divisions).
pub const MAX_LEVELS: usize = 1000;

/// Refuses a categorical predictor `var` with more than [`MAX_LEVELS`] levels, before anything
/// the size of levels x rows is built; `rows`, when known, are the rows used (an identifier has
/// a level per row, which the message then says).
pub fn check_level_count(var: &str, levels: usize, rows: Option<usize>) -> Result<(), DataError> {
    if levels <= MAX_LEVELS {
        return Ok(());
    }
    let message = match rows {
        Some(rows) => {
            let per_row = if levels >= rows {
                " (a different value in every row: an identifier?)"
            } else {
                ""
            };
            format!(
                "has {levels} levels in the {rows} rows used{per_row}, more than the 1,000 a \
                 categorical predictor may have (it would be {} dummy columns); leave it out if it \
                 is an identifier or free text, or group its values into fewer classes",
                levels - 1
            )
        }
        None => format!(
            "has {levels} levels, more than the 1,000 a categorical predictor may have; group \
             its values into fewer classes"
        ),
    };
    Err(DataError::Categorical {
        column: var.to_string(),
        message,
    })
}

/// Codes the levels of categorical variable `var`. Levels keep their sort order except that the
/// reference level, if given, moves to the front.
pub fn code_levels(
    var: &str,
    levels: &[String],
    coding: &Coding,
) -> Result<Vec<CodedColumn>, DataError> {
    let k = levels.len();
    if k < 2 {
        return Err(DataError::Categorical {
            column: var.to_string(),
            message: format!(
                "has {} level{} in the rows used; a categorical predictor needs at least 2",
                k,
                if k == 1 { "" } else { "s" }
            ),
        });
    }
    check_level_count(var, k, None)?;
    let mut order: Vec<usize> = (0..k).collect();
    if let Some(r) = &coding.reference {
        let pos = levels
            .iter()
            .position(|l| l == r)
            .ok_or_else(|| DataError::Categorical {
                column: var.to_string(),
                message: format!(
                    "reference level '{r}' is not among its levels ({})",
                    levels.join(", ")
                ),
            })?;
        order.remove(pos);
        order.insert(0, pos);
    }
    let name = |j: usize| format!("{var}[{}]", levels[order[j]]);
    let lv = |j: usize| &levels[order[j]];
    let mut cols = Vec::with_capacity(k - 1);
    for j in 1..k {
        // value for the level at position p of `order`
        let value = |p: usize| -> f64 {
            match coding.contrast {
                Contrast::Indicator => (p == j) as u8 as f64,
                Contrast::Sequential => (p >= j) as u8 as f64,
                Contrast::Effect => {
                    if p == 0 {
                        -1.0
                    } else {
                        (p == j) as u8 as f64
                    }
                }
                Contrast::Helmert => {
                    let later = (k - j + 1) as f64; // levels j-1..k-1 in 0-based positions
                    match p.cmp(&(j - 1)) {
                        std::cmp::Ordering::Less => 0.0,
                        std::cmp::Ordering::Equal => -(later - 1.0) / later,
                        std::cmp::Ordering::Greater => 1.0 / later,
                    }
                }
            }
        };
        let mut values = vec![0.0; k];
        for (p, &l) in order.iter().enumerate() {
            values[l] = value(p);
        }
        let (col_name, meaning) = match coding.contrast {
            Contrast::Indicator => (name(j), format!("{} vs {} (reference)", lv(j), lv(0))),
            Contrast::Sequential => (
                format!("{var}[{}>{}]", lv(j), lv(j - 1)),
                format!("{} vs {}", lv(j), lv(j - 1)),
            ),
            Contrast::Helmert => {
                let rest: Vec<&str> = (j..k).map(|p| lv(p).as_str()).collect();
                (
                    format!("{var}[helmert{j}]"),
                    format!("mean of ({}) vs {}", rest.join(", "), lv(j - 1)),
                )
            }
            Contrast::Effect => (
                format!("{var}[{}:eff]", lv(j)),
                format!("{} vs unweighted mean of all levels", lv(j)),
            ),
        };
        cols.push(CodedColumn {
            name: col_name,
            meaning,
            values,
        });
    }
    Ok(cols)
}
