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
