# Golden values for cipa, case ols_pmi_missing (see tests/golden/README.md).
# Run from the crate root:  Rscript tests/golden/ols_pmi_missing/make.R
# Writes expected.csv, summary.csv, dropped.csv and versions.txt next to this script.
out <- "tests/golden/ols_pmi_missing"
stopifnot(file.exists("Cargo.toml"), dir.exists(out))
# pmi.csv with the cells listed under "blank" in spec.json set to missing (the Rust test writes
# the same edited file to a temporary directory). A blank in `gender`, which the model does not
# use, must not drop its row.
d <- read.csv("../shared/datasets/hayes2018/pmi.csv")
blank <- jsonlite::fromJSON(file.path(out, "spec.json"))$blank
for (i in seq_len(nrow(blank))) d[blank$line[i] - 1L, blank$column[i]] <- NA
f <- reaction ~ cond + pmi + import + cond:pmi
vars <- c("reaction", "cond", "pmi", "import", "age")
cluster <- "age"
names_map <- c(
  "(Intercept)" = "constant", "cond" = "cond", "pmi" = "pmi", "import" = "import",
  "cond:pmi" = "cond:pmi"
)
r2_tests <- list(list(id = "interaction", drop = "cond:pmi"))
source("tests/golden/ols_common.R")
