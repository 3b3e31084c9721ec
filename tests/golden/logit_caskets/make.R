# Golden values for cipa, case logit_caskets (see tests/golden/README.md).
# Run from the crate root:  Rscript tests/golden/logit_caskets/make.R
# Writes expected.csv, summary.csv, dropped.csv and versions.txt next to this script.
out <- "tests/golden/logit_caskets"
stopifnot(file.exists("Cargo.toml"), dir.exists(out))
d <- read.csv("../shared/datasets/hayes2018/caskets.csv")
f <- kerry ~ policy + interest + policy:interest + age + educ + male + conserv
vars <- c("kerry", "policy", "interest", "age", "educ", "male", "conserv")
names_map <- c(
  "(Intercept)" = "constant", "policy" = "policy", "interest" = "interest",
  "policy:interest" = "policy:interest", "age" = "age", "educ" = "educ", "male" = "male",
  "conserv" = "conserv"
)
source("tests/golden/logit_common.R")
