# As tests/golden/sem_hs_residuals_fixedx, with a mean structure (meanstructure = TRUE): the
# fixed.x covariates' means are masked too. Run from the crate root:
# Rscript tests/golden/sem_hs_residuals_fixedx_ms/make.R
source("tests/golden/sem_common/sem_diag_golden.R")
f <- "../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv"
model <- 'visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
textual ~ visual + ageyr + sex'
sem_diag_golden(read.csv(f), model, "tests/golden/sem_hs_residuals_fixedx_ms", f,
                meanstructure = TRUE)
