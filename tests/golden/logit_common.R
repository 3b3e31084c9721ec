# Shared part of every tests/golden/logit_*/make.R: fits the case with glm(binomial) to full
# convergence and writes expected.csv, summary.csv, dropped.csv and versions.txt.
# Inputs, set by the case's make.R before sourcing this file: out, d, f, vars, names_map.
fmt <- function(x) sprintf("%.17g", x)

keep <- complete.cases(d[, vars, drop = FALSE])
dropped_lines <- which(!keep) + 1L # file line of each data row; the header is line 1
d <- d[keep, , drop = FALSE]

# glm's default convergence (epsilon = 1e-8 on the relative change in deviance) leaves the
# estimates accurate to about 1e-5 only; iterate to the fixed point so 1e-8 comparisons are fair.
fit <- glm(f, family = binomial, data = d, control = glm.control(epsilon = 1e-15, maxit = 200))
X <- model.matrix(fit)
stopifnot(
  fit$converged, !anyNA(coef(fit)), setequal(colnames(X), names(names_map)),
  nobs(fit) == nrow(d)
)
n <- nobs(fit)
cf <- summary(fit)$coefficients
zcrit <- qnorm(0.975)
expected <- data.frame(
  term = unname(names_map[colnames(X)]),
  estimate = fmt(cf[, "Estimate"]),
  se = fmt(cf[, "Std. Error"]),
  z = fmt(cf[, "z value"]),
  p = fmt(cf[, "Pr(>|z|)"]),
  # Wald intervals (confint.default), as PROCESS prints them
  ci_lower = fmt(cf[, "Estimate"] - zcrit * cf[, "Std. Error"]),
  ci_upper = fmt(cf[, "Estimate"] + zcrit * cf[, "Std. Error"])
)
write.csv(expected, file.path(out, "expected.csv"), row.names = FALSE)

dev <- deviance(fit) # = -2 log-likelihood for a 0/1 outcome
null <- fit$null.deviance
chisq <- null - dev
df <- fit$df.null - fit$df.residual
cox_snell <- 1 - exp((dev - null) / n)
rows <- list(
  n = n, n_dropped = length(dropped_lines),
  deviance = dev, null_deviance = null,
  loglik = as.numeric(logLik(fit)),
  chisq = chisq, df = df, p = pchisq(chisq, df, lower.tail = FALSE),
  mcfadden = 1 - dev / null,
  cox_snell = cox_snell,
  nagelkerke = cox_snell / (1 - exp(-null / n))
)
write.csv(data.frame(name = names(rows), value = fmt(unlist(rows))),
  file.path(out, "summary.csv"),
  row.names = FALSE
)
write.csv(data.frame(line = dropped_lines), file.path(out, "dropped.csv"), row.names = FALSE)
writeLines(
  c(R.version.string, paste("sandwich", packageVersion("sandwich"))),
  file.path(out, "versions.txt")
)
cat("wrote", out, "\n")
