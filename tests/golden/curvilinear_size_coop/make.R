# Golden case curvilinear_size_coop: a quadratic (inverted U) effect of firm size on cooperation,
# the tests a reviewer asks for, computed in R from their published formulas (issue 15).
#
# data.csv is simulated here (seeded) and committed: 300 SMEs with log_size (log employees),
# coop (a cooperation scale), cooperates (0/1) and export (an outcome of coop).
#
# For y = b0 + b1 x + b2 x^2 (+ covariates), in each equation ("ols": lm of coop; "logit": glm of
# cooperates, on the log-odds scale):
#   - turning point x* = -b1 / (2 b2), its delta-method SE by car::deltaMethod;
#   - Fieller's interval: the x with (b1 + 2 b2 x)^2 <= q^2 Var(b1 + 2 b2 x), i.e. the roots of
#     (4 b2^2 - 4 q^2 v22) x^2 + (4 b1 b2 - 4 q^2 v12) x + (b1^2 - q^2 v11) (Fieller 1954;
#     bounded when b2 is significant at the level), q the t (lm, df = n - k) or z (glm) quantile;
#   - Lind and Mehlum's (2010) U test on [xL, xH] (the observed range): slopes s = b1 + 2 b2 x at
#     both ends with SEs sqrt(v11 + 4 x v12 + 4 x^2 v22), t = s / se; for an inverted U the
#     overall statistic is min(t_L, -t_H) and p = P(T > that) (T ~ t(n - k) for lm, N(0,1) for
#     glm), the larger of the two one-sided p values.
#   - medcurve: M = coop on x + x^2, Y = export on x + M; the instantaneous indirect effect
#     theta(x) = (a1 + 2 a2 x) b at the 16th, 50th and 84th percentiles of x (Hayes and Preacher
#     2010), point values (its bootstrap interval is not reproducible across RNGs).
# Regenerate from the crate root:  Rscript tests/golden/curvilinear_size_coop/make.R
library(jsonlite)
library(car)
case <- "tests/golden/curvilinear_size_coop"
set.seed(20261204)
n <- 300
log_size <- round(log(sample(1:249, n, replace = TRUE)), 4)
lin <- -1.0 + 1.9 * log_size - 0.28 * log_size^2
coop <- round(3 + 0.6 * lin + rnorm(n, sd = 0.9), 3)
cooperates <- rbinom(n, 1, plogis(lin))
age <- round(runif(n, 2, 40))
export <- round(1 + 0.45 * coop + 0.1 * log_size + rnorm(n, sd = 1), 3)
d <- data.frame(log_size, coop, cooperates, export, age)
write.csv(d, file.path(case, "data.csv"), row.names = FALSE)
d <- read.csv(file.path(case, "data.csv"))
g <- function(x) as.numeric(sprintf("%.17g", x))

tests <- function(fit, x, q_of, p_upper, level = 0.95) {
  b <- coef(fit); v <- vcov(fit)
  b1 <- b[["log_size"]]; b2 <- b[["I(log_size^2)"]]
  v11 <- v["log_size", "log_size"]; v22 <- v["I(log_size^2)", "I(log_size^2)"]
  v12 <- v["log_size", "I(log_size^2)"]
  dm <- deltaMethod(fit, "-b1/(2*b2)", parameterNames = paste0("b", seq_along(b) - 1))
  q <- q_of(1 - (1 - level) / 2)
  A <- 4 * b2^2 - 4 * q^2 * v22; B <- 4 * b1 * b2 - 4 * q^2 * v12; C <- b1^2 - q^2 * v11
  disc <- B^2 - 4 * A * C
  fieller <- if (A > 0 && disc >= 0) sort(c((-B - sqrt(disc)) / (2 * A), (-B + sqrt(disc)) / (2 * A))) else c(NA, NA)
  ends <- range(x)
  s <- b1 + 2 * b2 * ends
  se <- sqrt(v11 + 4 * ends * v12 + 4 * ends^2 * v22)
  t <- s / se
  inverted <- b2 < 0
  stat <- if (inverted) min(t[1], -t[2]) else min(-t[1], t[2])
  list(coefficients = as.list(g(b)), names = names(b), vcov = unname(g(v)),
       turning_point = g(-b1 / (2 * b2)), turning_point_se = g(dm$SE),
       fieller_lower = g(fieller[1]), fieller_upper = g(fieller[2]), level = level,
       range_lower = g(ends[1]), range_upper = g(ends[2]),
       slope_lower = g(s[1]), slope_lower_se = g(se[1]), t_lower = g(t[1]),
       slope_upper = g(s[2]), slope_upper_se = g(se[2]), t_upper = g(t[2]),
       shape = if (inverted) "inverted_u" else "u",
       u_test_t = g(stat), u_test_p = g(p_upper(stat)))
}

ols <- lm(coop ~ log_size + I(log_size^2) + age, data = d)
dfr <- df.residual(ols)
logit <- glm(cooperates ~ log_size + I(log_size^2) + age, family = binomial, data = d,
             control = glm.control(epsilon = 1e-15, maxit = 200))
m_eq <- lm(coop ~ log_size + I(log_size^2), data = d)
y_eq <- lm(export ~ log_size + coop, data = d)
at <- quantile(d$log_size, c(0.16, 0.5, 0.84), type = 6)
a1 <- coef(m_eq)[["log_size"]]; a2 <- coef(m_eq)[["I(log_size^2)"]]; bb <- coef(y_eq)[["coop"]]
out <- list(
  ols = c(tests(ols, d$log_size, function(p) qt(p, dfr), function(s) pt(s, dfr, lower.tail = FALSE)),
          list(df_residual = dfr)),
  logit = tests(logit, d$log_size, qnorm, function(s) pnorm(s, lower.tail = FALSE)),
  medcurve = list(at = g(unname(at)), a1 = g(a1), a2 = g(a2), b = g(bb),
                  direct = g(coef(y_eq)[["log_size"]]),
                  theta = g(unname((a1 + 2 * a2 * at) * bb)),
                  percentiles = c(16, 50, 84), quantile_type = 6)
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"),
           file.path(case, "expected.json"))
writeLines(c(R.version.string, paste("car", packageVersion("car")),
             paste("jsonlite", packageVersion("jsonlite"))), file.path(case, "versions.txt"))
