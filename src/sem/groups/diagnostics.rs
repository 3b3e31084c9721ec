//! Modification indices and residuals of a multi-group fit, complete data or FIML. Modification
//! indices as lavaan 0.6-14's `modindices()` computes them for `group =` (`lav_modification.R`,
//! `lav_object_extended`): every group's table extended by lavaan's full table of that group
//! (modindices.rs's `extend`), the extended information block diagonal over groups with weights
//! n_g/N and the gradient of fmin stacked the same way (as the fit's, groups/estimate.rs), I₂₂⁻¹
//! the fitted model's inverse information under its equality constraints (across groups too),
//! and MI = N g²/V, EPC = −g/V per candidate. Rows come in lavaan's order: the fitted tables'
//! fixed rows group by group, then the added rows group by group (`lav_partable_merge` appends
//! the full table after the fitted one).

use serde::Serialize;

use super::super::constraints;
use super::super::error::SemError;
use super::super::fiml::modindices::info_grad as fiml_info_grad;
use super::super::fiml::residuals::Block as FimlBlock;
use super::super::gradient::{delta, expected_information};
use super::super::linalg::spd_inverse_logdet;
use super::super::linalg::Mat;
use super::super::model::Model;
use super::super::modindices::{
    complete_info_grad, extend, fixed_x_positions, not_pd, score_tests, standardized_epc, Extended,
    Kind, ModIndex,
};
use super::super::residuals::{residuals_given, Residuals};
use super::super::vcov::vcov;
use super::super::Missing;
use super::{free_name, GroupSource, GroupedFit};

/// A modification index with its group (1-based, lavaan's `group` column).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupModIndex {
    pub group: usize,
    #[serde(flatten)]
    pub row: ModIndex,
}

/// One group's extended model at θ̂: its table, information and gradient (unweighted).
struct Block {
    ext: Extended,
    info: Mat,
    grad: Vec<f64>,
    imp: super::super::implied::Implied,
    base: Vec<f64>,
}

fn block(src: &GroupSource, g: usize, theta: &[f64]) -> Result<Block, SemError> {
    let (pt, s) = (&src.tables.groups[g], &src.stats[g]);
    let fitted = Model::new(pt, s);
    let o = src.tables.free_offset[g];
    let t = &theta[o..o + pt.n_free];
    let (_, imp) = fitted.implied(t).ok_or_else(not_pd)?;
    let ext = extend(pt, &fitted.row_values(t));
    let model = Model::new(&ext.table, s);
    let t_ext: Vec<f64> = model.free_rows.iter().map(|r| ext.values[r[0]]).collect();
    let x = fixed_x_positions(pt);
    // Under FIML, the group's casewise expected information and gradient (fiml/modindices.rs).
    let (info, grad) = match src.fiml.get(g) {
        Some(fd) => fiml_info_grad(&model, &t_ext, fd, &x)?,
        None => complete_info_grad(&model, &t_ext, s, &x)?,
    };
    Ok(Block {
        ext,
        info,
        grad,
        imp,
        base: fitted.base,
    })
}

/// The groups' extended blocks stacked: the information and gradient of fmin weighted by
/// n_g/N, each fitted free parameter's index there, and each group's first index.
struct Stacked {
    info: Mat,
    grad: Vec<f64>,
    model_ix: Vec<usize>,
    offset: Vec<usize>,
}

fn stack(src: &GroupSource, blocks: &[Block], n: f64) -> Stacked {
    let q_ext: usize = blocks.iter().map(|b| b.ext.table.n_free).sum();
    let mut st = Stacked {
        info: Mat::zeros(q_ext, q_ext),
        grad: vec![0.0; q_ext],
        model_ix: vec![0; src.tables.combined.n_free],
        offset: Vec::with_capacity(blocks.len()),
    };
    let mut o = 0;
    for (g, b) in blocks.iter().enumerate() {
        let w = src.stats[g].n / n;
        for i in 0..b.info.rows {
            st.grad[o + i] = w * b.grad[i];
            for j in 0..b.info.cols {
                st.info[(o + i, o + j)] = w * b.info[(i, j)];
            }
        }
        for (i, k) in b.ext.kinds.iter().enumerate() {
            if let Kind::Model(j) = k {
                st.model_ix[src.tables.free_offset[g] + j] = o + b.ext.table.rows[i].free - 1;
            }
        }
        st.offset.push(o);
        o += b.ext.table.n_free;
    }
    st
}

/// The modification indices of every group, in lavaan's order (`modindices(sort. = FALSE)`),
/// without those whose MI is NA; under FIML each group's block is the expected information of
/// its casewise likelihood and the gradient of its FIML discrepancy (lavaan's
/// `lavTech(FIT, "information.expected")` and `"gradient.logl"` of the extended multi-group
/// fit, single-group rules in fiml/modindices.rs), weighted by n_g/N as above.
pub fn modification_indices(fit: &GroupedFit) -> Result<Vec<GroupModIndex>, SemError> {
    let src = fit.source.as_ref().ok_or_else(not_pd)?;
    check_fiml_source(src)?;
    let gt = &src.tables;
    let blocks: Vec<Block> = (0..gt.groups.len())
        .map(|g| block(src, g, &fit.theta))
        .collect::<Result<_, _>>()?;
    let n: f64 = src.stats.iter().map(|s| s.n).sum();
    let st = stack(src, &blocks, n);
    let q = st.model_ix.len();
    let i22 = Mat::from_rows(
        q,
        q,
        (st.model_ix.iter())
            .flat_map(|&a| st.model_ix.iter().map(move |&b| (a, b)))
            .map(|(a, b)| st.info[(a, b)])
            .collect(),
    );
    let base: Vec<f64> = blocks.iter().flat_map(|b| b.base.iter().copied()).collect();
    let re = constraints::reparametrise(&gt.combined, &base)?;
    let i22_inv = vcov(&i22, &re, 1.0, &|k| free_name(gt, k))?;
    let (mut fitted_rows, mut added_rows) = (Vec::new(), Vec::new());
    for (g, b) in blocks.iter().enumerate() {
        let o = st.offset[g];
        let (mi, epc) = score_tests(&b.ext, o, &st.info, &st.grad, &st.model_ix, &i22_inv, n);
        let sepc = standardized_epc(&gt.groups[g], &b.ext, &epc, &b.imp);
        let n_fitted = gt.groups[g].rows.len();
        for i in (0..b.ext.table.rows.len()).filter(|&i| b.ext.kinds[i] == Kind::Extra) {
            if mi[i].is_nan() {
                continue;
            }
            let r = &b.ext.table.rows[i];
            let row = GroupModIndex {
                group: g + 1,
                row: ModIndex {
                    lhs: r.lhs.clone(),
                    op: r.op.symbol().to_string(),
                    rhs: r.rhs.clone(),
                    mi: mi[i],
                    epc: epc[i],
                    sepc_lv: sepc[0][i],
                    sepc_all: sepc[1][i],
                    sepc_nox: sepc[2][i],
                },
            };
            match i < n_fitted {
                true => fitted_rows.push(row),
                false => added_rows.push(row),
            }
        }
    }
    fitted_rows.extend(added_rows);
    Ok(fitted_rows)
}

/// Each group's residuals (raw, cor.bollen, cor.bentler, normalized, standardized) as lavaan
/// 0.6-14's `residuals(fit, type = ...)` gives them per group (`lav_residuals_acov`): the
/// descriptive and normalized ones from the group's own moments, the standardized ones with
/// Q_g = I − (n_g/N)·Δ_g A₀⁻¹ Δ_g′ A₁_g, A₀⁻¹ the fit's inverse information over all groups
/// (under its equality constraints). Under FIML the group's moments are its EM (H1) ones, A₁_g
/// the observed information of its casewise likelihood at the structured moments and A₀ =
/// Σ (n_g/N)·Δ_g′A₁_gΔ_g (`observed.information = "h1"`), the normalized ones from A_u,g⁻¹/n_g at
/// the EM moments (fiml/residuals.rs, one group).
pub fn residuals(fit: &GroupedFit) -> Result<Vec<Residuals>, SemError> {
    let src = fit.source.as_ref().ok_or_else(not_pd)?;
    if src.missing == Missing::Fiml {
        return fiml_residuals(fit, src);
    }
    let gt = &src.tables;
    let mut infos = Vec::with_capacity(gt.groups.len());
    let mut base = Vec::new();
    for (g, (pt, s)) in gt.groups.iter().zip(&src.stats).enumerate() {
        let model = Model::new(pt, s);
        let o = gt.free_offset[g];
        let (m, imp) = model
            .implied(&fit.theta[o..o + pt.n_free])
            .ok_or_else(not_pd)?;
        let (sigma_inv, _) = spd_inverse_logdet(&imp.sigma).ok_or_else(not_pd)?;
        infos.push(expected_information(
            &delta(&model, &m, &imp),
            &sigma_inv,
            pt.meanstructure,
        ));
        base.extend(model.base.iter().copied());
    }
    let blocks = weighted_inverse_blocks(src, &infos, &base)?;
    (gt.groups.iter().zip(&src.stats).zip(&blocks).enumerate())
        .map(|(g, ((pt, s), block))| {
            let o = gt.free_offset[g];
            residuals_given(pt, s, &fit.theta[o..o + pt.n_free], block)
        })
        .collect()
}

/// A FIML fit's source carries every group's patterns and EM H1 (groups/fiml.rs sets them);
/// without them the diagnostics would silently be the complete-data ones.
fn check_fiml_source(src: &GroupSource) -> Result<(), SemError> {
    if src.missing == Missing::Fiml && src.fiml.len() != src.tables.groups.len() {
        return Err(SemError::UnsupportedOption {
            what: "diagnostics of a multi-group FIML fit without its missing-data patterns".into(),
        });
    }
    Ok(())
}

/// [`residuals`] of a multi-group FIML fit.
fn fiml_residuals(fit: &GroupedFit, src: &GroupSource) -> Result<Vec<Residuals>, SemError> {
    let gt = &src.tables;
    check_fiml_source(src)?;
    let blocks: Vec<FimlBlock> = (gt.groups.iter().zip(&src.stats).zip(&src.fiml).enumerate())
        .map(|(g, ((pt, s), fd))| {
            let o = gt.free_offset[g];
            FimlBlock::new(pt, s, fd, &fit.theta[o..o + pt.n_free])
        })
        .collect::<Result<_, _>>()?;
    let infos: Vec<Mat> = blocks.iter().map(FimlBlock::a0).collect();
    let base: Vec<f64> = (blocks.iter())
        .flat_map(|b| b.model.base.iter().copied())
        .collect();
    let inv = weighted_inverse_blocks(src, &infos, &base)?;
    (blocks.iter().enumerate())
        .map(|(g, b)| b.residuals(&gt.groups[g], &src.stats[g], &src.fiml[g], &inv[g]))
        .collect()
}

/// The groups' per-case informations `infos` stacked with weights n_g/N, inverted under the
/// fit's equality constraints (`base`: the groups' base values), and each group's diagonal
/// block of that inverse times n_g/N: lavaan's (n_g/N)·A₀⁻¹ restricted to group g.
fn weighted_inverse_blocks(
    src: &GroupSource,
    infos: &[Mat],
    base: &[f64],
) -> Result<Vec<Mat>, SemError> {
    let gt = &src.tables;
    let n: f64 = src.stats.iter().map(|s| s.n).sum();
    let q = gt.combined.n_free;
    let mut info = Mat::zeros(q, q);
    for (g, ig) in infos.iter().enumerate() {
        let (o, w) = (gt.free_offset[g], src.stats[g].n / n);
        for i in 0..ig.rows {
            for j in 0..ig.cols {
                info[(o + i, o + j)] = w * ig[(i, j)];
            }
        }
    }
    let re = constraints::reparametrise(&gt.combined, base)?;
    let info_inv = vcov(&info, &re, 1.0, &|k| free_name(gt, k))?;
    Ok((gt.groups.iter().zip(&src.stats).enumerate())
        .map(|(g, (pt, s))| {
            let o = gt.free_offset[g];
            let idx: Vec<usize> = (o..o + pt.n_free).collect();
            info_inv.select(&idx).scale(s.n / n)
        })
        .collect())
}
