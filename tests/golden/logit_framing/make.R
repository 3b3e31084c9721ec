# Golden values for cipa, case logit_framing (see tests/golden/README.md).
# Run from the crate root:  Rscript tests/golden/logit_framing/make.R
# Writes expected.csv, summary.csv, dropped.csv and versions.txt next to this script.
out <- "tests/golden/logit_framing"
stopifnot(file.exists("Cargo.toml"), dir.exists(out))
d <- read.csv("../shared/datasets/mediation_pkg/framing.csv")
# educ and gender are text. Levels in byte (C-locale) order as cipa sorts them; educ gets the
# reference "less than high school", gender keeps its first level ("female") by default.
radix_levels <- function(x) sort(unique(x), method = "radix")
d$educ <- relevel(factor(d$educ, levels = radix_levels(d$educ)), ref = "less than high school")
d$gender <- factor(d$gender, levels = radix_levels(d$gender))
stopifnot(identical(levels(d$gender), c("female", "male")))
f <- cong_mesg ~ emo + treat + age + educ + gender + income
vars <- c("cong_mesg", "emo", "treat", "age", "educ", "gender", "income")
names_map <- c(
  "(Intercept)" = "constant", "emo" = "emo", "treat" = "treat", "age" = "age",
  "educbachelor's degree or higher" = "educ[bachelor's degree or higher]",
  "educhigh school" = "educ[high school]", "educsome college" = "educ[some college]",
  "gendermale" = "gender[male]", "income" = "income"
)
source("tests/golden/logit_common.R")
