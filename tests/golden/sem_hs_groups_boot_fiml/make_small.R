# Golden sem_hs_groups_boot_fiml/small.json (issue 12): as make.R here (lavaan 0.6-14's
# bootstrap of a multi-group FIML fit, HolzingerSwineford1939 by school with the cells of
# tests/golden/sem_hs_fiml/blank.csv blanked, missing = "ml", se = "bootstrap", B = 1000,
# percentile intervals), on a smaller model that lavaan refits in a fraction of make.R's time:
# one factor with a fixed.x covariate (ageyr, sem()'s default fixed.x: each draw's covariate
# moments are its own) and a group-specific indirect effect of ageyr on x7 through textual,
# ind1 and ind2, and their difference.
# Run from the crate root: Rscript tests/golden/sem_hs_groups_boot_fiml/make_small.R
source("tests/golden/R/common.R")
f <- HS_FILE
case <- "tests/golden/sem_hs_groups_boot_fiml"
out_file <- "small.json"
hs <- hs_blanked()
model <- 'textual =~ x4 + x5 + x6
textual ~ c(a1, a2)*ageyr
x7 ~ c(b1, b2)*textual
ind1 := a1*b1
ind2 := a2*b2
diff := ind1 - ind2'
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
write_golden_json(out, file.path(case, out_file))
write_versions(case)
