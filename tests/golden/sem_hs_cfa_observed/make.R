# The three-factor CFA of HolzingerSwineford1939 with standard errors from the observed
# information (lavaan's numeric Hessian of the analytic gradient), the information MLR and FIML
# use. Run from the crate root: Rscript tests/golden/sem_hs_cfa_observed/make.R
source("tests/golden/sem_common/sem_golden.R")
f <- "../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv"
model <- 'visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9'
sem_golden(read.csv(f), model, "tests/golden/sem_hs_cfa_observed", f, information = "observed")
