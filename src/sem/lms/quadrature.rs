//! Gauss-Hermite quadrature for an expectation over a standard normal variable:
//! E f(Z) ≈ Σ_j w_j f(z_j). The rule is Golub & Welsch (1969): the nodes t_j of the
//! physicists' Hermite rule (weight e^{-t²}) are the eigenvalues of the symmetric tridiagonal
//! Jacobi matrix with off-diagonal √(k/2), and the weights are √π times the squared first
//! components of the eigenvectors. For N(0, 1), z = √2·t and w = (weight)/√π, the convention of
//! modsem's `quadrature()` (Klein & Moosbrugger 2000, eq. 14).

use super::super::linalg::{symmetric_eigen, Mat};

/// Nodes z_j (ascending) and weights w_j (summing to 1) of the m-point rule for N(0, 1).
pub fn standard_normal_rule(m: usize) -> (Vec<f64>, Vec<f64>) {
    let mut j = Mat::zeros(m, m);
    for k in 1..m {
        let off = (k as f64 / 2.0).sqrt();
        j[(k - 1, k)] = off;
        j[(k, k - 1)] = off;
    }
    let (t, v) = symmetric_eigen(&j);
    let nodes = t.iter().map(|t| std::f64::consts::SQRT_2 * t).collect();
    let mut w: Vec<f64> = (0..m).map(|k| v[(0, k)] * v[(0, k)]).collect();
    let total: f64 = w.iter().sum();
    w.iter_mut().for_each(|x| *x /= total);
    (nodes, w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_integrates_normal_moments_exactly() {
        let (z, w) = standard_normal_rule(16);
        let moment = |k: i32| z.iter().zip(&w).map(|(z, w)| w * z.powi(k)).sum::<f64>();
        // E Z^0..8 of N(0,1): 1, 0, 1, 0, 3, 0, 15, 0, 105.
        for (k, want) in [1.0, 0.0, 1.0, 0.0, 3.0, 0.0, 15.0, 0.0, 105.0]
            .iter()
            .enumerate()
        {
            assert!((moment(k as i32) - want).abs() < 1e-9, "moment {k}");
        }
        // E cos(Z) = e^{-1/2}.
        let c: f64 = z.iter().zip(&w).map(|(z, w)| w * z.cos()).sum();
        assert!((c - (-0.5f64).exp()).abs() < 1e-12);
    }
}
