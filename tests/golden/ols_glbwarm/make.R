# Golden values for cipa, case ols_glbwarm (see tests/golden/README.md).
# Run from the crate root:  Rscript tests/golden/ols_glbwarm/make.R
# Writes expected.csv, summary.csv, dropped.csv and versions.txt next to this script.
out <- "tests/golden/ols_glbwarm"
stopifnot(file.exists("Cargo.toml"), dir.exists(out))
d <- read.csv("../shared/datasets/hayes2018/glbwarm.csv")
f <- govact ~ negemot + posemot + age + sex + negemot:age
vars <- c("govact", "negemot", "posemot", "age", "sex", "ideology")
cluster <- "ideology" # 7 groups; not a predictor in this case
names_map <- c(
  "(Intercept)" = "constant", "negemot" = "negemot", "posemot" = "posemot", "age" = "age",
  "sex" = "sex", "negemot:age" = "negemot:age"
)
r2_tests <- list(list(id = "interaction", drop = "negemot:age"))
source("tests/golden/ols_common.R")
