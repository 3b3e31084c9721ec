# Writes lavaan's results for one model and data set as expected.json (full precision), for
# cipa's SEM golden tests. Usage: source this file, then sem_golden(data, model, dir, ...),
# where ... are passed to lavaan::sem (estimator, missing, std.lv, meanstructure, ...).
suppressPackageStartupMessages({ library(lavaan); library(jsonlite) })

sem_golden <- function(data, model, dir, data_file, ..., mi = TRUE, resid = TRUE) {
  dir.create(dir, showWarnings = FALSE, recursive = TRUE)
  args <- list(...)
  fit <- sem(model, data = data, ...)
  stopifnot(lavInspect(fit, "converged"))
  pe <- parameterEstimates(fit, standardized = TRUE, rsquare = FALSE)
  ss_all <- standardizedSolution(fit, type = "std.all")
  ss_lv <- standardizedSolution(fit, type = "std.lv")
  key <- function(d) paste(d$lhs, d$op, d$rhs, if (is.null(d$group)) 1 else d$group)
  m_all <- match(key(pe), key(ss_all)); m_lv <- match(key(pe), key(ss_lv))
  params <- data.frame(
    lhs = pe$lhs, op = pe$op, rhs = pe$rhs,
    label = if (is.null(pe$label)) rep("", nrow(pe)) else pe$label,
    est = pe$est, se = pe$se, z = pe$z, pvalue = pe$pvalue,
    ci_lower = pe$ci.lower, ci_upper = pe$ci.upper,
    std_lv = pe$std.lv, std_all = pe$std.all,
    std_all_se = ss_all$se[m_all], std_lv_se = ss_lv$se[m_lv],
    free = parTable(fit)$free[match(key(pe), key(parTable(fit)))],
    stringsAsFactors = FALSE)
  fm <- fitMeasures(fit)
  fm <- as.list(setNames(as.numeric(fm), gsub(".", "_", names(fm), fixed = TRUE)))
  r2 <- as.list(lavInspect(fit, "r2"))
  out <- list(
    model = model, data = data_file, options = args,
    n = lavInspect(fit, "nobs"), npar = lavInspect(fit, "npar"),
    converged = lavInspect(fit, "converged"),
    parameters = params, fit = fm, r2 = r2,
    implied_cov = unclass(lavInspect(fit, "implied")$cov),
    observed_variables = lavNames(fit, "ov"),
    versions = list(R = R.version.string, lavaan = as.character(packageVersion("lavaan")),
                    jsonlite = as.character(packageVersion("jsonlite"))))
  if (mi) {
    mi_tab <- modindices(fit, sort. = FALSE)
    out$modindices <- data.frame(lhs = mi_tab$lhs, op = mi_tab$op, rhs = mi_tab$rhs,
      mi = mi_tab$mi, epc = mi_tab$epc, sepc_all = mi_tab$sepc.all, stringsAsFactors = FALSE)
  }
  # lavResiduals() fails under cluster = (lavaan 0.6-14): resid = FALSE leaves them out.
  if (resid) {
    rc <- lavResiduals(fit, type = "cor.bentler")
    out$residual_cor <- unclass(rc$cov)
  }
  write_json(out, file.path(dir, "expected.json"), digits = NA, auto_unbox = TRUE,
             pretty = TRUE, na = "null")
  writeLines(c(R.version.string, paste("lavaan", packageVersion("lavaan")),
               paste("jsonlite", packageVersion("jsonlite"))), file.path(dir, "versions.txt"))
  invisible(fit)
}
