# A simulated item-level survey (n = 300; collaboration, network ties and export performance,
# 4 seven-point items each, item c3 stored reverse-coded; a marker item `mk` unrelated to the
# constructs), written to data.csv, and the golden values on it.
# Run from the crate root: Rscript tests/golden/measure_sim/make.R
source("tests/golden/measure_common/measure_golden.R")
set.seed(20261123)
n <- 300
net <- rnorm(n)
collab <- 0.5 * net + rnorm(n, sd = sqrt(0.75))
perf <- 0.4 * collab + 0.2 * net + rnorm(n, sd = 0.85)
method <- rnorm(n, sd = 0.3)
likert <- function(f, l) pmin(7, pmax(1, round(4 + 1.2 * (l * f + method + rnorm(length(f), sd = sqrt(1 - l^2))))))
d <- data.frame(
  n1 = likert(net, 0.8), n2 = likert(net, 0.75), n3 = likert(net, 0.7), n4 = likert(net, 0.65),
  c1 = likert(collab, 0.85), c2 = likert(collab, 0.8), c3 = 8 - likert(collab, 0.75), c4 = likert(collab, 0.6),
  p1 = likert(perf, 0.8), p2 = likert(perf, 0.8), p3 = likert(perf, 0.7), p4 = likert(perf, 0.55),
  mk = likert(rnorm(n), 0.7))
d$p2[c(5, 77)] <- NA
write.csv(d, "tests/golden/measure_sim/data.csv", row.names = FALSE, na = "")
measure_golden(d, list(network = paste0("n", 1:4), collab = paste0("c", 1:4), perf = paste0("p", 1:4)),
               "tests/golden/measure_sim", reversed = "c3", scale = c(1, 7), marker = "mk")
