# Golden case sem_hs_invariance, `cipa sem --group school --compare MODEL` (issue 12):
# lavTestLRT of two multi-group fits of HolzingerSwineford1939 across its schools, the
# configural three-factor CFA and the same model with the loading of x2 on visual labelled equal
# in both schools (c(a, a)*x2), ML (plain chi-square difference and the RMSEA of the
# difference, lav_fit_rmsea with G = 2) and MLR (Satorra-Bentler 2001 scaled difference),
# lavaan 0.6-14. Both fits use lavaan's Gauss-Newton optimizer to a step of 1e-14 (as
# make_wald.R) so the statistics are compared at the optimum. Writes <estimator>/compare.json.
# Run from the crate root:  Rscript tests/golden/sem_hs_invariance/make_compare.R
suppressMessages({library(lavaan); library(jsonlite)})
d <- read.csv("../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv")
configural <- 'visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9'
equal <- 'visual =~ x1 + c(a, a)*x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9'
# The first row's differences are NA (null in JSON).
g <- function(x) suppressWarnings(as.numeric(sprintf("%.17g", x)))
for (est in c("ML", "MLR")) {
  fit1 <- sem(configural, data = d, estimator = est, group = "school",
              optim.method = "GN", optim.gn.tol.x = 1e-14)
  fit0 <- sem(equal, data = d, estimator = est, group = "school",
              optim.method = "GN", optim.gn.tol.x = 1e-14)
  stopifnot(lavInspect(fit1, "converged"), lavInspect(fit0, "converged"))
  l <- lavTestLRT(fit1, fit0)
  out <- list(estimator = est, group = "school", optimizer = "GN 1e-14",
              configural = configural, equal = equal, method = attr(l, "heading"),
              df = g(l$Df), aic = g(l$AIC), bic = g(l$BIC), chisq = g(l$Chisq),
              chisq_diff = g(l[["Chisq diff"]]), df_diff = g(l[["Df diff"]]),
              pvalue = g(l[["Pr(>Chisq)"]]))
  # lavTestLRT gives the RMSEA of the difference for plain tests only.
  if ("RMSEA" %in% names(l)) out$rmsea <- g(l$RMSEA)
  write_json(out, file.path("tests/golden/sem_hs_invariance", tolower(est), "compare.json"),
             digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null")
}
