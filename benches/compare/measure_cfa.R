# Timing of lavaan::cfa for the same 3 factors x 5 items model as benches/measure.rs (the data are
# generated in R with the same design, not the same draws). Run: Rscript benches/compare/measure_cfa.R
suppressPackageStartupMessages(library(lavaan))
set.seed(1)
make <- function(n) {
  g <- rnorm(n)
  f <- sapply(1:3, function(k) sqrt(0.4) * g + sqrt(0.6) * rnorm(n))
  d <- list()
  for (k in 1:3) for (j in 1:5) {
    l <- 0.6 + 0.05 * (j - 1)
    d[[sprintf("f%d_%d", k, j)]] <- l * f[, k] + sqrt(1 - l^2) * rnorm(n)
  }
  as.data.frame(d)
}
model <- paste(sapply(1:3, function(k) sprintf("f%d =~ %s", k, paste(sprintf("f%d_%d", k, 1:5), collapse = " + "))), collapse = "\n")
for (n in c(500, 50000)) {
  d <- make(n)
  reps <- 20
  t <- system.time(for (i in 1:reps) cfa(model, data = d))[["elapsed"]] / reps
  cat(sprintf("n = %d: lavaan::cfa %.1f ms per fit (mean of %d)\n", n, 1000 * t, reps))
}
