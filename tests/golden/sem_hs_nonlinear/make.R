# The latent mediation model of sem_hs_mediation with its indirect effect (a defined
# parameter) held at 0.1 by a nonlinear equality constraint, which lavaan 0.6-14 fits by its
# augmented Lagrangian (nlminb.constr); SEs from the information augmented by the constraint's
# Jacobian, df + 1.
# Run from the crate root: Rscript tests/golden/sem_hs_nonlinear/make.R
source("tests/golden/sem_common/sem_golden.R")
f <- "../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv"
model <- 'visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9
textual ~ a*visual + ageyr + sex
speed ~ b*textual + c*visual + ageyr
ind := a*b
total := c + a*b
ind == 0.1'
sem_golden(read.csv(f), model, "tests/golden/sem_hs_nonlinear", f, mi = FALSE)
