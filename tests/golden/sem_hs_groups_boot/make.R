# Golden case sem_hs_groups_boot (issue 12): lavaan 0.6-14's nonparametric bootstrap of a
# two-group latent mediation on HolzingerSwineford1939 grouped by school: visual -> textual ->
# speed with group-specific paths (c(a1, a2), c(b1, b2)), the indirect effect of each school and
# their difference (moderated mediation by a categorical moderator). se = "bootstrap" resamples
# the rows of each group within that group, group sizes fixed (lav_bootstrap.R); B = 1000,
# percentile intervals (parameterEstimates(boot.ci.type = "perc")). R's random streams cannot be
# reproduced, so cipa's own bootstrap is compared within Monte Carlo bounds
# (tests/suite/sem_boot.rs explains them; tests/suite/sem_groups_boot.rs).
# Run from the crate root: Rscript tests/golden/sem_hs_groups_boot/make.R
source("tests/golden/R/common.R")
f <- HS_FILE
case <- "tests/golden/sem_hs_groups_boot"
hs <- hs_data()
model <- HS_GROUP_MEDIATION
B <- 1000
set.seed(1)
t0 <- proc.time()[["elapsed"]]
fit <- sem(model, data = hs, group = "school", se = "bootstrap", bootstrap = B)
secs <- proc.time()[["elapsed"]] - t0
# boot_estimates() (R/common.R) repairs lavaan 0.6-14's NA bootstrap SEs of the := rows and
# counts the far draws of each row in `se_outliers`: here the speed factor of the Pasteur school
# is weakly determined (its loadings' bootstrap SEs are 2-5 times their delta SEs), and a few
# draws end far out (a Heywood trade between speed ~~ speed and x7 ~~ x7).
b <- boot_estimates(fit)
# The delta-method SEs of the same fit (se = "standard"), for the Monte Carlo check.
std <- parameterEstimates(sem(model, data = hs, group = "school"))
out <- list(
  model = model, data = f, group = "school", groups = lavInspect(fit, "group.label"),
  nobs = lavInspect(fit, "nobs"), B = B, B_used = nrow(b$ok), ci = "percentile", level = 0.95,
  failed = attr(b$bt, "nonadmissible"), error_idx = attr(b$bt, "error.idx"),
  parameters = boot_parameters(b$pe, std),
  lavaan_seconds_bootstrap = secs)
write_golden_json(out, file.path(case, "expected.json"))
write_versions(case)
