# Golden case sem_hs_lrt (issue 12): lavTestLRT between nested single-group fits and lavTestWald
# on a labelled model, lavaan 0.6-14. The HolzingerSwineford1939 three-factor CFA with free
# loadings ("free"), with x2 and x3 loading equally on visual ("eq_visual"), and also x5 and x6
# equally on textual ("eq_both"); under ML (chi-square difference, RMSEA of the difference) and
# MLR (Satorra-Bentler 2001 scaled difference, lavTestLRT's default for a Yuan-Bentler test).
# The models are passed out of df order to check the sorting. Each model's chisq, df, AIC, BIC
# and (MLR) scaling factor are stored too. wald: lavTestWald on the labelled CFA (with a :=) for
# linear, nonlinear and :=-naming constraints, ML and MLR.
# Every fit is converged tighter than lavaan's default (nlminb rel.tol 1e-10 stops θ̂ ~1e-6 short
# of the optimum, which differences such as a − b and T₀ − T₁ magnify to ~1e-5): control =
# lavaan's Gauss-Newton optimizer to a step of 1e-14 (optim.method = "GN", as
# sem_common/sem_diag_golden.R), so the comparison is at 1e-6.
# Run from the crate root:  Rscript tests/golden/sem_hs_lrt/make.R
suppressPackageStartupMessages({ library(lavaan); library(jsonlite) })
f <- "../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv"
d <- read.csv(f)
case <- "tests/golden/sem_hs_lrt"
g <- function(x) as.numeric(sprintf("%.17g", x))
models <- list(
  free = 'visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9',
  eq_both = 'visual =~ x1 + a*x2 + a*x3
textual =~ x4 + b*x5 + b*x6
speed =~ x7 + x8 + x9',
  eq_visual = 'visual =~ x1 + a*x2 + a*x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9')
for (est in c("ML", "MLR")) {
  fits <- lapply(models, function(m) sem(m, data = d, estimator = est, optim.method = "GN", optim.gn.tol.x = 1e-14))
  stopifnot(all(sapply(fits, lavInspect, "converged")))
  lrt <- lavTestLRT(fits$free, fits$eq_both, fits$eq_visual,
                    model.names = names(models))
  tab <- data.frame(model = rownames(lrt), df = g(lrt$Df), aic = g(lrt$AIC), bic = g(lrt$BIC),
                    chisq = g(lrt$Chisq), chisq_diff = g(lrt[["Chisq diff"]]),
                    df_diff = g(lrt[["Df diff"]]), pvalue = g(lrt[["Pr(>Chisq)"]]))
  if (!is.null(lrt$RMSEA)) tab$rmsea = g(lrt$RMSEA)
  per_model <- data.frame(model = names(models),
    chisq = g(sapply(fits, fitMeasures, "chisq")), df = g(sapply(fits, fitMeasures, "df")),
    scaling_factor = if (est == "MLR") g(sapply(fits, fitMeasures, "chisq.scaling.factor")) else NA)
  out <- list(estimator = est, data = f, models = models, heading = attr(lrt, "heading"),
              lrt = tab, per_model = per_model)
  write_json(out, file.path(case, paste0("lrt_", tolower(est), ".json")), digits = NA,
             auto_unbox = TRUE, pretty = TRUE, na = "null")
}
labelled <- 'visual =~ x1 + a*x2 + b*x3
textual =~ x4 + c*x5 + d*x6
speed =~ x7 + e*x8 + f*x9
ab := a*b'
tests <- c("a == b", "a == b; c - d == 0.1; e*f == 1.5", "ab == 1; c == d", "a/b == 1")
wald <- list()
for (est in c("ML", "MLR")) {
  fit <- sem(labelled, data = d, estimator = est, optim.method = "GN", optim.gn.tol.x = 1e-14)
  for (con in tests) {
    w <- lavTestWald(fit, constraints = con)
    wald[[length(wald) + 1]] <- list(estimator = est, constraints = con, stat = g(w$stat),
                                     df = g(w$df), pvalue = g(w$p.value), se = w$se)
  }
}
write_json(list(model = labelled, data = f, tests = wald), file.path(case, "wald.json"),
           digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null")
writeLines(c(R.version.string, paste("lavaan", packageVersion("lavaan")),
             paste("jsonlite", packageVersion("jsonlite"))), file.path(case, "versions.txt"))
