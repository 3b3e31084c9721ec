# MLR with random x and a mean structure (the baseline keeps a saturated x block).
# A latent regression on observed covariates with fixed.x = FALSE (the covariates' variances,
# covariance and means are free parameters) and a mean structure, on HolzingerSwineford1939.
# Run from the crate root: Rscript tests/golden/sem_hs_randomx_mlr/make.R
source("tests/golden/sem_common/sem_golden.R")
f <- "../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv"
model <- 'textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9
textual ~ ageyr + sex
speed ~ textual + ageyr'
sem_golden(read.csv(f), model, "tests/golden/sem_hs_randomx_mlr", f, fixed.x = FALSE, estimator = "MLR",
           meanstructure = TRUE)
