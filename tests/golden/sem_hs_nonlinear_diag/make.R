# Diagnostics of the model of sem_hs_nonlinear (ind := a*b held at 0.1, a nonlinear equality),
# with random covariates (fixed.x = FALSE: the normalized and standardized residuals of fixed.x
# covariates are another matter, not the constraint's):
# modindices() and residuals() of every type, and semTools' reliability, as
# tests/golden/sem_common/sem_diag_golden.R writes them. lavaan's MIs use the inverted
# augmented information of the constrained fit (modindices: I22.inv from lavTech(fit,
# "inverted.information")), the standardized residuals the same. lavaan cannot use its
# Gauss-Newton optimizer under a nonlinear constraint (the estimation fails), and nlminb.constr
# stops ~1e-5 (relative) from the optimum even at a tight stop, which moves the diagnostics by
# as much; so lavaan's estimate is polished by Newton steps on the Karush-Kuhn-Tucker system
# (lavaan's own gradient, Hessian and constraint Jacobian; the step falls to ~1e-12) and the
# fit object's estimates, implied moments and constraint Jacobian are set to the result before
# lavaan's modindices(), residuals() and semTools' functions are called on it.
# Run from the crate root: Rscript tests/golden/sem_hs_nonlinear_diag/make.R
suppressPackageStartupMessages({ library(lavaan); library(semTools); library(jsonlite) })
f <- "../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv"
dir <- "tests/golden/sem_hs_nonlinear_diag"
model <- 'visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9
textual ~ a*visual + ageyr + sex
speed ~ b*textual + c*visual + ageyr
ind := a*b
total := c + a*b
ind == 0.1'
# Newton steps on the KKT conditions of min fmin s.t. ceq(x) = 0 from lavaan's estimate, then
# the fit object's estimates, implied moments and constraint Jacobian replaced by the result.
polish <- function(fit, steps = 15) {
  lm <- fit@Model
  x <- lav_model_get_parameters(lm)
  q <- length(x)
  for (i in seq_len(steps)) {
    lm <- lav_model_set_parameters(lm, x)
    g <- lavaan:::lav_model_gradient(lm, lavsamplestats = fit@SampleStats, lavdata = fit@Data)
    H <- lavaan:::lav_model_hessian(lm, lavsamplestats = fit@SampleStats, lavdata = fit@Data,
                                    lavoptions = fit@Options, lavcache = fit@Cache)
    ce <- lm@ceq.function(x)
    J <- lavaan:::lav_func_jacobian_complex(func = lm@ceq.function, x = x)
    m <- nrow(J)
    KKT <- rbind(cbind(H, t(J)), cbind(J, matrix(0, m, m)))
    step <- solve(KKT, -c(g, ce))
    x <- x + step[1:q]
    cat("step", i, "max|dx|", max(abs(step[1:q])), "max|c|", max(abs(ce)), "\n")
  }
  lm <- lav_model_set_parameters(lm, x)
  J <- lavaan:::lav_func_jacobian_complex(func = lm@ceq.function, x = x)
  attributes(J) <- c(attributes(J), attributes(fit@Model@con.jac)[c("inactive.idx", "cin.idx", "ceq.idx")])
  lm@con.jac <- J
  fit@Model <- lm
  fit@implied <- lavaan:::lav_model_implied(lm)
  pt <- fit@ParTable
  pt$est[pt$free > 0] <- x
  fit@ParTable <- pt
  fit
}
ctl <- list(rel.tol = 1e-14, control.outer = list(tol = 1e-12))
fit <- sem(model, data = read.csv(f), control = ctl, fixed.x = FALSE)
stopifnot(lavInspect(fit, "converged"))
fit <- polish(fit)
mi <- modindices(fit)
res <- function(type) {
  r <- residuals(fit, type = type)
  list(cov = unclass(r$cov), mean = if (is.null(r$mean)) NULL else unclass(r$mean))
}
out <- list(
  model = model, data = f, options = list(fixed.x = FALSE, control = ctl, polished = TRUE),
  chisq = fitMeasures(fit, "chisq")[[1]],
  observed_variables = lavNames(fit, "ov"),
  modindices = data.frame(lhs = mi$lhs, op = mi$op, rhs = mi$rhs, mi = mi$mi,
    epc = mi$epc, sepc_lv = mi$sepc.lv, sepc_all = mi$sepc.all, sepc_nox = mi$sepc.nox,
    stringsAsFactors = FALSE),
  residuals = list(raw = res("raw"), cor_bollen = res("cor.bollen"),
    cor_bentler = res("cor.bentler"), standardized = res("standardized"),
    normalized = res("normalized")),
  reliability = list(omega = as.list(compRelSEM(fit)), ave = as.list(AVE(fit))),
  versions = list(R = R.version.string, lavaan = as.character(packageVersion("lavaan")),
    semTools = as.character(packageVersion("semTools")),
    jsonlite = as.character(packageVersion("jsonlite"))))
dir.create(dir, showWarnings = FALSE, recursive = TRUE)
write_json(out, file.path(dir, "diagnostics.json"), digits = NA, auto_unbox = TRUE,
           pretty = TRUE, na = "null")
writeLines(c(R.version.string, paste("lavaan", packageVersion("lavaan")),
             paste("semTools", packageVersion("semTools")),
             paste("jsonlite", packageVersion("jsonlite"))), file.path(dir, "versions.txt"))
