# Golden case sem_hs_nonlinear_boot: lavaan 0.6-14's nonparametric bootstrap (se = "bootstrap",
# B = 1000) of the model of sem_hs_nonlinear (ind := a*b held at 0.1 by a nonlinear equality):
# every draw is refitted by nlminb.constr (lav_bootstrap.R), and semTools 0.5-6's monteCarloCI
# of the := parameters (nRep = 20000, draws from N(θ̂, V̂) with V̂ the constrained, singular
# covariance). Random streams differ between R and cipa, so these are compared within Monte
# Carlo bounds: a bootstrap SE from B draws has a relative Monte Carlo SD of about
# 1/sqrt(2(B - 1)), a percentile bound about se * sqrt(q(1 - q)) / (sqrt(B) dnorm(qnorm(q))).
# Run from the crate root:  Rscript tests/golden/sem_hs_nonlinear_boot/make.R
suppressPackageStartupMessages({ library(lavaan); library(semTools); library(jsonlite) })
f <- "../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv"
d <- read.csv(f)
case <- "tests/golden/sem_hs_nonlinear_boot"
model <- 'visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9
textual ~ a*visual + ageyr + sex
speed ~ b*textual + c*visual + ageyr
ind := a*b
total := c + a*b
ind == 0.1'
B <- 1000
set.seed(1)
t0 <- proc.time()[["elapsed"]]
fit <- sem(model, data = d, se = "bootstrap", bootstrap = B)
secs <- proc.time()[["elapsed"]] - t0
pe <- parameterEstimates(fit, boot.ci.type = "perc")
bt <- lavInspect(fit, "boot")
set.seed(2)
plain <- sem(model, data = d)
mc <- monteCarloCI(plain, nRep = 20000)
dir.create(case, showWarnings = FALSE, recursive = TRUE)
out <- list(
  model = model, data = f, B = B, ci = "percentile", level = 0.95,
  failed = attr(bt, "error.idx"), n_failed = length(attr(bt, "error.idx")),
  parameters = data.frame(lhs = pe$lhs, op = pe$op, rhs = pe$rhs, label = pe$label,
                          est = pe$est, se = pe$se, ci_lower = pe$ci.lower,
                          ci_upper = pe$ci.upper, stringsAsFactors = FALSE),
  monte_carlo = list(nRep = 20000, names = rownames(mc), est = mc$est,
                     ci_lower = mc$ci.lower, ci_upper = mc$ci.upper),
  lavaan_seconds_bootstrap = secs)
write_json(out, file.path(case, "expected.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE,
           na = "null")
writeLines(c(R.version.string, paste("lavaan", packageVersion("lavaan")),
             paste("semTools", packageVersion("semTools")),
             paste("jsonlite", packageVersion("jsonlite"))), file.path(case, "versions.txt"))
