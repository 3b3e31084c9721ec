//! A small dense matrix (row-major) for the SEM engine: the matrices here are p × p and m × m
//! with p, m in the tens, so plain loops are clear and fast enough; no allocation-free
//! workspace yet (the bootstrap lane will add one).

/// A dense row-major matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct Mat {
    pub rows: usize,
    pub cols: usize,
    pub data: Vec<f64>,
}

impl Mat {
    pub fn zeros(rows: usize, cols: usize) -> Mat {
        Mat {
            rows,
            cols,
            data: vec![0.0; rows * cols],
        }
    }

    pub fn identity(n: usize) -> Mat {
        let mut m = Mat::zeros(n, n);
        for i in 0..n {
            m[(i, i)] = 1.0;
        }
        m
    }

    pub fn from_rows(rows: usize, cols: usize, data: Vec<f64>) -> Mat {
        assert_eq!(data.len(), rows * cols, "matrix data of the wrong length");
        Mat { rows, cols, data }
    }

    pub fn t(&self) -> Mat {
        let mut out = Mat::zeros(self.cols, self.rows);
        for i in 0..self.rows {
            for j in 0..self.cols {
                out[(j, i)] = self[(i, j)];
            }
        }
        out
    }

    pub fn mul(&self, b: &Mat) -> Mat {
        assert_eq!(
            self.cols, b.rows,
            "matrix product of non-conformable matrices"
        );
        let mut c = Mat::zeros(self.rows, b.cols);
        for i in 0..self.rows {
            for k in 0..self.cols {
                let a = self[(i, k)];
                if a == 0.0 {
                    continue;
                }
                let row = &b.data[k * b.cols..(k + 1) * b.cols];
                let out = &mut c.data[i * b.cols..(i + 1) * b.cols];
                for (o, v) in out.iter_mut().zip(row) {
                    *o += a * v;
                }
            }
        }
        c
    }

    pub fn mul_vec(&self, x: &[f64]) -> Vec<f64> {
        if self.cols == 0 {
            return vec![0.0; self.rows];
        }
        // Row slices instead of indexing: the bootstrap's refits call this (Kz, the BFGS
        // direction) at every step.
        self.data
            .chunks_exact(self.cols)
            .map(|row| row.iter().zip(x).map(|(a, b)| a * b).sum())
            .collect()
    }

    /// A′x without forming A′ (the same sums, in the same order, as `self.t().mul_vec(x)`).
    pub fn t_mul_vec(&self, x: &[f64]) -> Vec<f64> {
        (0..self.cols)
            .map(|j| (0..self.rows).map(|i| self[(i, j)] * x[i]).sum())
            .collect()
    }

    pub fn add(&self, b: &Mat) -> Mat {
        let data = self.data.iter().zip(&b.data).map(|(x, y)| x + y).collect();
        Mat::from_rows(self.rows, self.cols, data)
    }

    pub fn sub(&self, b: &Mat) -> Mat {
        let data = self.data.iter().zip(&b.data).map(|(x, y)| x - y).collect();
        Mat::from_rows(self.rows, self.cols, data)
    }

    pub fn scale(&self, s: f64) -> Mat {
        Mat::from_rows(
            self.rows,
            self.cols,
            self.data.iter().map(|x| x * s).collect(),
        )
    }

    pub fn col(&self, j: usize) -> Vec<f64> {
        (0..self.rows).map(|i| self[(i, j)]).collect()
    }

    pub fn diag(&self) -> Vec<f64> {
        (0..self.rows.min(self.cols))
            .map(|i| self[(i, i)])
            .collect()
    }

    /// `tr(A B)` for square matrices of the same size.
    pub fn trace_mul(&self, b: &Mat) -> f64 {
        let n = self.rows;
        let mut t = 0.0;
        for i in 0..n {
            for k in 0..n {
                t += self[(i, k)] * b[(k, i)];
            }
        }
        t
    }

    /// The rows and columns at `idx` (a principal submatrix when square).
    pub fn select(&self, idx: &[usize]) -> Mat {
        let mut out = Mat::zeros(idx.len(), idx.len());
        for (a, &i) in idx.iter().enumerate() {
            for (b, &j) in idx.iter().enumerate() {
                out[(a, b)] = self[(i, j)];
            }
        }
        out
    }
}

impl std::ops::Index<(usize, usize)> for Mat {
    type Output = f64;
    fn index(&self, (i, j): (usize, usize)) -> &f64 {
        &self.data[i * self.cols + j]
    }
}

impl std::ops::IndexMut<(usize, usize)> for Mat {
    fn index_mut(&mut self, (i, j): (usize, usize)) -> &mut f64 {
        &mut self.data[i * self.cols + j]
    }
}

/// The Cholesky factor `L` (`A = L Lᵀ`) of a symmetric matrix, or `None` when a pivot is not
/// positive: lavaan treats such an implied Σ as outside the parameter space (objective Inf).
pub fn cholesky(a: &Mat) -> Option<Mat> {
    let n = a.rows;
    let mut l = Mat::zeros(n, n);
    for j in 0..n {
        let mut d = a[(j, j)];
        for k in 0..j {
            d -= l[(j, k)] * l[(j, k)];
        }
        if d.is_nan() || d <= 0.0 || !d.is_finite() {
            return None;
        }
        let d = d.sqrt();
        l[(j, j)] = d;
        for i in j + 1..n {
            let mut s = a[(i, j)];
            for k in 0..j {
                s -= l[(i, k)] * l[(j, k)];
            }
            l[(i, j)] = s / d;
        }
    }
    Some(l)
}

/// `ln|A|` and `A⁻¹` of a symmetric positive-definite matrix, or `None`.
pub fn spd_inverse_logdet(a: &Mat) -> Option<(Mat, f64)> {
    let n = a.rows;
    let l = cholesky(a)?;
    let logdet = 2.0 * (0..n).map(|i| l[(i, i)].ln()).sum::<f64>();
    // L⁻¹ by forward substitution, then A⁻¹ = L⁻ᵀ L⁻¹.
    let mut li = Mat::zeros(n, n);
    for j in 0..n {
        li[(j, j)] = 1.0 / l[(j, j)];
        for i in j + 1..n {
            let mut s = 0.0;
            for k in j..i {
                s += l[(i, k)] * li[(k, j)];
            }
            li[(i, j)] = -s / l[(i, i)];
        }
    }
    Some((lower_gram(&li), logdet))
}

/// L′L of a lower-triangular L: (L′L)_ij = Σ_{k ≥ max(i, j)} L_ki L_kj, one triangle formed and
/// mirrored (a sixth of a general product; every evaluation of F inverts Σ this way).
fn lower_gram(l: &Mat) -> Mat {
    let n = l.rows;
    let mut out = Mat::zeros(n, n);
    for i in 0..n {
        for j in i..n {
            let mut s = 0.0;
            for k in j..n {
                s += l[(k, i)] * l[(k, j)];
            }
            out[(i, j)] = s;
            out[(j, i)] = s;
        }
    }
    out
}

/// The inverse of a general square matrix by Gauss-Jordan elimination with partial pivoting, or
/// `None` when it is singular to working precision (for `I − B`).
pub fn inverse(a: &Mat) -> Option<Mat> {
    let n = a.rows;
    let mut m = a.clone();
    let mut inv = Mat::identity(n);
    for c in 0..n {
        let piv = (c..n).max_by(|&i, &j| m[(i, c)].abs().total_cmp(&m[(j, c)].abs()))?;
        if m[(piv, c)].abs() < 1e-14 {
            return None;
        }
        for j in 0..n {
            m.data.swap(c * n + j, piv * n + j);
            inv.data.swap(c * n + j, piv * n + j);
        }
        let d = m[(c, c)];
        for j in 0..n {
            m[(c, j)] /= d;
            inv[(c, j)] /= d;
        }
        for i in (0..n).filter(|&i| i != c) {
            let f = m[(i, c)];
            if f != 0.0 {
                for j in 0..n {
                    m[(i, j)] -= f * m[(c, j)];
                    inv[(i, j)] -= f * inv[(c, j)];
                }
            }
        }
    }
    Some(inv)
}

/// Eigenvalues (ascending) and eigenvectors (columns, in the same order) of a symmetric matrix
/// by cyclic Jacobi rotations (Golub & Van Loan 2013, §8.5); accurate for the small
/// information matrices here.
pub fn symmetric_eigen(a: &Mat) -> (Vec<f64>, Mat) {
    let n = a.rows;
    let mut m = a.clone();
    let mut v = Mat::identity(n);
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| m[(i, j)] * m[(i, j)])
            .sum();
        let scale: f64 = (0..n)
            .map(|i| m[(i, i)] * m[(i, i)])
            .sum::<f64>()
            .max(f64::MIN_POSITIVE);
        if off <= 1e-30 * scale {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                if m[(p, q)] == 0.0 {
                    continue;
                }
                let theta = (m[(q, q)] - m[(p, p)]) / (2.0 * m[(p, q)]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let (mkp, mkq) = (m[(k, p)], m[(k, q)]);
                    m[(k, p)] = c * mkp - s * mkq;
                    m[(k, q)] = s * mkp + c * mkq;
                }
                for k in 0..n {
                    let (mpk, mqk) = (m[(p, k)], m[(q, k)]);
                    m[(p, k)] = c * mpk - s * mqk;
                    m[(q, k)] = s * mpk + c * mqk;
                }
                for k in 0..n {
                    let (vkp, vkq) = (v[(k, p)], v[(k, q)]);
                    v[(k, p)] = c * vkp - s * vkq;
                    v[(k, q)] = s * vkp + c * vkq;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| m[(i, i)].total_cmp(&m[(j, j)]));
    let values = order.iter().map(|&i| m[(i, i)]).collect();
    let mut vecs = Mat::zeros(n, n);
    for (c, &i) in order.iter().enumerate() {
        for k in 0..n {
            vecs[(k, c)] = v[(k, i)];
        }
    }
    (values, vecs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverses_recover_identity() {
        let a = Mat::from_rows(3, 3, vec![4.0, 2.0, 0.6, 2.0, 3.0, 0.4, 0.6, 0.4, 2.0]);
        let (inv, logdet) = spd_inverse_logdet(&a).unwrap();
        let g = inverse(&a).unwrap();
        let id = a.mul(&inv);
        for i in 0..3 {
            for j in 0..3 {
                let e = (i == j) as u8 as f64;
                assert!((id[(i, j)] - e).abs() < 1e-12);
                assert!((g[(i, j)] - inv[(i, j)]).abs() < 1e-12);
            }
        }
        // det = 4(6 − 0.16) − 2(4 − 0.24) + 0.6(0.8 − 1.8) = 23.36 − 7.52 − 0.6
        assert!((logdet - 15.24f64.ln()).abs() < 1e-12);
        assert!(cholesky(&Mat::from_rows(2, 2, vec![1.0, 2.0, 2.0, 1.0])).is_none());
    }

    #[test]
    fn jacobi_eigen_reconstructs() {
        let a = Mat::from_rows(3, 3, vec![4.0, 2.0, 0.6, 2.0, 3.0, 0.4, 0.6, 0.4, 2.0]);
        let (vals, vecs) = symmetric_eigen(&a);
        assert!(vals[0] <= vals[1] && vals[1] <= vals[2]);
        for (c, val) in vals.iter().enumerate() {
            let v = vecs.col(c);
            let av = a.mul_vec(&v);
            for (x, y) in av.iter().zip(&v) {
                assert!((x - val * y).abs() < 1e-12);
            }
        }
        assert!((vals.iter().sum::<f64>() - 9.0).abs() < 1e-12);
    }
}
