# Golden case sem_hs_groups_reliability (issue 12): semTools' compRelSEM (omega) and AVE per
# group of the three-factor CFA of HolzingerSwineford1939 fitted with group = "school" (lavaan
# 0.6-14 multi-group defaults, ML), with semTools' defaults (obs.var = TRUE, tau.eq = FALSE,
# dropSingle = TRUE); on a multi-group fit both return one row per group. Configural and
# metric (group.equal = "loadings") fits.
# Run from the crate root:  Rscript tests/golden/sem_hs_groups_reliability/make.R
suppressMessages({library(lavaan); library(semTools); library(jsonlite)})
d <- read.csv("../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv")
model <- 'visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9'
case <- "tests/golden/sem_hs_groups_reliability"
g <- function(x) as.numeric(sprintf("%.17g", x))
one <- function(equal) {
  fit <- cfa(model, data = d, group = "school", group.equal = equal)
  # Both return a data frame with a "group" column and one column per latent.
  omega <- compRelSEM(fit)[, -1]
  ave <- AVE(fit)[, -1]
  levels <- lavInspect(fit, "group.label")
  lapply(seq_along(levels), function(k) list(
    level = levels[k],
    omega = as.list(g(unlist(omega[k, ]))) |> setNames(colnames(omega)),
    ave = as.list(g(unlist(ave[k, ]))) |> setNames(colnames(ave))))
}
out <- list(model = model, group = "school",
            configural = one(""), metric = one("loadings"))
write_json(out, file.path(case, "expected.json"), digits = NA, auto_unbox = TRUE,
           pretty = TRUE)
writeLines(c(R.version.string, paste("lavaan", packageVersion("lavaan")),
             paste("semTools", packageVersion("semTools")),
             paste("jsonlite", packageVersion("jsonlite"))), file.path(case, "versions.txt"))
