//! Means, covariance and correlation matrices of item columns (row-major `p × p`).

/// Mean with a correction pass (as R's `mean`).
pub fn mean(x: &[f64]) -> f64 {
    let n = x.len() as f64;
    let m0 = x.iter().sum::<f64>() / n;
    m0 + x.iter().map(|v| v - m0).sum::<f64>() / n
}

/// Covariance matrix of columns with divisor `n − ddof` (1 for the unbiased estimate as R's
/// `cov`, 0 for the ML estimate lavaan fits to).
pub fn covariance(cols: &[Vec<f64>], ddof: usize) -> Vec<f64> {
    let p = cols.len();
    let n = cols.first().map_or(0, Vec::len);
    let means: Vec<f64> = cols.iter().map(|c| mean(c)).collect();
    let centred: Vec<Vec<f64>> = cols
        .iter()
        .zip(&means)
        .map(|(c, m)| c.iter().map(|x| x - m).collect())
        .collect();
    let d = (n - ddof) as f64;
    let mut s = vec![0.0; p * p];
    for i in 0..p {
        for j in 0..=i {
            let v = centred[i]
                .iter()
                .zip(&centred[j])
                .map(|(a, b)| a * b)
                .sum::<f64>()
                / d;
            s[i * p + j] = v;
            s[j * p + i] = v;
        }
    }
    s
}

/// The correlation matrix of a covariance matrix.
pub fn cov_to_cor(s: &[f64], p: usize) -> Vec<f64> {
    let sd: Vec<f64> = (0..p).map(|i| s[i * p + i].sqrt()).collect();
    let mut r = vec![0.0; p * p];
    for i in 0..p {
        for j in 0..p {
            r[i * p + j] = if i == j {
                1.0
            } else {
                s[i * p + j] / (sd[i] * sd[j])
            };
        }
    }
    r
}

/// Inverse of a symmetric positive-definite matrix that is well away from singular: the matrix
/// scaled to unit diagonal must have Cholesky pivots above `1e-10` (relative), so an exactly
/// collinear set (whose rounding leaves pivots near 1e-16) is reported as singular rather than
/// inverted into noise.
pub fn spd_inverse_checked(a: &[f64], p: usize) -> Option<Vec<f64>> {
    if first_dependent(a, p).is_some() {
        return None;
    }
    crate::numeric::matrix::spd_inverse(a, p)
}

/// The first variable (index) whose Cholesky pivot, on the matrix scaled to unit diagonal, falls
/// below `1e-10`: it is (nearly) a linear combination of the variables before it. `None` when the
/// matrix is safely positive definite.
pub fn first_dependent(a: &[f64], p: usize) -> Option<usize> {
    let d: Vec<f64> = (0..p).map(|i| a[i * p + i]).collect();
    if let Some(i) = d
        .iter()
        .position(|&x| x.is_nan() || x <= 0.0 || x.is_infinite())
    {
        return Some(i);
    }
    let mut l = vec![0.0; p * p];
    for j in 0..p {
        let mut piv: f64 = 1.0;
        for k in 0..j {
            piv -= l[j * p + k] * l[j * p + k];
        }
        if piv.is_nan() || piv < 1e-10 {
            return Some(j);
        }
        let piv = piv.sqrt();
        l[j * p + j] = piv;
        for i in j + 1..p {
            let mut s = a[i * p + j] / (d[i] * d[j]).sqrt();
            for k in 0..j {
                s -= l[i * p + k] * l[j * p + k];
            }
            l[i * p + j] = s / piv;
        }
    }
    None
}

/// Largest eigenvalue of a symmetric positive semi-definite matrix, by power iteration.
pub fn largest_eigen(a: &[f64], p: usize) -> (f64, Vec<f64>) {
    let mut v = vec![1.0 / (p as f64).sqrt(); p];
    let mut lambda = 0.0;
    for _ in 0..10_000 {
        let mut w: Vec<f64> = (0..p)
            .map(|i| (0..p).map(|j| a[i * p + j] * v[j]).sum())
            .collect();
        let norm = w.iter().map(|x| x * x).sum::<f64>().sqrt();
        if norm == 0.0 {
            return (0.0, v);
        }
        w.iter_mut().for_each(|x| *x /= norm);
        let delta = w
            .iter()
            .zip(&v)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        v = w;
        lambda = norm;
        if delta < 1e-14 {
            break;
        }
    }
    (lambda, v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eigen_of_known_matrix() {
        // [[2, 1], [1, 2]] has eigenvalues 3 and 1.
        let (l, v) = largest_eigen(&[2.0, 1.0, 1.0, 2.0], 2);
        assert!((l - 3.0).abs() < 1e-12);
        assert!((v[0] - v[1]).abs() < 1e-10);
        let s = covariance(&[vec![1.0, 2.0, 3.0], vec![2.0, 4.0, 7.0]], 1);
        assert_eq!(s[0], 1.0);
        assert_eq!(s[1], 2.5);
    }
}
