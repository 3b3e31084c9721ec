# Golden sem_hs_groups_boot/std.json (issue 12): the bootstrap of the standardized (std.all)
# `:=` rows of the two-school latent mediation of make.R. lavaan 0.6-14 gives no bootstrap
# interval for std.all values, so, as for an unstandardized row, each draw of lavInspect(fit,
# "boot") (the same run as make.R: set.seed(1), B = 1000) is standardized by
# lav_standardize_all (each group by its own implied variances; a `:=` row is its function of
# the standardized free parameters, as standardizedSolution() gives it) and summarised: the SD
# of the draws (divisor B - 1) and the percentile bounds (quantile() type 7, as
# parameterEstimates(boot.ci.type = "perc") and later lavaan's standardizedSolution() with
# bootstrap intervals, which standardizes every draw by lav_standardize_all_x, do).
# Run from the crate root: Rscript tests/golden/sem_hs_groups_boot/make_std.R
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
fit <- sem(model, data = hs, group = "school", se = "bootstrap", bootstrap = B)
bt <- lavInspect(fit, "boot")
ok <- bt[stats::complete.cases(bt), , drop = FALSE]
std_of <- function(x) {
  glist <- lavaan:::lav_model_x2GLIST(fit@Model, x)
  est <- lavaan:::lav_model_get_parameters(fit@Model, GLIST = glist, type = "user")
  lavaan:::lav_standardize_all(fit, est = est, GLIST = glist)
}
pe <- parameterEstimates(fit, standardized = TRUE)
def_rows <- which(pe$op == ":=")
# The full-sample standardization by the same route is standardizedSolution()'s.
stopifnot(max(abs(std_of(lav_model_get_parameters(fit@Model))[def_rows] -
                  pe$std.all[def_rows])) < 1e-10)
draws <- t(apply(ok, 1, function(x) std_of(x)[def_rows]))
q <- function(p) apply(draws, 2, quantile, probs = p, names = FALSE)
far <- function(x) sum(abs(x - median(x)) > 10 * IQR(x))
out <- list(
  model = model, data = f, group = "school", B = B, B_used = nrow(ok), ci = "percentile",
  level = 0.95,
  standardized_defined = data.frame(lhs = pe$lhs[def_rows], op = ":=", rhs = pe$rhs[def_rows],
                                    group = 0L, std_all = pe$std.all[def_rows],
                                    se = apply(draws, 2, sd), ci_lower = q(0.025),
                                    ci_upper = q(0.975), se_outliers = apply(draws, 2, far),
                                    stringsAsFactors = FALSE))
write_json(out, file.path(case, "std.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE,
           na = "null")
