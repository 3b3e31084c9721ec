# Golden case sem_framework_cluster (issue 12's proof on the field's own data): firms in
# countries. The framework's latent mediation (network ties and entrepreneurial orientation ->
# collaboration activity -> export performance, ln employees a fixed.x covariate) on data from
# designs/framework_countries.toml (firms in 40 countries with a country random intercept on
# collaboration and export performance), fitted by lavaan 0.6-14 with cluster = "country" and
# estimator = "MLR" (cluster-robust SEs and the Yuan-Bentler test from cluster-summed scores,
# as tests/golden/sem_cluster: cluster/expected.json) and, for contrast, plain MLR (lavaan's
# defaults, no mean structure; the same estimates, cluster-blind SEs: mlr/expected.json), so
# the test can show what the clustering changes. With 40 clusters and 58 free parameters the
# clustered meat has rank 39 at most: lavaan warns that the vcov is not positive definite
# (smallest eigenvalue -8e-17), the SEs are still defined (as tests/golden/sem_cluster/few).
# Data: data.csv is cipa's own output, `cipa simulate --design designs/framework_countries.toml
# --n 1000 --seed 1 --population-n 0`; tests/suite/sem_framework_cluster.rs regenerates it from
# the seed and requires it byte for byte. Every fit uses lavaan's Gauss-Newton optimizer to a
# step of 1e-14 (as sem_cluster/make.R) so the comparison is at the optimum.
# Run from the crate root:  Rscript tests/golden/sem_framework_cluster/make.R
source("tests/golden/sem_common/sem_golden.R")
case <- "tests/golden/sem_framework_cluster"
f <- file.path(case, "data.csv")
d <- read.csv(f)
model <- 'ties =~ ties_1 + ties_2 + ties_3 + ties_4
eo =~ eo_1 + eo_2 + eo_3 + eo_4 + eo_5
collab_act =~ collab_1 + collab_2 + collab_3 + collab_4
perf =~ expf_1 + expf_2 + expf_3 + expf_4
collab_act ~ ties + eo + log_employees
perf ~ collab_act + ties + eo'
gn <- list(optim.method = "GN", optim.gn.tol.x = 1e-14)
do.call(sem_golden, c(list(d, model, file.path(case, "cluster"), f, estimator = "MLR",
                           cluster = "country", mi = FALSE, resid = FALSE), gn))
do.call(sem_golden, c(list(d, model, file.path(case, "mlr"), f, estimator = "MLR",
                           mi = FALSE, resid = FALSE), gn))
writeLines(c(R.version.string, paste("lavaan", packageVersion("lavaan")),
             paste("jsonlite", packageVersion("jsonlite"))), file.path(case, "versions.txt"))
