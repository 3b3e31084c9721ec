# Golden case sem_hs_groups_bollen_stine (issue 12): lavaan 0.6-14's Bollen-Stine bootstrap of a
# multi-group fit (bootstrapLavaan(type = "bollen.stine"), lav_bootstrap.R): each group's rows
# are transformed to that group's model-implied moments (X - 1 ybar') S^-1/2 Sigma^1/2 (+ mu),
# resampled within the group, the multi-group model refitted, and p = #(T* >= T) / B with T the
# chi-square over all groups. A two-factor CFA of HolzingerSwineford1939 by school (T = 28.6 on
# 16 df, p = 0.027, so the bootstrap p is away from 0 and 1), B = 1000. R's random streams
# cannot be reproduced: cipa's p is compared within binomial Monte Carlo bounds
# (tests/suite/sem_groups_boot.rs).
# Run from the crate root: Rscript tests/golden/sem_hs_groups_bollen_stine/make.R
suppressPackageStartupMessages({ library(lavaan); library(jsonlite) })
f <- "../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv"
case <- "tests/golden/sem_hs_groups_bollen_stine"
hs <- read.csv(f)
model <- 'visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6'
B <- 1000
fit <- sem(model, data = hs, group = "school")
set.seed(1)
t0 <- proc.time()[["elapsed"]]
bs <- bootstrapLavaan(fit, R = B, type = "bollen.stine", FUN = fitMeasures,
                      fit.measures = "chisq")
secs <- proc.time()[["elapsed"]] - t0
t_all <- as.numeric(bs)
ok <- t_all[is.finite(t_all)]
chisq <- as.numeric(fitMeasures(fit, "chisq"))
out <- list(
  model = model, data = f, group = "school", B = B, B_used = length(ok),
  chisq = chisq, df = as.numeric(fitMeasures(fit, "df")),
  pvalue_naive = as.numeric(fitMeasures(fit, "pvalue")),
  pvalue = mean(ok >= chisq),
  mean_t = mean(ok), lavaan_seconds_bootstrap = secs)
write_json(out, file.path(case, "expected.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE,
           na = "null")
writeLines(c(R.version.string, paste("lavaan", packageVersion("lavaan")),
             paste("jsonlite", packageVersion("jsonlite"))), file.path(case, "versions.txt"))
