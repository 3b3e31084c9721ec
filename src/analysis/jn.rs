//! Johnson-Neyman: where along a moderator the conditional effect of X on an outcome changes
//! significance. With effect(w) = l(w)'b linear in w and Var(w) = l(w)'V l(w), the boundaries solve
//! effect(w)² = t²·Var(w), a quadratic in w; roots outside the observed range are dropped.

use serde::Serialize;

use super::linear::{linear_test, LinearTest};
use crate::estimation::EquationFit;

/// One row of the Johnson-Neyman table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JnRow {
    pub value: f64,
    #[serde(flatten)]
    pub test: LinearTest,
}

/// Johnson-Neyman boundaries of X's effect on `outcome` along `moderator`. `(crit, df)` is the
/// interval's critical value and the t degrees of freedom (`None`: z).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JnResult {
    pub outcome: String,
    pub focal: String,
    pub moderator: String,
    /// Boundaries inside the observed range, ascending.
    pub points: Vec<f64>,
    /// Percent of the sample below and above each boundary.
    pub pct_below: Vec<f64>,
    pub pct_above: Vec<f64>,
    pub table: Vec<JnRow>,
    /// The conditional effect and its interval on a fine grid over the moderator's observed range
    /// (the Johnson-Neyman plot's line and band), with the table's critical value.
    pub curve: JnCurve,
}

/// The conditional effect along the moderator: `effect[i]` with `[lower[i], upper[i]]` at `w[i]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JnCurve {
    pub w: Vec<f64>,
    pub effect: Vec<f64>,
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
}

/// Points of the Johnson-Neyman curve's grid.
pub const JN_CURVE_POINTS: usize = 201;

/// Johnson-Neyman for effect `l(w)'b` with `l(w) = l0 + w·l1` in equation `fit`, over the
/// moderator's observed `values`.
pub fn johnson_neyman(
    fit: &EquationFit,
    l0: &[f64],
    l1: &[f64],
    values: &[f64],
    (crit, df): (f64, Option<f64>),
    labels: (&str, &str),
) -> JnResult {
    let b = fit.estimates();
    let v = &fit.cov;
    let dot = |a: &[f64], c: &[f64]| a.iter().zip(c).map(|(x, y)| x * y).sum::<f64>();
    let bilinear = |a: &[f64], c: &[f64]| {
        let k = a.len();
        (0..k)
            .map(|i| a[i] * (0..k).map(|j| v[i * k + j] * c[j]).sum::<f64>())
            .sum::<f64>()
    };
    let (e0, e1) = (dot(l0, &b), dot(l1, &b));
    let (v00, v01, v11) = (bilinear(l0, l0), bilinear(l0, l1), bilinear(l1, l1));
    let mut roots = boundaries((e0, e1), (v00, v01, v11), crit * crit);
    let finite: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    let (lo, hi) = finite
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, c), &x| {
            (a.min(x), c.max(x))
        });
    roots.retain(|r| *r >= lo && *r <= hi);
    roots.sort_by(f64::total_cmp);
    roots.dedup();
    let n = finite.len() as f64;
    let pct_below = roots
        .iter()
        .map(|r| 100.0 * finite.iter().filter(|&&x| x < *r).count() as f64 / n)
        .collect();
    let pct_above = roots
        .iter()
        .map(|r| 100.0 * finite.iter().filter(|&&x| x > *r).count() as f64 / n)
        .collect();
    // PROCESS's table has 22 rows: 22 - r evenly spaced values from the minimum to the maximum
    // (step (max - min)/(21 - r)) and the r boundaries inserted in order.
    let steps = 21 - roots.len();
    let mut grid: Vec<f64> = (0..=steps)
        .map(|i| lo + (hi - lo) * i as f64 / steps as f64)
        .collect();
    grid.extend(&roots);
    grid.sort_by(f64::total_cmp);
    let table: Vec<JnRow> = grid
        .into_iter()
        .map(|w| {
            let l: Vec<f64> = l0.iter().zip(l1).map(|(a, c)| a + w * c).collect();
            JnRow {
                value: w,
                test: linear_test(fit, &l, (crit, df)),
            }
        })
        .collect();
    let ends = (
        table.first().map_or(0.0, |r| r.value),
        table.last().map_or(1.0, |r| r.value),
    );
    let curve = jn_curve(fit, l0, l1, ends, crit);
    JnResult {
        outcome: labels.0.to_string(),
        focal: labels.1.to_string(),
        moderator: String::new(),
        points: roots,
        pct_below,
        pct_above,
        table,
        curve,
    }
}

/// The roots in w of `(e0 + e1·w)² = t²·(v00 + 2·v01·w + v11·w²)`: where the effect's interval
/// touches zero.
pub(crate) fn boundaries(
    (e0, e1): (f64, f64),
    (v00, v01, v11): (f64, f64, f64),
    t2: f64,
) -> Vec<f64> {
    // (e0 + e1 w)² - t²(v00 + 2 v01 w + v11 w²) = 0
    let qa = e1 * e1 - t2 * v11;
    let qb = 2.0 * (e0 * e1 - t2 * v01);
    let qc = e0 * e0 - t2 * v00;
    let mut roots = Vec::new();
    if qa.abs() > 1e-14 * (e1 * e1 + t2 * v11).max(f64::MIN_POSITIVE) {
        let disc = qb * qb - 4.0 * qa * qc;
        if disc >= 0.0 {
            let sq = disc.sqrt();
            roots.push((-qb - sq) / (2.0 * qa));
            roots.push((-qb + sq) / (2.0 * qa));
        }
    } else if qb != 0.0 {
        roots.push(-qc / qb);
    }
    roots
}

/// The effect `l(w)'b` and its interval `± crit·se` at [`JN_CURVE_POINTS`] values of w from `lo`
/// to `hi`.
fn jn_curve(fit: &EquationFit, l0: &[f64], l1: &[f64], (lo, hi): (f64, f64), crit: f64) -> JnCurve {
    let k = fit.k();
    let b = fit.estimates();
    let n = JN_CURVE_POINTS;
    let mut out = JnCurve {
        w: Vec::with_capacity(n),
        effect: Vec::with_capacity(n),
        lower: Vec::with_capacity(n),
        upper: Vec::with_capacity(n),
    };
    for i in 0..n {
        let w = lo + (hi - lo) * i as f64 / (n - 1) as f64;
        let l: Vec<f64> = l0.iter().zip(l1).map(|(a, c)| a + w * c).collect();
        let e: f64 = l.iter().zip(&b).map(|(a, c)| a * c).sum();
        let var: f64 = (0..k)
            .map(|r| l[r] * (0..k).map(|c| fit.cov[r * k + c] * l[c]).sum::<f64>())
            .sum();
        let se = var.max(0.0).sqrt();
        out.w.push(w);
        out.effect.push(e);
        out.lower.push(e - crit * se);
        out.upper.push(e + crit * se);
    }
    out
}
