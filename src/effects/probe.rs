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
    let distinct = crate::numeric::distinct_finite(&sorted);
    let vals: Vec<f64> = match method {
        ProbeMethod::Values(v) => v.clone(),
        _ if distinct.len() == 2 => distinct,
        ProbeMethod::Percentiles => [0.16, 0.50, 0.84]
            .iter()
            .map(|&p| percentile(&sorted, p))
            .collect(),
        ProbeMethod::MeanSd => {
            // As PROCESS: a value beyond the data is replaced by the minimum or maximum.
            let n = sorted.len() as f64;
            let mean = sorted.iter().sum::<f64>() / n;
            let sd = (sorted.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
            let (lo, hi) = (
                sorted.first().copied().unwrap_or(f64::NAN),
                sorted.last().copied().unwrap_or(f64::NAN),
            );
            vec![(mean - sd).max(lo), mean, (mean + sd).min(hi)]
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

/// The p-th quantile as PROCESS v4 computes it (`process.describ3`): with `h = p(n + 1)`, the value
/// `x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋])` (1-based, clamped to the ends); R's `quantile(type = 6)`.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let h = p * (n as f64 + 1.0);
    let low = h.trunc();
    let dec = h - low;
    let at = |k: f64| sorted[(k as usize).clamp(1, n) - 1];
    if low < 1.0 {
        return sorted[0];
    }
    if low >= n as f64 {
        return sorted[n - 1];
    }
    at(low) + dec * (at(low + 1.0) - at(low))
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

#[cfg(test)]
mod tests {
    use super::*;

    // R: quantile(1:10, c(.16, .5, .84), type = 6) = 1.76 5.50 9.24
    #[test]
    fn percentiles_are_type_6() {
        let x: Vec<f64> = (1..=10).map(f64::from).collect();
        let got: Vec<f64> = [0.16, 0.5, 0.84]
            .iter()
            .map(|&p| percentile(&x, p))
            .collect();
        for (g, e) in got.iter().zip([1.76, 5.5, 9.24]) {
            assert!((g - e).abs() < 1e-12, "{got:?}");
        }
        assert_eq!(percentile(&x, 0.01), 1.0);
        assert_eq!(percentile(&x, 0.99), 10.0);
    }
}
