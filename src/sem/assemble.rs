//! The last stage: every row's estimate, SE, z test, interval and standardized values (with
//! delta-method SEs), the defined parameters, R² and the implied moments, as an immutable
//! [`SemFit`].

use crate::numeric::dist::{z_p_two_sided, z_quantile};

use super::estimate::Estimate;
use super::implied::Implied;
use super::linalg::Mat;
use super::model::Model;
use super::partable::ParTable;
use super::{defined, r2, standardize, FitMeasures, ParameterRow, SemFit, SemOptions};

/// Point values and delta-method variances of everything derived from θ.
pub(super) struct Derived {
    /// Defined parameters (raw).
    pub defined: Vec<f64>,
    pub std: standardize::Standardized,
    /// Variances: the defined parameters, then std.lv, then std.all (rows then defined).
    pub var: Vec<f64>,
}

/// The derived quantities at θ̂ and their variances J V J′: J of the defined parameters exact
/// (dual numbers, `defined.rs`), of the standardized values by central differences.
fn derived(pt: &ParTable, model: &Model, theta: &[f64], v: &Mat, imp: &Implied) -> Derived {
    let values = model.row_values(theta);
    let standardized = |t: &[f64]| -> Vec<f64> {
        let vals = model.row_values(t);
        match model.implied(t) {
            Some((_, imp)) => {
                let st = standardize::standardize(pt, &vals, &imp);
                let mut out = st.std_lv;
                out.extend(st.std_all);
                out
            }
            None => vec![f64::NAN; 2 * (pt.rows.len() + pt.defined.len())],
        }
    };
    let (_, mut jac) = defined::defined_jacobian(pt, &values, theta.len());
    jac.extend(defined::jacobian(&standardized, theta));
    Derived {
        defined: defined_all(pt, &values),
        std: standardize::standardize(pt, &values, imp),
        var: defined::delta_variances(&jac, v),
    }
}

/// Every defined parameter on raw row values, in order (each may use the earlier ones).
pub(super) fn defined_all(pt: &ParTable, values: &[f64]) -> Vec<f64> {
    let mut ext = values.to_vec();
    for d in &pt.defined {
        let v = standardize::defined_value(pt, &ext, values, &d.expr);
        ext.push(v);
    }
    ext.split_off(values.len())
}

/// One output row: `k` indexes the standardized values (rows, then defined parameters).
pub(super) struct RowBuilder<'a> {
    pub d: &'a Derived,
    pub crit: f64,
    pub n_rows: usize,
}

impl RowBuilder<'_> {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn row(
        &self,
        lhs: &str,
        op: &str,
        rhs: &str,
        label: &str,
        free: usize,
        e: f64,
        se: f64,
        k: usize,
    ) -> ParameterRow {
        // lavaan's parameterEstimates prints an SE below √ε as 0, without a z test: a
        // parameter (or := value) that the constraints pin down.
        let se = if se < f64::EPSILON.sqrt() { 0.0 } else { se };
        let (z, p) = if (free > 0 || op == ":=") && se > 0.0 {
            (e / se, z_p_two_sided(e / se))
        } else {
            (f64::NAN, f64::NAN)
        };
        let nd = self.d.defined.len();
        let sd = |i: usize| self.d.var[i].max(0.0).sqrt();
        ParameterRow {
            lhs: lhs.into(),
            op: op.into(),
            rhs: rhs.into(),
            label: label.into(),
            free,
            est: e,
            se,
            z,
            p,
            ci_lower: e - self.crit * se,
            ci_upper: e + self.crit * se,
            std_lv: self.d.std.std_lv[k],
            std_all: self.d.std.std_all[k],
            std_lv_se: sd(nd + k),
            std_all_se: sd(nd + self.n_rows + k),
        }
    }

    /// The rows of a table's parameters, their SEs from the diagonal of `v`.
    pub(super) fn table_rows(&self, pt: &ParTable, values: &[f64], v: &Mat) -> Vec<ParameterRow> {
        pt.rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                self.row(
                    &r.lhs,
                    r.op.symbol(),
                    &r.rhs,
                    &r.label,
                    r.free,
                    values[i],
                    free_se(v, r.free),
                    i,
                )
            })
            .collect()
    }

    /// The rows of the defined (`:=`) parameters, after the table's rows.
    pub(super) fn defined_rows(&self, pt: &ParTable) -> Vec<ParameterRow> {
        pt.defined
            .iter()
            .enumerate()
            .map(|(j, def)| {
                // lavaan prints the expression without spaces.
                let rhs: String = def.text.chars().filter(|c| !c.is_whitespace()).collect();
                let se = self.d.var[j].max(0.0).sqrt();
                self.row(
                    &def.name,
                    ":=",
                    &rhs,
                    &def.name,
                    0,
                    self.d.defined[j],
                    se,
                    pt.rows.len() + j,
                )
            })
            .collect()
    }
}

/// The SE of a row with free-parameter number `free` (0 for a fixed row); lavaan: NA where
/// the diagonal of V is not positive, as for a parameter that active constraints pin (its row of
/// K is zero; lavaan's ginv leaves ~-1e-17 there).
fn free_se(v: &Mat, free: usize) -> f64 {
    match free {
        0 => 0.0,
        k if v[(k - 1, k - 1)] > 0.0 => v[(k - 1, k - 1)].sqrt(),
        _ => f64::NAN,
    }
}

/// The fit as a value.
#[allow(clippy::too_many_arguments)]
pub fn assemble(
    pt: &ParTable,
    model: &Model,
    est: &Estimate,
    v: Mat,
    imp: Implied,
    fit: FitMeasures,
    opts: &SemOptions,
    n: f64,
) -> SemFit {
    let values = model.row_values(&est.theta);
    let d = derived(pt, model, &est.theta, &v, &imp);
    let b = RowBuilder {
        d: &d,
        crit: z_quantile(1.0 - (1.0 - opts.level) / 2.0),
        n_rows: pt.rows.len() + pt.defined.len(),
    };
    let mut parameters = b.table_rows(pt, &values, &v);
    parameters.extend(b.defined_rows(pt));
    let warnings = super::checks::warnings(
        pt,
        &values,
        &d.std.std_all,
        &imp,
        &model.matrices(&est.theta).theta,
    );
    SemFit {
        parameters,
        fit,
        r2: r2::r_squared(pt, &d.std.std_all),
        observed: pt.ov.clone(),
        implied_cov: imp.sigma,
        implied_mean: imp.mu,
        n: n as usize,
        dropped_lines: Vec::new(),
        n_free: pt.n_free,
        iterations: est.iterations,
        gradient: est.gradient,
        theta: est.theta.clone(),
        options: opts.clone(),
        vcov: v,
        warnings,
        cluster: None,
        source: None,
        interactions: Vec::new(),
    }
}
