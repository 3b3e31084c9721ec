//! Pearson correlation matrices with two-sided p-values, as R `cor.test` and SPSS `CORRELATIONS`.

use crate::data::{complete_cases, Dataset};
use crate::numeric::dist::t_p_two_sided;

/// Which rows enter each correlation when values are missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MissingPolicy {
    /// Only rows complete on every requested variable (SPSS `/MISSING=LISTWISE`, R
    /// `use = "complete.obs"`): every pair has the same `n`.
    #[default]
    Listwise,
    /// Each pair uses the rows complete on its two variables (SPSS `/MISSING=PAIRWISE`, R
    /// `use = "pairwise.complete.obs"`): `n` may differ between pairs.
    Pairwise,
}

/// A Pearson correlation matrix. `r`, `p` and `n` are `k × k`, row-major, in the order of
/// `names`: the entry for variables `i` and `j` is at index `i * k + j` (see [`Self::r`],
/// [`Self::p`], [`Self::n`]).
///
/// The diagonal follows the same rules as any pair: `r = 1` (`NaN` for a constant variable) and
/// `p = 0` when `n ≥ 3`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CorrelationMatrix {
    pub names: Vec<String>,
    /// Pearson correlations (`NaN` when a variable of the pair is constant or `n < 2`).
    pub r: Vec<f64>,
    /// Two-sided p-values of `t = r · sqrt((n − 2)/(1 − r²))` on `n − 2` degrees of freedom
    /// (`0` when `r = ±1`; `NaN` when `n < 3` or `r` is `NaN`).
    pub p: Vec<f64>,
    /// Rows used for each pair.
    pub n: Vec<usize>,
    pub missing: MissingPolicy,
    /// File lines (header = line 1) of the rows dropped by listwise deletion (always empty for
    /// [`MissingPolicy::Pairwise`]).
    pub dropped_lines: Vec<u64>,
}

impl CorrelationMatrix {
    /// Number of variables.
    pub fn k(&self) -> usize {
        self.names.len()
    }

    pub fn r(&self, i: usize, j: usize) -> f64 {
        self.r[i * self.k() + j]
    }

    pub fn p(&self, i: usize, j: usize) -> f64 {
        self.p[i * self.k() + j]
    }

    pub fn n(&self, i: usize, j: usize) -> usize {
        self.n[i * self.k() + j]
    }
}

/// Pearson correlations of every pair of `vars`, with two-sided p-values from
/// `t = r · sqrt((n − 2)/(1 − r²))` on `n − 2` degrees of freedom (as R `cor.test` and SPSS).
///
/// With [`MissingPolicy::Listwise`] (the default) only rows complete on all of `vars` are used,
/// and the lines of the dropped rows are reported; with [`MissingPolicy::Pairwise`] each pair uses
/// the rows where both its values are present (means and sums of squares are computed on those
/// rows, as R's `cor(use = "pairwise.complete.obs")` does).
///
/// Errors: an unknown column, a categorical column ([`crate::data::DataError::NotNumeric`]) or a
/// numeric column with a cell that is not a finite number.
pub fn correlations(
    data: &Dataset,
    vars: &[&str],
    missing: MissingPolicy,
) -> Result<CorrelationMatrix, crate::Error> {
    let cols = vars
        .iter()
        .map(|name| data.numeric(name))
        .collect::<Result<Vec<_>, _>>()?;
    let (rows, dropped_lines) = match missing {
        MissingPolicy::Listwise => {
            let cc = complete_cases(data, vars)?;
            (cc.rows, cc.dropped_lines)
        }
        MissingPolicy::Pairwise => ((0..data.n_rows()).collect(), Vec::new()),
    };
    let k = vars.len();
    let mut r = vec![f64::NAN; k * k];
    let mut p = vec![f64::NAN; k * k];
    let mut n = vec![0; k * k];
    for i in 0..k {
        for j in i..k {
            let (x, y): (Vec<f64>, Vec<f64>) = rows
                .iter()
                .map(|&row| (cols[i][row], cols[j][row]))
                .filter(|(a, b)| !a.is_nan() && !b.is_nan())
                .unzip();
            let rij = pearson(&x, &y);
            let pij = r_p_value(rij, x.len());
            for (a, b) in [(i, j), (j, i)] {
                r[a * k + b] = rij;
                p[a * k + b] = pij;
                n[a * k + b] = x.len();
            }
        }
    }
    Ok(CorrelationMatrix {
        names: vars.iter().map(|s| s.to_string()).collect(),
        r,
        p,
        n,
        missing,
        dropped_lines,
    })
}

fn mean(x: &[f64]) -> f64 {
    let n = x.len() as f64;
    let m0 = x.iter().sum::<f64>() / n;
    m0 + x.iter().map(|v| v - m0).sum::<f64>() / n
}

/// Pearson's r of two equally long vectors without missing values; `NaN` when `n < 2` or either
/// is constant.
fn pearson(x: &[f64], y: &[f64]) -> f64 {
    if x.len() < 2 {
        return f64::NAN;
    }
    let (mx, my) = (mean(x), mean(y));
    let (mut sxx, mut syy, mut sxy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        let (dx, dy) = (a - mx, b - my);
        sxx += dx * dx;
        syy += dy * dy;
        sxy += dx * dy;
    }
    if sxx <= 0.0 || syy <= 0.0 {
        return f64::NAN;
    }
    // sqrt(sxx * syy) is exact for y = ±x (so r = ±1 exactly); the product of the roots avoids
    // overflow for huge values.
    let denom = match (sxx * syy).sqrt() {
        d if d.is_finite() && d > 0.0 => d,
        _ => sxx.sqrt() * syy.sqrt(),
    };
    (sxy / denom).clamp(-1.0, 1.0)
}

/// Two-sided p-value of a correlation `r` from `n` pairs.
fn r_p_value(r: f64, n: usize) -> f64 {
    if n < 3 || r.is_nan() {
        return f64::NAN;
    }
    if r.abs() == 1.0 {
        return 0.0;
    }
    let df = (n - 2) as f64;
    let t = r * (df / (1.0 - r * r)).sqrt();
    t_p_two_sided(t, df)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Variable;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * b.abs().max(1e-300)
    }

    // R 4.2.2: cor.test(c(1, 2, 3, 4, 5), c(2, 1, 4, 3, 6)).
    #[test]
    fn matches_cor_test() {
        let data = Dataset::new(
            "t",
            vec![
                Variable::numeric("x", vec![1.0, 2.0, 3.0, 4.0, 5.0]),
                Variable::numeric("y", vec![2.0, 1.0, 4.0, 3.0, 6.0]),
            ],
        )
        .unwrap();
        let m = correlations(&data, &["x", "y"], MissingPolicy::Listwise).unwrap();
        assert!(close(m.r(0, 1), 0.8219949365267864), "{}", m.r(0, 1));
        assert!(close(m.p(1, 0), 0.08770664700806559), "{}", m.p(1, 0));
        assert_eq!((m.n(0, 1), m.r(0, 0), m.p(0, 0)), (5, 1.0, 0.0));
    }

    #[test]
    fn perfect_and_tiny() {
        assert_eq!(r_p_value(1.0, 10), 0.0);
        assert_eq!(r_p_value(-1.0, 3), 0.0);
        assert!(r_p_value(1.0, 2).is_nan());
        assert!(r_p_value(0.5, 2).is_nan());
        assert!(pearson(&[1.0], &[2.0]).is_nan());
        assert!(pearson(&[1.0, 1.0, 1.0], &[2.0, 3.0, 4.0]).is_nan());
    }
}
