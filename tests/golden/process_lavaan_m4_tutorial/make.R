# Golden case process_lavaan_m4_tutorial: simple mediation (PROCESS model 4) X -> M -> Y on the data of the
# lavaan tutorial (set.seed(1234); X <- rnorm(100); M <- 0.5*X + rnorm(100); Y <- 0.7*M + rnorm(100)).
# Regenerate from the crate root:  Rscript tests/golden/process_lavaan_m4_tutorial/make.R
source("tests/golden/process_common/lavaan_common.R")
dataset <- "../shared/datasets/lavaan_pkg/lavaan_tutorial_mediation_seed1234.csv"
d <- read.csv(dataset)
d <- d[complete.cases(d[, c("X", "M", "Y")]), ]

fm <- lm(M ~ X, data = d)
fy <- lm(Y ~ X + M, data = d)
ft <- lm(Y ~ X, data = d)
model <- "
  M ~ a*X
  Y ~ cp*X + b*M
  ind := a*b
  direct := cp
  total := cp + a*b
"
run_lavaan_case(
  case = "process_lavaan_m4_tutorial",
  description = "Simple mediation X -> M -> Y (PROCESS model 4) on the lavaan tutorial data; lavaan ML with delta-method se next to lm (OLS).",
  dataset = dataset, process_model = 4,
  roles = list(x = "X", m = list("M"), y = "Y", w = NULL, z = NULL, cov = list()),
  data = d,
  equations = list(
    list(equation = "M", fit = fm, names_map = c("(Intercept)" = "constant", X = "X")),
    list(equation = "Y", fit = fy, names_map = c("(Intercept)" = "constant", X = "X", M = "M"))),
  lav_model = model,
  lav_map = c("(Intercept)" = "constant", X = "X", M = "M"),
  defined = data.frame(label = c("ind", "direct", "total"), kind = c("indirect", "direct", "total"),
                       path = c("X>M>Y", "X>Y", "X>Y"), moderators = "", probe = "", stringsAsFactors = FALSE),
  sobel = list(list(fit_a = fm, a = "X", fit_b = fy, b = "M", path = "X>M>Y")),
  lm_effects = list(list(kind = "direct", path = "X>Y", fit = fy, term = "X"),
                    list(kind = "total", path = "X>Y", fit = ft, term = "X")),
  notes = c("lavaan's tutorial prints a = 0.474, b = 0.788, c' = 0.036, ab = 0.374.",
            "Rows with source=lm: direct and total effects as PROCESS prints them (OLS se, t test, t interval) and the Sobel test of PROCESS's normal=1 (second-order se, z test, no interval).")
)
