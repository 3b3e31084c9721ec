# The three-factor CFA of HolzingerSwineford1939 with MLR: Huber-White standard errors and the
# Yuan-Bentler (Mplus variant) scaled test with robust CFI, TLI and RMSEA. Run from the crate root:
# Rscript tests/golden/sem_hs_mlr/make.R
source("tests/golden/sem_common/sem_golden.R")
f <- "../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv"
model <- 'visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9'
sem_golden(read.csv(f), model, "tests/golden/sem_hs_mlr", f, estimator = "MLR")
