//! Modification indices (Sörbom 1989; Saris, Satorra & Sörbom 1987), as lavaan 0.6-14's
//! `modindices()` computes them (`lav_modification.R`, `lav_partable_full.R`,
//! `lav_object_extended`): the model is *extended* by every parameter it leaves out (and by
//! its fixed parameters, freed), all held at the estimate, and for each added parameter j
//!
//! - V = I₁₁ − I₁₂ I₂₂⁻¹ I₂₁ from the expected information of the extended model, with I₂₂⁻¹
//!   the fitted model's (constrained) inverse K(K′I₂₂K)⁻¹K′;
//! - g = ∂fmin/∂θ_j; MI = N g²/V_jj and EPC = −g/V_jj, NA when V_jj < ε^⅓ (lavaan then drops
//!   the row);
//! - sepc.lv / sepc.all / sepc.nox: the EPC standardized as the estimates are (covariances by
//!   the fitted residual variances, `cov.std = TRUE`), keeping its sign.

use serde::Serialize;

use super::error::SemError;
use super::gradient::{delta, expected_information, gradient, Delta};
use super::implied::Implied;
use super::linalg::Mat;
use super::model::Model;
use super::objective::f_ml;
use super::partable::{Op, ParRow, ParTable};
use super::sample::SampleStats;
use super::standardize::{standardize, standardize_nox};
use super::vcov::vcov;

/// One row of lavaan's `modindices()`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModIndex {
    pub lhs: String,
    pub op: String,
    pub rhs: String,
    /// The expected drop in the chi-square when the parameter is freed (1 df).
    pub mi: f64,
    /// The expected parameter change.
    pub epc: f64,
    pub sepc_lv: f64,
    pub sepc_all: f64,
    pub sepc_nox: f64,
}

/// What a row of the extended model is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Kind {
    /// A free parameter of the fitted model (its 0-based index).
    Model(usize),
    /// Fixed in the fitted model or left out: a candidate.
    Extra,
    /// A fixed.x moment: freeing it has no information (lavaan's MI is NA, dropped).
    Exo,
}

/// The extended parameter table: every row of `pt` (fixed ones freed, fixed.x ones kept) and
/// then the rows of lavaan's full table it lacks; each row's kind and value at the estimate.
pub(crate) struct Extended {
    pub table: ParTable,
    pub kinds: Vec<Kind>,
    pub values: Vec<f64>,
}

pub(crate) fn extend(pt: &ParTable, fitted_values: &[f64]) -> Extended {
    let mut table = pt.clone();
    table.equalities.clear();
    table.defined.clear();
    let mut kinds = Vec::with_capacity(pt.rows.len());
    for r in table.rows.iter_mut() {
        kinds.push(match (r.free, r.exo) {
            (0, true) => Kind::Exo,
            (0, false) => Kind::Extra,
            (k, _) => Kind::Model(k - 1),
        });
    }
    let mut values = fitted_values.to_vec();
    for (lhs, op, rhs) in full_rows(pt) {
        let present = table.rows.iter().any(|r| {
            r.op == op
                && ((r.lhs == lhs && r.rhs == rhs)
                    || (op == Op::Covary && r.lhs == rhs && r.rhs == lhs))
        });
        if !present {
            table.rows.push(ParRow {
                lhs,
                op,
                rhs,
                user: false,
                free: 1,
                ustart: None,
                exo: false,
                label: String::new(),
                plabel: String::new(),
                pos: None,
            });
            kinds.push(Kind::Extra);
            values.push(0.0);
        }
    }
    let mut n_free = 0;
    for (r, k) in table.rows.iter_mut().zip(&kinds) {
        r.free = match k {
            Kind::Exo => 0,
            _ => {
                n_free += 1;
                n_free
            }
        };
    }
    table.n_free = n_free;
    Extended {
        table,
        kinds,
        values,
    }
}

/// lavaan's `lav_partable_full` for one block (strict.exo off): loadings of every latent on
/// every non-x observed variable (but not on variables in regressions), covariances among the
/// indicators, among the x variables and among the latents, regressions among every variable
/// in a regression (but not an indicator on a latent), and intercepts under a mean structure.
fn full_rows(pt: &ParTable) -> Vec<(String, Op, String)> {
    let ov_nox: Vec<&String> = pt.ov.iter().filter(|o| !pt.ov_x.contains(o)).collect();
    let ov_ind: Vec<&String> = pt
        .rows
        .iter()
        .filter(|r| r.op == Op::Measure && !pt.lv.contains(&r.rhs))
        .map(|r| &r.rhs)
        .collect();
    let mut eqs: Vec<&String> = Vec::new();
    for side in [0, 1] {
        for r in pt.rows.iter().filter(|r| r.op == Op::Regress) {
            let v = if side == 0 { &r.lhs } else { &r.rhs };
            if !eqs.contains(&v) {
                eqs.push(v);
            }
        }
    }
    let mut out = Vec::new();
    for l in &pt.lv {
        for &o in ov_nox.iter().filter(|o| !eqs.contains(o)) {
            out.push((l.clone(), Op::Measure, o.clone()));
        }
    }
    let pairs = |vars: &[&String], out: &mut Vec<(String, Op, String)>| {
        for j in 0..vars.len() {
            for i in j..vars.len() {
                out.push((vars[j].clone(), Op::Covary, vars[i].clone()));
            }
        }
    };
    // 0.6-14 leaves out covariances with a variable that indicates nothing.
    let indicators: Vec<&String> = ov_nox
        .iter()
        .copied()
        .filter(|o| ov_ind.contains(o))
        .collect();
    pairs(&indicators, &mut out);
    let x: Vec<&String> = pt.ov_x.iter().collect();
    pairs(&x, &mut out);
    let lv: Vec<&String> = pt.lv.iter().collect();
    pairs(&lv, &mut out);
    for &y in &eqs {
        for &x in eqs.iter().filter(|&&x| x != y) {
            if !(ov_ind.contains(&y) && pt.lv.contains(x)) {
                out.push((y.clone(), Op::Regress, x.clone()));
            }
        }
    }
    if pt.meanstructure {
        for v in pt.ov.iter().chain(&pt.lv) {
            out.push((v.clone(), Op::Intercept, String::new()));
        }
    }
    out
}

/// Δ with the rows of the fixed.x moments zeroed, which zeroes them in A1 as lavaan's
/// expected information does under fixed.x.
fn zero_x_moments(d: &mut Delta, x: &[usize]) {
    for (ds, dm) in d.sigma.iter_mut().zip(d.mu.iter_mut()) {
        for &i in x {
            dm[i] = 0.0;
            for &j in x {
                ds[(i, j)] = 0.0;
            }
        }
    }
}

/// The expected information (per case) and the gradient of fmin of an extended model at θ:
/// what differs between complete data and FIML.
pub(crate) type InfoGradient<'a> = dyn Fn(&Model, &[f64]) -> Result<(Mat, Vec<f64>), SemError> + 'a;

/// The positions of the fixed.x covariates in `pt.ov` (none without fixed.x).
pub(crate) fn fixed_x_positions(pt: &ParTable) -> Vec<usize> {
    if !pt.fixed_x {
        return Vec::new();
    }
    pt.ov_x
        .iter()
        .filter_map(|v| pt.ov.iter().position(|o| o == v))
        .collect()
}

/// The modification index of every parameter the model leaves out or fixes, in lavaan's
/// order (`modindices(sort. = FALSE)`), without those whose MI is NA.
pub fn modification_indices(
    pt: &ParTable,
    s: &SampleStats,
    theta: &[f64],
) -> Result<Vec<ModIndex>, SemError> {
    let x = fixed_x_positions(pt);
    let complete = |model: &Model, t: &[f64]| complete_info_grad(model, t, s, &x);
    modification_indices_by(pt, s, theta, &complete)
}

/// The complete-data expected information (per case) and gradient of fmin of an extended
/// model at θ, the fixed.x moments `x` zeroed in Δ.
pub(crate) fn complete_info_grad(
    model: &Model,
    t: &[f64],
    s: &SampleStats,
    x: &[usize],
) -> Result<(Mat, Vec<f64>), SemError> {
    let (m, imp) = model.implied(t).ok_or_else(not_pd)?;
    let (_, inv) = f_ml(&imp, s, model.meanstructure).ok_or_else(not_pd)?;
    let mut d = delta(model, &m, &imp);
    let g = gradient(&d, &imp, &inv, s, model.meanstructure)
        .iter()
        .map(|v| v / 2.0)
        .collect();
    zero_x_moments(&mut d, x);
    Ok((expected_information(&d, &inv, model.meanstructure), g))
}

/// [`modification_indices`] with the extended model's information and gradient from
/// `info_grad` (complete data above, FIML in fiml/modindices.rs).
pub(crate) fn modification_indices_by(
    pt: &ParTable,
    s: &SampleStats,
    theta: &[f64],
    info_grad: &InfoGradient<'_>,
) -> Result<Vec<ModIndex>, SemError> {
    let fitted = Model::new(pt, s);
    // lavaan's I₂₂⁻¹ is the fit's inverted (augmented) information: under nonlinear or
    // inequality constraints that of the active constraints' null space at θ̂.
    let re = super::nonlinear::reparam_at(pt, &fitted, theta)?;
    let (_, imp) = fitted.implied(theta).ok_or_else(not_pd)?;
    let ext = extend(pt, &fitted.row_values(theta));
    let model = Model::new(&ext.table, s);
    let theta_ext: Vec<f64> = model.free_rows.iter().map(|r| ext.values[r[0]]).collect();
    let (info, g) = info_grad(&model, &theta_ext)?;
    // Extended free index of each fitted free parameter.
    let mut model_ix = vec![0; pt.n_free];
    for (i, k) in ext.kinds.iter().enumerate() {
        if let Kind::Model(j) = k {
            model_ix[*j] = ext.table.rows[i].free - 1;
        }
    }
    let i22 = Mat::from_rows(
        pt.n_free,
        pt.n_free,
        model_ix
            .iter()
            .flat_map(|&a| model_ix.iter().map(move |&b| (a, b)))
            .map(|(a, b)| info[(a, b)])
            .collect(),
    );
    let names = |k: usize| pt.row_name(fitted.free_rows[k][0]);
    let i22_inv = vcov(&i22, &re, 1.0, &names)?;
    let (mi, epc) = score_tests(&ext, 0, &info, &g, &model_ix, &i22_inv, s.n);
    let sepc = standardized_epc(pt, &ext, &epc, &imp);
    Ok((0..ext.table.rows.len())
        .filter(|&i| ext.kinds[i] == Kind::Extra && !mi[i].is_nan())
        .map(|i| {
            let r = &ext.table.rows[i];
            ModIndex {
                lhs: r.lhs.clone(),
                op: r.op.symbol().to_string(),
                rhs: r.rhs.clone(),
                mi: mi[i],
                epc: epc[i],
                sepc_lv: sepc[0][i],
                sepc_all: sepc[1][i],
                sepc_nox: sepc[2][i],
            }
        })
        .collect())
}

/// MI = N g²/V and EPC = −g/V of every candidate row (NaN elsewhere and where V < ε^⅓), with
/// V = I₁₁ − I₁₂ I₂₂⁻¹ I₂₁; `ext`'s free parameters start at `offset` in `info` and `g` (a
/// group's block of the stacked multi-group information, groups/diagnostics.rs).
pub(crate) fn score_tests(
    ext: &Extended,
    offset: usize,
    info: &Mat,
    g: &[f64],
    model_ix: &[usize],
    i22_inv: &Mat,
    n: f64,
) -> (Vec<f64>, Vec<f64>) {
    let mut epc = vec![f64::NAN; ext.table.rows.len()];
    let mut mi = vec![f64::NAN; ext.table.rows.len()];
    for (i, k) in ext.kinds.iter().enumerate() {
        if *k != Kind::Extra {
            continue;
        }
        let e = offset + ext.table.rows[i].free - 1;
        let i12: Vec<f64> = model_ix.iter().map(|&a| info[(e, a)]).collect();
        let v = info[(e, e)] - quad_form(i22_inv, &i12);
        if v >= f64::EPSILON.cbrt() {
            mi[i] = n * g[e] * g[e] / v;
            epc[i] = -g[e] / v;
        }
    }
    (mi, epc)
}

pub(crate) fn not_pd() -> SemError {
    SemError::Unidentified {
        parameters: vec!["(implied covariance not positive definite at the estimate)".into()],
    }
}

/// x′Ax.
fn quad_form(a: &Mat, x: &[f64]) -> f64 {
    let ax = a.mul_vec(x);
    x.iter().zip(&ax).map(|(u, v)| u * v).sum()
}

/// sepc.lv, sepc.all and sepc.nox of every extended row: |EPC| standardized with the fitted
/// model's implied variances, variances taking their estimates (so covariances are scaled by
/// the fitted residual variances), times the EPC's sign; a variance whose value is below √ε
/// gives 0.
pub(crate) fn standardized_epc(
    pt: &ParTable,
    ext: &Extended,
    epc: &[f64],
    imp: &Implied,
) -> [Vec<f64>; 3] {
    let tiny = f64::EPSILON.sqrt();
    let is_var = |r: &ParRow| r.op == Op::Covary && r.lhs == r.rhs;
    let est: Vec<f64> = ext
        .table
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let v = if is_var(r) && !r.exo {
                ext.values[i]
            } else {
                epc[i].abs()
            };
            if is_var(r) && v.abs() < tiny {
                f64::NAN
            } else {
                v
            }
        })
        .collect();
    let mut table = ext.table.clone();
    table.ov_x = pt.ov_x.clone();
    let st = standardize(&table, &est, imp);
    let nox = standardize_nox(&table, &est, imp);
    let signed = |v: &[f64]| -> Vec<f64> {
        (0..v.len())
            .map(|i| {
                if is_var(&table.rows[i]) && est[i].is_nan() {
                    0.0
                } else {
                    sign(epc[i]) * v[i]
                }
            })
            .collect()
    };
    [signed(&st.std_lv), signed(&st.std_all), signed(&nox)]
}

/// R's `sign`: 0 for 0, NaN for NaN.
fn sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        x
    }
}

/// The indices above `minimum`, largest first (lavaan's `sort. = TRUE, minimum.value`).
pub fn sorted_above(mut mi: Vec<ModIndex>, minimum: f64) -> Vec<ModIndex> {
    mi.retain(|m| m.mi > minimum);
    mi.sort_by(|a, b| b.mi.total_cmp(&a.mi));
    mi
}
