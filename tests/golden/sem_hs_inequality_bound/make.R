# The HolzingerSwineford1939 CFA with an upper bound on a residual variance that the data push
# past (unconstrained 1.13 > 0.9): the bound binds, the variance sits at 0.9 with SE 0 (the
# active constraint pins it, and parameterEstimates prints an SE below sqrt(eps) as 0 with no
# z test), df and npar as without the bound.
# Run from the crate root: Rscript tests/golden/sem_hs_inequality_bound/make.R
source("tests/golden/sem_common/sem_golden.R")
f <- "../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv"
model <- 'visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9
x2 ~~ v*x2
v < 0.9'
sem_golden(read.csv(f), model, "tests/golden/sem_hs_inequality_bound", f, mi = FALSE)
