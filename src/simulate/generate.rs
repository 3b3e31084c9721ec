//! Drawing a data set from a [`Design`]: exogenous variables jointly normal (then cut into
//! categories or transformed), each equation in order, Likert items from loadings and thresholds,
//! then missingness. Every part draws from its own ChaCha stream of the seed, so the data depend
//! only on (design, n, seed), never on threads, and adding a column leaves the others unchanged.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;
use rand_distr::{Distribution, Gamma, Poisson, StandardNormal};

use super::design::{Derived, Design, Measurement, NodeKind, OutcomeKind};
use super::SimulateError;
use crate::data::{Dataset, Variable};

/// Rows and seed of the fixed sample used to calibrate error variances: a property of the design,
/// the same whatever seed the user gives.
const CALIBRATION_N: usize = 100_000;
const CALIBRATION_SEED: u64 = 0x00c1_9a5e_ed00;

const STREAM_EXOGENOUS: u64 = 1;
const STREAM_EQUATION: u64 = 100;
const STREAM_ITEMS: u64 = 10_000;
const STREAM_MISSING: u64 = 20_000;

/// Decimals of a continuous item in the CSV: rounding error of 3e-5 SD, nothing next to the
/// sampling error of any realistic n.
const CONTINUOUS_DECIMALS: u32 = 4;

/// One generated column.
#[derive(Debug, Clone, PartialEq)]
pub enum SimColumn {
    /// Numbers (NaN = missing) written with `decimals` decimals.
    Numeric {
        values: Vec<f64>,
        decimals: u32,
    },
    Text(Vec<Option<String>>),
}

/// A generated data set, with the error SDs the equations used (calibrated where not given).
#[derive(Debug, Clone, PartialEq)]
pub struct Simulated {
    pub n: usize,
    pub seed: u64,
    pub columns: Vec<(String, SimColumn)>,
    pub error_sds: Vec<f64>,
    /// Columns whose missing cells the CSV writes as a number instead of an empty cell.
    pub missing_codes: Vec<(String, f64)>,
}

pub(super) fn rng(seed: u64, stream: u64) -> ChaCha20Rng {
    let mut r = ChaCha20Rng::seed_from_u64(seed);
    r.set_stream(stream);
    r
}

fn normal(r: &mut ChaCha20Rng) -> f64 {
    StandardNormal.sample(r)
}

fn round_to(x: f64, decimals: u32) -> f64 {
    let f = 10f64.powi(decimals as i32);
    (x * f).round() / f
}

fn clip(x: f64, min: Option<f64>, max: Option<f64>) -> f64 {
    let x = min.map_or(x, |m| x.max(m));
    max.map_or(x, |m| x.min(m))
}

fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// The names of the columns a design writes, in order.
pub fn column_names(d: &Design) -> Vec<String> {
    let mut out = vec!["firm_id".to_string()];
    out.extend(d.cluster.iter().map(|c| c.column.clone()));
    for n in &d.nodes {
        if let NodeKind::Construct {
            items, measurement, ..
        } = &n.kind
        {
            if measurement.has_items() {
                out.extend(items.iter().cloned());
            }
        }
        out.push(n.name.clone());
    }
    out
}

/// The error SD of every equation: as given, or for a construct without one, so that its variance
/// is 1 (computed on a fixed calibration sample). An equation whose systematic part already has
/// variance 0.95 or more is an error.
pub fn calibrate(d: &Design) -> Result<Vec<f64>, SimulateError> {
    if d.equations.iter().all(|e| e.error_sd.is_some()) {
        return Ok(d
            .equations
            .iter()
            .map(|e| e.error_sd.unwrap_or(0.0))
            .collect());
    }
    let ids = super::clusters::ids(d, CALIBRATION_SEED, CALIBRATION_N);
    let values = structural(d, CALIBRATION_N, CALIBRATION_SEED, &ids, None)?;
    Ok(values.1)
}

/// Node values (latent scores for constructs, level indices for categoricals) and the error SDs.
/// With `error_sds` `None`, missing ones are calibrated on the way. `ids`: each row's cluster
/// (clusters.rs; empty without `[cluster]`).
fn structural(
    d: &Design,
    n: usize,
    seed: u64,
    ids: &[usize],
    error_sds: Option<&[f64]>,
) -> Result<(Vec<Vec<f64>>, Vec<f64>), SimulateError> {
    let mut v: Vec<Vec<f64>> = vec![Vec::new(); d.nodes.len()];
    let mut z = exogenous_scores(d, n, seed);
    for (p, &node) in d.exogenous.iter().enumerate() {
        v[node] = exogenous_values(&d.nodes[node].kind, std::mem::take(&mut z[p]));
    }
    for (i, node) in d.nodes.iter().enumerate() {
        if let NodeKind::Indicator { of, level } = node.kind {
            v[i] = v[of]
                .iter()
                .map(|c| f64::from(*c as usize == level))
                .collect();
        }
    }
    let mut sds = Vec::new();
    for (j, eq) in d.equations.iter().enumerate() {
        let mut eta = linear_predictor(eq, &v, n);
        let sd = error_sd(d, j, &eta, error_sds)?;
        sds.push(sd);
        // After the calibration: the random intercept comes on top of the variance of 1.
        if let Some(u) = super::clusters::intercepts(d, seed, j, ids) {
            eta.iter_mut().zip(u).for_each(|(x, u)| *x += u);
        }
        let mut r = rng(seed, STREAM_EQUATION + j as u64);
        v[eq.outcome] = outcome_values(&d.nodes[eq.outcome].kind, &eta, sd, &mut r);
    }
    Ok((v, sds))
}

/// The exogenous nodes' standard normal scores with the design's correlations (the Cholesky
/// factor of the correlation matrix times independent normals, row by row from one stream).
fn exogenous_scores(d: &Design, n: usize, seed: u64) -> Vec<Vec<f64>> {
    let k = d.exogenous.len();
    let l = crate::numeric::matrix::cholesky(&d.correlation, k).unwrap_or_else(|| vec![1.0; k * k]);
    let mut z = vec![Vec::with_capacity(n); k];
    let mut r = rng(seed, STREAM_EXOGENOUS);
    let mut e = vec![0.0; k];
    for _ in 0..n {
        for x in e.iter_mut() {
            *x = normal(&mut r);
        }
        for (i, zi) in z.iter_mut().enumerate() {
            zi.push((0..=i).map(|j| l[i * k + j] * e[j]).sum());
        }
    }
    z
}

/// An exogenous node's values from its normal scores: a construct keeps them, a variable is
/// scaled (and exponentiated, clipped, rounded), a categorical is cut at its cumulative
/// probabilities into level indices.
fn exogenous_values(kind: &NodeKind, zs: Vec<f64>) -> Vec<f64> {
    match kind {
        NodeKind::Construct { .. } => zs,
        NodeKind::Variable {
            lognormal,
            mean,
            sd,
            min,
            max,
            decimals,
        } => zs
            .iter()
            .map(|z| {
                let x = mean + sd * z;
                let x = if *lognormal { x.exp() } else { x };
                round_to(clip(x, *min, *max), *decimals)
            })
            .collect(),
        NodeKind::Categorical { cum, .. } => zs
            .iter()
            .map(|z| {
                let u = normal_cdf(*z);
                cum.iter().filter(|c| u > **c).count() as f64
            })
            .collect(),
        _ => unreachable!("only constructs, variables and categoricals are exogenous"),
    }
}

/// An equation's linear predictor, row by row (a term's factors multiplied).
fn linear_predictor(eq: &super::design::Equation, v: &[Vec<f64>], n: usize) -> Vec<f64> {
    (0..n)
        .map(|row| {
            eq.intercept
                + eq.terms
                    .iter()
                    .map(|(_, f, c)| c * f.iter().map(|&i| v[i][row]).product::<f64>())
                    .sum::<f64>()
        })
        .collect()
}

/// Equation `j`'s error SD: none for Poisson and Bernoulli outcomes (their draws carry their own
/// randomness), the calibrated or given one, else what leaves a construct's variance at 1.
fn error_sd(
    d: &Design,
    j: usize,
    eta: &[f64],
    error_sds: Option<&[f64]>,
) -> Result<f64, SimulateError> {
    let eq = &d.equations[j];
    let node = &d.nodes[eq.outcome];
    let no_error = matches!(
        node.kind,
        NodeKind::Outcome {
            kind: OutcomeKind::Count | OutcomeKind::Binary,
            ..
        }
    );
    Ok(match (error_sds, eq.error_sd) {
        _ if no_error => 0.0,
        (Some(s), _) => s[j],
        (None, Some(s)) => s,
        (None, None) => {
            let n = eta.len() as f64;
            let m = eta.iter().sum::<f64>() / n;
            let var = eta.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0);
            if var >= 0.95 {
                return Err(SimulateError::Invalid {
                    source_name: d.source.clone(),
                    message: format!(
                        "the paths into construct '{}' explain {:.0}% of its variance (the latent variance is fixed at 1); make them smaller or give error_sd",
                        node.name,
                        var * 100.0
                    ),
                });
            }
            (1.0 - var).sqrt()
        }
    })
}

/// An outcome's values from its linear predictor: a construct's or a normal outcome's error
/// added, a lognormal exponentiated, a count or a binary drawn from Poisson or Bernoulli.
fn outcome_values(kind: &NodeKind, eta: &[f64], sd: f64, r: &mut ChaCha20Rng) -> Vec<f64> {
    match kind {
        NodeKind::Construct { .. } => eta.iter().map(|x| x + sd * normal(r)).collect(),
        NodeKind::Outcome {
            kind,
            min,
            max,
            decimals,
        } => eta
            .iter()
            .map(|x| {
                let y = match kind {
                    OutcomeKind::Normal => x + sd * normal(r),
                    OutcomeKind::Lognormal => (x + sd * normal(r)).exp(),
                    OutcomeKind::Count => match Poisson::new(x.exp().min(1e6)) {
                        Ok(p) => p.sample(r),
                        Err(_) => 0.0,
                    },
                    OutcomeKind::Binary => f64::from(r.random::<f64>() < logistic(*x)),
                };
                round_to(clip(y, *min, *max), *decimals)
            })
            .collect(),
        _ => unreachable!("an equation's outcome is a construct or an outcome"),
    }
}

/// The standard normal CDF (for cutting a normal into categories with given probabilities).
fn normal_cdf(z: f64) -> f64 {
    0.5 * statrs::function::erf::erfc(-z / std::f64::consts::SQRT_2)
}

/// Most rows a data set is simulated with (the limit `cipa simulate --n` has always had): far
/// beyond any survey; a much larger n ends in a capacity-overflow panic or an allocation
/// failure rather than an error, and the library's callers (power studies) need the bound too.
pub const MAX_ROWS: usize = 50_000_000;

/// Generates `n` rows of the design with `seed`.
pub fn generate(d: &Design, n: usize, seed: u64) -> Result<Simulated, SimulateError> {
    if n < 2 {
        return Err(SimulateError::Usage(format!(
            "--n {n}: simulate at least 2 rows"
        )));
    }
    check_rows(d, n)?;
    let sds = calibrate(d)?;
    generate_calibrated(d, n, seed, &sds)
}

/// Most values (rows x written columns) a data set is simulated with: each takes about 21 bytes
/// at its peak (the columns, their CSV text, the truth's sample; the framework design's 75
/// columns took 1.57 GB at a million rows), so this is about 4 GB. 50 million rows of that design
/// would have needed about 80 GB: the process was killed or aborted on a failed allocation.
pub const MAX_VALUES: usize = 200_000_000;

fn check_rows(d: &Design, n: usize) -> Result<(), SimulateError> {
    if n > MAX_ROWS {
        return Err(SimulateError::Usage(format!(
            "--n {n}: simulate at most {MAX_ROWS} rows"
        )));
    }
    let columns = column_names(d).len();
    let values = n.saturating_mul(columns);
    if values > MAX_VALUES {
        return Err(SimulateError::Usage(format!(
            "--n {n}: {n} rows of the design's {columns} columns are {values} values, more than \
             cipa simulates at once (200,000,000, about 4 GB of memory); simulate at most {} rows \
             (several data sets with different seeds if more are needed)",
            MAX_VALUES / columns.max(1)
        )));
    }
    Ok(())
}

/// [`generate`] with the error SDs already calibrated (see [`calibrate`]).
pub fn generate_calibrated(
    d: &Design,
    n: usize,
    seed: u64,
    sds: &[f64],
) -> Result<Simulated, SimulateError> {
    check_rows(d, n)?;
    let ids = super::clusters::ids(d, seed, n);
    let (mut v, sds) = structural(d, n, seed, &ids, Some(sds))?;
    for (i, node) in d.nodes.iter().enumerate() {
        if let NodeKind::Derived(Derived::ExpRound { from, min, max }) = &node.kind {
            v[i] = v[*from]
                .iter()
                .map(|x| clip(x.exp().round(), *min, *max))
                .collect();
        }
    }
    let mut cols = id_columns(d, &ids, n);
    // Composites are computed after missingness, from the items that remain.
    let mut composites = Vec::new();
    for (i, node) in d.nodes.iter().enumerate() {
        match &node.kind {
            NodeKind::Construct { .. } => {
                if let Some(items) =
                    construct_columns(i, &node.name, &node.kind, &v[i], seed, &mut cols)
                {
                    composites.push(items);
                }
            }
            _ => cols.push((node.name.clone(), node_column(d, i, &v, n))),
        }
    }
    apply_missing(d, &v, &mut cols, seed, n);
    for (at, items) in composites {
        let values = composite(&cols, items, n);
        if let SimColumn::Numeric { values: slot, .. } = &mut cols[at].1 {
            *slot = values;
        }
    }
    Ok(Simulated {
        n,
        seed,
        columns: cols,
        error_sds: sds,
        missing_codes: d
            .missing
            .code
            .map(|code| {
                let cols = &d.missing.code_columns;
                cols.iter().map(|c| (c.clone(), code)).collect()
            })
            .unwrap_or_default(),
    })
}

/// The row number `firm_id`, and with `[cluster]` each row's cluster number.
fn id_columns(d: &Design, ids: &[usize], n: usize) -> Vec<(String, SimColumn)> {
    let mut cols: Vec<(String, SimColumn)> = vec![(
        "firm_id".into(),
        SimColumn::Numeric {
            values: (1..=n).map(|i| i as f64).collect(),
            decimals: 0,
        },
    )];
    if let Some(c) = &d.cluster {
        let values = ids.iter().map(|&i| (i + 1) as f64).collect();
        cols.push((
            c.column.clone(),
            SimColumn::Numeric {
                values,
                decimals: 0,
            },
        ));
    }
    cols
}

/// A construct's columns pushed onto `cols`: its exact scores, or its items (Likert or
/// continuous, drawn from the stream of node `i`) and an empty composite slot. Returns the slot's
/// position and its items' columns, to be filled after missingness.
fn construct_columns(
    i: usize,
    name: &str,
    kind: &NodeKind,
    scores: &[f64],
    seed: u64,
    cols: &mut Vec<(String, SimColumn)>,
) -> Option<(usize, std::ops::Range<usize>)> {
    let NodeKind::Construct {
        items,
        loadings,
        thresholds,
        measurement,
        skew,
        ..
    } = kind
    else {
        return None;
    };
    if *measurement == Measurement::Exact {
        cols.push((
            name.to_string(),
            SimColumn::Numeric {
                values: scores.to_vec(),
                decimals: 6,
            },
        ));
        return None;
    }
    let continuous = *measurement == Measurement::Continuous;
    let mut r = rng(seed, STREAM_ITEMS + i as u64);
    let item_vals = draw_items(scores, loadings, *skew, &mut r, |s| {
        if continuous {
            round_to(s, CONTINUOUS_DECIMALS)
        } else {
            (1 + thresholds.iter().filter(|t| s > **t).count()) as f64
        }
    });
    let decimals = if continuous { CONTINUOUS_DECIMALS } else { 0 };
    let first = cols.len();
    for (item, values) in items.iter().zip(item_vals) {
        cols.push((item.clone(), SimColumn::Numeric { values, decimals }));
    }
    let items = first..cols.len();
    cols.push((
        name.to_string(),
        SimColumn::Numeric {
            values: Vec::new(),
            decimals: 4,
        },
    ));
    Some((items.end, items))
}

/// The column of a node that is not a construct.
fn node_column(d: &Design, i: usize, v: &[Vec<f64>], n: usize) -> SimColumn {
    let numeric = |decimals: u32| SimColumn::Numeric {
        values: v[i].clone(),
        decimals,
    };
    match &d.nodes[i].kind {
        NodeKind::Variable { decimals, .. } | NodeKind::Outcome { decimals, .. } => {
            numeric(*decimals)
        }
        NodeKind::Indicator { .. } => numeric(0),
        NodeKind::Categorical { levels, .. } => SimColumn::Text(
            v[i].iter()
                // A level index counts the cut points below a draw: at most levels − 1.
                .map(|c| Some(levels[*c as usize].clone()))
                .collect(),
        ),
        NodeKind::Derived(dv) => derived(d, i, dv, v, n),
        NodeKind::Construct { .. } => unreachable!("constructs have their own columns"),
    }
}

/// A composite per row: the mean of the items answered, when at least half were.
fn composite(cols: &[(String, SimColumn)], items: std::ops::Range<usize>, n: usize) -> Vec<f64> {
    (0..n)
        .map(|row| {
            let got: Vec<f64> = items
                .clone()
                .filter_map(|c| match &cols[c].1 {
                    SimColumn::Numeric { values, .. } if !values[row].is_nan() => Some(values[row]),
                    _ => None,
                })
                .collect();
            if got.is_empty() || got.len() * 2 < items.len() {
                f64::NAN
            } else {
                round_to(got.iter().sum::<f64>() / got.len() as f64, 4)
            }
        })
        .collect()
}

/// The items of one construct, row by row: the continuous response `λ·η + √(1 − λ²)·ε` of each
/// item (variance 1 when η's is 1, so λ is its standardized loading), written by `write` (a
/// Likert category or the rounded value). ε is standard normal, or for `skew` ≠ 0 a standardized
/// gamma (see `NodeKind::Construct`); all draws come from `r` in row-major order.
fn draw_items(
    latent: &[f64],
    loadings: &[f64],
    skew: f64,
    r: &mut ChaCha20Rng,
    write: impl Fn(f64) -> f64,
) -> Vec<Vec<f64>> {
    let error = UniqueError::new(skew);
    let mut items = vec![Vec::with_capacity(latent.len()); loadings.len()];
    for eta in latent {
        for (j, lam) in loadings.iter().enumerate() {
            let s = lam * eta + (1.0 - lam * lam).sqrt() * error.draw(r);
            items[j].push(write(s));
        }
    }
    items
}

/// An item's unique error: mean 0, variance 1, skewness `skew`.
enum UniqueError {
    Normal,
    /// A gamma of shape k = 4/skew² (skewness 2/√k = |skew|), centred and scaled by √k; `sign`
    /// mirrors it for a negative skew.
    Gamma {
        dist: Gamma<f64>,
        k: f64,
        sign: f64,
    },
}

impl UniqueError {
    fn new(skew: f64) -> Self {
        let k = 4.0 / (skew * skew);
        match Gamma::new(k, 1.0) {
            // skew = 0 gives k = ∞, which Gamma refuses: the normal limit.
            Ok(dist) if skew != 0.0 && k.is_finite() => UniqueError::Gamma {
                dist,
                k,
                sign: skew.signum(),
            },
            _ => UniqueError::Normal,
        }
    }

    fn draw(&self, r: &mut ChaCha20Rng) -> f64 {
        match self {
            UniqueError::Normal => normal(r),
            UniqueError::Gamma { dist, k, sign } => sign * (dist.sample(r) - k) / k.sqrt(),
        }
    }
}

/// `n` is the row count: a node's values may be empty (a text column is not held in `v`).
fn derived(d: &Design, at: usize, dv: &Derived, v: &[Vec<f64>], n: usize) -> SimColumn {
    match dv {
        Derived::ExpRound { .. } => SimColumn::Numeric {
            values: v[at].clone(),
            decimals: 0,
        },
        // The source holds employee counts.
        Derived::SizeClass { from, scheme } => SimColumn::Text(
            v[*from]
                .iter()
                .map(|e| {
                    crate::domain::size_class(*e, *scheme)
                        .ok()
                        .map(String::from)
                })
                .collect(),
        ),
        Derived::Combine { from, map } => SimColumn::Text(
            (0..n)
                .map(|row| {
                    let key = from
                        .iter()
                        .map(|&f| match &d.nodes[f].kind {
                            NodeKind::Categorical { levels, .. } => {
                                levels[v[f][row] as usize].as_str()
                            }
                            _ => "",
                        })
                        .collect::<Vec<_>>()
                        .join("|");
                    Some(map.get(&key).cloned().unwrap_or(key))
                })
                .collect(),
        ),
    }
}

fn apply_missing(
    d: &Design,
    v: &[Vec<f64>],
    cols: &mut [(String, SimColumn)],
    seed: u64,
    n: usize,
) {
    let m = &d.missing;
    let mut r = rng(seed, STREAM_MISSING);
    let blank = |col: &mut SimColumn, row: usize| match col {
        SimColumn::Numeric { values, .. } => values[row] = f64::NAN,
        SimColumn::Text(t) => t[row] = None,
    };
    if m.mcar > 0.0 {
        for name in &m.mcar_columns {
            if let Some((_, c)) = cols.iter_mut().find(|(c, _)| c == name) {
                for row in 0..n {
                    if r.random::<f64>() < m.mcar {
                        blank(c, row);
                    }
                }
            }
        }
    }
    if let (true, Some(driver)) = (m.mar > 0.0, m.mar_driver) {
        let x = &v[driver];
        let mean = x.iter().sum::<f64>() / n as f64;
        let sd = (x.iter().map(|a| (a - mean).powi(2)).sum::<f64>() / n as f64)
            .sqrt()
            .max(1e-12);
        let z: Vec<f64> = x.iter().map(|a| m.mar_strength * (a - mean) / sd).collect();
        // The intercept that makes the average probability the requested share.
        let share = |a: f64| z.iter().map(|zi| logistic(a + zi)).sum::<f64>() / n as f64;
        let (mut lo, mut hi) = (-30.0, 30.0);
        for _ in 0..100 {
            let mid = 0.5 * (lo + hi);
            if share(mid) < m.mar {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        let a = 0.5 * (lo + hi);
        for name in &m.mar_columns {
            if let Some((_, c)) = cols.iter_mut().find(|(c, _)| c == name) {
                for (row, zi) in z.iter().enumerate() {
                    if r.random::<f64>() < logistic(a + zi) {
                        blank(c, row);
                    }
                }
            }
        }
    }
}

impl Simulated {
    /// The data as CSV text: missing cells empty (or the design's missing-value code in its code
    /// columns), numbers with their decimals.
    pub fn to_csv(&self) -> String {
        let mut out = self
            .columns
            .iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>()
            .join(",");
        out.push('\n');
        for row in 0..self.n {
            let cells: Vec<String> = self
                .columns
                .iter()
                .map(|(name, c)| match c {
                    SimColumn::Numeric { values, decimals } => {
                        let x = values[row];
                        let code = self.missing_codes.iter().find(|(c, _)| c == name);
                        if let (true, Some((_, code))) = (x.is_nan(), code) {
                            format!("{code}")
                        } else if x.is_nan() {
                            String::new()
                        } else {
                            format!("{:.*}", *decimals as usize, x)
                        }
                    }
                    SimColumn::Text(t) => t[row].clone().unwrap_or_default(),
                })
                .collect();
            out += &cells.join(",");
            out.push('\n');
        }
        out
    }

    /// The data as a [`Dataset`] (values at full precision, as generated; missing cells are
    /// missing whatever the CSV writes for them).
    pub fn to_dataset(&self, source: &str) -> Result<Dataset, crate::data::DataError> {
        let vars = self
            .columns
            .iter()
            .map(|(name, c)| match c {
                SimColumn::Numeric { values, .. } => {
                    Variable::numeric(name.clone(), values.clone())
                }
                SimColumn::Text(t) => {
                    let refs: Vec<Option<&str>> = t.iter().map(|x| x.as_deref()).collect();
                    Variable::categorical(name.clone(), &refs)
                }
            })
            .collect();
        Dataset::new(source, vars)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn more_rows_than_the_limit_are_refused_before_anything_is_allocated() {
        let d = Design::framework();
        let n = MAX_ROWS + 1;
        let want = format!("--n {n}: simulate at most {MAX_ROWS} rows");
        let e = generate(&d, n, 1).unwrap_err().to_string();
        assert!(e.contains(&want), "{e}");
        // The power study's pilot and replications take this path.
        let e = generate_calibrated(&d, usize::MAX, 1, &[])
            .unwrap_err()
            .to_string();
        assert!(e.contains("at most"), "{e}");
    }
}
