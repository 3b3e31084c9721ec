//! Stage 9c: R² of the endogenous variables as lavaan's `lavInspect(fit, "r2")` gives it:
//! 1 − std.all of the (residual) variance row of every indicator and every regression outcome,
//! in parameter-table order; NA where that exceeds 1 (a negative variance).

use super::partable::{Op, ParTable};

/// (variable, R²) pairs; `std_all` holds the rows' std.all values.
pub fn r_squared(pt: &ParTable, std_all: &[f64]) -> Vec<(String, f64)> {
    let mut y: Vec<&str> = Vec::new();
    for r in &pt.rows {
        let v = match r.op {
            Op::Measure => r.rhs.as_str(),
            Op::Regress => r.lhs.as_str(),
            _ => continue,
        };
        if !y.contains(&v) {
            y.push(v);
        }
    }
    pt.rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.op == Op::Covary && r.lhs == r.rhs && y.contains(&r.lhs.as_str()))
        .map(|(i, r)| {
            let v = 1.0 - std_all[i];
            (r.lhs.clone(), if v > 1.0 { f64::NAN } else { v })
        })
        .collect()
}
