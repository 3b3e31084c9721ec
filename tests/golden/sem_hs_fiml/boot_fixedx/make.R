# lavaan's nonparametric bootstrap of a FIML fit with fixed.x covariates (sem()'s default):
# tests/golden/sem_hs_fiml/fixedx's model (the item cells of blank.csv blanked, missing = "ml",
# ageyr and sex exogenous and complete) with labels for an indirect effect. Under fixed.x
# lavaan rebuilds each draw's model from the draw's sample statistics (lav_bootstrap.R), so the
# covariates' moments are the draw's own. B = 1000; compared with cipa's own bootstrap within
# Monte Carlo bounds, as tests/golden/sem_hs_mediation_boot (tests/suite/sem_boot.rs explains
# them). Run from the crate root: Rscript tests/golden/sem_hs_fiml/boot_fixedx/make.R
suppressPackageStartupMessages({ library(lavaan); library(jsonlite) })
f <- "../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv"
case <- "tests/golden/sem_hs_fiml/boot_fixedx"
hs <- read.csv(f)
blank <- read.csv("tests/golden/sem_hs_fiml/blank.csv", stringsAsFactors = FALSE)
for (k in seq_len(nrow(blank))) hs[blank$line[k] - 1, blank$column[k]] <- NA
model <- 'textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9
textual ~ a*ageyr + sex
speed ~ b*textual + ageyr
ind := a*b'
B <- 1000
set.seed(1)
t0 <- proc.time()[["elapsed"]]
fit <- sem(model, data = hs, missing = "ml", se = "bootstrap", bootstrap = B)
secs <- proc.time()[["elapsed"]] - t0
stopifnot(lavInspect(fit, "options")$fixed.x)
pe <- parameterEstimates(fit, boot.ci.type = "perc")
bt <- lavInspect(fit, "boot")
out <- list(
  model = model, data = f, missing = "ml", fixed_x = TRUE, B = B, ci = "percentile",
  level = 0.95, failed = attr(bt, "nonadmissible"), error_idx = attr(bt, "error.idx"),
  parameters = data.frame(lhs = pe$lhs, op = pe$op, rhs = pe$rhs, label = pe$label,
                          est = pe$est, se = pe$se, ci_lower = pe$ci.lower,
                          ci_upper = pe$ci.upper, stringsAsFactors = FALSE),
  lavaan_seconds_bootstrap = secs)
write_json(out, file.path(case, "expected.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE,
           na = "null")
writeLines(c(R.version.string, paste("lavaan", packageVersion("lavaan")),
             paste("jsonlite", packageVersion("jsonlite"))), file.path(case, "versions.txt"))
