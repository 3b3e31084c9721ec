//! The CFA's estimation by the SEM engine (src/sem, lavaan 0.6-14's `sem()` defaults): the
//! simple-structure model as a parameter table (`factor =~ item` in item order, marker
//! loadings, free factor covariances and residual variances), fitted to the sample covariance
//! with divisor N. One ML implementation serves `cipa sem` and `cipa measure`.

use crate::sem::{self, Mat, SampleStats, SemError, SemFit, SemOptions};
use crate::spec::flat::{FlatModel, Modifier, Pos, RelOp, Relation};

fn measurement_model(items: &[String], factors: &[String], factor_of: &[usize]) -> FlatModel {
    let relations = items
        .iter()
        .zip(factor_of)
        .map(|(item, &k)| Relation {
            lhs: factors[k].clone(),
            op: RelOp::Measure,
            rhs: vec![item.clone()],
            modifier: Modifier {
                labels: vec![],
                fixed: vec![],
                start: vec![],
            },
            pos: Pos::default(),
            lhs_pos: Pos::default(),
        })
        .collect();
    FlatModel {
        relations,
        defined: vec![],
        constraints: vec![],
    }
}

/// Fits the CFA (item `i` on factor `factor_of[i]`) to the items' covariance `s` (p × p,
/// divisor N, item order) of `n` rows: the whole `SemFit` (estimates, SEs, std.all and their
/// SEs, fit measures, warnings), which `fit_cfa` maps.
pub fn fit(
    items: &[String],
    factors: &[String],
    factor_of: &[usize],
    s: &[f64],
    n: usize,
) -> Result<SemFit, SemError> {
    let p = items.len();
    let opts = SemOptions::default();
    let flat = measurement_model(items, factors, factor_of);
    let pt = sem::partable::build(&flat, items, &opts)?;
    let ix: Vec<usize> = pt
        .ov
        .iter()
        .map(|v| items.iter().position(|i| i == v).unwrap_or(0))
        .collect();
    let cov: Vec<f64> = ix
        .iter()
        .flat_map(|&a| ix.iter().map(move |&b| s[a * p + b]))
        .collect();
    let ss = SampleStats::new(&pt.ov, n as f64, vec![0.0; p], Mat::from_rows(p, p, cov))?;
    sem::fit_moments(&pt, &ss, &opts)
}
