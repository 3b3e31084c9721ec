//! The data side of double-mean centring (Lin, Wen, Marsh & Lin 2010; semTools' `indProd` with
//! `meanC = TRUE, doubleMC = TRUE`): each indicator is centred at its mean, the centred
//! indicators are multiplied, and the product is centred at its own mean. The means are those of
//! the rows the fit uses, so the product columns are centred in the sample that is fitted.

use crate::data::{complete_cases, Dataset, Variable};

use super::super::{Missing, SemError};
use super::rewrite::Plan;

/// Π_f (x_f − x̄_f) − mean over rows of that product; `factors` are complete columns of equal
/// length (the rows used).
pub fn double_mean_centred(factors: &[&[f64]]) -> Vec<f64> {
    let n = factors.first().map_or(0, |c| c.len());
    let rows: Vec<usize> = (0..n).collect();
    product_column(factors, &rows, n)
}

/// R's `mean`: the sum over n, refined by the mean residual (one more pass, as R does in
/// long double), so the centring agrees with semTools' to rounding.
fn mean(x: &[f64]) -> f64 {
    let n = x.len() as f64;
    let m = x.iter().sum::<f64>() / n;
    m + x.iter().map(|v| v - m).sum::<f64>() / n
}

/// `data` with the product indicators of every term, and the rows their centring used: listwise the rows complete on the model's observed variables (the others get a
/// missing product, and the fit drops them anyway); under FIML every row, each mean over the
/// values observed and a product missing where a factor is. `keep` narrows the rows further
/// (a multi-group fit leaves out the rows whose group is missing, as it drops them).
pub(super) fn with_product_columns(
    plan: &Plan,
    data: &Dataset,
    missing: Missing,
    keep: &dyn Fn(usize) -> bool,
) -> Result<(Dataset, Vec<usize>), SemError> {
    let rows: Vec<usize> = match missing {
        Missing::Listwise => {
            let vars: Vec<&str> = plan.observed.iter().map(String::as_str).collect();
            complete_cases(data, &vars)?.rows
        }
        Missing::Fiml => (0..data.n_rows()).collect(),
    }
    .into_iter()
    .filter(|&r| keep(r))
    .collect();
    let mut added = Vec::new();
    for p in plan.terms.iter().flat_map(|t| &t.indicators) {
        let cols: Vec<&[f64]> = p
            .items
            .iter()
            .map(|i| data.numeric(i))
            .collect::<Result<_, _>>()?;
        added.push(Variable::numeric(
            p.name.clone(),
            product_column(&cols, &rows, data.n_rows()),
        ));
    }
    let mut vars = data.variables().to_vec();
    vars.extend(added);
    let out = Dataset::with_lines(data.source.clone(), vars, data.lines().to_vec())?;
    Ok((out, rows))
}

/// The mean a factor column was centred at in the products: over the observed values of `rows`
/// (what [`with_product_columns`] subtracts).
pub(super) fn centring_mean(col: &[f64], rows: &[usize]) -> f64 {
    let seen: Vec<f64> = rows
        .iter()
        .map(|&r| col[r])
        .filter(|v| !v.is_nan())
        .collect();
    mean(&seen)
}

/// The double-mean-centred product on `rows` (each factor's mean over its observed values
/// there), missing elsewhere and where a factor is missing.
fn product_column(cols: &[&[f64]], rows: &[usize], n: usize) -> Vec<f64> {
    let centred: Vec<Vec<f64>> = cols
        .iter()
        .map(|c| {
            let m = centring_mean(c, rows);
            rows.iter().map(|&r| c[r] - m).collect()
        })
        .collect();
    let prod: Vec<f64> = (0..rows.len())
        .map(|i| centred.iter().map(|c| c[i]).product())
        .collect();
    let seen: Vec<f64> = prod.iter().copied().filter(|v| !v.is_nan()).collect();
    let m = mean(&seen);
    let mut out = vec![f64::NAN; n];
    for (&r, p) in rows.iter().zip(prod) {
        out[r] = p - m;
    }
    out
}
