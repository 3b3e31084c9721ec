# lavaan's results for the simulator's latent mediation (tests/golden/sem_sim/README.md): FIML
# (missing = "ml") with ML and MLR on the data with MCAR + MAR item cells, and MLR on the
# complete data with skewed items. Data made by cipa simulate (commands in README.md).
# Run from the crate root: Rscript tests/golden/sem_sim/make.R
source("tests/golden/sem_common/sem_golden.R")
model <- 'NT =~ nt_1 + nt_2 + nt_3
EO =~ eo_1 + eo_2 + eo_3
CA =~ ca_1 + ca_2 + ca_3
IP =~ ip_1 + ip_2 + ip_3
CA ~ a*NT + EO + log_employees
IP ~ b*CA + c*NT + EO + log_employees
ind := a*b
total := c + a*b'
f <- "tests/golden/sem_sim/fiml/data.csv"
fiml <- read.csv(f)
sem_golden(fiml, model, "tests/golden/sem_sim/fiml/ml", f, missing = "ml")
sem_golden(fiml, model, "tests/golden/sem_sim/fiml/mlr", f, missing = "ml", estimator = "MLR")
f <- "tests/golden/sem_sim/skew/data.csv"
sem_golden(read.csv(f), model, "tests/golden/sem_sim/skew/mlr", f, estimator = "MLR")
