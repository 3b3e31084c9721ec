//! From a data set and a list of terms to the numeric design: listwise deletion over every variable
//! the equation uses, categorical coding, product terms, and the checks that give users a
//! specific message (constant columns, too few rows) before any matrix is factored.

use crate::data::{
    code_levels, code_text, complete_cases, format_number, CodedColumn, Coding, Column,
    CompleteCases, DataError, Dataset,
};
use crate::error::Result;

use super::fit::{CodingInfo, CONSTANT};
use super::EstimationError;

/// A product of variables: `x` is one factor, `x:w` two.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub factors: Vec<String>,
}

/// The factors of a design column's name, split at colons outside level tags:
/// `x:g[b:c]` -> [`x`, `g[b:c]`] (a categorical level may itself contain a colon).
pub fn column_factors(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0usize;
    for ch in name.chars() {
        match ch {
            '[' => {
                depth += 1;
                cur.push(ch);
            }
            ']' => {
                depth = depth.saturating_sub(1);
                cur.push(ch);
            }
            ':' if depth == 0 => out.push(std::mem::take(&mut cur)),
            _ => cur.push(ch),
        }
    }
    out.push(cur);
    out
}

impl Term {
    /// Parses `a` or `a:b:c`.
    pub fn parse(s: &str) -> Result<Term, EstimationError> {
        let s = s.trim();
        let bad = |message: &str| EstimationError::BadTerm {
            term: s.to_string(),
            message: message.to_string(),
        };
        if s.contains('*') {
            return Err(bad(
                "write a product term with ':' (a:b), and list its main effects separately",
            ));
        }
        let factors: Vec<String> = s.split(':').map(|f| f.trim().to_string()).collect();
        if factors.iter().any(String::is_empty) {
            return Err(bad("empty variable name"));
        }
        for (i, f) in factors.iter().enumerate() {
            if factors[..i].contains(f) {
                return Err(bad("a variable appears twice in the product; compute its square as a column instead"));
            }
        }
        Ok(Term { factors })
    }

    pub fn name(&self) -> String {
        self.factors.join(":")
    }
}

/// The numeric design of one equation.
#[derive(Debug, Clone)]
pub struct Design {
    pub outcome: String,
    /// Column names; the first is `constant` when the model has an intercept.
    pub names: Vec<String>,
    /// For each column, the index of the term it comes from (`None` for the constant).
    pub term_of: Vec<Option<usize>>,
    pub columns: Vec<Vec<f64>>,
    /// The outcome as stored (numeric column values, or 0/1 codes of a two-level category).
    pub y: Vec<f64>,
    pub cases: CompleteCases,
    pub coding: Vec<CodingInfo>,
    /// Cluster ids for the rows used, when clustering was asked for.
    pub clusters: Option<Vec<u32>>,
}

impl Design {
    pub fn n(&self) -> usize {
        self.y.len()
    }

    pub fn k(&self) -> usize {
        self.columns.len()
    }
}

/// A variable's columns in the design: one for a numeric variable, k - 1 for a categorical one.
struct Factor {
    names: Vec<String>,
    columns: Vec<Vec<f64>>,
}

/// Builds the design for `outcome ~ terms` over the rows complete on every variable involved
/// (including the cluster variable). The outcome is read as numbers unless `binary_outcome`, in
/// which case a two-level categorical outcome is coded 0/1 (second level = 1).
pub fn build_design(
    data: &Dataset,
    outcome: &str,
    terms: &[Term],
    codings: &[(String, Coding)],
    cluster: Option<&str>,
    binary_outcome: bool,
) -> Result<Design> {
    for (i, t) in terms.iter().enumerate() {
        if terms[..i].iter().any(|u| same_term(u, t)) {
            return Err(EstimationError::DuplicateTerm { term: t.name() }.into());
        }
    }
    let mut vars: Vec<&str> = vec![outcome];
    for t in terms {
        for f in &t.factors {
            if !vars.contains(&f.as_str()) {
                vars.push(f);
            }
        }
    }
    if let Some(c) = cluster {
        if !vars.contains(&c) {
            vars.push(c);
        }
    }
    for (v, _) in codings {
        data.var(v)?;
    }
    let cases = complete_cases(data, &vars)?;
    let n = cases.rows.len();
    let k_min = 1 + terms.len();
    if n == 0 || n < k_min {
        return Err(DataError::TooFewRows {
            n,
            k: k_min,
            detail: format!(
                " ({} of {} rows dropped for missing values)",
                cases.n_dropped(),
                data.n_rows()
            ),
        }
        .into());
    }
    let y = outcome_values(data, outcome, &cases, binary_outcome)?;
    let mut factors: Vec<(String, Factor)> = Vec::new();
    let mut coding_info = Vec::new();
    for t in terms {
        for f in &t.factors {
            if factors.iter().any(|(n, _)| n == f) {
                continue;
            }
            let coding = codings.iter().find(|(v, _)| v == f).map(|(_, c)| c);
            let (factor, info) = build_factor(data, f, &cases, coding)?;
            if let Some(info) = info {
                coding_info.push(info);
            }
            factors.push((f.clone(), factor));
        }
    }
    let mut names = vec![CONSTANT.to_string()];
    let mut columns = vec![vec![1.0; n]];
    let mut term_of = vec![None];
    for (ti, t) in terms.iter().enumerate() {
        // Cartesian product of the factors' columns, in the order the factors are written.
        let mut acc: Vec<(String, Vec<f64>)> = vec![(String::new(), vec![1.0; n])];
        for f in &t.factors {
            let fac = &factors
                .iter()
                .find(|(name, _)| name == f)
                .map(|(_, x)| x)
                .ok_or_else(|| EstimationError::BadTerm {
                    term: t.name(),
                    message: format!("unknown factor '{f}'"),
                })?;
            let mut next = Vec::with_capacity(acc.len() * fac.columns.len());
            for (an, av) in &acc {
                for (fname, fcol) in fac.names.iter().zip(&fac.columns) {
                    let name = if an.is_empty() {
                        fname.clone()
                    } else {
                        format!("{an}:{fname}")
                    };
                    next.push((name, av.iter().zip(fcol).map(|(a, b)| a * b).collect()));
                }
            }
            acc = next;
        }
        for (name, col) in acc {
            names.push(name);
            columns.push(col);
            term_of.push(Some(ti));
        }
    }
    if n <= columns.len() {
        return Err(DataError::TooFewRows {
            n,
            k: columns.len(),
            detail: if cases.n_dropped() > 0 {
                format!(" ({} rows dropped for missing values)", cases.n_dropped())
            } else {
                String::new()
            },
        }
        .into());
    }
    let clusters = match cluster {
        Some(c) => Some(cluster_ids(data, c, &cases)?),
        None => None,
    };
    Ok(Design {
        outcome: outcome.to_string(),
        names,
        term_of,
        columns,
        y,
        cases,
        coding: coding_info,
        clusters,
    })
}

fn same_term(a: &Term, b: &Term) -> bool {
    a.factors.len() == b.factors.len() && a.factors.iter().all(|f| b.factors.contains(f))
}

fn constant_error(column: &str, value: String, cases: &CompleteCases) -> DataError {
    DataError::ConstantColumn {
        column: column.to_string(),
        value,
        n: cases.rows.len(),
        dropped: cases.n_dropped(),
    }
}

fn outcome_values(
    data: &Dataset,
    outcome: &str,
    cases: &CompleteCases,
    binary: bool,
) -> Result<Vec<f64>> {
    let var = data.var(outcome)?;
    match &var.data {
        Column::Numeric(v) => {
            let y: Vec<f64> = cases.rows.iter().map(|&i| v[i]).collect();
            if y.iter().all(|&a| a == y[0]) {
                return Err(constant_error(outcome, format_number(y[0]), cases).into());
            }
            Ok(y)
        }
        Column::Categorical { codes, levels } if binary => {
            let used: Vec<u32> = cases.rows.iter().filter_map(|&i| codes[i]).collect();
            let mut distinct = used.clone();
            distinct.sort_unstable();
            distinct.dedup();
            if distinct.len() != 2 {
                return Err(EstimationError::NotBinary {
                    column: outcome.to_string(),
                    n_values: distinct.len(),
                    examples: distinct
                        .iter()
                        .take(5)
                        .map(|&c| levels[c as usize].clone())
                        .collect::<Vec<_>>()
                        .join(", "),
                }
                .into());
            }
            Ok(used
                .iter()
                .map(|&c| (c == distinct[1]) as u8 as f64)
                .collect())
        }
        Column::Categorical { .. } => Err(data
            .numeric(outcome)
            .err()
            .unwrap_or_else(|| DataError::Invalid(format!("outcome '{outcome}' is not numeric")))
            .into()),
    }
}

fn build_factor(
    data: &Dataset,
    name: &str,
    cases: &CompleteCases,
    coding: Option<&Coding>,
) -> Result<(Factor, Option<CodingInfo>)> {
    let var = data.var(name)?;
    match (&var.data, coding) {
        (Column::Numeric(v), None) => {
            let col: Vec<f64> = cases.rows.iter().map(|&i| v[i]).collect();
            if col.iter().all(|&a| a == col[0]) {
                return Err(constant_error(name, format_number(col[0]), cases).into());
            }
            Ok((
                Factor {
                    names: vec![name.to_string()],
                    columns: vec![col],
                },
                None,
            ))
        }
        (col, coding) => {
            // Categorical, or numeric declared categorical through a coding: levels are the values
            // present in the rows used.
            let text: Vec<String> = cases.rows.iter().map(|&i| col.display(i)).collect();
            let (codes, levels) = match col {
                // A categorical column keeps its own level order (ordered classes such as firm
                // sizes, a file's value labels), so its first level is the reference.
                Column::Categorical {
                    levels: declared, ..
                } => {
                    let present: Vec<String> = declared
                        .iter()
                        .filter(|l| text.contains(l))
                        .cloned()
                        .collect();
                    let codes: Vec<Option<u32>> = text
                        .iter()
                        .map(|t| present.iter().position(|l| l == t).map(|i| i as u32))
                        .collect();
                    (codes, present)
                }
                Column::Numeric(_) => code_text(text.iter().map(|s| Some(s.as_str()))),
            };
            if levels.len() < 2 {
                return Err(constant_error(
                    name,
                    levels.first().cloned().unwrap_or_default(),
                    cases,
                )
                .into());
            }
            let default = Coding::default();
            let coding = coding.unwrap_or(&default);
            let coded = code_levels(name, &levels, coding)?;
            let columns = coded
                .iter()
                .map(|c| {
                    codes
                        .iter()
                        .map(|code| code.map_or(f64::NAN, |k| c.values[k as usize]))
                        .collect()
                })
                .collect();
            // For the report: levels with the reference first, and each column's codes in that order.
            let ref_pos = coding
                .reference
                .as_ref()
                .and_then(|r| levels.iter().position(|l| l == r))
                .unwrap_or(0);
            let mut order: Vec<usize> = (0..levels.len()).filter(|&i| i != ref_pos).collect();
            order.insert(0, ref_pos);
            let info = CodingInfo {
                variable: name.to_string(),
                contrast: coding.contrast,
                levels: order.iter().map(|&i| levels[i].clone()).collect(),
                columns: coded
                    .iter()
                    .map(|c| CodedColumn {
                        values: order.iter().map(|&i| c.values[i]).collect(),
                        ..c.clone()
                    })
                    .collect(),
            };
            Ok((
                Factor {
                    names: coded.into_iter().map(|c| c.name).collect(),
                    columns,
                },
                Some(info),
            ))
        }
    }
}

fn cluster_ids(data: &Dataset, name: &str, cases: &CompleteCases) -> Result<Vec<u32>> {
    let col = &data.var(name)?.data;
    let keys: Vec<String> = cases.rows.iter().map(|&i| col.display(i)).collect();
    let mut distinct = keys.clone();
    distinct.sort();
    distinct.dedup();
    Ok(keys
        .iter()
        .map(|k| distinct.binary_search(k).unwrap_or(0) as u32)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::column_factors;

    #[test]
    fn column_factors_keep_colons_inside_level_tags() {
        assert_eq!(column_factors("x"), ["x"]);
        assert_eq!(column_factors("x:w:z"), ["x", "w", "z"]);
        assert_eq!(column_factors("x:g[b:c]"), ["x", "g[b:c]"]);
        assert_eq!(column_factors("g[a[1]]:m"), ["g[a[1]]", "m"]);
    }
}
