# Diagnostics of the three-factor CFA of HolzingerSwineford1939 (lavaan's tutorial, ML with
# lavaan's defaults): modification indices, residuals, reliability. Run from the crate root:
# Rscript tests/golden/sem_hs_mi/make.R
source("tests/golden/sem_common/sem_diag_golden.R")
f <- "../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv"
model <- 'visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9'
sem_diag_golden(read.csv(f), model, "tests/golden/sem_hs_mi", f)
