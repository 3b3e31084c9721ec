# Golden case sem_hs_groups_fiml_lrt (issue 12): the measurement-invariance sequence under FIML.
# The three-factor CFA of HolzingerSwineford1939 across its two schools with the cells of
# tests/golden/sem_hs_fiml/blank.csv blanked (as ../sem_hs_groups_fiml), missing = "ml", at
# the four levels configural, metric (loadings), scalar (+ intercepts) and strict (+ residuals),
# lavaan 0.6-14's default fits. <estimator>.json holds lavTestLRT over the four (chi-square
# difference; under MLR lavTestLRT's default Satorra-Bentler 2001 scaled difference) and per
# level the standard and scaled test, scaling factor, CFI and RMSEA (what cipa's
# `--invariance` reports: the standard ones, as sem_hs_invariance).
# Run from the crate root:  Rscript tests/golden/sem_hs_groups_fiml_lrt/make.R
source("tests/golden/R/common.R")
f <- HS_FILE
hs <- hs_blanked()
model <- 'visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9'
levels <- list(configural = "", metric = "loadings",
               scalar = c("loadings", "intercepts"),
               strict = c("loadings", "intercepts", "residuals"))
case <- "tests/golden/sem_hs_groups_fiml_lrt"
g <- function(x) suppressWarnings(as.numeric(sprintf("%.17g", x)))
for (est in c("ML", "MLR")) {
  fits <- lapply(levels, function(eq) {
    fit <- sem(model, data = hs, missing = "ml", estimator = est, group = "school",
               group.equal = eq)
    stopifnot(lavInspect(fit, "converged"))
    fit
  })
  lrt <- lavTestLRT(fits$configural, fits$metric, fits$scalar, fits$strict)
  fm <- function(name) g(sapply(fits, function(x) {
    v <- fitMeasures(x)
    if (name %in% names(v)) v[[name]] else NA
  }))
  out <- list(model = model, group = "school", missing = "ml", estimator = est,
              method = attr(lrt, "heading"),
              lrt = data.frame(model = names(levels), df = g(lrt$Df), chisq = g(lrt$Chisq),
                               chisq_diff = g(lrt[["Chisq diff"]]),
                               df_diff = g(lrt[["Df diff"]]),
                               pvalue = g(lrt[["Pr(>Chisq)"]])),
              levels = data.frame(model = names(levels), chisq = fm("chisq"), df = fm("df"),
                                  pvalue = fm("pvalue"), chisq_scaled = fm("chisq.scaled"),
                                  scaling_factor = fm("chisq.scaling.factor"),
                                  cfi = fm("cfi"), rmsea = fm("rmsea")))
  write_json(out, file.path(case, paste0(tolower(est), ".json")), digits = NA,
             auto_unbox = TRUE, pretty = TRUE, na = "null")
}
write_versions(case)
