//! Where a number PROCESS printed is in `cipa fit --format json` (docs/json-schema.md). `Err`
//! says why cipa has none.

use serde_json::Value;

use super::reference::{At, Loc};

pub type Got = Result<f64, String>;

pub(super) fn same(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// A set of variable names, for comparing products regardless of order.
pub(super) fn set<S: AsRef<str>>(names: &[S]) -> Vec<String> {
    let mut v: Vec<String> = names.iter().map(|s| s.as_ref().to_lowercase()).collect();
    v.sort();
    v
}

fn factors(term: &str) -> Vec<String> {
    set(&term.split(':').collect::<Vec<_>>())
}

pub(super) fn field(v: &Value, key: &str) -> Got {
    v.get(key)
        .and_then(Value::as_f64)
        .ok_or_else(|| format!("cipa's JSON has no number '{key}' here"))
}

pub(super) fn list<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

pub(super) fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

pub(super) fn equation<'a>(c: &'a Value, outcome: &str) -> Result<&'a Value, String> {
    list(c, "equations")
        .iter()
        .find(|e| same(str_of(e, "outcome"), outcome))
        .ok_or_else(|| format!("cipa has no equation for {outcome}"))
}

/// The columns PROCESS prints for an effect, in cipa's names.
pub(super) fn effect_col(row: &Value, col: &str) -> Got {
    let key = match col {
        "effect" | "Effect" | "Index" => "effect",
        "se" => "se",
        "t" => {
            // Conditional-effect tables call it `stat`; effects `t`.
            return field(row, "stat").or_else(|_| field(row, "t"));
        }
        "p" => "p",
        "LLCI" => "ci_lower",
        "ULCI" => "ci_upper",
        _ => return Err(format!("no mapping for the column '{col}'")),
    };
    field(row, key)
}

/// The probe value behind a printed label (`at: [[moderator, label]]` rows).
fn probe_value(c: &Value, moderator: &str, label: &str) -> Got {
    list(c, "probes")
        .iter()
        .filter(|p| same(str_of(p, "moderator"), moderator))
        .flat_map(|p| list(p, "points"))
        .find(|pt| str_of(pt, "label") == label)
        .map_or_else(
            || {
                label
                    .parse()
                    .map_err(|_| format!("no probe {label} of {moderator}"))
            },
            |pt| field(pt, "value"),
        )
}

/// Distance between moderator values, relative to the PROCESS value; None when the names differ.
fn distance(have: &[(String, f64)], want: &At) -> Option<f64> {
    if have.len() != want.len() {
        return None;
    }
    let mut d = 0.0;
    for (name, v) in want {
        let (_, h) = have.iter().find(|(m, _)| same(m, name))?;
        d += (h - v).abs() / v.abs().max(1e-12);
    }
    Some(d)
}

/// The row nearest to PROCESS's moderator values, and its values by moderator.
pub(super) fn nearest<'a>(
    rows: impl Iterator<Item = (&'a Value, At)>,
    at: &At,
) -> Result<(&'a Value, At), String> {
    rows.filter_map(|(r, have)| distance(&have, at).map(|d| (d, r, have)))
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, r, have)| (r, have))
        .ok_or_else(|| format!("cipa has no row for the moderators {at:?}"))
}

/// A value of a table row: a moderator (the probe value) or an effect column.
pub(super) fn row_col(row: &Value, have: &[(String, f64)], col: &str) -> Got {
    match have.iter().find(|(m, _)| same(m, col)) {
        Some((_, v)) => Ok(*v),
        None => effect_col(row, col),
    }
}

/// `at: [[moderator, label], ...]` of a conditional-effects row as values.
fn at_values(c: &Value, row: &Value) -> Vec<(String, f64)> {
    list(row, "at")
        .iter()
        .filter_map(|p| {
            let p = p.as_array()?;
            let (m, l) = (p.first()?.as_str()?, p.get(1)?.as_str()?);
            Some((m.to_string(), probe_value(c, m, l).ok()?))
        })
        .collect()
}

/// `moderators: {name: value}` of an effect.
pub(super) fn moderators(e: &Value) -> Vec<(String, f64)> {
    e.get("moderators")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| Some((k.clone(), v.as_f64()?)))
        .collect()
}

pub(super) fn effects<'a>(c: &'a Value, group: &str) -> impl Iterator<Item = &'a Value> {
    list(&c["effects"], group).iter()
}

pub(super) fn same_path(e: &Value, path: &[String]) -> bool {
    let p = list(e, "path");
    p.len() == path.len()
        && p.iter()
            .zip(path)
            .all(|(a, b)| same(a.as_str().unwrap_or_default(), b))
}

/// The value cipa reports for a quantity PROCESS printed.
pub fn lookup(c: &Value, loc: &Loc) -> Got {
    match loc {
        Loc::N => field(c, "n"),
        Loc::Summary { outcome, col } => summary(equation(c, outcome)?, col),
        Loc::Coefficient {
            outcome,
            factors: f,
            col,
            ..
        } => coefficient(equation(c, outcome)?, f, col),
        Loc::InteractionTest {
            outcome,
            label,
            products,
            col,
        } => interaction_test(equation(c, outcome)?, label, products, col),
        Loc::ConditionalEffect {
            outcome,
            focal,
            at,
            col,
        } => {
            let ce = list(c, "conditional_effects")
                .iter()
                .find(|x| same(str_of(x, "outcome"), outcome) && same(str_of(x, "focal"), focal))
                .ok_or_else(|| {
                    format!("cipa reports no conditional effects of {focal} on {outcome}")
                })?;
            let (row, have) = nearest(list(ce, "rows").iter().map(|r| (r, at_values(c, r))), at)?;
            row_col(row, &have, col)
        }
        Loc::ConditionalInteraction {
            outcome,
            focal,
            moderators: m,
            at,
            col,
        } => conditional_interaction(c, outcome, focal, m, at, col),
        Loc::JnRoot {
            outcome,
            focal,
            moderators: m,
            value,
            col,
        } => jn_point(johnson_neyman(c, outcome, focal, m)?, *value, col),
        Loc::JnRow {
            outcome,
            focal,
            moderators: m,
            row,
            col,
        } => {
            let jn = johnson_neyman(c, outcome, focal, m)?;
            let r = list(jn, "table")
                .get(*row)
                .ok_or_else(|| format!("cipa's JN table has {} rows", list(jn, "table").len()))?;
            if m.iter().any(|x| same(x, col)) {
                field(r, "value")
            } else {
                effect_col(r, col)
            }
        }
        _ => super::lookup_effects::lookup_effect(c, loc),
    }
}

/// A coefficient by its factors (none for the constant).
fn coefficient(e: &Value, f: &[String], col: &str) -> Got {
    let want = if f.is_empty() {
        vec!["constant".to_string()]
    } else {
        set(f)
    };
    let coef = list(e, "coefficients")
        .iter()
        .find(|k| factors(str_of(k, "term")) == want)
        .ok_or_else(|| format!("cipa's equation has no term {}", f.join(":")))?;
    match col {
        "coeff" => field(coef, "estimate"),
        "t" => field(coef, "t"),
        c => effect_col(coef, c),
    }
}

/// The R² change test of exactly these products, labelled as PROCESS labels it.
fn interaction_test(e: &Value, label: &str, products: &[Vec<String>], col: &str) -> Got {
    let mut want: Vec<Vec<String>> = products.iter().map(|p| set(p)).collect();
    want.sort();
    let t = list(e, "r2_change")
        .iter()
        .find(|t| {
            let mut have: Vec<Vec<String>> = list(t, "terms")
                .iter()
                .map(|s| factors(s.as_str().unwrap_or_default()))
                .collect();
            have.sort();
            have == want
        })
        .ok_or_else(|| format!("cipa reports no R² change test of {want:?}"))?;
    if str_of(t, "label") != label {
        return Err(format!(
            "cipa labels the test of {want:?} '{}', PROCESS '{label}'",
            str_of(t, "label")
        ));
    }
    let key = match col {
        "R2-chng" => "r2_change",
        "F" => "f",
        "df1" | "df2" | "p" => col,
        _ => return Err(format!("no mapping for the column '{col}'")),
    };
    field(t, key)
}

/// The test of the focal's product with the first moderator at a value of the second: F = t²
/// with df 1 and the equation's df2 (docs/json-schema.md).
fn conditional_interaction(
    c: &Value,
    outcome: &str,
    focal: &str,
    m: &[String],
    at: &At,
    col: &str,
) -> Got {
    let ci = list(c, "conditional_interactions")
        .iter()
        .find(|x| {
            same(str_of(x, "outcome"), outcome)
                && factors(str_of(x, "term")) == set(&[focal, m[0].as_str()])
                && same(str_of(x, "moderator"), &m[1])
        })
        .ok_or_else(|| format!("cipa reports no conditional {focal}*{} interaction", m[0]))?;
    let (row, have) = nearest(list(ci, "rows").iter().map(|r| (r, at_values(c, r))), at)?;
    match col {
        "F" => field(row, "stat").map(|t| t * t),
        "df1" => Ok(1.0),
        "df2" => field(equation(c, outcome)?, "df2"),
        _ => row_col(row, &have, col),
    }
}

/// The Johnson-Neyman point nearest PROCESS's `value`, or its % below / % above.
fn jn_point(jn: &Value, value: f64, col: &str) -> Got {
    let points: Vec<f64> = list(jn, "points")
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    let i = (0..points.len())
        .min_by(|&a, &b| {
            (points[a] - value)
                .abs()
                .total_cmp(&(points[b] - value).abs())
        })
        .ok_or("cipa found no Johnson-Neyman point")?;
    match col {
        "value" => Ok(points[i]),
        "pct_below" | "pct_above" => list(jn, col)
            .get(i)
            .and_then(Value::as_f64)
            .ok_or_else(|| format!("cipa's JSON has no {col} for point {}", i + 1)),
        _ => Err(format!("no mapping for the column '{col}'")),
    }
}

fn summary(e: &Value, col: &str) -> Got {
    match col {
        "R" => field(e, "r2").map(f64::sqrt),
        "R-sq" => field(e, "r2"),
        "MSE" => field(e, "mse"),
        "F" => field(e, "f"),
        "df1" | "df2" | "p" => field(e, col),
        _ => Err(format!("no mapping for the summary column '{col}'")),
    }
}

/// The JN result of `focal` along the last moderator; with two moderators (a three-way model),
/// of the focal's product with the first along the second.
fn johnson_neyman<'a>(
    c: &'a Value,
    outcome: &str,
    focal: &str,
    m: &[String],
) -> Result<&'a Value, String> {
    let (want, along) = match m {
        [w] => (set(&[focal]), w),
        [w, z] => (set(&[focal, w.as_str()]), z),
        _ => return Err(format!("JN with moderators {m:?}")),
    };
    list(c, "johnson_neyman")
        .iter()
        .find(|j| {
            same(str_of(j, "outcome"), outcome)
                && factors(str_of(j, "focal")) == want
                && same(str_of(j, "moderator"), along)
        })
        .ok_or_else(|| {
            format!(
                "cipa reports no Johnson-Neyman result of {} along {along}",
                want.join("*")
            )
        })
}
