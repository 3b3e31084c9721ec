# The HolzingerSwineford1939 CFA with ordered loadings b > a that the data satisfy
# (unconstrained a = 0.55 < b = 0.73): the constraint is inactive, so lavaan's estimates, SEs
# and df are those of the unconstrained CFA (up to its augmented Lagrangian's tolerance).
# Run from the crate root: Rscript tests/golden/sem_hs_inequality_inactive/make.R
source("tests/golden/sem_common/sem_golden.R")
f <- "../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv"
model <- 'visual =~ x1 + a*x2 + b*x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9
b > a'
sem_golden(read.csv(f), model, "tests/golden/sem_hs_inequality_inactive", f, mi = FALSE)
