//! Stage 9a: the standardized solution (`lav_standardize_lv`, `lav_standardize_all`, lavaan
//! 0.6-14). Standard deviations come from the model: √diag V(η) for latents and √diag Σ̂ for
//! observed variables (negative variances give NA). std.lv rescales the latents only; std.all
//! also the observed variables. Covariances are divided by the square roots of the two
//! *residual* variances (|θ_ii|, `cov.std = TRUE`), giving residual correlations; defined
//! parameters are re-evaluated on the standardized values of the rows their labels name.

use std::collections::HashMap;

use super::defined::eval;
use super::implied::Implied;
use super::partable::{Op, ParTable};

/// std.lv and std.all of every row, then of every defined parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Standardized {
    pub std_lv: Vec<f64>,
    pub std_all: Vec<f64>,
}

/// √v, or NaN for a negative variance.
fn sd(v: f64) -> f64 {
    if v < 0.0 {
        f64::NAN
    } else {
        v.sqrt()
    }
}

/// Standardizes the row values `est` with the implied moments `imp` (first `pt.lv.len()` rows
/// of V(η) are the true latents, as in the matrix representation).
pub fn standardize(pt: &ParTable, est: &[f64], imp: &Implied) -> Standardized {
    let mut out = standardize_rows(pt, est, imp, false);
    for d in &pt.defined {
        let v_lv = defined_value(pt, &out.std_lv, est, &d.expr);
        let v_all = defined_value(pt, &out.std_all, est, &d.expr);
        out.std_lv.push(v_lv);
        out.std_all.push(v_all);
    }
    out
}

/// lavaan's std.nox (`lav_standardize_all_nox`) of the rows: std.all, except that the exogenous
/// covariates (`pt.ov_x`) keep their raw scale.
pub fn standardize_nox(pt: &ParTable, est: &[f64], imp: &Implied) -> Vec<f64> {
    standardize_rows(pt, est, imp, true).std_all
}

/// std.lv and std.all (std.nox when `nox`) of the rows alone.
fn standardize_rows(pt: &ParTable, est: &[f64], imp: &Implied, nox: bool) -> Standardized {
    let lv_ix: HashMap<&str, usize> = pt
        .lv
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i))
        .collect();
    let ov_ix: HashMap<&str, usize> = pt
        .ov
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i))
        .collect();
    let eta: Vec<f64> = (0..pt.lv.len()).map(|i| sd(imp.veta[(i, i)])).collect();
    let ov2: Vec<f64> = (0..pt.ov.len())
        .map(|i| {
            let v = imp.sigma[(i, i)];
            if v.abs() < f64::EPSILON {
                f64::NAN
            } else {
                v
            }
        })
        .collect();
    let ov: Vec<f64> = ov2.iter().map(|&v| sd(v)).collect();
    // √|residual variance| of each variable with a variance row.
    let mut rv: HashMap<&str, f64> = HashMap::new();
    for (i, r) in pt.rows.iter().enumerate() {
        if r.op == Op::Covary && r.lhs == r.rhs {
            rv.insert(r.lhs.as_str(), est[i].abs().sqrt());
        }
    }
    let rv_of = |v: &str| rv.get(v).copied().unwrap_or(f64::NAN);
    let lat = |v: &str| lv_ix.get(v).map(|&i| eta[i]);
    let obs = |v: &str| ov_ix.get(v).map(|&i| (ov[i], ov2[i]));
    let raw_scale = |v: &str| nox && pt.ov_x.iter().any(|x| x == v);
    let mut std_lv = est.to_vec();
    let mut std_all = est.to_vec();
    for (k, r) in pt.rows.iter().enumerate() {
        let (l, rh) = (r.lhs.as_str(), r.rhs.as_str());
        let mut x = est[k];
        match r.op {
            Op::Measure => {
                x *= lat(l).unwrap_or(f64::NAN);
                if let Some(e) = lat(rh) {
                    x /= e;
                }
            }
            Op::Regress => {
                if let Some(e) = lat(l) {
                    x /= e;
                }
                if let Some(e) = lat(rh) {
                    x *= e;
                }
            }
            Op::Covary if l == rh => {
                if let Some(e) = lat(l) {
                    x /= e * e;
                }
            }
            Op::Covary => {
                if lat(l).is_some() {
                    x /= rv_of(l);
                }
                if lat(rh).is_some() {
                    x /= rv_of(rh);
                }
            }
            Op::Intercept => {
                if let Some(e) = lat(l) {
                    x /= e;
                }
            }
        }
        std_lv[k] = x;
        std_all[k] = scale_observed(r.op, l, rh, x, &obs, &rv_of, &raw_scale);
    }
    Standardized { std_lv, std_all }
}

/// The std.all step on top of std.lv: observed variables scaled by their implied SDs, except
/// those `raw` keeps (an indicator or an outcome is always scaled).
fn scale_observed(
    op: Op,
    l: &str,
    rh: &str,
    mut x: f64,
    obs_all: &dyn Fn(&str) -> Option<(f64, f64)>,
    rv_of: &dyn Fn(&str) -> f64,
    raw: &dyn Fn(&str) -> bool,
) -> f64 {
    let obs = |v: &str| if raw(v) { None } else { obs_all(v) };
    match op {
        Op::Measure => {
            if let Some((s, _)) = obs_all(rh) {
                x /= s;
            }
        }
        Op::Regress => {
            if let Some((s, _)) = obs_all(l) {
                x /= s;
            }
            if let Some((s, _)) = obs(rh) {
                x *= s;
            }
        }
        Op::Covary if l == rh => {
            if let Some((_, v)) = obs(l) {
                x /= v;
            }
        }
        Op::Covary => {
            if obs(l).is_some() {
                x /= rv_of(l);
            }
            if obs(rh).is_some() {
                x /= rv_of(rh);
            }
        }
        Op::Intercept => {
            if let Some((s, _)) = obs(l) {
                x /= s;
            }
        }
    }
    x
}

/// A defined parameter on standardized values: labels of free rows take the standardized
/// value, of fixed rows the raw one (lavaan's `def.function` sees only the free parameters);
/// earlier defined parameters are evaluated the same way.
pub fn defined_value(pt: &ParTable, values: &[f64], raw: &[f64], expr: &crate::spec::Expr) -> f64 {
    let labels = pt.label_map();
    let n_rows = pt.rows.len();
    let lookup = |name: &str| -> Option<f64> {
        if let Some(&i) = labels.get(name) {
            return Some(if pt.rows[i].free > 0 {
                values[i]
            } else {
                raw[i]
            });
        }
        let j = pt.defined.iter().position(|d| d.name == name)?;
        values.get(n_rows + j).copied()
    };
    eval(expr, &lookup).unwrap_or(f64::NAN)
}
