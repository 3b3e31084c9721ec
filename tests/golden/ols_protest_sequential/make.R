# Golden values for cipa, case ols_protest_sequential (see tests/golden/README.md).
# Run from the crate root:  Rscript tests/golden/ols_protest_sequential/make.R
# Writes expected.csv, summary.csv, dropped.csv and versions.txt next to this script.
out <- "tests/golden/ols_protest_sequential"
stopifnot(file.exists("Cargo.toml"), dir.exists(out))
d <- read.csv("../shared/datasets/hayes2018/protest.csv")
# Sequential coding (PROCESS mcx = 2): column j is 1 for every level after level j.
d$protest <- factor(d$protest, levels = c(0, 1, 2))
contrasts(d$protest) <- matrix(c(
  0, 1, 1, # s1: 1 vs 0
  0, 0, 1 # s2: 2 vs 1
), nrow = 3, dimnames = list(c("0", "1", "2"), c("s1", "s2")))
f <- liking ~ protest + sexism + protest:sexism
vars <- c("liking", "protest", "sexism", "angry")
cluster <- "angry" # 7 groups; not a predictor in this case
names_map <- c(
  "(Intercept)" = "constant", "protests1" = "protest[1>0]", "protests2" = "protest[2>1]",
  "sexism" = "sexism", "protests1:sexism" = "protest[1>0]:sexism",
  "protests2:sexism" = "protest[2>1]:sexism"
)
r2_tests <- list(list(id = "interaction", drop = "protest:sexism"))
source("tests/golden/ols_common.R")
