//! The data of a multi-group fit: the group levels in lavaan's order (order of first
//! appearance in the data, `lav_data.R`'s `unique()` of the group column), each group's
//! listwise complete rows of the model's observed variables, and their moments; with typed
//! errors for a grouping variable with one or more than 50 levels and an item that is constant
//! within a group.

use crate::data::Dataset;

use super::super::error::SemError;
use super::super::linalg::Mat;
use super::super::moments::{DataView, Moments};
use super::super::sample::SampleStats;

/// More levels than this read as a continuous variable given by mistake.
pub const MAX_GROUPS: usize = 50;

/// One group's complete rows (row-major n × p in the model's observed order) and moments.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupData {
    pub level: String,
    pub rows: Vec<f64>,
    pub stats: SampleStats,
}

/// The group levels in order of first appearance among rows where the group is observed, and
/// each row's group (`None` when missing).
pub fn levels(data: &Dataset, column: &str) -> Result<(Vec<String>, Vec<Option<usize>>), SemError> {
    let var = data.var(column)?;
    data.check_problem(var)?;
    let mut levels: Vec<String> = Vec::new();
    let mut of_row = Vec::with_capacity(data.n_rows());
    for i in 0..data.n_rows() {
        if var.data.is_missing(i) {
            of_row.push(None);
            continue;
        }
        let v = var.data.display(i);
        let k = match levels.iter().position(|l| *l == v) {
            Some(k) => k,
            None => {
                levels.push(v);
                levels.len() - 1
            }
        };
        of_row.push(Some(k));
    }
    if levels.len() < 2 || levels.len() > MAX_GROUPS {
        return Err(SemError::GroupLevels {
            column: column.to_string(),
            levels: levels.len(),
        });
    }
    Ok((levels, of_row))
}

/// A group's level and its complete rows (row-major in the model's observed order).
pub type GroupRows = (String, Vec<f64>);

/// Each group's level and complete rows (row-major in `vars`' order), and the file lines of
/// rows dropped for a missing value (in a model variable or the group).
pub fn split(
    data: &Dataset,
    column: &str,
    vars: &[&str],
) -> Result<(Vec<GroupRows>, Vec<u64>), SemError> {
    let (levels, index, dropped) = assign(data, column, vars)?;
    let cols: Vec<&[f64]> = vars
        .iter()
        .map(|v| data.numeric(v))
        .collect::<Result<_, _>>()?;
    let rows = index
        .iter()
        .map(|ix| {
            ix.iter()
                .flat_map(|&r| cols.iter().map(move |c| c[r]))
                .collect()
        })
        .collect::<Vec<Vec<f64>>>();
    Ok((levels.into_iter().zip(rows).collect(), dropped))
}

/// The data rows (0-based) each group uses, in [`split`]'s order: what a cluster column is read
/// at (sem/groups/cluster.rs).
pub fn row_indices(
    data: &Dataset,
    column: &str,
    vars: &[&str],
) -> Result<Vec<Vec<usize>>, SemError> {
    Ok(assign(data, column, vars)?.1)
}

/// The levels, each group's complete rows (0-based data rows) and the sorted file lines of the
/// dropped rows.
type Assigned = (Vec<String>, Vec<Vec<usize>>, Vec<u64>);

fn assign(data: &Dataset, column: &str, vars: &[&str]) -> Result<Assigned, SemError> {
    let (levels, of_row) = levels(data, column)?;
    let complete = crate::data::complete_cases(data, vars)?;
    let mut dropped = complete.dropped_lines;
    let mut index: Vec<Vec<usize>> = vec![Vec::new(); levels.len()];
    for &r in &complete.rows {
        match of_row[r] {
            Some(g) => index[g].push(r),
            None => dropped.push(data.lines()[r]),
        }
    }
    dropped.sort_unstable();
    Ok((levels, index, dropped))
}

/// A group's moments, after checking that no variable is constant in it.
pub fn group_data(
    column: &str,
    level: String,
    rows: Vec<f64>,
    names: &[String],
) -> Result<GroupData, SemError> {
    let p = names.len();
    let n = rows.len() / p.max(1);
    let m = Moments::complete(DataView::new(&rows, n, p)?)?;
    if let Some(j) = (0..p).find(|&j| m.cov[j * p + j] <= 0.0) {
        return Err(SemError::GroupConstantItem {
            column: column.to_string(),
            group: level,
            variable: names[j].clone(),
        });
    }
    let stats = SampleStats::new(names, m.n, m.mean, Mat::from_rows(p, p, m.cov))?;
    Ok(GroupData { level, rows, stats })
}
