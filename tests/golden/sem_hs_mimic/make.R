# A MIMIC-style model on HolzingerSwineford1939: a latent caused by observed covariates
# (fixed.x), an observed outcome of the latent, a single-indicator latent (its residual variance
# fixed at 0 by lavaan) and user intercepts (a mean structure switched on by '~ 1').
# Run from the crate root: Rscript tests/golden/sem_hs_mimic/make.R
source("tests/golden/sem_common/sem_golden.R")
f <- "../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv"
model <- 'visual =~ x1 + x2 + x3
single =~ x5
visual ~ ageyr + sex
x9 ~ visual + single
x9 ~ 1
x1 ~ 1'
sem_golden(read.csv(f), model, "tests/golden/sem_hs_mimic", f)
