# Data preparation and output shared by the golden scripts (tests/golden/*/make*.R), so that each
# case states only what is its own. Source it from the crate root:
#   source("tests/golden/R/common.R")
suppressPackageStartupMessages({ library(lavaan); library(jsonlite) })

# HolzingerSwineford1939 as lavaan ships it (exported to ../shared/datasets/lavaan_pkg).
HS_FILE <- "../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv"
# The item cells the FIML cases blank (sem_hs_fiml/make.R chose them with a fixed seed): file
# `line` (header = 1) and `column`.
HS_BLANK_FILE <- "tests/golden/sem_hs_fiml/blank.csv"

hs_data <- function() read.csv(HS_FILE)

# The data with the cells of HS_BLANK_FILE set to NA (about 8% of the items x1-x9).
hs_blanked <- function() {
  hs <- hs_data()
  blank <- read.csv(HS_BLANK_FILE, stringsAsFactors = FALSE)
  for (k in seq_len(nrow(blank))) hs[blank$line[k] - 1, blank$column[k]] <- NA
  hs
}

# lavaan's three-factor CFA of the tutorial.
HS_CFA <- 'visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9'

# The two-school latent mediation visual -> textual -> speed with group-specific paths, each
# school's indirect effect and their difference (moderated mediation by a categorical moderator).
HS_GROUP_MEDIATION <- paste(HS_CFA, 'textual ~ c(a1, a2)*visual
speed ~ c(b1, b2)*textual + visual
ind1 := a1*b1
ind2 := a2*b2
diff := ind1 - ind2', sep = "\n")

# JSON as every golden file is written: full precision, scalars unboxed, NA as null.
write_golden_json <- function(x, path) {
  write_json(x, path, digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null")
}

# versions.txt: R, then each package named (lavaan first, jsonlite last by convention).
write_versions <- function(case, packages = c("lavaan", "jsonlite")) {
  writeLines(c(R.version.string,
               vapply(packages, function(p) paste(p, packageVersion(p)), "")),
             file.path(case, "versions.txt"))
}

# parameterEstimates() of a bootstrap fit (se = "bootstrap", percentile intervals) with two
# repairs, and the draws that succeeded:
# - lavaan 0.6-14 leaves the bootstrap SE of a := row NA when some draws failed (their NA rows
#   enter its computation); it is set to the SD of the := function over the draws that
#   succeeded, as for the free parameters (cov() of the draws, divisor B - 1);
# - `se_outliers` counts, for each row, lavaan's draws more than 10 IQRs from their median: a
#   bootstrap SE, a second moment, is set by a few such draws, so the tests compare the SE only
#   where there are none (the percentile bounds are compared everywhere).
boot_estimates <- function(fit) {
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
  list(pe = pe, bt = bt, ok = ok)
}

# The rows of a bootstrap golden file: boot_estimates()' values with the delta-method SEs of the
# same model fitted with se = "standard" (`std`, a parameterEstimates() table), for the Monte
# Carlo checks.
boot_parameters <- function(pe, std) {
  data.frame(lhs = pe$lhs, op = pe$op, rhs = pe$rhs, group = pe$group, label = pe$label,
             est = pe$est, se = pe$se, ci_lower = pe$ci.lower, ci_upper = pe$ci.upper,
             se_outliers = pe$se_outliers, se_delta = std$se, stringsAsFactors = FALSE)
}

# Double-mean-centred product indicators (Lin, Wen, Marsh and Lin 2010) of visual (x1-x3) and
# textual (x4-x6) by semTools::indProd(meanC = TRUE, doubleMC = TRUE), for the model
#   speed ~ visual + textual + visual:textual
# with the product factor vt:
#   all:     every pair x_i * x_j (9 products, modsem's "dblcent" default, match = FALSE) with a
#            residual covariance between two products that share an item (modsem's
#            res.cov.method = "simple");
#   matched: matched pairs x1*x4, x2*x5, x3*x6 (semTools' match = TRUE), no residual
#            covariances.
# indProd makes the products with var1 outer (x1.x4, x1.x5, x1.x6, x2.x4, ...), so they are
# named in that order; the model lists them in modsem's expand.grid order (x1.x4, x2.x4, x3.x4,
# ...), so lavaan's observed variables come in cipa's order. Returns the data and model of each
# (data_all, model_all, data_matched, model_matched) and the product names of each
# (names_all, names_matched).
hs_dmc_products <- function(d) {
  suppressPackageStartupMessages(library(semTools))
  v1 <- c("x1", "x2", "x3"); v2 <- c("x4", "x5", "x6")
  base <- 'visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9
speed ~ visual + textual + vt'
  pairs <- expand.grid(i = v1, j = v2, stringsAsFactors = FALSE)
  pairs$name <- paste(pairs$i, pairs$j, sep = ".")
  indprod_names <- unlist(lapply(v1, function(i) paste(i, v2, sep = ".")))
  da <- indProd(d, var1 = v1, var2 = v2, match = FALSE, meanC = TRUE, residualC = FALSE,
                doubleMC = TRUE, namesProd = indprod_names)
  stopifnot(all.equal(da$x2.x4, (d$x2 - mean(d$x2)) * (d$x4 - mean(d$x4)) -
                        mean((d$x2 - mean(d$x2)) * (d$x4 - mean(d$x4)))))
  shared <- c()
  for (a in seq_len(nrow(pairs))) for (b in seq_len(nrow(pairs))) if (a < b) {
    if (pairs$i[a] == pairs$i[b] || pairs$j[a] == pairs$j[b])
      shared <- c(shared, paste(pairs$name[a], "~~", pairs$name[b]))
  }
  model_all <- paste(base, paste("vt =~", paste(pairs$name, collapse = " + ")),
                     paste(shared, collapse = "\n"), sep = "\n")
  m_names <- paste(v1, v2, sep = ".")
  dm <- indProd(d, var1 = v1, var2 = v2, match = TRUE, meanC = TRUE, residualC = FALSE,
                doubleMC = TRUE, namesProd = m_names)
  model_m <- paste(base, paste("vt =~", paste(m_names, collapse = " + ")), sep = "\n")
  list(data_all = da, model_all = model_all, names_all = pairs$name,
       data_matched = dm, model_matched = model_m, names_matched = m_names)
}
