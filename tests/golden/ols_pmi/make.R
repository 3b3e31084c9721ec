# Golden values for cipa, case ols_pmi (see tests/golden/README.md).
# Run from the crate root:  Rscript tests/golden/ols_pmi/make.R
# Writes expected.csv, summary.csv, dropped.csv and versions.txt next to this script.
out <- "tests/golden/ols_pmi"
stopifnot(file.exists("Cargo.toml"), dir.exists(out))
d <- read.csv("../shared/datasets/hayes2018/pmi.csv")
f <- reaction ~ cond + pmi + import + cond:pmi
vars <- c("reaction", "cond", "pmi", "import", "age")
cluster <- "age" # 17 distinct ages; not a predictor in this case
names_map <- c(
  "(Intercept)" = "constant", "cond" = "cond", "pmi" = "pmi", "import" = "import",
  "cond:pmi" = "cond:pmi"
)
r2_tests <- list(list(id = "interaction", drop = "cond:pmi"))
source("tests/golden/ols_common.R")
