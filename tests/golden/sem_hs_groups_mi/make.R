# Golden case sem_hs_groups_mi (issue 12): modification indices of multi-group fits. The
# three-factor CFA of HolzingerSwineford1939 across its two schools (complete data, lavaan
# 0.6-14's multi-group defaults), configural and metric (group.equal = "loadings"), ML:
# <level>.json holds modindices(fit, sort. = FALSE) with its group column (mi, epc, sepc.lv,
# sepc.all, sepc.nox) and the fit's chi-square.
# Run from the crate root:  Rscript tests/golden/sem_hs_groups_mi/make.R
suppressPackageStartupMessages({ library(lavaan); library(jsonlite) })
d <- read.csv("../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv")
model <- 'visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9'
case <- "tests/golden/sem_hs_groups_mi"
for (lv in c("configural", "metric")) {
  eq <- if (lv == "metric") "loadings" else ""
  fit <- sem(model, data = d, group = "school", group.equal = eq)
  stopifnot(lavInspect(fit, "converged"))
  mi <- modindices(fit, sort. = FALSE)
  out <- list(model = model, group = "school", group_equal = eq,
              chisq = as.numeric(fitMeasures(fit, "chisq")),
              modindices = data.frame(lhs = mi$lhs, op = mi$op, rhs = mi$rhs, group = mi$group,
                                      mi = mi$mi, epc = mi$epc, sepc_lv = mi$sepc.lv,
                                      sepc_all = mi$sepc.all, sepc_nox = mi$sepc.nox))
  write_json(out, file.path(case, paste0(lv, ".json")), digits = NA, auto_unbox = TRUE,
             pretty = TRUE, na = "null")
}
writeLines(c(R.version.string, paste("lavaan", packageVersion("lavaan")),
             paste("jsonlite", packageVersion("jsonlite"))), file.path(case, "versions.txt"))
