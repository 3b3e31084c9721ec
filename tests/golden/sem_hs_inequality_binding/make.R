# The HolzingerSwineford1939 CFA with ordered loadings a > b that the data violate
# (unconstrained a = 0.55 < b = 0.73), so the constraint binds: lavaan's estimate has a = b, the
# active constraint enters the SEs' augmented information, but not df.
# Run from the crate root: Rscript tests/golden/sem_hs_inequality_binding/make.R
source("tests/golden/sem_common/sem_golden.R")
f <- "../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv"
model <- 'visual =~ x1 + a*x2 + b*x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9
a > b'
sem_golden(read.csv(f), model, "tests/golden/sem_hs_inequality_binding", f, mi = FALSE)
# lavaan's nlminb.constr stops at an outer tolerance of 1e-6 (rel.tol 1e-9), so its estimates
# above are ~1e-4 (relative) from the optimum. The same model with the active constraint as the
# linear equality a == b, which lavaan solves precisely by its reparametrisation, has the same
# optimum and the same SEs (df and npar differ by one): a tight reference for cipa's solution.
sem_golden(read.csv(f), sub("a > b", "a == b", model, fixed = TRUE),
           "tests/golden/sem_hs_inequality_binding/as_equality", f, mi = FALSE)
