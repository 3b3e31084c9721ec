# Golden case sem_hs_groups_residuals (issue 12): residuals of multi-group fits. The
# three-factor CFA of HolzingerSwineford1939 across its two schools (complete data, lavaan
# 0.6-14's multi-group defaults, mean structure on), configural and metric: <level>.json holds,
# per group (lavaan's order), residuals(fit, type = ...) for raw, cor.bollen ("cor"),
# cor.bentler, normalized and standardized: each {cov (p x p), mean}.
# Run from the crate root:  Rscript tests/golden/sem_hs_groups_residuals/make.R
suppressPackageStartupMessages({ library(lavaan); library(jsonlite) })
d <- read.csv("../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv")
model <- 'visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9'
case <- "tests/golden/sem_hs_groups_residuals"
types <- c(raw = "raw", cor_bollen = "cor.bollen", cor_bentler = "cor.bentler",
           normalized = "normalized", standardized = "standardized")
for (lv in c("configural", "metric")) {
  eq <- if (lv == "metric") "loadings" else ""
  fit <- sem(model, data = d, group = "school", group.equal = eq)
  stopifnot(lavInspect(fit, "converged"))
  groups <- lapply(seq_along(lavInspect(fit, "group.label")), function(g) {
    lapply(types, function(t) {
      r <- residuals(fit, type = t)[[g]]
      list(cov = unclass(r$cov), mean = as.numeric(r$mean))
    })
  })
  out <- list(model = model, group = "school", group_equal = eq,
              levels = lavInspect(fit, "group.label"),
              observed_variables = lavNames(fit, "ov"), groups = groups)
  write_json(out, file.path(case, paste0(lv, ".json")), digits = NA, auto_unbox = TRUE,
             pretty = TRUE, na = "null")
}
writeLines(c(R.version.string, paste("lavaan", packageVersion("lavaan")),
             paste("jsonlite", packageVersion("jsonlite"))), file.path(case, "versions.txt"))
