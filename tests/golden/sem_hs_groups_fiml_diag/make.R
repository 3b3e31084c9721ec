# Golden case sem_hs_groups_fiml_diag (issue 12): diagnostics of multi-group FIML fits. The
# three-factor CFA of HolzingerSwineford1939 across its two schools (group = "school") with the
# cells of tests/golden/sem_hs_fiml/blank.csv blanked (as ../sem_hs_groups_fiml), missing = "ml",
# ML: configural, metric (group.equal = "loadings") and the fixed.x model of
# ../sem_hs_groups_fiml/ml/fixedx. <level>.json holds modindices(fit, sort. = FALSE) with its
# group column and residuals(fit, type = ...) per group: raw, cor.bollen,
# cor.bentler, normalized, standardized, each {cov, mean} (lavaan compares the model-implied
# moments with each group's EM (H1) moments, lav_residuals.R). As ../sem_hs_fiml/mi/make.R,
# lavaan's default fit (nlminb, rel.tol 1e-10) is polished by four Newton steps with lavaan's
# own gradient of fmin (and its Hessian by differences), projected on its equality constraints
# (x ← x − K(K'HK)⁻¹K'g, K = eq.constraints.K, the identity without constraints), and the
# diagnostics are lavaan's at that point (do.fit = FALSE from it, fixed.x = TRUE said again: given
# a start table lavaan would otherwise treat the covariates as random).
# Run from the crate root:  Rscript tests/golden/sem_hs_groups_fiml_diag/make.R
source("tests/golden/R/common.R")
f <- HS_FILE
hs <- hs_blanked()
case <- "tests/golden/sem_hs_groups_fiml_diag"
cfa <- 'visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9'
model_x <- 'textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9
textual ~ ageyr + sex
speed ~ textual + ageyr'
polished <- function(model, eq) {
  fit <- sem(model, data = hs, missing = "ml", group = "school", group.equal = eq)
  stopifnot(lavInspect(fit, "converged"))
  chisq <- fitMeasures(fit, "chisq")[[1]]
  m <- fit@Model
  K <- if (m@eq.constraints) m@eq.constraints.K else diag(m@nx.free)
  # The gradient lavTech(fit, "gradient") reports: lav_model_gradient without group weights
  # under missing data (lav_object_inspect_gradient), the derivative of the objective nlminb
  # minimises; its Hessian by central differences (lavTech's "hessian" differentiates the
  # group-weighted gradient instead).
  grad <- function(x) lavaan:::lav_model_gradient(
    lavmodel = lav_model_set_parameters(m, x), lavsamplestats = fit@SampleStats,
    lavdata = fit@Data, lavcache = fit@Cache, type = "free", group.weight = FALSE)
  hess <- function(x) {
    h <- sapply(seq_along(x), function(i) {
      e <- 1e-5 * max(1, abs(x[i]))
      xp <- x; xp[i] <- xp[i] + e; xm <- x; xm[i] <- xm[i] - e
      (grad(xp) - grad(xm)) / (2 * e)
    })
    (h + t(h)) / 2
  }
  x <- lav_model_get_parameters(m)
  for (it in 1:4) {
    g <- grad(x)
    x <- x - as.numeric(K %*% solve(t(K) %*% hess(x) %*% K, t(K) %*% g))
  }
  kg <- max(abs(t(K) %*% grad(x)))
  stopifnot(kg < 1e-12)
  pt <- parTable(fit)
  at <- match(seq_along(x), pt$free)
  pt$est[at] <- x
  fit <- suppressWarnings(sem(model, data = hs, missing = "ml", group = "school",
                              group.equal = eq, start = pt, do.fit = FALSE, fixed.x = TRUE))
  stopifnot(max(abs(lav_model_get_parameters(fit@Model) - x)) == 0)
  list(fit = fit, chisq = chisq, kg = kg)
}
res <- function(fit, type) {
  lapply(residuals(fit, type = type), function(r)
    list(cov = unclass(r$cov), mean = as.numeric(r$mean)))
}
cases <- list(configural = list(cfa, ""), metric = list(cfa, "loadings"),
              fixedx = list(model_x, ""))
for (lv in names(cases)) {
  p <- polished(cases[[lv]][[1]], cases[[lv]][[2]])
  fit <- p$fit
  mi <- suppressWarnings(modindices(fit, sort. = FALSE))
  out <- list(model = cases[[lv]][[1]], group = "school", group_equal = cases[[lv]][[2]],
              missing = "ml", chisq_default_fit = p$chisq,
              max_abs_projected_gradient = p$kg,
              levels = lavInspect(fit, "group.label"),
              observed_variables = lavNames(fit, "ov"),
              modindices = data.frame(lhs = mi$lhs, op = mi$op, rhs = mi$rhs, group = mi$group,
                                      mi = mi$mi, epc = mi$epc, sepc_lv = mi$sepc.lv,
                                      sepc_all = mi$sepc.all, sepc_nox = mi$sepc.nox))
  types <- c(raw = "raw", cor_bollen = "cor.bollen", cor_bentler = "cor.bentler",
             normalized = "normalized", standardized = "standardized")
  per_type <- lapply(types, function(t) res(fit, t))
  out$groups <- lapply(seq_along(out$levels), function(g)
    lapply(per_type, function(r) r[[g]]))
  write_json(out, file.path(case, paste0(lv, ".json")), digits = NA, auto_unbox = TRUE,
             pretty = TRUE, na = "null")
}
write_versions(case)
