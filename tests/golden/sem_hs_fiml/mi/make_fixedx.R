# Modification indices of a FIML fit with fixed.x covariates (sem()'s default): the model of
# ../fixedx (ageyr and sex exogenous and complete, the item cells of ../blank.csv blanked,
# missing = "ml"). modindices() uses the expected information of the casewise likelihood with
# the covariates' own moments zeroed (lav_mvnorm_missing_information_expected's x.idx), and its
# candidates include the fixed.x rows and regressions of the covariates on the other variables.
# As make.R beside this, lavaan's default fit is polished by three Newton steps (lavaan's own
# gradient and Hessian) so that the values are compared at the optimum; the refits from the
# polished table say fixed.x = TRUE (given a start table, lavaan would otherwise treat the
# covariates as random, and modindices() would give fixed.x = FALSE's candidates and values).
# Run from the crate root: Rscript tests/golden/sem_hs_fiml/mi/make_fixedx.R
suppressPackageStartupMessages({ library(lavaan); library(jsonlite) })
f <- "../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv"
dir <- "tests/golden/sem_hs_fiml/mi"
hs <- read.csv(f)
blank <- read.csv("tests/golden/sem_hs_fiml/blank.csv", stringsAsFactors = FALSE)
for (k in seq_len(nrow(blank))) hs[blank$line[k] - 1, blank$column[k]] <- NA
model <- 'textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9
textual ~ ageyr + sex
speed ~ textual + ageyr'
fit <- sem(model, data = hs, missing = "ml")
stopifnot(lavInspect(fit, "converged"), lavInspect(fit, "options")$fixed.x)
chisq <- fitMeasures(fit, "chisq")[[1]]
for (it in 1:3) {
  g <- lavTech(fit, "gradient")
  pt <- parTable(fit)
  pt$est[pt$free > 0] <- pt$est[pt$free > 0] - solve(lavTech(fit, "hessian"), g)
  fit <- suppressWarnings(sem(model, data = hs, missing = "ml", start = pt, do.fit = FALSE,
                              fixed.x = TRUE))
}
stopifnot(max(abs(lavTech(fit, "gradient"))) < 1e-13, fit@Model@fixed.x,
          length(fit@SampleStats@x.idx[[1]]) == 2)
mi <- suppressWarnings(modindices(fit))  # "did not converge": do.fit = FALSE
out <- list(
  model = model, data = f, options = list(missing = "ml", fixed.x = TRUE),
  chisq = chisq, max_abs_gradient = max(abs(lavTech(fit, "gradient"))),
  observed_variables = lavNames(fit, "ov"),
  modindices = data.frame(lhs = mi$lhs, op = mi$op, rhs = mi$rhs, mi = mi$mi,
    epc = mi$epc, sepc_lv = mi$sepc.lv, sepc_all = mi$sepc.all, sepc_nox = mi$sepc.nox,
    stringsAsFactors = FALSE),
  # Added for the fixed.x residuals (issue 12, grp-fiml): the covariates' moments masked in
  # both informations (x.idx), their residuals 0.
  residuals = lapply(c(raw = "raw", cor_bollen = "cor.bollen", cor_bentler = "cor.bentler",
                       standardized = "standardized", normalized = "normalized"),
                     function(type) {
                       r <- residuals(fit, type = type)
                       list(cov = unclass(r$cov), mean = unclass(r$mean))
                     }),
  versions = list(R = R.version.string, lavaan = as.character(packageVersion("lavaan")),
    jsonlite = as.character(packageVersion("jsonlite"))))
write_json(out, file.path(dir, "fixedx.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE,
           na = "null")
