# Writes lavaan's and semTools' diagnostics of one fitted model as diagnostics.json (full
# precision), for cipa's SEM diagnostics tests: modification indices with every column
# modindices() prints (default arguments: sort. = FALSE, free.remove, na.remove), residuals of
# every type, and semTools' reliability (compRelSEM, AVE) with their default options.
# Usage: source this file, then sem_diag_golden(data, model, dir, data_file, ...), where ...
# are passed to lavaan::sem.
# The fit uses lavaan's Gauss-Newton optimizer to a step of 1e-14 (optim.method = "GN"):
# nlminb's default stop (rel.tol 1e-10 on F) leaves θ̂ good to ~1e-6 only, which moves the
# diagnostics by up to 1e-4 (PoliticalDemocracy's flat direction) -- the two equivalent marker
# loadings there get MIs 0.238426 and 0.238397 instead of one value. The GN optimum has the
# same chi-square as cipa's to 13 digits, so the diagnostics are compared at the optimum.
suppressPackageStartupMessages({ library(lavaan); library(semTools); library(jsonlite) })

sem_diag_golden <- function(data, model, dir, data_file, ...) {
  dir.create(dir, showWarnings = FALSE, recursive = TRUE)
  args <- list(...)
  fit <- sem(model, data = data, optim.method = "GN", optim.gn.tol.x = 1e-14, ...)
  stopifnot(lavInspect(fit, "converged"))
  mi <- modindices(fit)
  res <- function(type) {
    r <- residuals(fit, type = type)
    list(cov = unclass(r$cov), mean = if (is.null(r$mean)) NULL else unclass(r$mean))
  }
  has_lv <- length(lavNames(fit, "lv")) > 0
  out <- list(
    model = model, data = data_file,
    options = c(args, list(optim.method = "GN", optim.gn.tol.x = 1e-14)),
    chisq = fitMeasures(fit, "chisq")[[1]],
    observed_variables = lavNames(fit, "ov"),
    modindices = data.frame(lhs = mi$lhs, op = mi$op, rhs = mi$rhs, mi = mi$mi,
      epc = mi$epc, sepc_lv = mi$sepc.lv, sepc_all = mi$sepc.all, sepc_nox = mi$sepc.nox,
      stringsAsFactors = FALSE),
    residuals = list(raw = res("raw"), cor_bollen = res("cor.bollen"),
      cor_bentler = res("cor.bentler"), standardized = res("standardized"),
      normalized = res("normalized")),
    versions = list(R = R.version.string, lavaan = as.character(packageVersion("lavaan")),
      semTools = as.character(packageVersion("semTools")),
      jsonlite = as.character(packageVersion("jsonlite"))))
  if (has_lv) {
    out$reliability <- list(omega = as.list(compRelSEM(fit)), ave = as.list(AVE(fit)))
  }
  write_json(out, file.path(dir, "diagnostics.json"), digits = NA, auto_unbox = TRUE,
             pretty = TRUE, na = "null")
  writeLines(c(R.version.string, paste("lavaan", packageVersion("lavaan")),
               paste("semTools", packageVersion("semTools")),
               paste("jsonlite", packageVersion("jsonlite"))), file.path(dir, "versions.txt"))
  invisible(fit)
}
