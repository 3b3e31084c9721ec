//! The CFA's estimation by the SEM engine (src/sem, lavaan 0.6-14's `sem()` defaults): the
//! simple-structure model as a parameter table (`factor =~ item` in item order, marker
//! loadings, free factor covariances and residual variances), fitted to the sample covariance
//! with divisor N. One ML implementation serves `cipa sem` and `cipa measure`.

use crate::sem::{self, Mat, SampleStats, SemError, SemOptions};
use crate::spec::flat::{FlatModel, Modifier, Pos, RelOp, Relation};

use super::model::CfaModel;

/// The estimate in [`CfaModel`]'s parameter order, the inverse of F's expected information
/// (F = 2·fmin, so Var(x̂) = 2·`hinv`/N), F at the estimate and the engine's iterations.
pub struct EngineFit {
    pub x: Vec<f64>,
    pub hinv: Vec<f64>,
    pub f_min: f64,
    pub iterations: u64,
}

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

/// Fits the CFA to the items' covariance `s` (p × p, divisor N, item order) of `n` rows.
pub fn estimate(
    items: &[String],
    factors: &[String],
    model: &CfaModel,
    s: &[f64],
    n: usize,
) -> Result<EngineFit, SemError> {
    let p = items.len();
    let opts = SemOptions::default();
    let flat = measurement_model(items, factors, &model.factor_of);
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
    let fit = sem::fit_moments(&pt, &ss, &opts)?;
    // Each free parameter's place in CfaModel's vector.
    let item = |v: &str| items.iter().position(|i| i == v);
    let factor = |v: &str| factors.iter().position(|f| f == v);
    let mut place = vec![usize::MAX; fit.n_free];
    let mut x = vec![0.0; model.n_params()];
    for r in fit.parameters.iter().filter(|r| r.free > 0) {
        let at = match (r.op.as_str(), factor(&r.lhs), factor(&r.rhs), item(&r.rhs)) {
            ("=~", Some(_), _, Some(i)) => model.loading_index[i],
            ("~~", Some(k), Some(l), _) => Some(model.phi_index(k, l)),
            ("~~", None, _, Some(i)) => Some(model.theta_index(i)),
            _ => None,
        };
        if let Some(a) = at {
            x[a] = r.est;
            place[r.free - 1] = a;
        }
    }
    let q = model.n_params();
    let mut hinv = vec![0.0; q * q];
    let half_n = n as f64 / 2.0;
    for (u, &a) in place.iter().enumerate().filter(|(_, &a)| a < q) {
        for (v, &b) in place.iter().enumerate().filter(|(_, &b)| b < q) {
            hinv[a * q + b] = fit.vcov[(u, v)] * half_n;
        }
    }
    Ok(EngineFit {
        x,
        hinv,
        f_min: 2.0 * fit.fit.fmin,
        iterations: fit.iterations as u64,
    })
}
