# Golden case process_lavaan_m7_sim: first-stage moderated mediation (PROCESS model 7) written as a lavaan model
# with the product x*w computed in R, on pyprocessmacro's simulated Data_Model7 (x, w, two parallel mediators
# m1 m2, y). The same model is fitted by pyprocessmacro in process_ppm_m7.
# Regenerate from the crate root:  Rscript tests/golden/process_lavaan_m7_sim/make.R
source("tests/golden/process_common/lavaan_common.R")
dataset <- "../shared/datasets/pyprocessmacro_sim/Data_Model7.csv"
d <- read.csv(dataset)
d <- d[complete.cases(d[, c("x", "w", "m1", "m2", "y")]), ]
d$xw <- d$x * d$w

fm1 <- lm(m1 ~ x + w + x:w, data = d)
fm2 <- lm(m2 ~ x + w + x:w, data = d)
fy <- lm(y ~ x + m1 + m2, data = d)

probe_sets <- list(p16_p50_p84 = process_probes(d$w), mean_sd = mean_sd_probes(d$w))
num <- function(v) sprintf("(%.17g)", v)
defs <- c("imm1 := a3_1*b1", "imm2 := a3_2*b2", "direct := cp")
defined <- data.frame(label = c("imm1", "imm2", "direct"),
                      kind = c("index_of_moderated_mediation", "index_of_moderated_mediation", "direct"),
                      path = c("x>m1>y", "x>m2>y", "x>y"), moderators = c("w", "w", ""), probe = "",
                      stringsAsFactors = FALSE)
for (ps in names(probe_sets)) {
  for (k in 1:3) {
    wv <- probe_sets[[ps]][k]
    for (j in 1:2) {
      lab <- sprintf("ind%d_%s_%d", j, ps, k)
      defs <- c(defs, sprintf("%s := (a%d + a3_%d*%s)*b%d", lab, j, j, num(wv), j))
      defined <- rbind(defined, data.frame(label = lab, kind = "conditional_indirect", path = sprintf("x>m%d>y", j),
                                           moderators = sprintf("w=%.17g", wv), probe = ps, stringsAsFactors = FALSE))
    }
  }
}
model <- paste(c(
  "m1 ~ a1*x + w1*w + a3_1*xw",
  "m2 ~ a2*x + w2*w + a3_2*xw",
  "y ~ cp*x + b1*m1 + b2*m2",
  "m1 ~~ m2",
  defs), collapse = "\n")
run_lavaan_case(
  case = "process_lavaan_m7_sim",
  description = "PROCESS model 7 (W moderates X->M) with two parallel mediators on pyprocessmacro's Data_Model7, as a lavaan model with the product xw = x*w computed in R; conditional indirect effects at PROCESS v4's 16th/50th/84th percentiles of w and at mean -1 SD / mean / +1 SD; index of moderated mediation a3*b.",
  dataset = dataset, process_model = 7,
  roles = list(x = "x", m = list("m1", "m2"), y = "y", w = "w", z = NULL, cov = list()),
  data = d,
  equations = list(
    list(equation = "m1", fit = fm1, names_map = c("(Intercept)" = "constant", x = "x", w = "w", "x:w" = "x:w")),
    list(equation = "m2", fit = fm2, names_map = c("(Intercept)" = "constant", x = "x", w = "w", "x:w" = "x:w")),
    list(equation = "y", fit = fy, names_map = c("(Intercept)" = "constant", x = "x", m1 = "m1", m2 = "m2"))),
  lav_model = model,
  lav_map = c("(Intercept)" = "constant", x = "x", w = "w", xw = "x:w", m1 = "m1", m2 = "m2"),
  defined = defined,
  lm_effects = list(list(kind = "direct", path = "x>y", fit = fy, term = "x")),
  probes = list(
    p16_p50_p84 = list(rule = "PROCESS v4: sorted w, position p*(n+1), linear interpolation (process.describ3)", w = probe_sets$p16_p50_p84),
    mean_sd = list(rule = "mean(w) - sd(w), mean(w), mean(w) + sd(w) (sd with n - 1)", w = probe_sets$mean_sd)),
  notes = c("The residuals of m1 and m2 covary (m1 ~~ m2), as in PROCESS's separate OLS equations; the point estimates do not depend on it.",
            "Probe values are written into the := definitions with %.17g, so they equal the values in the moderators column.")
)
