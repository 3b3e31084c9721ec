# The HolzingerSwineford1939 CFA with one loading the square of another (a == b^2), a
# nonlinear equality between two free parameters (lavaan: nlminb.constr).
# Run from the crate root: Rscript tests/golden/sem_hs_nonlinear_power/make.R
source("tests/golden/sem_common/sem_golden.R")
f <- "../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv"
model <- 'visual =~ x1 + a*x2 + b*x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9
a == b^2'
sem_golden(read.csv(f), model, "tests/golden/sem_hs_nonlinear_power", f, mi = FALSE)
