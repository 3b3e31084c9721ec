//! The check of lavaan's `group.partial` entries against the model's rows. lavaan compares each
//! entry, spaces removed, with `lhs op rhs` of every row (`lav_partable_labels.R`, "if
//! group_partial") and ignores an entry that matches none; a typo there silently keeps the
//! parameter equal across groups, so cipa refuses it, saying what a valid entry looks like.

use super::super::error::SemError;
use super::super::partable::{Op, ParRow};

/// Refuses a `partial` entry that is no row of the model (`rows`: every group's rows). An empty
/// entry names nothing and is skipped (lavaan reads "" as no group.partial).
pub(super) fn check(partial: &[String], rows: &[ParRow]) -> Result<(), SemError> {
    let key = |r: &ParRow| format!("{}{}{}", r.lhs, r.op.symbol(), r.rhs);
    for entry in partial {
        let plain: String = entry.chars().filter(|c| !c.is_whitespace()).collect();
        if plain.is_empty() || rows.iter().any(|r| key(r) == plain) {
            continue;
        }
        return Err(SemError::UnknownPartial {
            entry: entry.trim().to_string(),
            hint: hint(&plain, rows),
            examples: examples(rows),
        });
    }
    Ok(())
}

/// What the entry is instead: a label (lavaan matches `lhs op rhs`, not labels), or a
/// covariance written in the other order than the table's.
fn hint(plain: &str, rows: &[ParRow]) -> String {
    if let Some(r) = rows.iter().find(|r| r.user && r.label == plain) {
        return format!(
            " (it is a label: --group-partial takes the parameter itself, here '{}')",
            written(r)
        );
    }
    let swapped = rows
        .iter()
        .find(|r| r.op == Op::Covary && format!("{}~~{}", r.rhs, r.lhs) == plain && r.lhs != r.rhs);
    match swapped {
        Some(r) => format!(" (the model writes it '{}')", written(r)),
        None => String::new(),
    }
}

/// Up to three of the model's own parameters as an entry is written: a loading, an observed
/// variable's intercept and a residual variance when the model has them.
fn examples(rows: &[ParRow]) -> Vec<String> {
    let kinds: [&dyn Fn(&ParRow) -> bool; 3] = [
        &|r| r.op == Op::Measure && r.free > 0,
        &|r| r.op == Op::Intercept && r.free > 0,
        &|r| r.op == Op::Covary && r.lhs == r.rhs && r.free > 0,
    ];
    let mut out: Vec<String> = kinds
        .iter()
        .filter_map(|k| rows.iter().find(|r| k(r)))
        .map(written)
        .collect();
    if out.is_empty() {
        out.extend(rows.first().map(written));
    }
    out
}

/// A row as an entry names it: `visual =~ x2`, `x3 ~ 1`, `x1 ~~ x1`.
fn written(r: &ParRow) -> String {
    match r.op {
        Op::Intercept => format!("{} ~ 1", r.lhs),
        op => format!("{} {} {}", r.lhs, op.symbol(), r.rhs),
    }
}
