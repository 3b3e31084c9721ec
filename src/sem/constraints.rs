//! Linear equality constraints by the null-space reparametrisation θ = K z + k₀ (lavaan's
//! `eq.constraints.K`, `lav_model.R`): K spans the null space of the constraints' Jacobian H
//! (orthonormal columns), k₀ is the least-norm solution of Hθ = −c(0). The optimizer works on z;
//! the rank of H enters df and the number of parameters.

use super::defined::eval;
use super::error::SemError;
use super::linalg::{spd_inverse_logdet, Mat};
use super::partable::ParTable;

/// θ = K z + k₀.
#[derive(Debug, Clone, PartialEq)]
pub struct Reparam {
    /// q × r with orthonormal columns.
    pub k: Mat,
    pub k0: Vec<f64>,
    /// The number of independent constraints (q − r).
    pub rank: usize,
}

impl Reparam {
    pub fn theta(&self, z: &[f64]) -> Vec<f64> {
        let kz = self.k.mul_vec(z);
        kz.iter().zip(&self.k0).map(|(a, b)| a + b).collect()
    }

    /// z of the θ nearest to `theta` on the constraint set.
    pub fn z(&self, theta: &[f64]) -> Vec<f64> {
        let d: Vec<f64> = theta.iter().zip(&self.k0).map(|(a, b)| a - b).collect();
        self.k.t().mul_vec(&d)
    }
}

/// c(θ) = lhs − rhs of every equality, labels resolved through the rows (free rows from θ,
/// fixed rows from `base`).
pub fn constraint_values(pt: &ParTable, base: &[f64], theta: &[f64]) -> Vec<f64> {
    let labels = pt.label_map();
    let value = |l: &str| -> Option<f64> {
        let &i = labels.get(l)?;
        let r = &pt.rows[i];
        Some(if r.free > 0 {
            theta[r.free - 1]
        } else {
            base[i]
        })
    };
    pt.equalities
        .iter()
        .map(|c| {
            eval(&c.lhs, &value).unwrap_or(f64::NAN) - eval(&c.rhs, &value).unwrap_or(f64::NAN)
        })
        .collect()
}

/// c(0) and the Jacobian H of the equalities from unit steps (exact when they are linear).
fn linear_jacobian(pt: &ParTable, base: &[f64]) -> (Vec<f64>, Vec<Vec<f64>>) {
    let q = pt.n_free;
    let c0 = constraint_values(pt, base, &vec![0.0; q]);
    let mut h: Vec<Vec<f64>> = vec![vec![0.0; q]; c0.len()];
    let mut e = vec![0.0; q];
    for k in 0..q {
        e[k] = 1.0;
        let ck = constraint_values(pt, base, &e);
        for (j, row) in h.iter_mut().enumerate() {
            row[k] = ck[j] - c0[j];
        }
        e[k] = 0.0;
    }
    (c0, h)
}

/// The first equality that is not linear in θ: c(t) ≠ c(0) + H t at a second point (or it
/// names a defined parameter, which `constraint_values` does not resolve).
fn first_nonlinear(pt: &ParTable, base: &[f64], c0: &[f64], h: &[Vec<f64>]) -> Option<usize> {
    let t: Vec<f64> = (0..pt.n_free).map(|k| 0.37 + 0.11 * k as f64).collect();
    let ct = constraint_values(pt, base, &t);
    (0..pt.equalities.len()).find(|&j| {
        let lin = c0[j] + h[j].iter().zip(&t).map(|(a, b)| a * b).sum::<f64>();
        !ct[j].is_finite() || (ct[j] - lin).abs() > 1e-9 * (1.0 + lin.abs())
    })
}

/// Whether the table's constraints need the augmented Lagrangian of `nonlinear.rs` (an
/// inequality, or an equality that is not linear) rather than θ = K z + k₀.
pub fn needs_lagrangian(pt: &ParTable, base: &[f64]) -> bool {
    if !pt.inequalities.is_empty() {
        return true;
    }
    let (c0, h) = linear_jacobian(pt, base);
    first_nonlinear(pt, base, &c0, &h).is_some()
}

/// The reparametrisation for the table's linear equalities. The complete-data estimator and
/// what follows it (MLR, the bootstrap, modification indices, residuals) handle nonlinear and
/// inequality constraints by `nonlinear.rs`; what still needs θ = K z + k₀ (FIML) refuses them.
pub fn reparametrise(pt: &ParTable, base: &[f64]) -> Result<Reparam, SemError> {
    let q = pt.n_free;
    let refuse = |kind: &str, text: &str, pos| SemError::Unsupported {
        what: format!(
            "the {kind} constraint '{text}' here (the ML and MLR fits of complete data, their \
             bootstrap, modification indices and residuals support it; FIML does not: drop it \
             or use --missing listwise)"
        ),
        pos,
    };
    if let Some(c) = pt.inequalities.first() {
        return Err(refuse("inequality", &c.text, c.pos));
    }
    let (c0, h) = linear_jacobian(pt, base);
    if let Some(j) = first_nonlinear(pt, base, &c0, &h) {
        let c = &pt.equalities[j];
        return Err(refuse("nonlinear", &c.text, c.pos));
    }
    let (rows, basis) = independent_rows(&h);
    let k = null_space(&basis, q);
    let hr: Vec<Vec<f64>> = rows.iter().map(|&j| h[j].clone()).collect();
    let k0 =
        least_norm(&hr, &rows.iter().map(|&j| -c0[j]).collect::<Vec<_>>(), q).ok_or_else(|| {
            // Gram-Schmidt kept rows whose HH′ is still singular to working precision: a
            // constraint that differs from the others in a far decimal only.
            let c = &pt.equalities[rows[first_dependent(&hr)]];
            SemError::NearlyRepeatedConstraint {
                text: c.text.clone(),
                pos: c.pos,
            }
        })?;
    let residual = constraint_values(pt, base, &k0);
    if let Some(j) = residual.iter().position(|r| r.abs() > 1e-8) {
        let c = &pt.equalities[j];
        return Err(SemError::InconsistentConstraints {
            text: c.text.clone(),
            pos: c.pos,
        });
    }
    Ok(Reparam {
        rank: rows.len(),
        k,
        k0,
    })
}

/// Indices of linearly independent rows of H and an orthonormal basis of their span
/// (modified Gram-Schmidt).
pub(super) fn independent_rows(h: &[Vec<f64>]) -> (Vec<usize>, Vec<Vec<f64>>) {
    let mut basis: Vec<Vec<f64>> = Vec::new();
    let mut rows = Vec::new();
    for (j, row) in h.iter().enumerate() {
        let norm0 = row.iter().map(|v| v * v).sum::<f64>().sqrt();
        let mut v = row.clone();
        for b in &basis {
            let d: f64 = v.iter().zip(b).map(|(x, y)| x * y).sum();
            v.iter_mut().zip(b).for_each(|(x, y)| *x -= d * y);
        }
        let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
        if norm > 1e-10 * norm0.max(1.0) {
            basis.push(v.iter().map(|x| x / norm).collect());
            rows.push(j);
        }
    }
    (rows, basis)
}

/// An orthonormal basis (q × (q − r)) of the complement of `basis`.
pub(super) fn null_space(basis: &[Vec<f64>], q: usize) -> Mat {
    let mut all: Vec<Vec<f64>> = basis.to_vec();
    let mut cols = Vec::new();
    for k in 0..q {
        let mut v: Vec<f64> = (0..q).map(|i| (i == k) as u8 as f64).collect();
        for _ in 0..2 {
            for b in &all {
                let d: f64 = v.iter().zip(b).map(|(x, y)| x * y).sum();
                v.iter_mut().zip(b).for_each(|(x, y)| *x -= d * y);
            }
        }
        let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
        if norm > 1e-8 {
            let u: Vec<f64> = v.iter().map(|x| x / norm).collect();
            all.push(u.clone());
            cols.push(u);
        }
    }
    let mut k = Mat::zeros(q, cols.len());
    for (j, c) in cols.iter().enumerate() {
        for i in 0..q {
            // Exact zeros where a parameter is untouched by any constraint keep θ exact there.
            k[(i, j)] = if c[i].abs() < 1e-15 { 0.0 } else { c[i] };
        }
    }
    k
}

/// The least-norm solution of H x = b for independent rows H: x = H′(HH′)⁻¹b; None when HH′
/// is not positive definite to working precision (rows that are nearly dependent).
fn least_norm(h: &[Vec<f64>], b: &[f64], q: usize) -> Option<Vec<f64>> {
    let r = h.len();
    if r == 0 {
        return Some(vec![0.0; q]);
    }
    let (inv, _) = spd_inverse_logdet(&gram(h))?;
    let y = inv.mul_vec(b);
    Some(
        (0..q)
            .map(|k| (0..r).map(|i| h[i][k] * y[i]).sum())
            .collect(),
    )
}

/// HH′ of the rows H.
fn gram(h: &[Vec<f64>]) -> Mat {
    let r = h.len();
    let mut hh = Mat::zeros(r, r);
    for i in 0..r {
        for j in 0..r {
            hh[(i, j)] = h[i].iter().zip(&h[j]).map(|(a, c)| a * c).sum();
        }
    }
    hh
}

/// The first row of H whose leading block of HH′ is not positive definite (the row that
/// nearly repeats those before it); the last row when every leading block is.
fn first_dependent(h: &[Vec<f64>]) -> usize {
    (1..=h.len())
        .find(|&k| spd_inverse_logdet(&gram(&h[..k])).is_none())
        .map_or(h.len().saturating_sub(1), |k| k - 1)
}
