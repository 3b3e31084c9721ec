# Golden case sem_cluster (issue 12): cluster-robust standard errors and test (lavaan 0.6-14's
# `cluster =` on a single-level model with estimator = "MLR": se = "robust.cluster", the
# Yuan-Bentler (Mplus) test from cluster-summed scores and Gamma, the mean structure forced on).
# Data: the first 100 clusters of lavaan's Demo.twolevel (students within 200 clusters;
# lavaan package data), written to data.csv with 7 significant digits; the fits read data.csv
# back, so the golden values are those of the committed file. Cases:
#   cfa: two factors of the within items, no covariates;
#   sem: the same with f2 ~ f1 + x1 (x1 a fixed.x covariate: residualised Gamma);
#   few: the cfa on the first 12 clusters only (cipa warns below 30 clusters);
#   fiml: the cfa with missing = "ml" on data_fiml.csv, data.csv with 6% of each item's cells
#         blanked (set.seed(2026), runif < 0.06 per item in order y1..y6).
# Every complete-data fit uses lavaan's Gauss-Newton optimizer to a step of 1e-14 (as
# sem_common/sem_diag_golden.R) so the comparison is at the optimum.
# Run from the crate root:  Rscript tests/golden/sem_cluster/make.R
source("tests/golden/sem_common/sem_golden.R")
case <- "tests/golden/sem_cluster"
d <- lavaan::Demo.twolevel
d <- d[d$cluster <= 100, c("cluster", "y1", "y2", "y3", "y4", "y5", "y6", "x1", "x2", "w1")]
for (v in names(d)[-1]) d[[v]] <- signif(d[[v]], 7)
write.csv(d, file.path(case, "data.csv"), row.names = FALSE)
f <- file.path(case, "data.csv")
d <- read.csv(f)
cfa <- 'f1 =~ y1 + y2 + y3
f2 =~ y4 + y5 + y6'
sem_m <- 'f1 =~ y1 + y2 + y3
f2 =~ y4 + y5 + y6
f2 ~ f1 + x1'
gn <- list(optim.method = "GN", optim.gn.tol.x = 1e-14)
run <- function(model, data, dir) {
  do.call(sem_golden, c(list(data, model, file.path(case, dir), f, estimator = "MLR",
                             cluster = "cluster", mi = FALSE, resid = FALSE), gn))
}
run(cfa, d, "cfa")
run(sem_m, d, "sem")
run(cfa, d[d$cluster <= 12, ], "few")
set.seed(2026)
dm <- d
for (v in c("y1", "y2", "y3", "y4", "y5", "y6")) dm[[v]][runif(nrow(dm)) < 0.06] <- NA
fm <- file.path(case, "data_fiml.csv")
write.csv(dm, fm, row.names = FALSE, na = "")
dm <- read.csv(fm)
# lavaan's default optimizer here: its Gauss-Newton does not reach the FIML optimum.
sem_golden(dm, cfa, file.path(case, "fiml"), fm, estimator = "MLR", missing = "ml",
           cluster = "cluster", mi = FALSE, resid = FALSE)
writeLines(c(R.version.string, paste("lavaan", packageVersion("lavaan")),
             paste("jsonlite", packageVersion("jsonlite"))), file.path(case, "versions.txt"))
