//! The per-draw step of the bootstrap of a FIML fit (lavaan's `se = "bootstrap"` with
//! `missing = "ml"`: each draw resamples whole rows, missing cells and all, and refits the
//! casewise likelihood). A draw is a vector of row counts; its casewise log-likelihood is the
//! count-weighted sum over rows, which the pattern statistics carry
//! ([`MissingPatterns::weighted`]: the patterns are the full sample's, their sizes, means and
//! covariances the draw's), so no row is copied. The refit is BFGS in z from θ̂ with the full
//! sample's inverse Hessian (as refit.rs for complete data), and the FIML fit's own search
//! (fiml/pipeline.rs) when that stalls above [`STALL_TOL`]. With fixed.x covariates each
//! draw's model takes the draw's own covariate moments first (covariates.rs), as lavaan
//! rebuilds the model of a draw under fixed.x (`lav_bootstrap_internal`).

use crate::data::Dataset;
use crate::inference::resample::Step;

use super::super::constraints::{self, Reparam};
use super::super::estimate::GRADIENT_TOL;
use super::super::fiml::pipeline::{estimate, fiml_data, information};
use super::super::fiml::{bfgs_from, objective_gradient, FimlData};
use super::super::linalg::{spd_inverse_logdet, Mat};
use super::super::missing::MissingPatterns;
use super::super::model::Model;
use super::super::moments::DataView;
use super::super::partable::ParTable;
use super::super::{SemError, SemFit};
use super::covariates::Covariates;
use super::refit::estimates;

/// BFGS iterations before the general search takes over.
const MAX_STEPS: usize = 200;
/// A search that stalls with a gradient below this has reached the rounding floor of F.
const STALL_TOL: f64 = 1e-7;

/// The refit of a FIML draw: everything fixed across draws is made once here.
pub(super) struct FimlRefit<'a> {
    pt: &'a ParTable,
    model: Model,
    re: Reparam,
    start: &'a [f64],
    /// The rows with an observed model variable, row-major n × p (NaN where missing).
    rows: Vec<f64>,
    p: usize,
    /// Their patterns and the full sample's EM H1 (its ℓ_H1 only shifts F).
    fd: FimlData,
    z0: Vec<f64>,
    /// The inverse of ∂²F/∂z∂z′ at θ̂ on the full sample.
    h0: Mat,
    /// The fixed.x covariates, whose moments each draw sets (`None` without them).
    covariates: Option<Covariates>,
}

impl<'a> FimlRefit<'a> {
    /// The step for the FIML `fit` of `pt` to `data`.
    pub fn new(pt: &'a ParTable, data: &Dataset, fit: &'a SemFit) -> Result<Self, SemError> {
        let src = fit.source()?;
        let prep = fiml_data(pt, data)?;
        let p = pt.ov.len();
        // Rows with every model variable missing carry no likelihood: they are not drawn.
        let empty = &prep.fd.patterns.empty_rows;
        let rows: Vec<f64> = (0..prep.n_rows)
            .filter(|i| !empty.contains(i))
            .flat_map(|i| prep.rows[i * p..(i + 1) * p].iter().copied())
            .collect();
        let patterns = MissingPatterns::new(DataView::new(&rows, rows.len() / p, p)?)?;
        let fd = FimlData {
            patterns,
            h1: prep.fd.h1,
        };
        let model = Model::new(pt, &src.sample);
        let re = constraints::reparametrise(pt, &model.base)?;
        let info = information(&model, &fd, &fit.theta).ok_or_else(not_pd)?;
        // ∂²F/∂z∂z′ = 2K′IK, I the unit information of fmin = F/2.
        let hz = re.k.t().mul(&info).mul(&re.k).scale(2.0);
        let (h0, _) = spd_inverse_logdet(&hz).ok_or_else(not_pd)?;
        Ok(FimlRefit {
            covariates: Covariates::new(pt, &rows, p),
            z0: re.z(&fit.theta),
            pt,
            model,
            re,
            start: &fit.theta,
            rows,
            p,
            fd,
            h0,
        })
    }

    /// How many rows a draw counts.
    pub fn rows(&self) -> usize {
        self.rows.len() / self.p
    }

    /// θ* of the draw whose patterns carry its counts, `model` holding its fixed.x values.
    fn solve(&self, model: &Model, fd: &FimlData) -> Result<Vec<f64>, String> {
        let eval = |z: &[f64]| -> Option<(f64, Vec<f64>)> {
            let (f, g) = objective_gradient(model, fd, &self.re.theta(z))?;
            Some((f, self.re.k.t().mul_vec(&g)))
        };
        let quick = bfgs_from(&eval, &self.z0, self.h0.clone(), GRADIENT_TOL, MAX_STEPS);
        if let Some(end) = quick.filter(|e| e.gmax < STALL_TOL) {
            return Ok(self.re.theta(&end.x));
        }
        match estimate(model, fd, &self.re, self.start) {
            Ok(est) => Ok(est.theta),
            Err(SemError::NotConverged { .. }) => Err("the FIML fit did not converge".into()),
            Err(e) => Err(e.to_string()),
        }
    }
}

fn not_pd() -> SemError {
    SemError::Unidentified {
        parameters: vec![
            "(the observed information is not positive definite at the estimate)".into(),
        ],
    }
}

impl Step<[u32]> for FimlRefit<'_> {
    /// A worker's own model, whose fixed.x rows change per draw.
    type Scratch = Model;

    fn statistics(&self) -> usize {
        self.start.len() + 2 * self.pt.defined.len()
    }

    fn scratch(&self) -> Model {
        self.model.clone()
    }

    fn draw(&self, model: &mut Model, counts: &mut [u32], out: &mut [f64]) -> Result<(), String> {
        let view = DataView::new(&self.rows, self.rows(), self.p).map_err(|e| e.to_string())?;
        let fd = FimlData {
            patterns: self
                .fd
                .patterns
                .weighted(view, counts)
                .map_err(|e| e.to_string())?,
            h1: self.fd.h1.clone(),
        };
        if let Some(x) = &self.covariates {
            x.set(model, counts);
        }
        let theta = self.solve(model, &fd)?;
        estimates(self.pt, model, &theta, out);
        Ok(())
    }
}
