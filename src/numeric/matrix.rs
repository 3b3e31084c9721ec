//! Small dense helpers on row-major `p × p` matrices stored in `Vec<f64>`; the sizes here are the
//! number of regression terms, so clarity beats blocking.

/// Inverse of an upper-triangular `p × p` matrix (row-major), by back substitution.
pub fn upper_tri_inverse(r: &[f64], p: usize) -> Vec<f64> {
    let mut inv = vec![0.0; p * p];
    for j in 0..p {
        inv[j * p + j] = 1.0 / r[j * p + j];
        for i in (0..j).rev() {
            let mut s = 0.0;
            for k in i + 1..=j {
                s += r[i * p + k] * inv[k * p + j];
            }
            inv[i * p + j] = -s / r[i * p + i];
        }
    }
    inv
}

/// `A Aᵀ` for a row-major `p × p` matrix.
pub fn a_at(a: &[f64], p: usize) -> Vec<f64> {
    let mut out = vec![0.0; p * p];
    for i in 0..p {
        for j in 0..=i {
            let s: f64 = (0..p).map(|k| a[i * p + k] * a[j * p + k]).sum();
            out[i * p + j] = s;
            out[j * p + i] = s;
        }
    }
    out
}

/// Lower-triangular Cholesky factor `L` (row-major) with `A = L Lᵀ`, or `None` if `A` is not
/// positive definite.
pub fn cholesky(a: &[f64], p: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; p * p];
    for j in 0..p {
        let mut d = a[j * p + j];
        for k in 0..j {
            d -= l[j * p + k] * l[j * p + k];
        }
        if d.is_nan() || d <= 0.0 || !d.is_finite() {
            return None;
        }
        let d = d.sqrt();
        l[j * p + j] = d;
        for i in j + 1..p {
            let mut s = a[i * p + j];
            for k in 0..j {
                s -= l[i * p + k] * l[j * p + k];
            }
            l[i * p + j] = s / d;
        }
    }
    Some(l)
}

/// Inverse of a symmetric positive-definite matrix by Cholesky, or `None` if it is not positive
/// definite (to working precision).
pub fn spd_inverse(a: &[f64], p: usize) -> Option<Vec<f64>> {
    let l = cholesky(a, p)?;
    // inverse = L⁻ᵀ L⁻¹; L⁻¹ is lower triangular, and its transpose upper triangular.
    let mut lt = vec![0.0; p * p];
    for i in 0..p {
        for j in 0..p {
            lt[i * p + j] = l[j * p + i];
        }
    }
    let u_inv = upper_tri_inverse(&lt, p); // (Lᵀ)⁻¹
    Some(a_at(&u_inv, p))
}

/// Solves `A x = b` for a symmetric positive-definite `p × p` matrix (row-major) by Cholesky, in
/// place: `a` is overwritten by its factor and `b` by the solution. Returns `false` when `A` is not
/// positive definite to working precision (relative pivot below `1e-12`).
pub fn cholesky_solve_in_place(a: &mut [f64], b: &mut [f64], p: usize) -> bool {
    if !cholesky_in_place(a, p) {
        return false;
    }
    cholesky_solve_factored(a, b, p);
    true
}

/// The Cholesky factor `L` of a symmetric positive-definite `p × p` matrix (row-major), in the
/// lower triangle of `a`; `false` when `A` is not positive definite to working precision
/// (relative pivot below `1e-12`).
pub fn cholesky_in_place(a: &mut [f64], p: usize) -> bool {
    for j in 0..p {
        let mut d = a[j * p + j];
        for k in 0..j {
            d -= a[j * p + k] * a[j * p + k];
        }
        let scale = a[j * p + j].abs().max(f64::MIN_POSITIVE);
        if d.is_nan() || d <= 1e-12 * scale {
            return false;
        }
        let d = d.sqrt();
        a[j * p + j] = d;
        for i in j + 1..p {
            let mut s = a[i * p + j];
            for k in 0..j {
                s -= a[i * p + k] * a[j * p + k];
            }
            a[i * p + j] = s / d;
        }
    }
    true
}

/// Solves `L Lᵀ x = b` in place, with `L` in the lower triangle of `l` (from
/// [`cholesky_in_place`]).
pub fn cholesky_solve_factored(l: &[f64], b: &mut [f64], p: usize) {
    for i in 0..p {
        let mut s = b[i];
        for k in 0..i {
            s -= l[i * p + k] * b[k];
        }
        b[i] = s / l[i * p + i];
    }
    for i in (0..p).rev() {
        let mut s = b[i];
        for k in i + 1..p {
            s -= l[k * p + i] * b[k];
        }
        b[i] = s / l[i * p + i];
    }
}

/// `x' A x` for a row-major `p × p` matrix `a`.
pub fn quad_form(a: &[f64], x: &[f64]) -> f64 {
    let p = x.len();
    (0..p)
        .map(|i| x[i] * (0..p).map(|j| a[i * p + j] * x[j]).sum::<f64>())
        .sum()
}

/// The sub-matrix of a row-major `p × p` matrix at the given indices.
pub fn submatrix(a: &[f64], p: usize, idx: &[usize]) -> Vec<f64> {
    let mut out = Vec::with_capacity(idx.len() * idx.len());
    for &i in idx {
        for &j in idx {
            out.push(a[i * p + j]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spd_inverse_recovers_identity() {
        let a = [4.0, 2.0, 0.6, 2.0, 3.0, 0.4, 0.6, 0.4, 2.0];
        let inv = spd_inverse(&a, 3).unwrap();
        for i in 0..3 {
            for j in 0..3 {
                let s: f64 = (0..3).map(|k| a[i * 3 + k] * inv[k * 3 + j]).sum();
                assert!((s - (i == j) as u8 as f64).abs() < 1e-12);
            }
        }
        assert!(spd_inverse(&[1.0, 2.0, 2.0, 4.0], 2).is_none());
    }
}
