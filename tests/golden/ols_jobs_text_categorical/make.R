# Golden values for cipa, case ols_jobs_text_categorical (see tests/golden/README.md).
# Run from the crate root:  Rscript tests/golden/ols_jobs_text_categorical/make.R
# Writes expected.csv, summary.csv, dropped.csv and versions.txt next to this script.
out <- "tests/golden/ols_jobs_text_categorical"
stopifnot(file.exists("Cargo.toml"), dir.exists(out))
d <- read.csv("../shared/datasets/mediation_pkg/jobs.csv")
# Text columns become factors with levels in byte (C-locale) order, as cipa sorts text levels;
# sort(method = "radix") ignores the locale. educ gets reference "highsc"; income and nonwhite keep
# the first level as reference (cipa's default for a text column with no coding given).
radix_levels <- function(x) sort(unique(x), method = "radix")
d$educ <- relevel(factor(d$educ, levels = radix_levels(d$educ)), ref = "highsc")
d$income <- factor(d$income, levels = radix_levels(d$income))
d$nonwhite <- factor(d$nonwhite, levels = radix_levels(d$nonwhite))
stopifnot(
  identical(levels(d$educ), c("highsc", "bach", "gradwk", "lt-hs", "somcol")),
  identical(levels(d$income), c("15t24k", "25t39k", "40t49k", "50k+", "lt15k")),
  identical(levels(d$nonwhite), c("non.white1", "white0"))
)
f <- depress2 ~ treat + econ_hard + treat:econ_hard + depress1 + sex + age + educ + income + nonwhite
vars <- c(
  "depress2", "treat", "econ_hard", "depress1", "sex", "age", "educ", "income", "nonwhite",
  "job_seek"
)
# CR1 clusters on job_seek (25 distinct values; not a predictor here). A natural grouping such as
# occp has only 7 groups, fewer than the 16 coefficients, so its cluster covariance is singular
# and the Wald F on all slopes does not exist.
cluster <- "job_seek"
names_map <- c(
  "(Intercept)" = "constant", "treat" = "treat", "econ_hard" = "econ_hard",
  "depress1" = "depress1", "sex" = "sex", "age" = "age",
  "educbach" = "educ[bach]", "educgradwk" = "educ[gradwk]", "educlt-hs" = "educ[lt-hs]",
  "educsomcol" = "educ[somcol]",
  "income25t39k" = "income[25t39k]", "income40t49k" = "income[40t49k]",
  "income50k+" = "income[50k+]", "incomelt15k" = "income[lt15k]",
  "nonwhitewhite0" = "nonwhite[white0]", "treat:econ_hard" = "treat:econ_hard"
)
r2_tests <- list(
  list(id = "interaction", drop = "treat:econ_hard"),
  list(id = "educ", drop = "educ"),
  list(id = "income", drop = "income")
)
source("tests/golden/ols_common.R")
