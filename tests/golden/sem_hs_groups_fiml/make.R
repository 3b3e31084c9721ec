# Golden case sem_hs_groups_fiml (issue 12): multi-group FIML. The three-factor CFA of
# HolzingerSwineford1939 across its two schools (group = "school") with the cells of
# tests/golden/sem_hs_fiml/blank.csv (8%, the single-group FIML case's missingness) blanked,
# fitted by FIML (missing = "ml"): configural and metric (group.equal = "loadings"), ML and MLR;
# and a model with fixed.x covariates (ageyr, sex) in <estimator>/fixedx.
# <estimator>/<level>/expected.json as sem_common/sem_golden.R writes it, plus groups.json:
# each group's chi-square contribution (lavaan's stat.group), n and number of missing-data patterns.
# Run from the crate root:  Rscript tests/golden/sem_hs_groups_fiml/make.R
source("tests/golden/sem_common/sem_golden.R")
source("tests/golden/R/common.R")
f <- HS_FILE
hs <- hs_blanked()
model <- 'visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9'
case <- "tests/golden/sem_hs_groups_fiml"
levels <- list(configural = "", metric = "loadings")
for (est in c("ML", "MLR")) {
  for (lv in names(levels)) {
    dir <- file.path(case, tolower(est), lv)
    fit <- sem_golden(hs, model, dir, f, estimator = est, missing = "ml", group = "school",
                      group.equal = levels[[lv]], mi = FALSE, resid = FALSE)
    h1 <- lavInspect(fit, "h1")
    write_json(list(
      levels = lavInspect(fit, "group.label"),
      n = lavInspect(fit, "nobs"),
      chisq_group = as.numeric(lavInspect(fit, "test")$standard$stat.group),
      npatterns = sapply(lavInspect(fit, "patterns"), nrow)),
      file.path(dir, "groups.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE)
  }
}
# fixed.x covariates under grouped FIML (sem()'s default fixed.x = TRUE): each group's
# covariate moments fixed at its own sample values, the log-likelihoods conditional on them.
model_x <- 'textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9
textual ~ ageyr + sex
speed ~ textual + ageyr'
for (est in c("ML", "MLR")) {
  dir <- file.path(case, tolower(est), "fixedx")
  fit <- sem_golden(hs, model_x, dir, f, estimator = est, missing = "ml", group = "school",
                    mi = FALSE, resid = FALSE)
  write_json(list(
    levels = lavInspect(fit, "group.label"),
    n = lavInspect(fit, "nobs"),
    chisq_group = as.numeric(lavInspect(fit, "test")$standard$stat.group),
    npatterns = sapply(lavInspect(fit, "patterns"), nrow)),
    file.path(dir, "groups.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE)
}
write_versions(case)
