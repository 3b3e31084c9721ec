//! MLR and FIML in `cipa sem` against lavaan 0.6-14 (tests/golden/sem_hs_mlr,
//! tests/golden/sem_hs_fiml/{ml,mlr}, made by tests/golden/sem_common/sem_golden.R): every
//! parameter row (Huber-White SEs from the observed information and the case scores) and every
//! fit measure lavaan prints, the scaled and robust ones included, to 1e-5 relative.

use cipa::sem::{Estimator, Missing, SemOptions};

use crate::sem_golden::check_case;

const REL: f64 = 1e-5;

#[test]
fn holzinger_swineford_cfa_mlr() {
    check_case(
        "sem_hs_mlr",
        SemOptions::lavaan(Estimator::Mlr, Missing::Listwise),
        REL,
    );
}

/// Fixed.x covariates: lavaan residualises Γ on the x (the h1 trace) and the baseline keeps
/// the x moments fixed.
#[test]
fn holzinger_swineford_latent_mediation_mlr_fixed_x() {
    check_case(
        "sem_hs_mediation_mlr",
        SemOptions::lavaan(Estimator::Mlr, Missing::Listwise),
        REL,
    );
}

/// MLR needs the data rows: from moments alone it is a typed error, not a silent ML fit.
#[test]
fn mlr_from_moments_alone_is_refused() {
    let names: Vec<String> = ["x1", "x2", "x3"].iter().map(|s| s.to_string()).collect();
    let cov = cipa::sem::Mat::from_rows(3, 3, vec![1.0, 0.5, 0.4, 0.5, 1.0, 0.3, 0.4, 0.3, 1.0]);
    let s = cipa::sem::SampleStats::new(&names, 200.0, vec![0.0; 3], cov).unwrap();
    let flat = cipa::spec::syntax::parse_flat("model", "f =~ x1 + x2 + x3").unwrap();
    let opts = SemOptions::lavaan(Estimator::Mlr, Missing::Listwise);
    let pt = cipa::sem::partable::build(&flat, &names, &opts).unwrap();
    let e = cipa::sem::fit_moments(&pt, &s, &opts).unwrap_err();
    assert!(
        matches!(e, cipa::sem::SemError::UnsupportedOption { .. }),
        "{e}"
    );
}

/// Random x with a mean structure: the mean parts of the scores and traces, and a baseline
/// whose x block is saturated.
#[test]
fn holzinger_swineford_random_x_meanstructure_mlr() {
    let opts = SemOptions {
        fixed_x: false,
        meanstructure: true,
        ..SemOptions::lavaan(Estimator::Mlr, Missing::Listwise)
    };
    check_case("sem_hs_randomx_mlr", opts, REL);
}
