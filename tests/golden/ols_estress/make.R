# Golden values for cipa, case ols_estress (see tests/golden/README.md).
# Run from the crate root:  Rscript tests/golden/ols_estress/make.R
# Writes expected.csv, summary.csv, dropped.csv and versions.txt next to this script.
out <- "tests/golden/ols_estress"
stopifnot(file.exists("Cargo.toml"), dir.exists(out))
d <- read.csv("../shared/datasets/hayes2018/estress.csv")
f <- withdraw ~ estress + affect + estress:affect + sex + age + tenure
vars <- c("withdraw", "estress", "affect", "sex", "age", "tenure")
cluster <- "age" # 44 distinct ages; used as cluster id for the CR1 columns
names_map <- c(
  "(Intercept)" = "constant", "estress" = "estress", "affect" = "affect",
  "estress:affect" = "estress:affect", "sex" = "sex", "age" = "age", "tenure" = "tenure"
)
r2_tests <- list(
  list(id = "interaction", drop = "estress:affect"),
  list(id = "controls", drop = c("sex", "age", "tenure"))
)
source("tests/golden/ols_common.R")
