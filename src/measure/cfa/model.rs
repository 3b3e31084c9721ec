//! The simple-structure measurement model: each item loads on one factor; the first item of each
//! factor is its marker (loading fixed to 1, lavaan's default); factor variances and covariances
//! and residual variances are free. The parameter vector is
//! `[free loadings in item order, Φ's lower triangle by rows, Θ's diagonal]`.

/// The structure of a CFA model.
#[derive(Debug, Clone, PartialEq)]
pub struct CfaModel {
    /// Factor of each item.
    pub factor_of: Vec<usize>,
    /// Number of factors.
    pub m: usize,
    /// Whether item `i` is its factor's marker.
    pub is_marker: Vec<bool>,
    /// Parameter index of item `i`'s loading (`None` for markers).
    pub loading_index: Vec<Option<usize>>,
}

impl CfaModel {
    pub fn new(factor_of: Vec<usize>, m: usize) -> CfaModel {
        let mut seen = vec![false; m];
        let mut is_marker = Vec::with_capacity(factor_of.len());
        let mut loading_index = Vec::with_capacity(factor_of.len());
        let mut next = 0;
        for &k in &factor_of {
            is_marker.push(!seen[k]);
            if seen[k] {
                loading_index.push(Some(next));
                next += 1;
            } else {
                loading_index.push(None);
            }
            seen[k] = true;
        }
        CfaModel {
            factor_of,
            m,
            is_marker,
            loading_index,
        }
    }

    pub fn p(&self) -> usize {
        self.factor_of.len()
    }

    pub fn n_loadings(&self) -> usize {
        self.p() - self.m
    }

    /// Index of `Φ[k][l]` (`k ≥ l`) in the parameter vector.
    pub fn phi_index(&self, k: usize, l: usize) -> usize {
        let (k, l) = if k >= l { (k, l) } else { (l, k) };
        self.n_loadings() + k * (k + 1) / 2 + l
    }

    pub fn theta_index(&self, i: usize) -> usize {
        self.n_loadings() + self.m * (self.m + 1) / 2 + i
    }

    pub fn n_params(&self) -> usize {
        self.theta_index(self.p())
    }

    /// Loadings (1 for markers), Φ (`m × m`) and Θ's diagonal from a parameter vector.
    pub fn unpack(&self, x: &[f64]) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        let lambda = self
            .loading_index
            .iter()
            .map(|ix| ix.map_or(1.0, |j| x[j]))
            .collect();
        let m = self.m;
        let mut phi = vec![0.0; m * m];
        for k in 0..m {
            for l in 0..=k {
                let v = x[self.phi_index(k, l)];
                phi[k * m + l] = v;
                phi[l * m + k] = v;
            }
        }
        let theta = (0..self.p()).map(|i| x[self.theta_index(i)]).collect();
        (lambda, phi, theta)
    }

    /// The implied covariance `ΛΦΛ' + Θ` (row-major `p × p`).
    pub fn sigma(&self, x: &[f64]) -> Vec<f64> {
        let (lambda, phi, theta) = self.unpack(x);
        let p = self.p();
        let m = self.m;
        let mut s = vec![0.0; p * p];
        for i in 0..p {
            for j in 0..=i {
                let v = lambda[i] * lambda[j] * phi[self.factor_of[i] * m + self.factor_of[j]]
                    + if i == j { theta[i] } else { 0.0 };
                s[i * p + j] = v;
                s[j * p + i] = v;
            }
        }
        s
    }
}
