//! The parameters of every group (estimate, SE, z, p, interval, std.lv and std.all with their
//! delta-method SEs, lavaan's `parameterEstimates()` with its `group` column), the defined
//! parameters over all groups, and each group's R² and implied moments. The standardized
//! values of group g use group g's implied moments (`lav_standardize_all` per block); a `:=`
//! row is re-evaluated on the standardized rows of whichever groups its labels name.

use crate::numeric::dist::z_quantile;

use super::super::assemble::{defined_all, Derived, RowBuilder};
use super::super::defined;
use super::super::linalg::Mat;
use super::super::standardize::{self, Standardized};
use super::super::{checks, r2, FitMeasures, SemOptions};
use super::data::GroupData;
use super::estimate::Groups;
use super::{
    Fitted, GroupOptions, GroupParameterRow, GroupResult, GroupWarning, GroupedFit, GroupedTable,
};

/// Every row's value at θ (all groups, in the stacked order).
fn row_values(f: &Fitted<'_>, groups: &Groups<'_>, theta: &[f64]) -> Vec<f64> {
    (0..f.models.len())
        .flat_map(|g| f.models[g].row_values(groups.slice(g, theta)))
        .collect()
}

/// The std.all values of the `:=` rows at θ (each group standardized by its own implied
/// moments, lavaan's `lav_standardize_all`), `None` where some Σ_g is not positive definite:
/// the standardized indirect effects a grouped bootstrap draw keeps (resample.rs).
pub(super) fn defined_std_all(
    gt: &GroupedTable,
    groups: &Groups<'_>,
    theta: &[f64],
) -> Option<Vec<f64>> {
    let st = standardized(gt, groups, theta)?;
    let n_rows = gt.combined.rows.len();
    Some(st.std_all[n_rows..].to_vec())
}

/// std.lv and std.all of every row (group by group) and then of every defined parameter.
fn standardized(gt: &GroupedTable, groups: &Groups<'_>, theta: &[f64]) -> Option<Standardized> {
    let mut out = Standardized {
        std_lv: Vec::new(),
        std_all: Vec::new(),
    };
    let models = groups.models;
    for (g, pt) in gt.groups.iter().enumerate() {
        let t = groups.slice(g, theta);
        let (_, imp) = models[g].implied(t)?;
        let st = standardize::standardize(pt, &models[g].row_values(t), &imp);
        out.std_lv.extend(st.std_lv);
        out.std_all.extend(st.std_all);
    }
    let raw: Vec<f64> = (0..models.len())
        .flat_map(|g| models[g].row_values(groups.slice(g, theta)))
        .collect();
    let ct = &gt.combined;
    for d in &ct.defined {
        let v_lv = standardize::defined_value(ct, &out.std_lv, &raw, &d.expr);
        let v_all = standardize::defined_value(ct, &out.std_all, &raw, &d.expr);
        out.std_lv.push(v_lv);
        out.std_all.push(v_all);
    }
    Some(out)
}

/// The derived quantities at θ̂ and their delta-method variances.
fn derived(f: &Fitted<'_>, groups: &Groups<'_>, v: &Mat) -> Derived {
    let ct = &f.gt.combined;
    let n_all = ct.rows.len() + ct.defined.len();
    let all = |t: &[f64]| -> Vec<f64> {
        let mut out = defined_all(ct, &row_values(f, groups, t));
        match standardized(f.gt, groups, t) {
            Some(st) => {
                out.extend(st.std_lv);
                out.extend(st.std_all);
            }
            None => out.extend(vec![f64::NAN; 2 * n_all]),
        }
        out
    };
    let theta = &f.est.theta;
    let jac = defined::jacobian(&all, theta);
    Derived {
        defined: defined_all(ct, &row_values(f, groups, theta)),
        std: standardized(f.gt, groups, theta).expect("implied moments at the estimate"),
        var: defined::delta_variances(&jac, v),
    }
}

/// The fit as a value.
pub(super) fn assemble(
    f: &Fitted<'_>,
    groups: &Groups<'_>,
    gdata: &[GroupData],
    v: Mat,
    fit: FitMeasures,
    opts: &SemOptions,
) -> GroupedFit {
    let ct = &f.gt.combined;
    let d = derived(f, groups, &v);
    let b = RowBuilder {
        d: &d,
        crit: z_quantile(1.0 - (1.0 - opts.level) / 2.0),
        n_rows: ct.rows.len() + ct.defined.len(),
    };
    let values = row_values(f, groups, &f.est.theta);
    let group_of = |i: usize| f.gt.row_offset.iter().rposition(|&o| o <= i).unwrap_or(0) + 1;
    let mut parameters: Vec<GroupParameterRow> = b
        .table_rows(ct, &values, &v)
        .into_iter()
        .enumerate()
        .map(|(i, row)| GroupParameterRow {
            group: group_of(i),
            row,
        })
        .collect();
    parameters.extend(
        b.defined_rows(ct)
            .into_iter()
            .map(|row| GroupParameterRow { group: 0, row }),
    );
    let (results, warnings) = group_results(f, groups, gdata, &d.std);
    GroupedFit {
        group: String::new(),
        groups: results,
        parameters,
        fit,
        observed: ct.ov.clone(),
        n: gdata.iter().map(|g| g.stats.n as usize).sum(),
        dropped_lines: Vec::new(),
        n_free: ct.n_free,
        iterations: f.est.iterations,
        gradient: f.est.gradient,
        theta: f.est.theta.clone(),
        options: opts.clone(),
        group_options: GroupOptions::default(),
        vcov: v,
        warnings,
        table: ct.clone(),
        row_values: values,
        source: Some(std::sync::Arc::new(super::GroupSource {
            tables: f.gt.clone(),
            stats: gdata.iter().map(|d| d.stats.clone()).collect(),
            missing: opts.missing,
            fiml: Vec::new(),
        })),
        cluster: Vec::new(),
        interactions: Vec::new(),
    }
}

/// Each group's R², implied moments and chi-square contribution, and the inadmissible
/// estimates of every group.
fn group_results(
    f: &Fitted<'_>,
    groups: &Groups<'_>,
    gdata: &[GroupData],
    std: &Standardized,
) -> (Vec<GroupResult>, Vec<GroupWarning>) {
    let fg = groups.f_groups(&f.est.theta).unwrap_or_default();
    let mut out = Vec::with_capacity(gdata.len());
    let mut warnings = Vec::new();
    for (g, pt) in f.gt.groups.iter().enumerate() {
        let t = groups.slice(g, &f.est.theta);
        let (m, imp) = f.models[g]
            .implied(t)
            .expect("implied moments at the estimate");
        let start = f.gt.row_offset[g];
        let std_all = &std.std_all[start..start + pt.rows.len()];
        let values = f.models[g].row_values(t);
        let level = &gdata[g].level;
        warnings.extend(
            checks::warnings(pt, &values, std_all, &imp, &m.theta)
                .into_iter()
                .map(|warning| GroupWarning {
                    group: level.clone(),
                    warning,
                }),
        );
        out.push(GroupResult {
            level: gdata[g].level.clone(),
            n: gdata[g].stats.n as usize,
            chisq: gdata[g].stats.n * fg.get(g).copied().unwrap_or(f64::NAN),
            r2: r2::r_squared(pt, std_all),
            implied_cov: imp.sigma,
            implied_mean: imp.mu,
            source: Some(std::sync::Arc::new(super::super::FitSource {
                table: pt.clone(),
                sample: gdata[g].stats.clone(),
                fiml: None,
            })),
            theta: t.to_vec(),
        });
    }
    (out, warnings)
}
