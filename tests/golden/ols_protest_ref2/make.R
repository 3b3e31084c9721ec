# Golden values for cipa, case ols_protest_ref2 (see tests/golden/README.md).
# Run from the crate root:  Rscript tests/golden/ols_protest_ref2/make.R
# Writes expected.csv, summary.csv, dropped.csv and versions.txt next to this script.
out <- "tests/golden/ols_protest_ref2"
stopifnot(file.exists("Cargo.toml"), dir.exists(out))
d <- read.csv("../shared/datasets/hayes2018/protest.csv")
# Indicator coding with reference level 2 (collective protest): relevel puts 2 first.
d$protest <- relevel(factor(d$protest, levels = c(0, 1, 2)), ref = "2")
stopifnot(identical(levels(d$protest), c("2", "0", "1")))
f <- liking ~ protest + sexism + protest:sexism
vars <- c("liking", "protest", "sexism", "angry")
cluster <- "angry" # 7 groups; not a predictor in this case
names_map <- c(
  "(Intercept)" = "constant", "protest0" = "protest[0]", "protest1" = "protest[1]",
  "sexism" = "sexism", "protest0:sexism" = "protest[0]:sexism",
  "protest1:sexism" = "protest[1]:sexism"
)
r2_tests <- list(list(id = "interaction", drop = "protest:sexism"))
source("tests/golden/ols_common.R")
