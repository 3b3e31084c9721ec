//! Common-method checks. Harman's single-factor test reports the share of the items' total
//! variance taken by the first unrotated principal component of their correlation matrix (the
//! usual SPSS practice: "principal components, unrotated, one factor"); above 50% is the customary
//! flag. It is a weak test: a single factor rarely dominates even when method variance is large
//! (Podsakoff et al. 2003), so a low share does not rule out method bias. The Lindell-Whitney
//! marker-variable correction subtracts `r_M`, the smallest positive correlation of a theoretically
//! unrelated marker with the construct scores (Lindell & Whitney 2001, p. 116: common-method
//! variance inflates correlations, so a negative marker correlation is no estimate of it; with no
//! positive correlation `r_M` is 0 and nothing is subtracted): `r_A = (r − r_M) / (1 − r_M)`,
//! tested with `t = r_A / sqrt((1 − r_A²)/(n − 3))`.

use crate::numeric::dist::t_p_two_sided;

use super::stats::largest_eigen;

/// Harman's single-factor test.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Harman {
    pub first_eigenvalue: f64,
    /// `first_eigenvalue / p`.
    pub share: f64,
    pub items: usize,
    pub method: &'static str,
}

/// Harman's test from an item correlation matrix.
pub fn harman(r: &[f64], p: usize) -> Harman {
    let (l, _) = largest_eigen(r, p);
    Harman {
        first_eigenvalue: l,
        share: l / p as f64,
        items: p,
        method: "first unrotated principal component of the item correlation matrix",
    }
}

/// A marker-corrected correlation.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MarkerPair {
    pub a: String,
    pub b: String,
    pub r: f64,
    pub r_adjusted: f64,
    pub p: f64,
}

/// The Lindell-Whitney correction.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MarkerCorrection {
    pub marker: String,
    pub r_m: f64,
    pub pairs: Vec<MarkerPair>,
}

/// Corrects the correlations `pairs` (`(a, b, r)`) with marker correlations `marker_r` over `n`
/// rows.
pub fn lindell_whitney(
    marker: &str,
    marker_r: &[f64],
    pairs: &[(String, String, f64)],
    n: usize,
) -> MarkerCorrection {
    let r_m = marker_r
        .iter()
        .copied()
        .filter(|&r| r > 0.0)
        .fold(f64::INFINITY, f64::min);
    let r_m = if r_m.is_finite() { r_m } else { 0.0 };
    let df = n as f64 - 3.0;
    MarkerCorrection {
        marker: marker.to_string(),
        r_m,
        pairs: pairs
            .iter()
            .map(|(a, b, r)| {
                let ra = (r - r_m) / (1.0 - r_m);
                let t = ra / ((1.0 - ra * ra) / df).sqrt();
                MarkerPair {
                    a: a.clone(),
                    b: b.clone(),
                    r: *r,
                    r_adjusted: ra,
                    p: t_p_two_sided(t, df),
                }
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marker_correlation_is_the_smallest_positive_one() {
        let pairs = [("a".to_string(), "b".to_string(), 0.5)];
        // The -0.05 is smaller in absolute value but is not an estimate of method variance.
        let c = lindell_whitney("m", &[0.2, -0.05, 0.1], &pairs, 100);
        assert_eq!(c.r_m, 0.1);
        assert!((c.pairs[0].r_adjusted - (0.5 - 0.1) / 0.9).abs() < 1e-15);
        // No positive marker correlation: no correction.
        let c = lindell_whitney("m", &[-0.2, -0.05], &pairs, 100);
        assert_eq!(c.r_m, 0.0);
        assert_eq!(c.pairs[0].r_adjusted, 0.5);
    }
}
