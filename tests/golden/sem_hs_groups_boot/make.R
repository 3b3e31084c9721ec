# Golden case sem_hs_groups_boot (issue 12): lavaan 0.6-14's nonparametric bootstrap of a
# two-group latent mediation on HolzingerSwineford1939 grouped by school: visual -> textual ->
# speed with group-specific paths (c(a1, a2), c(b1, b2)), the indirect effect of each school and
# their difference (moderated mediation by a categorical moderator). se = "bootstrap" resamples
# the rows of each group within that group, group sizes fixed (lav_bootstrap.R); B = 1000,
# percentile intervals (parameterEstimates(boot.ci.type = "perc")). R's random streams cannot be
# reproduced, so cipa's own bootstrap is compared within Monte Carlo bounds
# (tests/suite/sem_boot.rs explains them; tests/suite/sem_groups_boot.rs).
# Run from the crate root: Rscript tests/golden/sem_hs_groups_boot/make.R
suppressPackageStartupMessages({ library(lavaan); library(jsonlite) })
f <- "../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv"
case <- "tests/golden/sem_hs_groups_boot"
hs <- read.csv(f)
model <- 'visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9
textual ~ c(a1, a2)*visual
speed ~ c(b1, b2)*textual + visual
ind1 := a1*b1
ind2 := a2*b2
diff := ind1 - ind2'
B <- 1000
set.seed(1)
t0 <- proc.time()[["elapsed"]]
fit <- sem(model, data = hs, group = "school", se = "bootstrap", bootstrap = B)
secs <- proc.time()[["elapsed"]] - t0
pe <- parameterEstimates(fit, boot.ci.type = "perc")
bt <- lavInspect(fit, "boot")
# lavaan 0.6-14 leaves the bootstrap SE of a := row NA here (its draws include the failed runs'
# NA rows); it is the SD of the := function over the draws that succeeded, as for the free
# parameters (cov() of the draws, divisor B - 1).
ok <- bt[stats::complete.cases(bt), , drop = FALSE]
def_draws <- t(apply(ok, 1, fit@Model@def.function))
def_rows <- which(pe$op == ":=")
pe$se[def_rows] <- apply(def_draws, 2, sd)
# The speed factor of the Pasteur school is weakly determined (its loadings' bootstrap SEs are
# 2-5 times their delta SEs), and a few draws end far out (a Heywood trade between speed ~~ speed
# and x7 ~~ x7). A bootstrap SE, a second moment, is then set by those few draws, so for each row
# `se_outliers` counts lavaan's draws more than 10 IQRs from their median: the test compares the
# SE only where there are none (the percentile bounds are compared everywhere).
far <- function(x) sum(abs(x - median(x)) > 10 * IQR(x))
free <- parTable(fit)$free
stopifnot(nrow(pe) == length(free))
pe$se_outliers <- 0L
pe$se_outliers[free > 0] <- apply(ok, 2, far)[free[free > 0]]
pe$se_outliers[def_rows] <- apply(def_draws, 2, far)
# The delta-method SEs of the same fit (se = "standard"), for the Monte Carlo check.
std <- parameterEstimates(sem(model, data = hs, group = "school"))
out <- list(
  model = model, data = f, group = "school", groups = lavInspect(fit, "group.label"),
  nobs = lavInspect(fit, "nobs"), B = B, B_used = nrow(ok), ci = "percentile", level = 0.95,
  failed = attr(bt, "nonadmissible"), error_idx = attr(bt, "error.idx"),
  parameters = data.frame(lhs = pe$lhs, op = pe$op, rhs = pe$rhs, group = pe$group,
                          label = pe$label, est = pe$est, se = pe$se,
                          ci_lower = pe$ci.lower, ci_upper = pe$ci.upper,
                          se_outliers = pe$se_outliers, se_delta = std$se,
                          stringsAsFactors = FALSE),
  lavaan_seconds_bootstrap = secs)
write_json(out, file.path(case, "expected.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE,
           na = "null")
writeLines(c(R.version.string, paste("lavaan", packageVersion("lavaan")),
             paste("jsonlite", packageVersion("jsonlite"))), file.path(case, "versions.txt"))
