# One whole-process run of lavaan for benches/compare/sem_vs_lavaan.sh:
#   Rscript sem_vs_lavaan.R MODEL.lav DATA.csv B   (B = 0: one sem() fit; else bootstrap = B)
suppressPackageStartupMessages(library(lavaan))
a <- commandArgs(trailingOnly = TRUE)
model <- paste(readLines(a[1]), collapse = "\n")
d <- read.csv(a[2])
B <- as.integer(a[3])
if (B == 0) {
  fit <- sem(model, data = d)
} else {
  set.seed(1)
  fit <- sem(model, data = d, se = "bootstrap", bootstrap = B)
}
cat(sprintf("chisq %.6f df %d\n", fitMeasures(fit, "chisq"), as.integer(fitMeasures(fit, "df"))))
