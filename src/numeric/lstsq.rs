//! Least squares by Householder QR (faer), with a rank check in the spirit of R's `lm`
//! (LINPACK dqrdc2): column j is linearly dependent when, after projecting out the columns
//! before it, less than `RANK_TOL` of its norm remains.

use faer::Mat;

use super::matrix::{a_at, upper_tri_inverse};

/// R's `lm` tolerance.
pub const RANK_TOL: f64 = 1e-7;

/// A full-rank least-squares solution and the pieces later steps need.
#[derive(Debug, Clone)]
pub struct LeastSquares {
    pub coef: Vec<f64>,
    /// `(X'X)⁻¹`, row-major `p × p`.
    pub xtx_inv: Vec<f64>,
    pub fitted: Vec<f64>,
    pub residuals: Vec<f64>,
    /// Leverages: diagonal of the hat matrix.
    pub hat: Vec<f64>,
    /// Ratio of the largest to the smallest |R_jj|, a cheap lower bound on the condition number.
    pub r_diag_ratio: f64,
}

/// The first column found to be a linear combination of earlier ones, and the earlier columns that
/// enter that combination.
#[derive(Debug, Clone, PartialEq)]
pub struct RankDeficiency {
    pub dependent: usize,
    pub involved: Vec<usize>,
}

/// Solves `min ||y - X b||` for a column-major design given as columns.
pub fn qr_least_squares(cols: &[Vec<f64>], y: &[f64]) -> Result<LeastSquares, RankDeficiency> {
    let n = y.len();
    let p = cols.len();
    let x = Mat::<f64>::from_fn(n, p, |i, j| cols[j][i]);
    let qr = x.qr();
    let r_full = qr.thin_R();
    let mut r = vec![0.0; p * p];
    for i in 0..p {
        for j in i..p {
            r[i * p + j] = r_full[(i, j)];
        }
    }
    for j in 0..p {
        let norm = cols[j].iter().map(|v| v * v).sum::<f64>().sqrt();
        if r[j * p + j].abs() <= RANK_TOL * norm || norm == 0.0 {
            return Err(deficiency(&r, p, j, cols));
        }
    }
    let q = qr.compute_thin_Q();
    let mut hat = vec![0.0; n];
    let qty: Vec<f64> = (0..p)
        .map(|j| {
            let col = q.col(j);
            let mut s = 0.0;
            for (i, h) in hat.iter_mut().enumerate() {
                let qij = col[i];
                s += qij * y[i];
                *h += qij * qij;
            }
            s
        })
        .collect();
    let r_inv = upper_tri_inverse(&r, p);
    let coef: Vec<f64> = (0..p)
        .map(|i| (i..p).map(|k| r_inv[i * p + k] * qty[k]).sum())
        .collect();
    let mut fitted = vec![0.0; n];
    for (j, c) in cols.iter().enumerate() {
        let b = coef[j];
        for (f, v) in fitted.iter_mut().zip(c) {
            *f += b * v;
        }
    }
    let residuals = y.iter().zip(&fitted).map(|(a, b)| a - b).collect();
    let diag: Vec<f64> = (0..p).map(|j| r[j * p + j].abs()).collect();
    let r_diag_ratio = diag.iter().cloned().fold(0.0, f64::max)
        / diag.iter().cloned().fold(f64::INFINITY, f64::min);
    Ok(LeastSquares {
        coef,
        xtx_inv: a_at(&r_inv, p),
        fitted,
        residuals,
        hat,
        r_diag_ratio,
    })
}

/// Column `j` is (numerically) a combination of columns `0..j`: solve for the combination from the
/// leading triangle of R and report the columns that carry weight in it.
fn deficiency(r: &[f64], p: usize, j: usize, cols: &[Vec<f64>]) -> RankDeficiency {
    let norm = |c: &Vec<f64>| c.iter().map(|v| v * v).sum::<f64>().sqrt();
    if j == 0 {
        return RankDeficiency {
            dependent: 0,
            involved: vec![],
        };
    }
    let mut r11 = vec![0.0; j * j];
    for a in 0..j {
        for b in a..j {
            r11[a * j + b] = r[a * p + b];
        }
    }
    let inv = upper_tri_inverse(&r11, j);
    let rhs: Vec<f64> = (0..j).map(|a| r[a * p + j]).collect();
    let c: Vec<f64> = (0..j)
        .map(|a| (a..j).map(|k| inv[a * j + k] * rhs[k]).sum())
        .collect();
    let nj = norm(&cols[j]);
    let involved = (0..j)
        .filter(|&a| (c[a] * norm(&cols[a])).abs() > 1e-6 * nj)
        .collect();
    RankDeficiency {
        dependent: j,
        involved,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_fit_and_dependency() {
        let one = vec![1.0; 5];
        let x = vec![1.0, 2.0, 3.0, 4.0, 5.0];
        let y: Vec<f64> = x.iter().map(|v| 2.0 + 3.0 * v).collect();
        let fit = qr_least_squares(&[one.clone(), x.clone()], &y).unwrap();
        assert!((fit.coef[0] - 2.0).abs() < 1e-12 && (fit.coef[1] - 3.0).abs() < 1e-12);
        let z: Vec<f64> = x.iter().map(|v| 1.0 - 2.0 * v).collect();
        let w = vec![0.0, 1.0, 0.0, 1.0, 1.0];
        let err = qr_least_squares(&[one, x, w, z], &y).unwrap_err();
        assert_eq!(
            err,
            RankDeficiency {
                dependent: 3,
                involved: vec![0, 1]
            }
        );
    }
}
