# Diagnostics (modification indices, residuals, reliability) of:
# lavaan's tutorial SEM on Bollen's PoliticalDemocracy (equality labels a, b, c and residual
# covariances), with labelled structural paths and defined indirect/total effects (the labels do
# not change the fit). Run from the crate root: Rscript tests/golden/sem_poldem_mi/make.R
source("tests/golden/sem_common/sem_diag_golden.R")
f <- "../shared/datasets/lavaan_pkg/PoliticalDemocracy.csv"
model <- '
  # measurement model
    ind60 =~ x1 + x2 + x3
    dem60 =~ y1 + a*y2 + b*y3 + c*y4
    dem65 =~ y5 + a*y6 + b*y7 + c*y8
  # regressions
    dem60 ~ a1*ind60
    dem65 ~ c1*ind60 + b1*dem60
  # residual correlations
    y1 ~~ y5
    y2 ~~ y4 + y6
    y3 ~~ y7
    y4 ~~ y8
    y6 ~~ y8
  # defined parameters
    ind := a1*b1
    total := c1 + a1*b1
'
sem_diag_golden(read.csv(f), model, "tests/golden/sem_poldem_mi", f)
