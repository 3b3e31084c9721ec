# Golden sem_hs_groups_boot_fiml/small.json (issue 12): as make.R here (lavaan 0.6-14's
# bootstrap of a multi-group FIML fit, HolzingerSwineford1939 by school with the cells of
# tests/golden/sem_hs_fiml/blank.csv blanked, missing = "ml", se = "bootstrap", B = 1000,
# percentile intervals), on a smaller model that lavaan refits in a fraction of make.R's time:
# one factor with a fixed.x covariate (ageyr, sem()'s default fixed.x: each draw's covariate
# moments are its own) and a group-specific indirect effect of ageyr on x7 through textual,
# ind1 and ind2, and their difference.
# Run from the crate root: Rscript tests/golden/sem_hs_groups_boot_fiml/make_small.R
suppressPackageStartupMessages({ library(lavaan); library(jsonlite) })
f <- "../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv"
case <- "tests/golden/sem_hs_groups_boot_fiml"
out_file <- "small.json"
hs <- read.csv(f)
blank <- read.csv("tests/golden/sem_hs_fiml/blank.csv", stringsAsFactors = FALSE)
for (k in seq_len(nrow(blank))) hs[blank$line[k] - 1, blank$column[k]] <- NA
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
pe <- parameterEstimates(fit, boot.ci.type = "perc")
bt <- lavInspect(fit, "boot")
ok <- bt[stats::complete.cases(bt), , drop = FALSE]
def_draws <- t(apply(ok, 1, fit@Model@def.function))
def_rows <- which(pe$op == ":=")
pe$se[def_rows] <- apply(def_draws, 2, sd)
far <- function(x) sum(abs(x - median(x)) > 10 * IQR(x))
free <- parTable(fit)$free
stopifnot(nrow(pe) == length(free))
pe$se_outliers <- 0L
pe$se_outliers[free > 0] <- apply(ok, 2, far)[free[free > 0]]
pe$se_outliers[def_rows] <- apply(def_draws, 2, far)
std <- parameterEstimates(sem(model, data = hs, group = "school", missing = "ml"))
out <- list(
  model = model, data = f, blank = "tests/golden/sem_hs_fiml/blank.csv", group = "school",
  missing = "ml", groups = lavInspect(fit, "group.label"), nobs = lavInspect(fit, "nobs"),
  B = B, B_used = nrow(ok), ci = "percentile", level = 0.95,
  failed = attr(bt, "nonadmissible"), error_idx = attr(bt, "error.idx"),
  parameters = data.frame(lhs = pe$lhs, op = pe$op, rhs = pe$rhs, group = pe$group,
                          label = pe$label, est = pe$est, se = pe$se,
                          ci_lower = pe$ci.lower, ci_upper = pe$ci.upper,
                          se_outliers = pe$se_outliers, se_delta = std$se,
                          stringsAsFactors = FALSE),
  lavaan_seconds_bootstrap = secs)
write_json(out, file.path(case, out_file), digits = NA, auto_unbox = TRUE, pretty = TRUE,
           na = "null")
writeLines(c(R.version.string, paste("lavaan", packageVersion("lavaan")),
             paste("jsonlite", packageVersion("jsonlite"))), file.path(case, "versions.txt"))
