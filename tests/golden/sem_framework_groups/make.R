# Golden case sem_framework_groups (issue 12's proof on the field's own data): measurement
# invariance of the framework's latent mediation (benches/compare/framework_groups.lav: ties and
# entrepreneurial orientation -> collaboration activity -> export performance, ln employees an
# exogenous covariate) across ownership (group = "family_owned": family firms and the others),
# lavaan 0.6-14's multi-group defaults (listwise deletion, fixed.x) but for the optimizer: the
# default nlminb stops on these models up to ~1e-4 of an SE short of the optimum in the flat
# directions (strict level: chi-square 281.077228204465, cipa 281.077228185613 with
# |gradient| < 1e-10, the latent mean of ties in group 2 off by 6e-5 of its SE; restarts from
# its own solution do not move it, a tighter rel.tol ends in nlminb's false convergence, and
# lavaan's GN with the group.equal constraints stops higher still), so every fit here is lavaan's BFGS (optim.method = "BFGS") with reltol 1e-15, which
# reaches 281.077228185702.
# Data: data.csv is cipa's own output, `cipa simulate --n 1000 --seed 1 --population-n 0` (the
# framework design, designs/framework.toml); tests/suite/sem_framework_groups.rs regenerates it
# from the seed and requires it byte for byte, so a simulator change is caught here first.
# For each estimator (ml, mlr) and level (configural, metric, scalar, strict),
# <estimator>/<level>/expected.json holds every parameter with its group, the fit measures, R²
# and implied covariances (sem_common/sem_golden.R); <estimator>/lrt.json holds lavTestLRT over
# the sequence (plain chi-square differences under ML, Satorra-Bentler 2001 scaled under MLR),
# CFI/RMSEA per level, and lavTestWald of "a1 == a2" on the configural model with the second
# stage labelled per group, perf ~ c(a1, a2)*collab_act (does ownership moderate it?), with that
# labelled fit's own parameters as <estimator>/labelled/expected.json.
# Run from the crate root:  Rscript tests/golden/sem_framework_groups/make.R
source("tests/golden/sem_common/sem_golden.R")
case <- "tests/golden/sem_framework_groups"
f <- file.path(case, "data.csv")
d <- read.csv(f)
model <- paste(readLines("benches/compare/framework_groups.lav"), collapse = "\n")
labelled <- sub("perf ~ collab_act", "perf ~ c(a1, a2)*collab_act", model, fixed = TRUE)
stopifnot(labelled != model)
levels <- list(configural = "", metric = "loadings",
               scalar = c("loadings", "intercepts"),
               strict = c("loadings", "intercepts", "residuals"))
g <- function(x) as.numeric(sprintf("%.17g", x))
bfgs <- list(optim.method = "BFGS", control = list(reltol = 1e-15, maxit = 10000))
fit_golden <- function(model, dir, ...) {
  do.call(sem_golden, c(list(d, model, dir, f, ..., group = "family_owned", mi = FALSE), bfgs))
}
for (est in c("ML", "MLR")) {
  dir <- file.path(case, tolower(est))
  fits <- list()
  for (lv in names(levels)) {
    fits[[lv]] <- fit_golden(model, file.path(dir, lv), estimator = est,
                             group.equal = levels[[lv]])
  }
  lrt <- lavTestLRT(fits$configural, fits$metric, fits$scalar, fits$strict)
  tab <- data.frame(model = names(levels), df = g(lrt$Df), chisq = g(lrt$Chisq),
                    chisq_diff = g(lrt[["Chisq diff"]]), df_diff = g(lrt[["Df diff"]]),
                    pvalue = g(lrt[["Pr(>Chisq)"]]))
  lab <- fit_golden(labelled, file.path(dir, "labelled"), estimator = est)
  w <- lavTestWald(lab, constraints = "a1 == a2")
  out <- list(estimator = est, optimizer = "BFGS, reltol 1e-15", method = attr(lrt, "heading"), lrt = tab,
              wald = list(constraints = "a1 == a2", model = labelled, stat = g(w$stat),
                          df = g(w$df), pvalue = g(w$p.value), se = w$se),
              delta = data.frame(model = names(levels),
                                 cfi = g(sapply(fits, fitMeasures, "cfi")),
                                 rmsea = g(sapply(fits, fitMeasures, "rmsea"))))
  write_json(out, file.path(dir, "lrt.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE,
             na = "null")
}
writeLines(c(R.version.string, paste("lavaan", packageVersion("lavaan")),
             paste("jsonlite", packageVersion("jsonlite"))), file.path(case, "versions.txt"))
