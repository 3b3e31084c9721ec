# Diagnostics (residuals of every type, modification indices, reliability) of a model with
# fixed.x covariates (lavaan's default: ageyr and sex are exogenous observed, so their
# moments are fixed at the sample values), HolzingerSwineford1939, ML with lavaan's defaults.
# Run from the crate root: Rscript tests/golden/sem_hs_residuals_fixedx/make.R
source("tests/golden/sem_common/sem_diag_golden.R")
f <- "../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv"
model <- 'visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
textual ~ visual + ageyr + sex'
sem_diag_golden(read.csv(f), model, "tests/golden/sem_hs_residuals_fixedx", f)
