# Diagnostics of the FIML CFA (tests/golden/sem_hs_fiml: HolzingerSwineford1939 with the cells
# of blank.csv blanked, missing = "ml"): modindices() with its defaults (the *expected*
# information of the extended model under missing = "ml", lav_mvnorm_missing_information_expected,
# whatever the fit's information), residuals of every type (against the EM H1 moments) and
# semTools' reliability. lavaan's Gauss-Newton optimizer (used for the complete-data
# diagnostics goldens) stops at another point under FIML (chi-square 67.82, not 64.73), and
# nlminb below its default rel.tol reports false convergence; so lavaan's default fit (|grad|
# 6e-7, the estimates of ../ml/expected.json) is polished by three Newton steps with lavaan's
# own gradient and Hessian (to |grad| < 1e-15) and the diagnostics are lavaan's at that point
# (do.fit = FALSE from it): small MIs are the square of a small gradient, so the stop at 6e-7
# moves them by 1e-4 relative.
# Run from the crate root: Rscript tests/golden/sem_hs_fiml/mi/make.R
suppressPackageStartupMessages({ library(lavaan); library(semTools); library(jsonlite) })
f <- "../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv"
dir <- "tests/golden/sem_hs_fiml/mi"
hs <- read.csv(f)
blank <- read.csv("tests/golden/sem_hs_fiml/blank.csv", stringsAsFactors = FALSE)
for (k in seq_len(nrow(blank))) hs[blank$line[k] - 1, blank$column[k]] <- NA
diagnostics <- function(model, file, ...) {
  fit <- sem(model, data = hs, missing = "ml", ...)
  stopifnot(lavInspect(fit, "converged"))
  chisq <- fitMeasures(fit, "chisq")[[1]]
  for (it in 1:3) {
    g <- lavTech(fit, "gradient")
    pt <- parTable(fit)
    pt$est[pt$free > 0] <- pt$est[pt$free > 0] - solve(lavTech(fit, "hessian"), g)
    fit <- suppressWarnings(sem(model, data = hs, missing = "ml", start = pt, do.fit = FALSE,
                                ...))
  }
  stopifnot(max(abs(lavTech(fit, "gradient"))) < 1e-13)
  mi <- suppressWarnings(modindices(fit))  # "did not converge": do.fit = FALSE
  res <- function(type) {
    r <- residuals(fit, type = type)
    list(cov = unclass(r$cov), mean = if (is.null(r$mean)) NULL else unclass(r$mean))
  }
  out <- list(
    model = model, data = f, options = c(list(missing = "ml"), list(...)),
    chisq = chisq, max_abs_gradient = max(abs(lavTech(fit, "gradient"))),
    observed_variables = lavNames(fit, "ov"),
    modindices = data.frame(lhs = mi$lhs, op = mi$op, rhs = mi$rhs, mi = mi$mi,
      epc = mi$epc, sepc_lv = mi$sepc.lv, sepc_all = mi$sepc.all, sepc_nox = mi$sepc.nox,
      stringsAsFactors = FALSE),
    residuals = list(raw = res("raw"), cor_bollen = res("cor.bollen"),
      cor_bentler = res("cor.bentler"), standardized = res("standardized"),
      normalized = res("normalized")),
    reliability = list(omega = as.list(compRelSEM(fit)), ave = as.list(AVE(fit))),
    versions = list(R = R.version.string, lavaan = as.character(packageVersion("lavaan")),
      semTools = as.character(packageVersion("semTools")),
      jsonlite = as.character(packageVersion("jsonlite"))))
  write_json(out, file.path(dir, file), digits = NA, auto_unbox = TRUE, pretty = TRUE,
             na = "null")
}
diagnostics('visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9', "diagnostics.json")
# The random covariates of ../randomx (fixed.x = FALSE; fixed.x = TRUE, sem()'s default, is
# make_fixedx.R's).
diagnostics('textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9
textual ~ ageyr + sex
speed ~ textual + ageyr', "randomx.json", fixed.x = FALSE)
writeLines(c(R.version.string, paste("lavaan", packageVersion("lavaan")),
             paste("semTools", packageVersion("semTools")),
             paste("jsonlite", packageVersion("jsonlite"))), file.path(dir, "versions.txt"))
