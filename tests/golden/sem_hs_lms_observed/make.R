# lavaan's ML fit of a model with a latent and an observed predictor (HolzingerSwineford1939,
# textual ~ visual + ageyr) with random covariates (fixed.x = FALSE), a mean structure and
# standard errors from the observed information: LMS's model for a latent x observed product
# (`textual ~ visual + ageyr + visual:ageyr`) with the product's coefficient fixed at 0 is this
# model, the observed factor being a single-indicator latent (loading 1, residual variance 0)
# as in lavaan's all-y representation and modsem's LMS (vignette observed_lms_qml).
# Run from the crate root: Rscript tests/golden/sem_hs_lms_observed/make.R
source("tests/golden/sem_common/sem_golden.R")
f <- "../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv"
model <- 'visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
textual ~ visual + ageyr'
sem_golden(read.csv(f), model, "tests/golden/sem_hs_lms_observed", f,
           meanstructure = TRUE, fixed.x = FALSE, information = "observed",
           mi = FALSE, resid = FALSE)
