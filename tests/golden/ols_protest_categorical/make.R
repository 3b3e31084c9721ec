# Golden values for cipa, case ols_protest_categorical (see tests/golden/README.md).
# Run from the crate root:  Rscript tests/golden/ols_protest_categorical/make.R
# Writes expected.csv, summary.csv, dropped.csv and versions.txt next to this script.
out <- "tests/golden/ols_protest_categorical"
stopifnot(file.exists("Cargo.toml"), dir.exists(out))
d <- read.csv("../shared/datasets/hayes2018/protest.csv")
# protest: 0 none, 1 individual, 2 collective; indicator (dummy) coding, reference 0.
d$protest <- factor(d$protest, levels = c(0, 1, 2))
# default contr.treatment: columns protest1, protest2
f <- liking ~ protest + sexism + protest:sexism
vars <- c("liking", "protest", "sexism", "angry")
cluster <- "angry" # 7 groups; not a predictor in this case
names_map <- c(
  "(Intercept)" = "constant", "protest1" = "protest[1]", "protest2" = "protest[2]",
  "sexism" = "sexism", "protest1:sexism" = "protest[1]:sexism",
  "protest2:sexism" = "protest[2]:sexism"
)
r2_tests <- list(list(id = "interaction", drop = "protest:sexism"))
source("tests/golden/ols_common.R")
