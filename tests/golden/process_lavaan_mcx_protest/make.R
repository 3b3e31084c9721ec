# Golden case process_lavaan_mcx_protest: PROCESS model 4 with a multicategorical X (Hayes 2018 protest data):
# x = protest (0 no protest, 1 individual, 2 collective), indicator coding with reference group 0
# (D1 = protest == 1, D2 = protest == 2), m = respappr, y = liking. Relative indirect effects a_j*b,
# relative direct effects c'_j and relative total effects c'_j + a_j*b. pyprocessmacro fits the same model in
# process_ppm_mcx_protest.
# Regenerate from the crate root:  Rscript tests/golden/process_lavaan_mcx_protest/make.R
source("tests/golden/process_common/lavaan_common.R")
dataset <- "../shared/datasets/hayes2018/protest.csv"
d <- read.csv(dataset)
d <- d[complete.cases(d[, c("protest", "respappr", "liking")]), ]
d$D1 <- as.numeric(d$protest == 1)
d$D2 <- as.numeric(d$protest == 2)

fm <- lm(respappr ~ D1 + D2, data = d)
fy <- lm(liking ~ D1 + D2 + respappr, data = d)
ft <- lm(liking ~ D1 + D2, data = d)
model <- "
  respappr ~ a1*D1 + a2*D2
  liking ~ c1*D1 + c2*D2 + b*respappr
  ind1 := a1*b
  ind2 := a2*b
  dir1 := c1
  dir2 := c2
  tot1 := c1 + a1*b
  tot2 := c2 + a2*b
"
nm <- c("(Intercept)" = "constant", D1 = "protest[1]", D2 = "protest[2]", respappr = "respappr")
run_lavaan_case(
  case = "process_lavaan_mcx_protest",
  description = "PROCESS model 4 with multicategorical X = protest (indicator coding, reference 0), m = respappr, y = liking: relative indirect, direct and total effects; lavaan ML with delta-method se next to lm (OLS).",
  dataset = dataset, process_model = 4,
  roles = list(x = "protest", m = list("respappr"), y = "liking", w = NULL, z = NULL, cov = list(),
               x_categorical = list(coding = "indicator", reference = 0, levels = list(0, 1, 2))),
  data = d,
  equations = list(
    list(equation = "respappr", fit = fm, names_map = nm),
    list(equation = "liking", fit = fy, names_map = nm)),
  lav_model = model,
  lav_map = nm,
  defined = data.frame(
    label = c("ind1", "ind2", "dir1", "dir2", "tot1", "tot2"),
    kind = c("indirect", "indirect", "direct", "direct", "total", "total"),
    path = c("protest[1]>respappr>liking", "protest[2]>respappr>liking", "protest[1]>liking", "protest[2]>liking",
             "protest[1]>liking", "protest[2]>liking"),
    moderators = "", probe = "", stringsAsFactors = FALSE),
  sobel = list(list(fit_a = fm, a = "D1", fit_b = fy, b = "respappr", path = "protest[1]>respappr>liking"),
               list(fit_a = fm, a = "D2", fit_b = fy, b = "respappr", path = "protest[2]>respappr>liking")),
  lm_effects = list(list(kind = "direct", path = "protest[1]>liking", fit = fy, term = "D1"),
                    list(kind = "direct", path = "protest[2]>liking", fit = fy, term = "D2"),
                    list(kind = "total", path = "protest[1]>liking", fit = ft, term = "D1"),
                    list(kind = "total", path = "protest[2]>liking", fit = ft, term = "D2")),
  notes = c("Relative effects are per indicator code: protest[1] compares group 1 with group 0, protest[2] group 2 with group 0.",
            "Sobel rows (source=lm, se_method=sobel_second_order_ols) follow PROCESS's normal=1 for a multicategorical X: one test per code with that code's a-path variance.")
)
