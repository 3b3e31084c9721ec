# The three-factor CFA of HolzingerSwineford1939 with about 8% of item cells blanked (cells listed
# in blank.csv, chosen with a fixed seed) and fitted by FIML (missing = "ml"), plain ML and MLR.
# Run from the crate root: Rscript tests/golden/sem_hs_fiml/make.R
source("tests/golden/sem_common/sem_golden.R")
f <- "../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv"
hs <- read.csv(f)
set.seed(20261204)
items <- paste0("x", 1:9)
cells <- expand.grid(row = seq_len(nrow(hs)), column = items, stringsAsFactors = FALSE)
cells <- cells[sort(sample(nrow(cells), round(0.08 * nrow(cells)))), ]
for (k in seq_len(nrow(cells))) hs[cells$row[k], cells$column[k]] <- NA
# line = file line of the row (header = 1)
write.csv(data.frame(line = cells$row + 1, column = cells$column),
          "tests/golden/sem_hs_fiml/blank.csv", row.names = FALSE)
model <- 'visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9'
fit <- sem_golden(hs, model, "tests/golden/sem_hs_fiml/ml", f, missing = "ml")
# The sample side of FIML (cipa's sem/moments.rs and sem/h1.rs): the saturated H1 moments by EM
# (lavInspect "h1"), the number of missing-data patterns, and, at the fitted (H0) moments, the
# casewise log-likelihood and its gradient in mu and Sigma (lavaan's internal functions).
ov <- lavNames(fit, "ov")
Y <- as.matrix(hs[, ov])
h1 <- lavInspect(fit, "h1")
imp <- lavInspect(fit, "implied")
write_json(list(
  observed_variables = ov,
  n = lavInspect(fit, "nobs"),
  npatterns = nrow(lavInspect(fit, "patterns")),
  h1_mean = as.numeric(h1$mean), h1_cov = unclass(h1$cov),
  unrestricted_logl = as.numeric(fitMeasures(fit, "unrestricted.logl")),
  h0_mean = as.numeric(imp$mean), h0_cov = unclass(imp$cov),
  logl = as.numeric(fitMeasures(fit, "logl")),
  h0_casewise_logl = lavaan:::lav_mvnorm_missing_llik_casewise(Y = Y, Mu = imp$mean,
                                                               Sigma = imp$cov),
  h0_dlogl_dmu = lavaan:::lav_mvnorm_missing_dlogl_dmu(Y = Y, Mu = imp$mean, Sigma = imp$cov),
  h0_dlogl_dsigma = unclass(lavaan:::lav_mvnorm_missing_dlogl_dSigma(Y = Y, Mu = imp$mean,
                                                                     Sigma = imp$cov))),
  "tests/golden/sem_hs_fiml/ml/moments.json", digits = NA, auto_unbox = TRUE, pretty = TRUE)
sem_golden(hs, model, "tests/golden/sem_hs_fiml/mlr", f, missing = "ml", estimator = "MLR")
# Random exogenous covariates (fixed.x = FALSE) under FIML: the baseline keeps their block
# saturated (ageyr and sex are complete; the blanked items are those above).
model_x <- 'textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9
textual ~ ageyr + sex
speed ~ textual + ageyr'
sem_golden(hs, model_x, "tests/golden/sem_hs_fiml/randomx", f, missing = "ml", fixed.x = FALSE)
sem_golden(hs, model_x, "tests/golden/sem_hs_fiml/randomx_mlr", f, missing = "ml",
           fixed.x = FALSE, estimator = "MLR")
# The same with sem()'s default fixed.x = TRUE: the covariates' moments fixed at their sample
# values, the log-likelihoods conditional on them.
sem_golden(hs, model_x, "tests/golden/sem_hs_fiml/fixedx", f, missing = "ml")
sem_golden(hs, model_x, "tests/golden/sem_hs_fiml/fixedx_mlr", f, missing = "ml",
           estimator = "MLR")
# fixed.x with a covariate missing in three rows: lavaan deletes those rows (with a warning).
hs_mx <- hs
hs_mx$ageyr[c(3, 50, 120)] <- NA
sem_golden(hs_mx, model_x, "tests/golden/sem_hs_fiml/fixedx_missing", f, missing = "ml")
