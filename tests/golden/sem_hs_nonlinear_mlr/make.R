# MLR of the model of sem_hs_nonlinear (the latent mediation model with ind := a*b held at
# 0.1 by a nonlinear equality): lavaan 0.6-14 fits it by nlminb.constr and takes the sandwich
# E⁻¹B₀E⁻¹ with E⁻¹ the top-left block of the inverted augmented observed information
# (lav_model_vcov.R, lav_model_information.R). The augmented Lagrangian is run to a tight stop
# (rel.tol 1e-14, outer tol 1e-12; lavaan's defaults stop ~1e-4 from the optimum) so that the
# values are those of the optimum cipa reaches.
# Run from the crate root: Rscript tests/golden/sem_hs_nonlinear_mlr/make.R
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
sem_golden(read.csv(f), model, "tests/golden/sem_hs_nonlinear_mlr", f, mi = FALSE,
           estimator = "MLR",
           control = list(rel.tol = 1e-14, control.outer = list(tol = 1e-12)))
