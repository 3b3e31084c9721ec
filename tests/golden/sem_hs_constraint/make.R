# The HolzingerSwineford1939 CFA with a linear equality constraint between two labelled loadings
# that is not a plain equality (a + b == 1.2), solved by lavaan through its null-space
# reparametrisation. Run from the crate root: Rscript tests/golden/sem_hs_constraint/make.R
source("tests/golden/sem_common/sem_golden.R")
f <- "../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv"
model <- 'visual =~ x1 + a*x2 + b*x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9
a + b == 1.2'
sem_golden(read.csv(f), model, "tests/golden/sem_hs_constraint", f)
