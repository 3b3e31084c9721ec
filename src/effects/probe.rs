//! Moderator values at which conditional effects are probed.

use serde::Serialize;

use super::ProbePoint;

/// How to choose probe values for a numeric moderator.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProbeMethod {
    /// The 16th, 50th and 84th percentiles (PROCESS v4's default).
    Percentiles,
    /// Mean - SD, mean, mean + SD (PROCESS v3 and pyprocessmacro).
    MeanSd,
    /// Values given by the user.
    Values(Vec<f64>),
}

/// Probe points of a numeric moderator from its values in the analysis sample. A moderator with
/// exactly two distinct values is probed at those two values (unless values are given).
pub fn numeric_points(values: &[f64], method: &ProbeMethod) -> Vec<ProbePoint> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    let mut distinct = sorted.clone();
    distinct.dedup();
    let vals: Vec<f64> = match method {
        ProbeMethod::Values(v) => v.clone(),
        _ if distinct.len() == 2 => distinct,
        ProbeMethod::Percentiles => [0.16, 0.50, 0.84]
            .iter()
            .map(|&p| percentile(&sorted, p))
            .collect(),
        ProbeMethod::MeanSd => {
            let n = sorted.len() as f64;
            let mean = sorted.iter().sum::<f64>() / n;
            let sd = (sorted.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
            vec![mean - sd, mean, mean + sd]
        }
    };
    vals.into_iter()
        .map(|v| ProbePoint {
            label: label(v),
            value: v,
            codes: vec![v],
        })
        .collect()
}

/// The `ceil(p·n)`-th smallest value (1-based), the order statistic PROCESS reports as the p-th
/// percentile.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let k = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[k - 1]
}

/// A probe value as shown in tables and effect labels.
pub fn label(v: f64) -> String {
    let s = format!("{v:.4}");
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    }
}
