# Golden case sem_hs_invariance (issue 12): measurement invariance of the three-factor CFA of
# HolzingerSwineford1939 across its two schools (group = "school"), lavaan 0.6-14's multi-group
# defaults. For each estimator (ml, mlr) and level, <estimator>/<level>/expected.json holds every
# parameter (with its group), fit measure, R², implied covariance per group and so on (see
# sem_common/sem_golden.R); <estimator>/lrt.json holds lavTestLRT over the nested sequence
# (configural, metric, scalar, strict): chi-square difference, df difference and p; under MLR the
# Satorra-Bentler (2001) scaled difference, lavTestLRT's default for a scaled test; plus a
# partial scalar model (intercept of x3 freed, group.partial) and the Wald test of equal
# loadings of x2 on visual across schools (lavTestWald on the configural model with labels).
# Run from the crate root:  Rscript tests/golden/sem_hs_invariance/make.R
source("tests/golden/sem_common/sem_golden.R")
f <- "../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv"
d <- read.csv(f)
model <- 'visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9'
levels <- list(configural = "", metric = "loadings",
               scalar = c("loadings", "intercepts"),
               strict = c("loadings", "intercepts", "residuals"))
case <- "tests/golden/sem_hs_invariance"
g <- function(x) as.numeric(sprintf("%.17g", x))
for (est in c("ML", "MLR")) {
  dir <- file.path(case, tolower(est))
  fits <- list()
  for (lv in names(levels)) {
    fits[[lv]] <- sem_golden(d, model, file.path(dir, lv), f, estimator = est,
                             group = "school", group.equal = levels[[lv]], mi = FALSE)
  }
  partial <- sem_golden(d, model, file.path(dir, "scalar_partial"), f, estimator = est,
                        group = "school", group.equal = c("loadings", "intercepts"),
                        group.partial = "x3 ~ 1", mi = FALSE)
  lrt <- lavTestLRT(fits$configural, fits$metric, fits$scalar, fits$strict)
  tab <- data.frame(model = names(levels), df = g(lrt$Df), chisq = g(lrt$Chisq),
                    chisq_diff = g(lrt[["Chisq diff"]]), df_diff = g(lrt[["Df diff"]]),
                    pvalue = g(lrt[["Pr(>Chisq)"]]))
  labelled <- 'visual =~ x1 + c(a1, a2)*x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9'
  lab <- sem(labelled, data = d, estimator = est, group = "school")
  w <- lavTestWald(lab, constraints = "a1 == a2")
  out <- list(estimator = est, method = attr(lrt, "heading"), lrt = tab,
              partial_vs_metric = {
                l2 <- lavTestLRT(fits$metric, partial)
                list(chisq_diff = g(l2[["Chisq diff"]][2]), df_diff = g(l2[["Df diff"]][2]),
                     pvalue = g(l2[["Pr(>Chisq)"]][2]))
              },
              wald = list(constraints = "a1 == a2", model = labelled, stat = g(w$stat),
                          df = g(w$df), pvalue = g(w$p.value)),
              delta = data.frame(model = names(levels),
                                 cfi = g(sapply(fits, fitMeasures, "cfi")),
                                 rmsea = g(sapply(fits, fitMeasures, "rmsea"))))
  write_json(out, file.path(dir, "lrt.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE,
             na = "null")
}
writeLines(c(R.version.string, paste("lavaan", packageVersion("lavaan")),
             paste("semTools", packageVersion("semTools")),
             paste("jsonlite", packageVersion("jsonlite"))), file.path(case, "versions.txt"))
