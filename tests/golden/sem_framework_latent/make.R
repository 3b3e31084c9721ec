# The framework's latent mediation (models/framework/latent_mediation.lav) on the shipped survey
# data (datasets/sme_survey.csv; rows with a missing model variable dropped listwise, as cipa
# does). Run from the crate root: Rscript tests/golden/sem_framework_latent/make.R
source("tests/golden/sem_common/sem_golden.R")
f <- "datasets/sme_survey.csv"
model <- paste(readLines("models/framework/latent_mediation.lav"), collapse = "\n")
sem_golden(read.csv(f), model, "tests/golden/sem_framework_latent", f, mi = FALSE)
