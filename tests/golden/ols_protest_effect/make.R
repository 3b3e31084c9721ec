# Golden values for cipa, case ols_protest_effect (see tests/golden/README.md).
# Run from the crate root:  Rscript tests/golden/ols_protest_effect/make.R
# Writes expected.csv, summary.csv, dropped.csv and versions.txt next to this script.
out <- "tests/golden/ols_protest_effect"
stopifnot(file.exists("Cargo.toml"), dir.exists(out))
d <- read.csv("../shared/datasets/hayes2018/protest.csv")
# Effect coding (PROCESS mcx = 4): the reference level (0) is -1 in every column.
d$protest <- factor(d$protest, levels = c(0, 1, 2))
contrasts(d$protest) <- matrix(c(
  -1, 1, 0, # e1: level 1
  -1, 0, 1 # e2: level 2
), nrow = 3, dimnames = list(c("0", "1", "2"), c("e1", "e2")))
f <- liking ~ protest + sexism + protest:sexism
vars <- c("liking", "protest", "sexism", "angry")
cluster <- "angry" # 7 groups; not a predictor in this case
names_map <- c(
  "(Intercept)" = "constant", "proteste1" = "protest[1:eff]", "proteste2" = "protest[2:eff]",
  "sexism" = "sexism", "proteste1:sexism" = "protest[1:eff]:sexism",
  "proteste2:sexism" = "protest[2:eff]:sexism"
)
r2_tests <- list(list(id = "interaction", drop = "protest:sexism"))
source("tests/golden/ols_common.R")
