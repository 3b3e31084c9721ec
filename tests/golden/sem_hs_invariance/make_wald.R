# Golden case sem_hs_invariance, Wald test across groups (issue 12): lavTestWald of "a1 == a2"
# (equal loadings of x2 on visual in the two schools) on the configural model labelled
# c(a1, a2)*x2, ML and MLR, lavaan 0.6-14. lrt.json (make.R) holds the same test at lavaan's
# default nlminb fit, whose configural estimate is good to ~1e-5 only (nlminb reports false
# convergence for any tighter rel.tol); here the model is fitted by lavaan's Gauss-Newton
# optimizer to a step of 1e-14 (as tests/golden/sem_hs_lrt/make.R), so W is compared at the
# optimum. Writes <estimator>/wald.json. Run from the crate root:
#   Rscript tests/golden/sem_hs_invariance/make_wald.R
suppressMessages({library(lavaan); library(jsonlite)})
d <- read.csv("../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv")
labelled <- 'visual =~ x1 + c(a1, a2)*x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9'
g <- function(x) as.numeric(sprintf("%.17g", x))
for (est in c("ML", "MLR")) {
  fit <- sem(labelled, data = d, estimator = est, group = "school",
             optim.method = "GN", optim.gn.tol.x = 1e-14)
  stopifnot(lavInspect(fit, "converged"))
  w <- lavTestWald(fit, constraints = "a1 == a2")
  out <- list(estimator = est, model = labelled, group = "school", optimizer = "GN 1e-14",
              constraints = "a1 == a2", stat = g(w$stat), df = g(w$df), pvalue = g(w$p.value),
              se = w$se, chisq = g(fitMeasures(fit, "chisq")))
  write_json(out, file.path("tests/golden/sem_hs_invariance", tolower(est), "wald.json"),
             digits = NA, auto_unbox = TRUE, pretty = TRUE)
}
