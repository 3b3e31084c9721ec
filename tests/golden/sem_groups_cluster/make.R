# Golden case sem_groups_cluster (issue 12): cluster-robust MLR with groups, lavaan 0.6-14's
# sem(..., estimator = "MLR", group = "half", cluster = "cluster"). Data: tests/golden/sem_cluster/
# data.csv (the first 100 clusters of lavaan's Demo.twolevel, 7 significant digits) with a
# derived binary group `half` = "odd" for odd cluster numbers, "even" for even ones (50 clusters
# nested in each group), written to data.csv here. lavaan sums the case scores within the
# clusters of each group, with C_g/(C_g - 1) per group, for the sandwich's meat and the
# Yuan-Bentler Gamma. Cases: cfa (two factors of the within items) and sem (f2 ~ f1 + x1, x1 a
# fixed.x covariate). Fitted by lavaan's Gauss-Newton to a step of 1e-14 so the values are
# compared at the optimum. Writes <case>/expected.json: every parameter (est, se, group) and the
# fit measures.
# Run from the crate root:  Rscript tests/golden/sem_groups_cluster/make.R
suppressMessages({library(lavaan); library(jsonlite)})
case <- "tests/golden/sem_groups_cluster"
d <- read.csv("tests/golden/sem_cluster/data.csv")
d$half <- ifelse(d$cluster %% 2 == 1, "odd", "even")
write.csv(d, file.path(case, "data.csv"), row.names = FALSE)
d <- read.csv(file.path(case, "data.csv"))
models <- list(cfa = 'f1 =~ y1 + y2 + y3
f2 =~ y4 + y5 + y6', sem = 'f1 =~ y1 + y2 + y3
f2 =~ y4 + y5 + y6
f2 ~ f1 + x1')
g <- function(x) suppressWarnings(as.numeric(sprintf("%.17g", x)))
for (name in names(models)) {
  fit <- sem(models[[name]], data = d, estimator = "MLR", group = "half", cluster = "cluster",
             optim.method = "GN", optim.gn.tol.x = 1e-14)
  stopifnot(lavInspect(fit, "converged"))
  pe <- parameterEstimates(fit)
  fm <- fitMeasures(fit, c("chisq", "df", "chisq.scaled", "chisq.scaling.factor",
                           "pvalue.scaled", "cfi.robust", "tli.robust", "rmsea.robust",
                           "cfi.scaled", "rmsea.scaled", "baseline.chisq.scaling.factor"))
  out <- list(model = models[[name]], group = "half", cluster = "cluster", estimator = "MLR",
              optimizer = "GN 1e-14", group_labels = lavInspect(fit, "group.label"),
              parameters = data.frame(lhs = pe$lhs, op = pe$op, rhs = pe$rhs, group = pe$group,
                                      est = g(pe$est), se = g(pe$se)),
              fit = as.list(setNames(g(fm), names(fm))))
  dir.create(file.path(case, name), showWarnings = FALSE)
  write_json(out, file.path(case, name, "expected.json"), digits = NA, auto_unbox = TRUE,
             pretty = TRUE, na = "null")
}
writeLines(c(R.version.string, paste("lavaan", packageVersion("lavaan")),
             paste("jsonlite", packageVersion("jsonlite"))), file.path(case, "versions.txt"))
