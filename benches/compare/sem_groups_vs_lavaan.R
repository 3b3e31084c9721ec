# One whole-process run of lavaan's invariance sequence for benches/compare/sem_groups_vs_lavaan.sh:
#   Rscript sem_groups_vs_lavaan.R MODEL.lav DATA.csv GROUP
# Configural, metric, scalar and strict fits (sem() with group = and group.equal, the levels
# src/sem/groups/invariance.rs fits) and lavTestLRT over the four: what `cipa sem --group GROUP
# --invariance` computes.
suppressPackageStartupMessages(library(lavaan))
a <- commandArgs(trailingOnly = TRUE)
model <- paste(readLines(a[1]), collapse = "\n")
d <- read.csv(a[2])
equal <- list(configural = "", metric = "loadings",
              scalar = c("loadings", "intercepts"),
              strict = c("loadings", "intercepts", "residuals"))
fits <- lapply(equal, function(e) sem(model, data = d, group = a[3], group.equal = e))
lrt <- lavTestLRT(fits$configural, fits$metric, fits$scalar, fits$strict)
for (i in seq_along(fits)) {
  cat(sprintf("%s chisq %.6f df %d\n", names(fits)[i], fitMeasures(fits[[i]], "chisq"),
              as.integer(fitMeasures(fits[[i]], "df"))))
}
print(lrt)
