# Golden values for `cipa fit --cluster VAR`: PROCESS models 5 and 7 on Hayes (2018) estress
# (X = estress, M = affect, Y = withdraw, W = ese moderating X -> Y in model 5 and X -> M in
# model 7, covariates sex and tenure), clustered by age (44 clusters). Per equation of both, R's lm with sandwich::vcovCL(type = "HC1",
# cadjust = TRUE) (cipa's CR1): coefficients with t tests on n - k df and exact t intervals, the
# Wald F of all slopes, the test of the X:W product (Wald F with the CR1 covariance, R-squared
# change from the OLS fits); in model 5 the conditional direct effects of X at W's 16th/50th/84th
# percentiles (PROCESS's, R's quantile type 6) and the Sobel test, in model 7 the Johnson-Neyman
# boundary of X's effect on M along W, all with the CR1 covariance; and R's own cluster bootstrap (whole clusters drawn with replacement, B = 5000)
# of the indirect effect, for a Monte-Carlo comparison.
#
# Regenerate from the crate root:  Rscript tests/golden/cluster_estress/make.R
# (the data are read under ../shared, or under the folder CIPA_SHARED names).

suppressPackageStartupMessages({
  library(sandwich)
  library(jsonlite)
})
out <- "tests/golden/cluster_estress"
shared <- Sys.getenv("CIPA_SHARED", "../shared")
data_rel <- "datasets/hayes2018/estress.csv"
d <- read.csv(file.path(shared, data_rel))
vars <- c("estress", "affect", "withdraw", "ese", "sex", "tenure", "age")
d <- d[complete.cases(d[, vars]), ]
cl <- d$age
fmt <- function(x) sprintf("%.17g", x)

fm <- lm(affect ~ estress + sex + tenure, data = d)
fy <- lm(withdraw ~ estress + affect + ese + estress:ese + sex + tenure, data = d)
fm7 <- lm(affect ~ estress + ese + estress:ese + sex + tenure, data = d)
fy7 <- lm(withdraw ~ estress + affect + sex + tenure, data = d)
cr1 <- function(f) vcovCL(f, cluster = cl, type = "HC1", cadjust = TRUE)
cipa_name <- function(t) if (t == "(Intercept)") "constant" else sub("estress:ese", "estress:ese", t)

coef_rows <- list()
summary_rows <- list()
fits <- list(list(5, fm), list(5, fy), list(7, fm7), list(7, fy7))
for (mf in fits) {
  model <- mf[[1]]; f <- mf[[2]]
  V <- cr1(f)
  b <- coef(f)
  se <- sqrt(diag(V))
  dfr <- df.residual(f)
  tt <- b / se
  q <- qt(0.975, dfr)
  eq <- all.vars(formula(f))[1]
  coef_rows[[length(coef_rows) + 1]] <- data.frame(
    model = model, equation = eq, term = sapply(names(b), cipa_name), estimate = fmt(b), se = fmt(se),
    t = fmt(tt), p = fmt(2 * pt(-abs(tt), dfr)), ci_lower = fmt(b - q * se), ci_upper = fmt(b + q * se))
  slopes <- 2:length(b)
  wf <- as.numeric(t(b[slopes]) %*% solve(V[slopes, slopes]) %*% b[slopes]) / length(slopes)
  summary_rows[[length(summary_rows) + 1]] <- data.frame(
    model = model, equation = eq, n = nobs(f), clusters = length(unique(cl)), r2 = fmt(summary(f)$r.squared),
    f = fmt(wf), df1 = length(slopes), df2 = dfr, p = fmt(pf(wf, length(slopes), dfr, lower.tail = FALSE)))
}
write.csv(do.call(rbind, coef_rows), file.path(out, "coefficients.csv"), row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, summary_rows), file.path(out, "model_summary.csv"), row.names = FALSE, quote = FALSE)

# The test of the product: Wald F with CR1; R-squared change from the OLS fits (as PROCESS).
V <- cr1(fy); b <- coef(fy); dfr <- df.residual(fy)
j <- which(names(b) == "estress:ese")
i1 <- which(names(b) == "estress")
f_xw <- b[[j]]^2 / V[j, j]
reduced <- update(fy, . ~ . - estress:ese)
r2ch <- summary(fy)$r.squared - summary(reduced)$r.squared
write.csv(data.frame(equation = "withdraw", term = "estress:ese", r2_change = fmt(r2ch), f = fmt(f_xw),
                     df1 = 1, df2 = dfr, p = fmt(pf(f_xw, 1, dfr, lower.tail = FALSE))),
          file.path(out, "interaction_test.csv"), row.names = FALSE, quote = FALSE)

# Conditional direct effects of X at W's percentiles, l'b with sqrt(l'Vl), exact t interval.
ws <- quantile(d$ese, c(0.16, 0.5, 0.84), type = 6, names = FALSE)
q <- qt(0.975, dfr)
cond <- do.call(rbind, lapply(ws, function(w) {
  l <- setNames(rep(0, length(b)), names(b)); l[["estress"]] <- 1; l[["estress:ese"]] <- w
  e <- sum(l * b); s <- sqrt(drop(t(l) %*% V %*% l))
  data.frame(w = fmt(w), effect = fmt(e), se = fmt(s), t = fmt(e / s), p = fmt(2 * pt(-abs(e / s), dfr)),
             ci_lower = fmt(e - q * s), ci_upper = fmt(e + q * s))
}))
write.csv(cond, file.path(out, "conditional_direct.csv"), row.names = FALSE, quote = FALSE)

# Johnson-Neyman in model 7's M equation: (b1 + b3 w)^2 = q^2 (V11 + 2 w V13 + w^2 V33), roots
# inside W's observed range.
jn_points <- function(f) {
  V <- cr1(f); b <- coef(f); q <- qt(0.975, df.residual(f))
  i1 <- which(names(b) == "estress"); j <- which(names(b) == "estress:ese")
  A <- b[[j]]^2 - q^2 * V[j, j]
  Bq <- 2 * (b[[i1]] * b[[j]] - q^2 * V[i1, j])
  C <- b[[i1]]^2 - q^2 * V[i1, i1]
  disc <- Bq^2 - 4 * A * C
  roots <- if (disc >= 0) sort(c((-Bq - sqrt(disc)) / (2 * A), (-Bq + sqrt(disc)) / (2 * A))) else numeric(0)
  roots[roots >= min(d$ese) & roots <= max(d$ese)]
}
roots <- jn_points(fm7)
stopifnot(length(roots) > 0)
write.csv(data.frame(model = 7, equation = "affect", point = fmt(roots)), file.path(out, "jn.csv"),
          row.names = FALSE, quote = FALSE)

# Sobel (PROCESS's normal = 1, second-order se) with the CR1 standard errors of a and b.
a <- coef(fm)[["estress"]]; sa <- sqrt(cr1(fm)["estress", "estress"])
bb <- b[["affect"]]; sb <- sqrt(V["affect", "affect"])
se_sobel <- sqrt(a^2 * sb^2 + bb^2 * sa^2 + sa^2 * sb^2)
z <- a * bb / se_sobel

# R's cluster bootstrap of the indirect effect: G clusters drawn with replacement.
set.seed(20250101)
B <- 5000
ids <- unique(cl)
rows_of <- split(seq_len(nrow(d)), cl)
boot <- replicate(B, {
  pick <- sample(ids, length(ids), replace = TRUE)
  db <- d[unlist(rows_of[as.character(pick)]), ]
  coef(lm(affect ~ estress + sex + tenure, data = db))[["estress"]] *
    coef(lm(withdraw ~ estress + affect + ese + estress:ese + sex + tenure, data = db))[["affect"]]
})
s <- sort(boot)
write.csv(data.frame(path = "estress>affect>withdraw", effect = fmt(a * bb), sobel_se = fmt(se_sobel),
                     z = fmt(z), p = fmt(2 * pnorm(-abs(z))), boot_se = fmt(sd(boot)),
                     boot_lower = fmt(s[round(B * 0.025)]), boot_upper = fmt(s[trunc(B * 0.975) + 1]), B = B),
          file.path(out, "indirect.csv"), row.names = FALSE, quote = FALSE)
write(toJSON(list(data = data_rel, models = c(5, 7), x = "estress", m = "affect", y = "withdraw", w = "ese",
                  cov = c("sex", "tenure"), cluster = "age", n = nrow(d), clusters = length(ids),
                  probes = ws, boot_seed = 20250101), auto_unbox = TRUE, digits = NA, pretty = TRUE),
      file.path(out, "case.json"))
writeLines(c(R.version.string, paste("sandwich", packageVersion("sandwich")),
             paste("jsonlite", packageVersion("jsonlite"))), file.path(out, "versions.txt"))
