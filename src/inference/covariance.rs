use serde::Serialize;

/// Coefficient covariance estimators, as in R's `sandwich::vcovHC` (HC0-HC4) and
/// `sandwich::vcovCL` (CR1, the default `type = "HC1"` with `cadjust = TRUE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CovType {
    /// Classical: MSE · (X'X)⁻¹.
    #[default]
    Ols,
    Hc0,
    Hc1,
    Hc2,
    Hc3,
    Hc4,
    /// One-way cluster-robust: G/(G-1) · (n-1)/(n-k) · B (Σ_g u_g u_gᵀ) B.
    Cr1,
}

impl CovType {
    pub fn label(self) -> &'static str {
        match self {
            CovType::Ols => "OLS",
            CovType::Hc0 => "HC0",
            CovType::Hc1 => "HC1",
            CovType::Hc2 => "HC2",
            CovType::Hc3 => "HC3",
            CovType::Hc4 => "HC4",
            CovType::Cr1 => "CR1 (cluster-robust)",
        }
    }

    pub fn is_robust(self) -> bool {
        self != CovType::Ols
    }
}

impl std::str::FromStr for CovType {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "ols" | "none" | "const" => Ok(CovType::Ols),
            "hc0" | "0" => Ok(CovType::Hc0),
            "hc1" | "1" => Ok(CovType::Hc1),
            "hc2" | "2" => Ok(CovType::Hc2),
            "hc3" | "3" => Ok(CovType::Hc3),
            "hc4" | "4" => Ok(CovType::Hc4),
            "cr1" | "cluster" => Ok(CovType::Cr1),
            _ => Err(format!(
                "unknown covariance type '{s}': use ols, hc0, hc1, hc2, hc3 or hc4"
            )),
        }
    }
}

/// Classical covariance: `mse · (X'X)⁻¹`.
pub fn ols_cov(xtx_inv: &[f64], mse: f64) -> Vec<f64> {
    xtx_inv.iter().map(|v| v * mse).collect()
}

/// Heteroskedasticity-consistent covariance `B (Σ ω_i x_i x_iᵀ) B` with `B = (X'X)⁻¹` and the
/// weights of MacKinnon & White (HC0-HC3) and Cribari-Neto (HC4).
pub fn hc_cov(
    columns: &[Vec<f64>],
    xtx_inv: &[f64],
    residuals: &[f64],
    hat: &[f64],
    kind: CovType,
) -> Vec<f64> {
    let n = residuals.len();
    let k = columns.len();
    let nf = n as f64;
    let kf = k as f64;
    let omega: Vec<f64> = residuals
        .iter()
        .zip(hat)
        .map(|(&e, &h)| {
            let e2 = e * e;
            match kind {
                CovType::Hc0 | CovType::Ols | CovType::Cr1 => e2,
                CovType::Hc1 => e2 * nf / (nf - kf),
                CovType::Hc2 => e2 / (1.0 - h),
                CovType::Hc3 => e2 / ((1.0 - h) * (1.0 - h)),
                CovType::Hc4 => {
                    let delta = (nf * h / kf).min(4.0);
                    e2 / (1.0 - h).powf(delta)
                }
            }
        })
        .collect();
    let mut meat = vec![0.0; k * k];
    for a in 0..k {
        for b in 0..=a {
            let ca = &columns[a];
            let cb = &columns[b];
            let s: f64 = (0..n).map(|i| omega[i] * ca[i] * cb[i]).sum();
            meat[a * k + b] = s;
            meat[b * k + a] = s;
        }
    }
    sandwich(xtx_inv, &meat, k)
}

/// One-way cluster-robust covariance (CR1). `clusters[i]` is the cluster of row i, numbered
/// `0..g`.
pub fn cluster_cov(
    columns: &[Vec<f64>],
    xtx_inv: &[f64],
    residuals: &[f64],
    clusters: &[u32],
    g: usize,
) -> Vec<f64> {
    let n = residuals.len();
    let k = columns.len();
    let mut scores = vec![0.0; g * k];
    for i in 0..n {
        let c = clusters[i] as usize;
        for (j, col) in columns.iter().enumerate() {
            scores[c * k + j] += col[i] * residuals[i];
        }
    }
    let mut meat = vec![0.0; k * k];
    for c in 0..g {
        let u = &scores[c * k..(c + 1) * k];
        for a in 0..k {
            for b in 0..k {
                meat[a * k + b] += u[a] * u[b];
            }
        }
    }
    let (gf, nf, kf) = (g as f64, n as f64, k as f64);
    let adj = gf / (gf - 1.0) * (nf - 1.0) / (nf - kf);
    sandwich(xtx_inv, &meat, k)
        .into_iter()
        .map(|v| v * adj)
        .collect()
}

fn sandwich(bread: &[f64], meat: &[f64], k: usize) -> Vec<f64> {
    let mut bm = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..k {
            bm[i * k + j] = (0..k).map(|l| bread[i * k + l] * meat[l * k + j]).sum();
        }
    }
    let mut out = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..=i {
            let s: f64 = (0..k).map(|l| bm[i * k + l] * bread[l * k + j]).sum();
            out[i * k + j] = s;
            out[j * k + i] = s;
        }
    }
    out
}
