# The lavaan check of a DMC simulation seed that cipa failed to fit (docs/simulations/latent_interaction.md):
#   target/release/cipa simulate --design designs/latent_interaction.toml --n 2000 --seed 257 --out s257.csv
#   Rscript docs/simulations/dmc_seed_lavaan.R s257.csv
# (the CSV holds the items to 4 decimals; R 4.2.2, lavaan 0.6-14, semTools 0.5-6).
# lavaan 0.6-14 on one seed of the DMC simulation: products by semTools::indProd(meanC, doubleMC),
# all pairs in modsem's expand.grid order, residual covariances between products sharing an item.
suppressPackageStartupMessages({library(lavaan); library(semTools)})
args <- commandArgs(TRUE)
d <- read.csv(args[1])
v1 <- paste0("collab_", 1:3); v2 <- paste0("cdist_", 1:3)
pairs <- expand.grid(i = v1, j = v2, stringsAsFactors = FALSE)
pairs$name <- paste(pairs$i, pairs$j, sep = ".")
nm <- unlist(lapply(v1, function(i) paste(i, v2, sep = ".")))
da <- indProd(d[, c(v1, v2, paste0("intl_", 1:3))], var1 = v1, var2 = v2, match = FALSE,
              meanC = TRUE, residualC = FALSE, doubleMC = TRUE, namesProd = nm)
shared <- c()
for (a in seq_len(nrow(pairs))) for (b in seq_len(nrow(pairs))) if (a < b)
  if (pairs$i[a] == pairs$i[b] || pairs$j[a] == pairs$j[b])
    shared <- c(shared, paste(pairs$name[a], "~~", pairs$name[b]))
model <- paste('intl =~ 0.8*intl_1 + intl_2 + intl_3
collab =~ 0.8*collab_1 + collab_2 + collab_3
cdl =~ 0.8*cdist_1 + cdist_2 + cdist_3
intl ~ collab + cdl + cxc',
  paste("cxc =~", paste(pairs$name, collapse = " + ")), paste(shared, collapse = "\n"), sep = "\n")
for (est in c("ML", "MLR")) {
  fit <- sem(model, data = da, estimator = est)
  cat(est, "converged:", lavInspect(fit, "converged"), "iterations:",
      lavInspect(fit, "iterations"), "\n")
  pe <- parameterEstimates(fit)
  print(pe[pe$op == "~" | (pe$op == "~~" & pe$lhs == pe$rhs & pe$est < 0), 1:9])
  print(fitMeasures(fit, c("chisq", "df", "fmin")))
}
cat(R.version.string, "lavaan", as.character(packageVersion("lavaan")), "semTools",
    as.character(packageVersion("semTools")), "\n")
