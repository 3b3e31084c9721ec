# The three-factor CFA of HolzingerSwineford1939 with about 8% of item cells blanked (cells listed
# in blank.csv, chosen with a fixed seed) and fitted by FIML (missing = "ml"), plain ML and MLR.
# Run from the crate root: Rscript tests/golden/sem_hs_fiml/make.R
source("tests/golden/sem_common/sem_golden.R")
f <- "../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv"
hs <- read.csv(f)
set.seed(20261204)
items <- paste0("x", 1:9)
cells <- expand.grid(row = seq_len(nrow(hs)), column = items, stringsAsFactors = FALSE)
cells <- cells[sort(sample(nrow(cells), round(0.08 * nrow(cells)))), ]
for (k in seq_len(nrow(cells))) hs[cells$row[k], cells$column[k]] <- NA
# line = file line of the row (header = 1)
write.csv(data.frame(line = cells$row + 1, column = cells$column),
          "tests/golden/sem_hs_fiml/blank.csv", row.names = FALSE)
model <- 'visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9'
sem_golden(hs, model, "tests/golden/sem_hs_fiml/ml", f, missing = "ml")
sem_golden(hs, model, "tests/golden/sem_hs_fiml/mlr", f, missing = "ml", estimator = "MLR")
