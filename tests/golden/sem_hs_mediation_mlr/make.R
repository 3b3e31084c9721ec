# MLR (Huber-White SEs, Yuan-Bentler scaled test, whose Gamma lavaan residualises on the fixed x)
# for a latent mediation model on HolzingerSwineford1939 with observed exogenous covariates
# (fixed.x), labelled paths and defined indirect and total effects. Run from the crate root:
# Rscript tests/golden/sem_hs_mediation_mlr/make.R
source("tests/golden/sem_common/sem_golden.R")
f <- "../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv"
model <- 'visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9
textual ~ a*visual + ageyr + sex
speed ~ b*textual + c*visual + ageyr
ind := a*b
total := c + a*b'
sem_golden(read.csv(f), model, "tests/golden/sem_hs_mediation_mlr", f, estimator = "MLR")
