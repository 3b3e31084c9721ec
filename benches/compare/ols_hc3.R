# Times R's lm + sandwich::vcovHC(type = "HC3") on the same shape of problem as benches/ols.rs
# (n = 1,000 and 100,000; constant + 4 predictors + one product term), for docs/performance.md.
# Run: Rscript benches/compare/ols_hc3.R
suppressMessages(library(sandwich))
set.seed(1)
for (n in c(1000, 100000)) {
  d <- data.frame(x1 = runif(n, 1, 7), x2 = runif(n, 1, 7), x3 = runif(n, 1, 7), x4 = runif(n, 1, 7))
  d$y <- 1 + 0.5 * d$x1 - 0.3 * d$x2 + 0.2 * d$x1 * d$x2 + runif(n, 0, 2)
  reps <- if (n < 10000) 200 else 20
  t <- system.time(for (i in seq_len(reps)) {
    f <- lm(y ~ x1 + x2 + x3 + x4 + x1:x2, data = d)
    v <- vcovHC(f, type = "HC3")
  })[["elapsed"]]
  cat(sprintf("n = %d: %.3f ms per fit (lm + vcovHC HC3, %d reps)\n", n, 1000 * t / reps, reps))
}
cat(R.version.string, "; sandwich", as.character(packageVersion("sandwich")), "\n")
