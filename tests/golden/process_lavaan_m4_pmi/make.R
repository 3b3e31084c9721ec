# Golden case process_lavaan_m4_pmi: simple mediation (PROCESS model 4) on Hayes (2018) pmi data:
# x = cond, m = pmi, y = reaction. Published PROCESS v4 output for the same model (total = 1, normal = 1,
# seed = 31216) is in ../shared/reference/process_v4_published.csv.
# Regenerate from the crate root:  Rscript tests/golden/process_lavaan_m4_pmi/make.R
source("tests/golden/process_common/lavaan_common.R")
dataset <- "../shared/datasets/hayes2018/pmi.csv"
d <- read.csv(dataset)
d <- d[complete.cases(d[, c("cond", "pmi", "reaction")]), ]

fm <- lm(pmi ~ cond, data = d)
fy <- lm(reaction ~ cond + pmi, data = d)
ft <- lm(reaction ~ cond, data = d)
model <- "
  pmi ~ a*cond
  reaction ~ cp*cond + b*pmi
  ind := a*b
  direct := cp
  total := cp + a*b
"
run_lavaan_case(
  case = "process_lavaan_m4_pmi",
  description = "Simple mediation cond -> pmi -> reaction (PROCESS model 4, Hayes 2018 ch. 3); lavaan ML with delta-method se next to lm (OLS).",
  dataset = dataset, process_model = 4,
  roles = list(x = "cond", m = list("pmi"), y = "reaction", w = NULL, z = NULL, cov = list()),
  data = d,
  equations = list(
    list(equation = "pmi", fit = fm, names_map = c("(Intercept)" = "constant", cond = "cond")),
    list(equation = "reaction", fit = fy, names_map = c("(Intercept)" = "constant", cond = "cond", pmi = "pmi"))),
  lav_model = model,
  lav_map = c("(Intercept)" = "constant", cond = "cond", pmi = "pmi"),
  defined = data.frame(label = c("ind", "direct", "total"), kind = c("indirect", "direct", "total"),
                       path = c("cond>pmi>reaction", "cond>reaction", "cond>reaction"), moderators = "", probe = "",
                       stringsAsFactors = FALSE),
  sobel = list(list(fit_a = fm, a = "cond", fit_b = fy, b = "pmi", path = "cond>pmi>reaction")),
  lm_effects = list(list(kind = "direct", path = "cond>reaction", fit = fy, term = "cond"),
                    list(kind = "total", path = "cond>reaction", fit = ft, term = "cond")),
  notes = c("Rows with source=lm: direct and total effects as PROCESS prints them (OLS se, t test, t interval) and the Sobel test of PROCESS's normal=1 (second-order se, z test, no interval); the published PROCESS v4 output of process(y=reaction, x=cond, m=pmi, total=1, normal=1, model=4, seed=31216) prints the same numbers to 4 dp.")
)
