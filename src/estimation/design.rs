//! From a data set and a list of terms to the numeric design: listwise deletion over every variable
//! the equation uses, categorical coding, product terms, and the checks that give users a
//! specific message (constant columns, too few rows) before any matrix is factored.

use crate::data::{
    check_level_count, code_levels, code_text, complete_cases, format_number, CodedColumn, Coding,
    Column, CompleteCases, DataError, Dataset,
};
use crate::error::Result;

use super::fit::{CodingInfo, CONSTANT};
use super::EstimationError;

/// A product of variables: `x` is one factor, `x:w` two, `x^2` the factor `x` twice (a polynomial
/// term; its factors repeat, so the effect algebra differentiates it like any product).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub factors: Vec<String>,
}

/// The highest power a term may raise a variable to (`x^2` for a U shape, `x^3` for an S shape).
pub const MAX_POWER: usize = 3;

/// The factors of a design column's name, split at colons outside level tags, with a power
/// `x^2` spelled out as its repeated factor: `x:g[b:c]` -> [`x`, `g[b:c]`] (a categorical level
/// may itself contain a colon), `x^2:w` -> [`x`, `x`, `w`].
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
    out.into_iter()
        .flat_map(|f| match split_power(&f) {
            Some((base, k)) => vec![base.to_string(); k],
            None => vec![f],
        })
        .collect()
}

/// `x^2` -> (`x`, 2) for a power 2..=MAX_POWER written after the variable (outside level tags).
fn split_power(f: &str) -> Option<(&str, usize)> {
    let (base, k) = f.rsplit_once('^')?;
    if base.trim().is_empty() {
        return None;
    }
    // A `^` inside a level tag (`g[a^2]`) leaves a `]` in `k`, which does not parse.
    let k: usize = k.trim().parse().ok()?;
    (2..=MAX_POWER).contains(&k).then_some((base.trim_end(), k))
}

/// A readable name of a product with repeated factors: [`x`, `x`, `w`] -> `x^2:w` (the spec's
/// naming, so a design column and the term it comes from read alike).
pub fn power_name(factors: &[String]) -> String {
    crate::spec::power_name(factors)
}

impl Term {
    /// Parses `a`, `a:b:c`, or a power `a^2` / `a^3` (also inside a product, `a^2:w`).
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
        let pieces: Vec<&str> = s.split(':').map(str::trim).collect();
        if pieces.iter().any(|p| p.is_empty()) {
            return Err(bad("empty variable name"));
        }
        let mut factors: Vec<String> = Vec::new();
        for (i, p) in pieces.iter().enumerate() {
            if pieces[..i].contains(p) {
                return Err(bad(&format!(
                    "a variable appears twice in the product; write its square as {p}^2"
                )));
            }
            match p.split_once('^') {
                None if factors.iter().any(|f| f == p) => {
                    return Err(bad(&format!(
                        "'{p}' appears twice in the product; write one power of it"
                    )))
                }
                None => factors.push(p.to_string()),
                Some((base, _)) => {
                    let (base, k) = split_power(p).ok_or_else(|| {
                        bad(&format!(
                            "a power is written {}^2 or {}^3 (at most {MAX_POWER})",
                            base.trim(),
                            base.trim()
                        ))
                    })?;
                    if factors.iter().any(|f| f == base) {
                        return Err(bad(&format!(
                            "'{base}' appears twice in the product; write one power of it"
                        )));
                    }
                    factors.extend(std::iter::repeat_n(base.to_string(), k));
                }
            }
        }
        Ok(Term { factors })
    }

    pub fn name(&self) -> String {
        power_name(&self.factors)
    }

    /// Whether a variable appears more than once (`x^2`, `x^2:w`).
    pub fn has_power(&self) -> bool {
        self.factors
            .iter()
            .enumerate()
            .any(|(i, f)| self.factors[..i].contains(f))
    }

    /// The distinct variables of the term, in the order they first appear.
    pub fn variables(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for f in &self.factors {
            if !out.contains(&f.as_str()) {
                out.push(f);
            }
        }
        out
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

/// A variable of the terms with its coded columns.
type NamedFactor = (String, Factor);

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
    let vars = design_variables(outcome, terms, cluster);
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
    let (factors, coding_info) = term_factors(data, terms, &cases, codings)?;
    let mut names = vec![CONSTANT.to_string()];
    let mut columns = vec![vec![1.0; n]];
    let mut term_of = vec![None];
    for (ti, t) in terms.iter().enumerate() {
        for (name, col) in term_columns(t, &factors, n)? {
            // `x:x` -> `x^2`: a power reads as one in every report and in JSON.
            names.push(power_name(&column_factors(&name)));
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

/// The outcome, every factor of the terms once (in order) and the cluster variable.
fn design_variables<'a>(
    outcome: &'a str,
    terms: &'a [Term],
    cluster: Option<&'a str>,
) -> Vec<&'a str> {
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
    vars
}

/// Each variable of the terms coded once (with its coding, for a categorical one), and the
/// codings for the report.
fn term_factors(
    data: &Dataset,
    terms: &[Term],
    cases: &CompleteCases,
    codings: &[(String, Coding)],
) -> Result<(Vec<NamedFactor>, Vec<CodingInfo>)> {
    let mut factors: Vec<(String, Factor)> = Vec::new();
    let mut coding_info = Vec::new();
    for t in terms {
        for f in &t.factors {
            if factors.iter().any(|(n, _)| n == f) {
                continue;
            }
            let coding = codings.iter().find(|(v, _)| v == f).map(|(_, c)| c);
            let (factor, info) = build_factor(data, f, cases, coding)?;
            if let Some(info) = info {
                coding_info.push(info);
            }
            factors.push((f.clone(), factor));
        }
        if t.has_power() {
            check_power(t, &factors)?;
        }
    }
    Ok((factors, coding_info))
}

/// A term's columns, named: the Cartesian product of its factors' columns, in the order the
/// factors are written.
fn term_columns(
    t: &Term,
    factors: &[(String, Factor)],
    n: usize,
) -> Result<Vec<(String, Vec<f64>)>> {
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
    Ok(acc)
}

/// A power of a variable needs a variable with more than two values measured as a number: the
/// square of a 0/1 variable is the variable itself, and a categorical one has no square.
fn check_power(t: &Term, factors: &[(String, Factor)]) -> Result<()> {
    for (i, f) in t.factors.iter().enumerate() {
        if !t.factors[..i].contains(f) {
            continue;
        }
        let Some((_, fac)) = factors.iter().find(|(n, _)| n == f) else {
            continue;
        };
        let bad = |why: String| EstimationError::BadTerm {
            term: t.name(),
            message: why,
        };
        if fac.names.len() != 1 || fac.names[0] != *f {
            return Err(bad(format!(
                "'{f}' is categorical; a power needs a numeric variable (drop the power, or treat '{f}' as numeric with --numeric {f} if its codes are quantities)"
            ))
            .into());
        }
        let mut distinct = fac.columns[0].clone();
        distinct.sort_by(f64::total_cmp);
        distinct.dedup();
        if distinct.len() <= 2 {
            return Err(bad(format!(
                "'{f}' has only two values ({}), so its power is the variable itself; drop the power term",
                distinct.iter().map(|v| format_number(*v)).collect::<Vec<_>>().join(" and ")
            ))
            .into());
        }
    }
    Ok(())
}

fn same_term(a: &Term, b: &Term) -> bool {
    let sorted = |t: &Term| {
        let mut f = t.factors.clone();
        f.sort();
        f
    };
    sorted(a) == sorted(b)
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
        (col, coding) => categorical_factor(name, col, cases, coding),
    }
}

/// A categorical column, or a numeric one declared categorical through a coding: one column per
/// coded contrast of the levels present in the rows used.
fn categorical_factor(
    name: &str,
    col: &Column,
    cases: &CompleteCases,
    coding: Option<&Coding>,
) -> Result<(Factor, Option<CodingInfo>)> {
    let text: Vec<String> = cases.rows.iter().map(|&i| col.display(i)).collect();
    // Counted first (in linear time): the coding below is quadratic in the levels.
    let distinct: std::collections::HashSet<&str> = text.iter().map(String::as_str).collect();
    check_level_count(name, distinct.len(), Some(text.len()))?;
    let (codes, levels) = level_codes(col, &text);
    if levels.len() < 2 {
        return Err(
            constant_error(name, levels.first().cloned().unwrap_or_default(), cases).into(),
        );
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
    let info = coding_info(name, &levels, coding, &coded);
    Ok((
        Factor {
            names: coded.into_iter().map(|c| c.name).collect(),
            columns,
        },
        Some(info),
    ))
}

/// Each row's level index and the levels present, in order.
fn level_codes(col: &Column, text: &[String]) -> (Vec<Option<u32>>, Vec<String>) {
    match col {
        // A categorical column keeps its own level order (ordered classes such as firm sizes, a
        // file's value labels), so its first level is the reference.
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
    }
}

/// For the report: levels with the reference first, and each column's codes in that order.
fn coding_info(
    name: &str,
    levels: &[String],
    coding: &Coding,
    coded: &[CodedColumn],
) -> CodingInfo {
    let ref_pos = coding
        .reference
        .as_ref()
        .and_then(|r| levels.iter().position(|l| l == r))
        .unwrap_or(0);
    let mut order: Vec<usize> = (0..levels.len()).filter(|&i| i != ref_pos).collect();
    order.insert(0, ref_pos);
    CodingInfo {
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
    use super::{column_factors, Term};

    #[test]
    fn column_factors_keep_colons_inside_level_tags() {
        assert_eq!(column_factors("x"), ["x"]);
        assert_eq!(column_factors("x:w:z"), ["x", "w", "z"]);
        assert_eq!(column_factors("x:g[b:c]"), ["x", "g[b:c]"]);
        assert_eq!(column_factors("g[a[1]]:m"), ["g[a[1]]", "m"]);
    }

    #[test]
    fn powers_are_repeated_factors_with_readable_names() {
        assert_eq!(column_factors("x^2"), ["x", "x"]);
        assert_eq!(column_factors("x^3:w"), ["x", "x", "x", "w"]);
        assert_eq!(column_factors("g[a^2]"), ["g[a^2]"]);
        assert_eq!(column_factors("x^7"), ["x^7"]);
        let t = Term::parse("size^2").unwrap();
        assert_eq!(t.factors, ["size", "size"]);
        assert_eq!(t.name(), "size^2");
        assert!(t.has_power());
        assert_eq!(Term::parse("w:x^2").unwrap().name(), "w:x^2");
        let err = |s: &str| Term::parse(s).unwrap_err().to_string();
        assert!(
            err("x:x").contains("write its square as x^2"),
            "{}",
            err("x:x")
        );
        assert!(err("x^4").contains("at most 3"), "{}", err("x^4"));
        assert!(err("x^2:x").contains("appears twice"), "{}", err("x^2:x"));
        assert!(!Term::parse("x:w").unwrap().has_power());
    }
}
