# Conditional indirect effects with an observed moderator (PROCESS model 14 on Hayes's teams
# data: X = dysfunc, M = negtone, W = negexp, Y = perform) and lavaan's observed product term
# negtone:negexp. cipa writes `ind_w := a*b1 + a*b3*negexp` and probes it at W's 16th, 50th and
# 84th percentiles; lavaan has no such := , so the percentiles (R's quantile type 6, PROCESS's)
# are substituted by hand here, with the index of moderated mediation a*b3.
# Run from the crate root: Rscript tests/golden/sem_condind/make.R
suppressPackageStartupMessages({ library(lavaan); library(jsonlite) })
f <- "../shared/datasets/hayes2018/teams.csv"
d <- read.csv(f)
w <- quantile(d$negexp, c(.16, .50, .84), type = 6, names = FALSE)
msd <- mean(d$negexp) + c(-1, 0, 1) * sd(d$negexp)
base <- 'negtone ~ a*dysfunc
perform ~ cp*dysfunc + b1*negtone + b2*negexp + b3*negtone:negexp'
num <- function(v) sprintf("(%.17g)", v)
defs <- c(sprintf("ind_w_%d := a*b1 + a*b3*%s", 1:3, num(w)),
          sprintf("ind_msd_%d := a*b1 + a*b3*%s", 1:3, num(msd)),
          "imm := a*b3")
model <- paste(c(base, defs), collapse = "\n")
fit <- sem(model, data = d)
stopifnot(lavInspect(fit, "converged"))
pe <- parameterEstimates(fit)
out <- list(
  model = base, data = f, n = lavInspect(fit, "nobs"),
  percentiles = w, mean_sd = msd,
  parameters = data.frame(lhs = pe$lhs, op = pe$op, rhs = pe$rhs, label = pe$label,
                          est = pe$est, se = pe$se,
                          ci_lower = pe$ci.lower, ci_upper = pe$ci.upper,
                          stringsAsFactors = FALSE),
  observed_variables = lavNames(fit, "ov"),
  versions = list(R = R.version.string, lavaan = as.character(packageVersion("lavaan")),
                  jsonlite = as.character(packageVersion("jsonlite"))))
write_json(out, "tests/golden/sem_condind/expected.json", digits = NA, auto_unbox = TRUE,
           pretty = TRUE, na = "null")
writeLines(c(R.version.string, paste("lavaan", packageVersion("lavaan")),
             paste("jsonlite", packageVersion("jsonlite"))), "tests/golden/sem_condind/versions.txt")
