# Golden values for cipa, case ols_protest_helmert (see tests/golden/README.md).
# Run from the crate root:  Rscript tests/golden/ols_protest_helmert/make.R
# Writes expected.csv, summary.csv, dropped.csv and versions.txt next to this script.
out <- "tests/golden/ols_protest_helmert"
stopifnot(file.exists("Cargo.toml"), dir.exists(out))
d <- read.csv("../shared/datasets/hayes2018/protest.csv")
# Helmert coding (PROCESS mcx = 3; Hayes & Montoya 2017, table 2): level 0 vs mean of 1, 2;
# then level 1 vs 2.
d$protest <- factor(d$protest, levels = c(0, 1, 2))
contrasts(d$protest) <- matrix(c(
  -2 / 3, 1 / 3, 1 / 3, # h1
  0, -1 / 2, 1 / 2 # h2
), nrow = 3, dimnames = list(c("0", "1", "2"), c("h1", "h2")))
f <- liking ~ protest + sexism + protest:sexism
vars <- c("liking", "protest", "sexism", "angry")
cluster <- "angry" # 7 groups; not a predictor in this case
names_map <- c(
  "(Intercept)" = "constant", "protesth1" = "protest[helmert1]", "protesth2" = "protest[helmert2]",
  "sexism" = "sexism", "protesth1:sexism" = "protest[helmert1]:sexism",
  "protesth2:sexism" = "protest[helmert2]:sexism"
)
r2_tests <- list(list(id = "interaction", drop = "protest:sexism"))
source("tests/golden/ols_common.R")
