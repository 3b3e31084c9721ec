# Golden case sem_hs_mediation_boot (issue 11): lavaan's nonparametric bootstrap of the latent
# mediation model of sem_hs_mediation (HolzingerSwineford1939, fixed.x covariates, ind := a*b,
# total := c + a*b), B = 2000, and the Bollen-Stine bootstrap p value of the chi-square
# (bootstrapLavaan type = "bollen.stine", B = 1000). Random streams differ between R and cipa, so
# these are compared within Monte Carlo bounds, not digit for digit: a bootstrap SE from B draws
# has a relative Monte Carlo SD of about 1/sqrt(2(B - 1)) (normal theory), a percentile bound
# about se * sqrt(q(1 - q)) / (sqrt(B) dnorm(qnorm(q))), a p value sqrt(p(1 - p) / B).
# Run from the crate root:  Rscript tests/golden/sem_hs_mediation_boot/make.R
suppressPackageStartupMessages({ library(lavaan); library(jsonlite) })
f <- "../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv"
d <- read.csv(f)
case <- "tests/golden/sem_hs_mediation_boot"
model <- 'visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9
textual ~ a*visual + ageyr + sex
speed ~ b*textual + c*visual + ageyr
ind := a*b
total := c + a*b'
B <- 2000
set.seed(1)
t0 <- proc.time()[["elapsed"]]
fit <- sem(model, data = d, se = "bootstrap", bootstrap = B)
secs <- proc.time()[["elapsed"]] - t0
pe <- parameterEstimates(fit, boot.ci.type = "perc")
bt <- lavInspect(fit, "boot")
set.seed(2)
plain <- sem(model, data = d)
bs <- bootstrapLavaan(plain, R = 1000, type = "bollen.stine", FUN = fitMeasures,
                      fit.measures = "chisq")
bs_p <- mean(as.numeric(bs) >= fitMeasures(plain, "chisq"))
out <- list(
  model = model, data = f, B = B, ci = "percentile", level = 0.95,
  failed = attr(bt, "nonadmissible"),
  parameters = data.frame(lhs = pe$lhs, op = pe$op, rhs = pe$rhs, label = pe$label,
                          est = pe$est, se = pe$se, ci_lower = pe$ci.lower,
                          ci_upper = pe$ci.upper, stringsAsFactors = FALSE),
  bollen_stine = list(B = 1000, pvalue = bs_p, chisq = fitMeasures(plain, "chisq")),
  lavaan_seconds_bootstrap = secs)
write_json(out, file.path(case, "expected.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE,
           na = "null")
writeLines(c(R.version.string, paste("lavaan", packageVersion("lavaan")),
             paste("jsonlite", packageVersion("jsonlite"))), file.path(case, "versions.txt"))
