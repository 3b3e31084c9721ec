# Golden case sem_hs_groups_boot_fiml (issue 12): lavaan 0.6-14's nonparametric bootstrap of a
# multi-group FIML fit: the two-school latent mediation of tests/golden/sem_hs_groups_boot
# (c(a1, a2), c(b1, b2), ind1, ind2, diff) on HolzingerSwineford1939 with the cells of
# tests/golden/sem_hs_fiml/blank.csv blanked, missing = "ml", se = "bootstrap": each draw
# resamples each school's rows (incomplete ones with their missing cells) within that school,
# the group sizes fixed (lav_bootstrap.R), and refits the groups' casewise likelihoods. B = 1000,
# percentile intervals. Compared with cipa's own bootstrap within Monte Carlo bounds
# (tests/suite/sem_boot.rs explains them; tests/suite/sem_groups_boot.rs). As make.R of
# sem_hs_groups_boot: the SE of a := row is the SD of its function over the draws that
# succeeded, and `se_outliers` counts draws more than 10 IQRs from their median.
# Run from the crate root: Rscript tests/golden/sem_hs_groups_boot_fiml/make.R
source("tests/golden/R/common.R")
f <- HS_FILE
case <- "tests/golden/sem_hs_groups_boot_fiml"
hs <- hs_blanked()
model <- HS_GROUP_MEDIATION
B <- 1000
set.seed(1)
t0 <- proc.time()[["elapsed"]]
fit <- sem(model, data = hs, group = "school", missing = "ml", se = "bootstrap",
           bootstrap = B)
secs <- proc.time()[["elapsed"]] - t0
b <- boot_estimates(fit)
std <- parameterEstimates(sem(model, data = hs, group = "school", missing = "ml"))
out <- list(
  model = model, data = f, blank = HS_BLANK_FILE, group = "school",
  missing = "ml", groups = lavInspect(fit, "group.label"), nobs = lavInspect(fit, "nobs"),
  B = B, B_used = nrow(b$ok), ci = "percentile", level = 0.95,
  failed = attr(b$bt, "nonadmissible"), error_idx = attr(b$bt, "error.idx"),
  parameters = boot_parameters(b$pe, std),
  lavaan_seconds_bootstrap = secs)
write_golden_json(out, file.path(case, "expected.json"))
write_versions(case)
