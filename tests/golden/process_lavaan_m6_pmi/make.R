# Golden case process_lavaan_m6_pmi: serial mediation with two mediators (PROCESS model 6) on Hayes (2018) pmi:
# x = cond, m1 = pmi, m2 = import, y = reaction. Indirect effects in PROCESS's order for model 6:
# Ind1 = X>M1>Y, Ind2 = X>M2>Y, Ind3 = X>M1>M2>Y; contrasts (C1) Ind1-Ind2, (C2) Ind1-Ind3, (C3) Ind2-Ind3.
# (The published PROCESS v4 call for model 6 uses the mediators in the other order, m = c("import", "pmi").)
# Regenerate from the crate root:  Rscript tests/golden/process_lavaan_m6_pmi/make.R
source("tests/golden/process_common/lavaan_common.R")
dataset <- "../shared/datasets/hayes2018/pmi.csv"
d <- read.csv(dataset)
d <- d[complete.cases(d[, c("cond", "pmi", "import", "reaction")]), ]

f1 <- lm(pmi ~ cond, data = d)
f2 <- lm(import ~ cond + pmi, data = d)
fy <- lm(reaction ~ cond + pmi + import, data = d)
ft <- lm(reaction ~ cond, data = d)
model <- "
  pmi ~ a1*cond
  import ~ a2*cond + d21*pmi
  reaction ~ cp*cond + b1*pmi + b2*import
  ind1 := a1*b1
  ind2 := a2*b2
  ind3 := a1*d21*b2
  total_ind := a1*b1 + a2*b2 + a1*d21*b2
  c1 := a1*b1 - a2*b2
  c2 := a1*b1 - a1*d21*b2
  c3 := a2*b2 - a1*d21*b2
  direct := cp
  total := cp + a1*b1 + a2*b2 + a1*d21*b2
"
p1 <- "cond>pmi>reaction"; p2 <- "cond>import>reaction"; p3 <- "cond>pmi>import>reaction"
run_lavaan_case(
  case = "process_lavaan_m6_pmi",
  description = "Serial mediation cond -> pmi -> import -> reaction (PROCESS model 6, two mediators, m1 = pmi, m2 = import); lavaan ML with delta-method se next to lm (OLS).",
  dataset = dataset, process_model = 6,
  roles = list(x = "cond", m = list("pmi", "import"), y = "reaction", w = NULL, z = NULL, cov = list()),
  data = d,
  equations = list(
    list(equation = "pmi", fit = f1, names_map = c("(Intercept)" = "constant", cond = "cond")),
    list(equation = "import", fit = f2, names_map = c("(Intercept)" = "constant", cond = "cond", pmi = "pmi")),
    list(equation = "reaction", fit = fy, names_map = c("(Intercept)" = "constant", cond = "cond", pmi = "pmi", import = "import"))),
  lav_model = model,
  lav_map = c("(Intercept)" = "constant", cond = "cond", pmi = "pmi", import = "import"),
  defined = data.frame(
    label = c("ind1", "ind2", "ind3", "total_ind", "c1", "c2", "c3", "direct", "total"),
    kind = c("indirect", "indirect", "indirect", "total_indirect", "contrast", "contrast", "contrast", "direct", "total"),
    path = c(p1, p2, p3, "cond>pmi+import>reaction", paste(p1, "-", p2), paste(p1, "-", p3), paste(p2, "-", p3),
             "cond>reaction", "cond>reaction"),
    moderators = "", probe = "", stringsAsFactors = FALSE),
  lm_effects = list(list(kind = "direct", path = "cond>reaction", fit = fy, term = "cond"),
                    list(kind = "total", path = "cond>reaction", fit = ft, term = "cond")),
  notes = c("PROCESS offers no normal-theory (Sobel) test for serial mediation, so none is written here.",
            "total_indirect path 'cond>pmi+import>reaction' is the sum of the three specific indirect effects.")
)
