# Shared part of every tests/golden/ols_*/make.R: fits the case with lm, computes every
# covariance (OLS, HC0-HC4 via sandwich::vcovHC, CR1 via sandwich::vcovCL), the Wald and R² change
# tests, and writes expected.csv, summary.csv, dropped.csv and versions.txt.
# Inputs, set by the case's make.R before sourcing this file: out, d, f, vars, cluster, names_map,
# r2_tests.
suppressPackageStartupMessages(library(sandwich))
fmt <- function(x) sprintf("%.17g", x)

# Listwise deletion over every variable the equation uses, the cluster variable included (as cipa).
keep <- complete.cases(d[, vars, drop = FALSE])
dropped_lines <- which(!keep) + 1L # file line of each data row; the header is line 1
d <- d[keep, , drop = FALSE]

fit <- lm(f, data = d)
X <- model.matrix(fit)
stopifnot(!anyNA(coef(fit)), setequal(colnames(X), names(names_map)), nobs(fit) == nrow(d))
n <- nobs(fit)
k <- ncol(X)
q <- k - 1L
b <- coef(fit)
df2 <- fit$df.residual

V <- list(
  ols = vcov(fit),
  hc0 = vcovHC(fit, type = "HC0"),
  hc1 = vcovHC(fit, type = "HC1"),
  hc2 = vcovHC(fit, type = "HC2"),
  hc3 = vcovHC(fit, type = "HC3"),
  hc4 = vcovHC(fit, type = "HC4"),
  # CR1: G/(G-1) * (n-1)/(n-k) * bread %*% meat %*% bread
  cl = vcovCL(fit, cluster = d[[cluster]], type = "HC1", cadjust = TRUE)
)
se <- lapply(V, function(v) sqrt(diag(v)))

# expected.csv: one row per coefficient, in R's column order (the test matches rows by name).
expected <- data.frame(term = unname(names_map[colnames(X)]), estimate = fmt(b))
for (ty in names(V)) expected[[paste0("se_", ty)]] <- fmt(se[[ty]])
expected$t_ols <- fmt(b / se$ols)
for (ty in names(V)) {
  expected[[paste0("p_", ty)]] <- fmt(2 * pt(abs(b / se[[ty]]), df2, lower.tail = FALSE))
}
tcrit <- qt(0.975, df2)
expected$ci_lower_ols <- fmt(b - tcrit * se$ols)
expected$ci_upper_ols <- fmt(b + tcrit * se$ols)
write.csv(expected, file.path(out, "expected.csv"), row.names = FALSE)

# Wald F that the coefficients at idx are jointly zero, written out (no lmtest / car).
wald <- function(Vm, idx) {
  bb <- b[idx]
  as.numeric(t(bb) %*% solve(Vm[idx, idx, drop = FALSE]) %*% bb) / length(idx)
}

s <- summary(fit)
fs <- s$fstatistic
rows <- list(
  n = n, n_dropped = length(dropped_lines),
  r2 = s$r.squared, adj_r2 = s$adj.r.squared, sigma2 = s$sigma^2,
  f = fs[["value"]], df1 = fs[["numdf"]], df2 = fs[["dendf"]],
  p = pf(fs[["value"]], fs[["numdf"]], fs[["dendf"]], lower.tail = FALSE)
)
slopes <- 2:k
for (ty in setdiff(names(V), "ols")) {
  w <- wald(V[[ty]], slopes)
  rows[[paste0("wald_f_", ty)]] <- w
  rows[[paste0("wald_p_", ty)]] <- pf(w, q, df2, lower.tail = FALSE)
}
rows$n_clusters <- length(unique(d[[cluster]]))

# R-squared change: classical F from anova(reduced, full); robust versions as Wald F on the
# dropped columns. Row names: r2_change<S>..., S = "" for the first test, "_<id>" for the others.
assign_ <- attr(X, "assign")
labels <- attr(terms(fit), "term.labels")
for (i in seq_along(r2_tests)) {
  tst <- r2_tests[[i]]
  S <- if (i == 1) "" else paste0("_", tst$id)
  reduced <- update(fit, as.formula(paste(". ~ . -", paste(tst$drop, collapse = " - "))))
  stopifnot(nobs(reduced) == n)
  a <- anova(reduced, fit)
  idx <- which(assign_ %in% match(tst$drop, labels))
  stopifnot(length(idx) == a$Df[2], all(tst$drop %in% labels))
  rows[[paste0("r2_change", S)]] <- s$r.squared - summary(reduced)$r.squared
  rows[[paste0("r2_change", S, "_f")]] <- a$F[2]
  rows[[paste0("r2_change", S, "_df1")]] <- a$Df[2]
  rows[[paste0("r2_change", S, "_df2")]] <- a$Res.Df[2]
  rows[[paste0("r2_change", S, "_p")]] <- a$`Pr(>F)`[2]
  for (ty in setdiff(names(V), "ols")) {
    w <- wald(V[[ty]], idx)
    rows[[paste0("r2_change", S, "_f_", ty)]] <- w
    rows[[paste0("r2_change", S, "_p_", ty)]] <- pf(w, length(idx), df2, lower.tail = FALSE)
  }
}
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
