# semTools' omega (compRelSEM) and AVE of the FIML fit of make.R's blanked CFA (default options:
# under missing = "ml" the observed variances are the EM H1 moments').
# Run from the crate root: Rscript tests/golden/sem_hs_fiml/reliability.R
suppressMessages({library(lavaan); library(semTools); library(jsonlite)})
hs <- read.csv("../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv")
blank <- read.csv("tests/golden/sem_hs_fiml/blank.csv")
for (k in seq_len(nrow(blank))) hs[blank$line[k] - 1, blank$column[k]] <- NA
model <- 'visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9'
fit <- sem(model, data = hs, missing = "ml")
write_json(list(omega = as.list(compRelSEM(fit)), ave = as.list(AVE(fit)),
                versions = list(R = R.version.string,
                                lavaan = as.character(packageVersion("lavaan")),
                                semTools = as.character(packageVersion("semTools")))),
           "tests/golden/sem_hs_fiml/ml/reliability.json", digits = NA, auto_unbox = TRUE,
           pretty = TRUE)
