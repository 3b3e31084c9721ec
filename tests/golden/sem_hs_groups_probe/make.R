# Golden case sem_hs_groups_probe (issue 12): conditional indirect effects per group. A
# moderated mediation of observed variables on HolzingerSwineford1939 grouped by school, with
# group-specific paths (c(a1, a2), ...) and the observed product term x4:x2 (W = x2 moderates the
# b path). cipa writes `ind1 := a1*(b1 + b3a*x2)` (and ind2, and their difference) and probes it
# at W's values under --group; lavaan has no such :=, so the probe values are substituted by hand
# here. The probe values come from the pooled sample (all rows the grouped fit uses, both
# schools), so both groups are compared at the same W: R's quantile type 6 (PROCESS's
# percentiles) and mean -1/0/+1 SD (sd with divisor n - 1). The slope in W of each := (the index
# of moderated mediation per group, and the difference of the two) is written as a := too.
# Run from the crate root: Rscript tests/golden/sem_hs_groups_probe/make.R
suppressPackageStartupMessages({ library(lavaan); library(jsonlite) })
f <- "../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv"
case <- "tests/golden/sem_hs_groups_probe"
hs <- read.csv(f)
base <- 'x4 ~ c(a1, a2)*x1
x7 ~ c(cp1, cp2)*x1 + c(b1, b2)*x4 + c(bw1, bw2)*x2 + c(b3a, b3b)*x4:x2'
num <- function(v) sprintf("(%.17g)", v)
probe <- function(tag, w) {
  c(sprintf("ind1_%s_%d := a1*(b1 + b3a*%s)", tag, seq_along(w), num(w)),
    sprintf("ind2_%s_%d := a2*(b2 + b3b*%s)", tag, seq_along(w), num(w)),
    sprintf("diff_%s_%d := a1*(b1 + b3a*%s) - a2*(b2 + b3b*%s)", tag, seq_along(w), num(w),
            num(w)))
}
pct <- quantile(hs$x2, c(.16, .50, .84), type = 6, names = FALSE)
msd <- mean(hs$x2) + c(-1, 0, 1) * sd(hs$x2)
wvals <- c(4.5, 6, 7.5)
defs <- c(probe("pct", pct), probe("msd", msd), probe("wv", wvals),
          "ind1_index := a1*b3a", "ind2_index := a2*b3b", "diff_index := a1*b3a - a2*b3b")
model <- paste(c(base, defs), collapse = "\n")
# lavaan's default nlminb stops at rel.tol 1e-10 on F, which leaves the slopes up to 4e-4
# (relative) from the optimum here (the product column's variance is ~70, the rest ~1); its
# Gauss-Newton with a 1e-14 step tolerance reaches the optimum (as sem_groups_cluster/make.R).
fit <- sem(model, data = hs, group = "school", optim.method = "GN", optim.gn.tol.x = 1e-14)
stopifnot(lavInspect(fit, "converged"))
pe <- parameterEstimates(fit)
out <- list(
  model = base, data = f, group = "school", groups = lavInspect(fit, "group.label"),
  nobs = lavInspect(fit, "nobs"), optimizer = "GN 1e-14", percentiles = pct, mean_sd = msd, wvals = wvals,
  parameters = data.frame(lhs = pe$lhs, op = pe$op, rhs = pe$rhs, group = pe$group,
                          label = pe$label, est = pe$est, se = pe$se,
                          ci_lower = pe$ci.lower, ci_upper = pe$ci.upper,
                          stringsAsFactors = FALSE),
  chisq = fitMeasures(fit, "chisq")[["chisq"]], df = fitMeasures(fit, "df")[["df"]],
  versions = list(R = R.version.string, lavaan = as.character(packageVersion("lavaan")),
                  jsonlite = as.character(packageVersion("jsonlite"))))
write_json(out, file.path(case, "expected.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE,
           na = "null")
writeLines(c(R.version.string, paste("lavaan", packageVersion("lavaan")),
             paste("jsonlite", packageVersion("jsonlite"))), file.path(case, "versions.txt"))
