//! The SEM bootstrap on data simulated from a known mediation model: the weighted moments of a
//! draw, bit-identical results for any thread count, the Bollen-Stine transformation, and Monte
//! Carlo SEs of a linear defined parameter against its delta-method SE.

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

use super::*;
use crate::data::{Dataset, Variable};
use crate::inference::resample::Step;
use crate::sem::{fit, SemOptions};

const MODEL: &str = "f =~ x1 + x2 + x3
g =~ y1 + y2 + y3
f ~ a*z
g ~ b*f + c*z
ind := a*b
tot := c + b";

/// n rows of the model above (loadings 1, 0.8, 0.7; b = 0.5, c = 0.3, f ~ 0.4 z), seeded.
fn simulated(n: usize, seed: u64) -> Dataset {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut e = || -> f64 { rng.sample(rand_distr::StandardNormal) };
    let mut cols: Vec<Vec<f64>> = vec![Vec::new(); 7];
    for _ in 0..n {
        let z = e();
        let f = 0.4 * z + e();
        let g = 0.5 * f + 0.3 * z + e();
        let row = [
            f + 0.6 * e(),
            0.8 * f + 0.6 * e(),
            0.7 * f + 0.6 * e(),
            g + 0.6 * e(),
            0.8 * g + 0.6 * e(),
            0.7 * g + 0.6 * e(),
            z,
        ];
        for (c, v) in cols.iter_mut().zip(row) {
            c.push(v);
        }
    }
    let names = ["x1", "x2", "x3", "y1", "y2", "y3", "z"];
    let vars = names
        .iter()
        .zip(cols)
        .map(|(n, c)| Variable::numeric(*n, c))
        .collect();
    Dataset::new("simulated", vars).expect("data")
}

fn setup(n: usize) -> (FlatModel, Dataset, SemFit) {
    let flat = crate::spec::syntax::parse_flat("test", MODEL).expect("model");
    let data = simulated(n, 7);
    let f = fit(&flat, &data, &SemOptions::default()).expect("fit");
    (flat, data, f)
}

/// A draw of `step` that counts each of its rows once reproduces the fit's point estimates.
fn assert_full_draw_refits<S: Step<[u32]>>(step: &S, rows: usize, f: &SemFit) {
    let mut out = vec![0.0; step.statistics()];
    let mut counts = vec![1u32; rows];
    step.draw(&mut step.scratch(), &mut counts, &mut out)
        .unwrap();
    for (a, b) in out.iter().zip(&point(&Labelled::of(f))) {
        assert!((a - b).abs() < 1e-7, "{a} {b}");
    }
}

/// A draw that counts every row once has the sample's moments, so its refit is θ̂.
#[test]
fn the_full_sample_draw_refits_theta_hat() {
    let (flat, data, f) = setup(200);
    let prep = crate::sem::prepare(&flat, &data, &f.options).unwrap();
    let base = model::Model::new(&prep.pt, &prep.stats);
    let re = constraints::reparametrise(&prep.pt, &base.base).unwrap();
    let step = Refit::new(&prep.pt, base, &re, &f.theta, &prep.rows, Output::Estimates);
    assert_full_draw_refits(&step, step.rows(), &f);
}

#[test]
fn same_results_for_one_and_four_threads() {
    let (flat, data, f) = setup(150);
    let mut opts = SemBootOptions {
        boot: 60,
        seed: 11,
        ci: CiMethod::Bca,
        mc: 200,
        bollen_stine: true,
        threads: 1,
    };
    let one = bootstrap(&flat, &data, &f, &opts).unwrap();
    opts.threads = 4;
    let four = bootstrap(&flat, &data, &f, &opts).unwrap();
    assert_eq!(one, four);
    // 14 free parameters (fixed.x: z's variance is not one), two defined ones.
    assert_eq!(one.parameters.len(), f.n_free + 2);
    assert_eq!(one.standardized_defined.len(), 2);
    let p = one.bollen_stine.as_ref().unwrap().pvalue;
    assert!((0.0..=1.0).contains(&p));
    for r in one.parameters.iter().chain(&one.standardized_defined) {
        let (lo, hi) = (r.ci_lower.unwrap(), r.ci_upper.unwrap());
        assert!(lo <= hi && r.se.unwrap() > 0.0, "{r:?}");
        assert!(r.acceleration.unwrap().abs() < 0.5);
    }
}

/// The transformed rows have the implied moments exactly, so the model fits them perfectly.
#[test]
fn bollen_stine_rows_have_the_implied_moments() {
    let (flat, data, f) = setup(200);
    let prep = crate::sem::prepare(&flat, &data, &f.options).unwrap();
    let rows = bollen_stine::transform(&prep, &f);
    let p = prep.pt.ov.len();
    let n = rows.len() / p;
    let m = crate::sem::moments::Moments::complete(
        crate::sem::moments::DataView::new(&rows, n, p).unwrap(),
    )
    .unwrap();
    for (a, b) in m.cov.iter().zip(&f.implied_cov.data) {
        assert!((a - b).abs() < 1e-10, "{a} {b}");
    }
}

/// `tot := c + b` is linear in θ, so its Monte Carlo SD estimates the delta-method SE; with
/// R = 20000 draws the SD's relative Monte Carlo error is 1/√(2R) = 0.5%, and 3% is six of them.
#[test]
fn monte_carlo_se_of_a_linear_parameter_is_the_delta_se() {
    let (flat, data, f) = setup(300);
    let opts = SemBootOptions {
        mc: 20000,
        seed: 3,
        ..SemBootOptions::default()
    };
    let r = bootstrap(&flat, &data, &f, &opts).unwrap();
    let mc = r.monte_carlo.unwrap();
    let tot = mc.defined.iter().find(|d| d.lhs == "tot").unwrap();
    let delta = f.parameters.iter().find(|p| p.lhs == "tot").unwrap().se;
    let se = tot.se.unwrap();
    assert!((se / delta - 1.0).abs() < 0.03, "MC {se} delta {delta}");
    assert!(tot.ci_lower.unwrap() < tot.est && tot.est < tot.ci_upper.unwrap());
}

/// The simulated data with every 7th value of x1, y2 and y3 blanked (rows differ per column).
fn with_holes(data: &Dataset) -> Dataset {
    let vars = data
        .names()
        .map(|name| {
            let mut c = data.numeric(name).expect("numeric").to_vec();
            if let Some(k) = ["x1", "y2", "y3"].iter().position(|v| *v == name) {
                for v in c.iter_mut().skip(k + 1).step_by(7) {
                    *v = f64::NAN;
                }
            }
            Variable::numeric(name, c)
        })
        .collect();
    Dataset::new("holes", vars).expect("data")
}

/// Monte Carlo needs only θ̂ and V̂, so it serves a FIML fit: the linear `tot`'s MC SE is its
/// delta-method SE (from the observed information) within the bound above, and the results are
/// the same for any thread count.
#[test]
fn monte_carlo_under_fiml() {
    let flat = crate::spec::syntax::parse_flat("test", MODEL).expect("model");
    let data = with_holes(&simulated(300, 7));
    let fopts = SemOptions::lavaan(crate::sem::Estimator::Ml, crate::sem::Missing::Fiml);
    let f = fit(&flat, &data, &fopts).expect("FIML fit");
    let mut opts = SemBootOptions {
        mc: 20000,
        seed: 3,
        threads: 1,
        ..SemBootOptions::default()
    };
    let one = bootstrap(&flat, &data, &f, &opts).unwrap();
    opts.threads = 3;
    assert_eq!(one, bootstrap(&flat, &data, &f, &opts).unwrap());
    let mc = one.monte_carlo.unwrap();
    let tot = mc.defined.iter().find(|d| d.lhs == "tot").unwrap();
    let delta = f.parameters.iter().find(|p| p.lhs == "tot").unwrap().se;
    let se = tot.se.unwrap();
    assert!((se / delta - 1.0).abs() < 0.03, "MC {se} delta {delta}");
    // Bollen-Stine under FIML is refused (lavaan 0.6-14 has none), pointing to --mc.
    opts.boot = 10;
    opts.bollen_stine = true;
    let err = bootstrap(&flat, &data, &f, &opts).unwrap_err().to_string();
    assert!(
        err.contains("Bollen-Stine") && err.contains("full-information") && err.contains("--mc"),
        "{err}"
    );
}

/// The FIML fit of the mediation model to the data with holes, with random z (fixed.x is
/// `fixedx_setup`'s).
fn fiml_setup(n: usize) -> (FlatModel, Dataset, SemFit) {
    let flat = crate::spec::syntax::parse_flat("test", MODEL).expect("model");
    let data = with_holes(&simulated(n, 7));
    let opts = SemOptions {
        fixed_x: false,
        ..SemOptions::lavaan(crate::sem::Estimator::Ml, crate::sem::Missing::Fiml)
    };
    let f = fit(&flat, &data, &opts).expect("FIML fit");
    (flat, data, f)
}

/// A FIML draw that counts every row once is the full sample: its refit is θ̂.
#[test]
fn the_full_sample_fiml_draw_refits_theta_hat() {
    let (_, data, f) = fiml_setup(200);
    let pt = &f.source().unwrap().table;
    let step = fiml_refit::FimlRefit::new(pt, &data, &f).unwrap();
    assert_full_draw_refits(&step, step.rows(), &f);
}

/// A FIML fit with an observed product term (`x1:z`, a column the data gain in `fit`) is
/// bootstrapped from the same product column.
#[test]
fn fiml_bootstrap_of_an_observed_product_term() {
    let flat = crate::spec::syntax::parse_flat("test", "y1 ~ x1 + z + x1:z").expect("model");
    let data = with_holes(&simulated(150, 7));
    let opts = SemOptions {
        fixed_x: false,
        ..SemOptions::lavaan(crate::sem::Estimator::Ml, crate::sem::Missing::Fiml)
    };
    let f = fit(&flat, &data, &opts).expect("FIML fit");
    let b = bootstrap(
        &flat,
        &data,
        &f,
        &SemBootOptions {
            boot: 20,
            seed: 3,
            ..SemBootOptions::default()
        },
    )
    .expect("the FIML bootstrap finds the product column");
    let row = b
        .parameters
        .iter()
        .find(|r| r.lhs == "y1" && r.op == "~" && r.rhs == "x1:z")
        .expect("the product's path");
    assert!(
        row.se.is_some_and(|se| se.is_finite() && se > 0.0),
        "{row:?}"
    );
}

/// The FIML bootstrap (BCa, so the jackknife too) is bit-identical for any thread count, and
/// its SEs are near the observed-information SEs (within 30%: 80 draws of n = 150).
#[test]
fn fiml_bootstrap_same_for_one_and_three_threads() {
    let (flat, data, f) = fiml_setup(150);
    let mut opts = SemBootOptions {
        boot: 80,
        seed: 5,
        ci: CiMethod::Bca,
        threads: 1,
        ..SemBootOptions::default()
    };
    let one = bootstrap(&flat, &data, &f, &opts).unwrap();
    opts.threads = 3;
    assert_eq!(one, bootstrap(&flat, &data, &f, &opts).unwrap());
    assert_eq!(one.parameters.len(), f.n_free + 2);
    for (b, r) in one
        .parameters
        .iter()
        .zip(f.parameters.iter().filter(|r| r.free > 0))
    {
        let ratio = b.se.unwrap() / r.se;
        assert!(
            (0.7..1.3).contains(&ratio),
            "{} {} {}: {ratio}",
            r.lhs,
            r.op,
            r.rhs
        );
        assert!(b.ci_lower.unwrap() < b.est && b.est < b.ci_upper.unwrap());
    }
    opts.bollen_stine = true;
    let err = bootstrap(&flat, &data, &f, &opts).unwrap_err().to_string();
    assert!(err.contains("Bollen-Stine"), "{err}");
}

/// The mediation model with a second covariate `w` of `g`: under fixed.x the means, variances
/// and the covariance of z and w are the sample's.
const MODEL_X: &str = "f =~ x1 + x2 + x3
g =~ y1 + y2 + y3
f ~ a*z
g ~ b*f + c*z + w
ind := a*b";

/// The FIML fit of [`MODEL_X`] with fixed.x covariates (lavaan's default) to the data with
/// holes plus w (correlated with z, seeded).
fn fixedx_setup(n: usize) -> (FlatModel, Dataset, SemFit) {
    let flat = crate::spec::syntax::parse_flat("test", MODEL_X).expect("model");
    let data = with_holes(&simulated(n, 7));
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
    let z = data.numeric("z").expect("z");
    let w: Vec<f64> = z
        .iter()
        .map(|z| 0.5 * z + rng.sample::<f64, _>(rand_distr::StandardNormal))
        .collect();
    let mut vars: Vec<Variable> = data
        .names()
        .map(|v| Variable::numeric(v, data.numeric(v).expect("numeric").to_vec()))
        .collect();
    vars.push(Variable::numeric("w", w));
    let data = Dataset::new("holes_w", vars).expect("data");
    let opts = SemOptions::lavaan(crate::sem::Estimator::Ml, crate::sem::Missing::Fiml);
    let f = fit(&flat, &data, &opts).expect("FIML fit");
    assert!(f.source().unwrap().table.fixed_x);
    (flat, data, f)
}

/// With fixed.x covariates too, a FIML draw that counts every row once refits θ̂.
#[test]
fn the_full_sample_fiml_draw_with_fixed_x_refits_theta_hat() {
    let (_, data, f) = fixedx_setup(200);
    let pt = &f.source().unwrap().table;
    let step = fiml_refit::FimlRefit::new(pt, &data, &f).unwrap();
    assert_full_draw_refits(&step, step.rows(), &f);
}

/// A draw's fixed.x values are the moments (divisor n) of the rows the counts repeat, formed
/// here by copying the rows as the counts say.
#[test]
fn a_fiml_draw_takes_its_own_covariate_moments() {
    let (_, data, f) = fixedx_setup(120);
    let src = f.source().unwrap();
    let pt = &src.table;
    let (z, w) = (data.numeric("z").unwrap(), data.numeric("w").unwrap());
    let rows: Vec<f64> = (0..data.n_rows())
        .flat_map(|i| {
            pt.ov.iter().map(move |v| match v.as_str() {
                "z" => z[i],
                "w" => w[i],
                _ => 0.0,
            })
        })
        .collect();
    let x = covariates::Covariates::new(pt, &rows, pt.ov.len()).expect("fixed.x rows");
    let counts: Vec<u32> = (0..data.n_rows()).map(|i| ((i * 7) % 4) as u32).collect();
    let mut model = crate::sem::model::Model::new(pt, &src.sample);
    let full = model.base.clone();
    x.set(&mut model, &counts);
    let copied: Vec<(f64, f64)> = counts
        .iter()
        .enumerate()
        .flat_map(|(i, &c)| std::iter::repeat_n((z[i], w[i]), c as usize))
        .collect();
    let n = copied.len() as f64;
    let mz = copied.iter().map(|r| r.0).sum::<f64>() / n;
    let mw = copied.iter().map(|r| r.1).sum::<f64>() / n;
    let cov = |a: &dyn Fn(&(f64, f64)) -> f64, b: &dyn Fn(&(f64, f64)) -> f64, ma, mb| {
        copied
            .iter()
            .map(|r| (a(r) - ma) * (b(r) - mb))
            .sum::<f64>()
            / n
    };
    let (fz, fw) = (|r: &(f64, f64)| r.0, |r: &(f64, f64)| r.1);
    let want = |lhs: &str, op: crate::sem::partable::Op, rhs: &str| match (lhs, op, rhs) {
        ("z", crate::sem::partable::Op::Intercept, _) => mz,
        ("w", crate::sem::partable::Op::Intercept, _) => mw,
        ("z", _, "z") => cov(&fz, &fz, mz, mz),
        ("w", _, "w") => cov(&fw, &fw, mw, mw),
        _ => cov(&fz, &fw, mz, mw),
    };
    let exo: Vec<_> = pt.rows.iter().enumerate().filter(|(_, r)| r.exo).collect();
    assert_eq!(exo.len(), 5, "two means, two variances, one covariance");
    for (k, r) in exo {
        let expected = want(&r.lhs, r.op, &r.rhs);
        let got = model.base[k];
        assert!(
            (got - expected).abs() < 1e-12,
            "{} {:?} {}: {got} {expected}",
            r.lhs,
            r.op,
            r.rhs
        );
        assert!(
            (got - full[k]).abs() > 1e-6,
            "the draw's value is not the sample's"
        );
    }
}

/// The FIML bootstrap with fixed.x covariates (BCa, so the jackknife too) is bit-identical for
/// 1, 2 and 4 threads, and its SEs are near the observed-information SEs (within 30%: 80 draws
/// of n = 150).
#[test]
fn fiml_fixed_x_bootstrap_same_for_one_two_and_four_threads() {
    let (flat, data, f) = fixedx_setup(150);
    let mut opts = SemBootOptions {
        boot: 80,
        seed: 5,
        ci: CiMethod::Bca,
        threads: 1,
        ..SemBootOptions::default()
    };
    let one = bootstrap(&flat, &data, &f, &opts).unwrap();
    for threads in [2, 4] {
        opts.threads = threads;
        assert_eq!(one, bootstrap(&flat, &data, &f, &opts).unwrap());
    }
    assert_eq!(one.failed.failed, 0);
    assert_eq!(one.parameters.len(), f.n_free + 1);
    for (b, r) in one
        .parameters
        .iter()
        .zip(f.parameters.iter().filter(|r| r.free > 0))
    {
        let ratio = b.se.unwrap() / r.se;
        assert!(
            (0.7..1.3).contains(&ratio),
            "{} {} {}: {ratio}",
            r.lhs,
            r.op,
            r.rhs
        );
    }
}
