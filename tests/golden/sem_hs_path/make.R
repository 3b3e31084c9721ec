# An observed-variable path model on HolzingerSwineford1939 (every variable observed, so each
# becomes a dummy latent in lavaan's LISREL representation), with a residual covariance, labelled
# paths, a defined indirect effect and exogenous covariates under fixed.x. Run from the crate
# root: Rscript tests/golden/sem_hs_path/make.R
source("tests/golden/sem_common/sem_golden.R")
f <- "../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv"
model <- 'x4 ~ a*x1 + x2 + ageyr
x9 ~ b*x4 + x1
x7 ~ x4
x7 ~~ x9
ind := a*b'
sem_golden(read.csv(f), model, "tests/golden/sem_hs_path", f)
