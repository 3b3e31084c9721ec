# Golden case curvilinear_logit_boot: the bootstrap of a logistic turning point (issue 15).
#
# A bootstrap's draws depend on the random stream, so no R run can give cipa's interval. What a
# large sample fixes is the scale: there the turning point x* = -b1 / (2 b2) (log-odds scale) is
# near normal, and the bootstrap SE of x* must be close to the delta-method SE. So this case
# holds, for a large simulated sample (data.csv, committed):
#   - glm's coefficients and the turning point with its delta-method SE (car::deltaMethod);
#   - R's own nonparametric bootstrap SE of x* (B = 2000 glm refits of resampled rows, R's RNG),
#     a second, independent yardstick for cipa's bootstrap SE.
# The model: logit P(y = 1) = -1 + 1.9 x - 0.28 x^2, x uniform on [1, 5.5]; x* = 1.9 / 0.56.
# Regenerate from the crate root:  Rscript tests/golden/curvilinear_logit_boot/make.R
library(jsonlite)
library(car)
case <- "tests/golden/curvilinear_logit_boot"
set.seed(20261205)
n <- 3000
x <- round(runif(n, 1, 5.5), 4)
y <- rbinom(n, 1, plogis(-1 + 1.9 * x - 0.28 * x^2))
write.csv(data.frame(x, y), file.path(case, "data.csv"), row.names = FALSE)
d <- read.csv(file.path(case, "data.csv"))
g <- function(v) as.numeric(sprintf("%.17g", v))
ctl <- glm.control(epsilon = 1e-15, maxit = 200)
fit <- glm(y ~ x + I(x^2), family = binomial, data = d, control = ctl)
b <- coef(fit)
dm <- deltaMethod(fit, "-b1/(2*b2)", parameterNames = c("b0", "b1", "b2"))
B <- 2000
draws <- replicate(B, {
  r <- d[sample.int(n, n, replace = TRUE), ]
  bb <- coef(glm(y ~ x + I(x^2), family = binomial, data = r, control = ctl))
  -bb[[2]] / (2 * bb[[3]])
})
out <- list(
  n = n, true_turning_point = 1.9 / 0.56,
  coefficients = g(unname(b)),
  turning_point = g(-b[[2]] / (2 * b[[3]])),
  turning_point_se = g(dm$SE),
  r_boot_B = B, r_boot_se = g(sd(draws)),
  r_boot_percentile = g(unname(quantile(draws, c(0.025, 0.975))))
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE),
           file.path(case, "expected.json"))
writeLines(c(R.version.string, paste("car", packageVersion("car")),
             paste("jsonlite", packageVersion("jsonlite"))), file.path(case, "versions.txt"))
