# Golden case sem_groups_cluster_fiml (issue 12): cluster-robust MLR with groups under FIML,
# lavaan 0.6-14's sem(..., estimator = "MLR", missing = "ml", group = "half",
# cluster = "cluster") (lavaan accepts the combination: se = "robust.cluster", the
# Yuan-Bentler test from the case scores of the casewise likelihood summed within each group's
# clusters). Data: tests/golden/sem_cluster/data_fiml.csv (the first 100 clusters of lavaan's
# Demo.twolevel with 6% of each item's cells blanked) with the binary group `half` of
# ../sem_groups_cluster ("odd" for odd cluster numbers, "even" for even ones), written to
# data.csv here. Cases: cfa (two factors of the within items) and sem (f2 ~ f1 + x1, x1 a
# fixed.x covariate). lavaan's default optimizer (its Gauss-Newton does not reach the FIML
# optimum). Writes <case>/expected.json as sem_common/sem_golden.R does.
# Run from the crate root:  Rscript tests/golden/sem_groups_cluster_fiml/make.R
source("tests/golden/sem_common/sem_golden.R")
case <- "tests/golden/sem_groups_cluster_fiml"
d <- read.csv("tests/golden/sem_cluster/data_fiml.csv")
d$half <- ifelse(d$cluster %% 2 == 1, "odd", "even")
f <- file.path(case, "data.csv")
write.csv(d, f, row.names = FALSE, na = "")
d <- read.csv(f)
models <- list(cfa = 'f1 =~ y1 + y2 + y3
f2 =~ y4 + y5 + y6', sem = 'f1 =~ y1 + y2 + y3
f2 =~ y4 + y5 + y6
f2 ~ f1 + x1')
for (name in names(models)) {
  sem_golden(d, models[[name]], file.path(case, name), f, estimator = "MLR", missing = "ml",
             group = "half", cluster = "cluster", mi = FALSE, resid = FALSE)
}
writeLines(c(R.version.string, paste("lavaan", packageVersion("lavaan")),
             paste("jsonlite", packageVersion("jsonlite"))), file.path(case, "versions.txt"))
