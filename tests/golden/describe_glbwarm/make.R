# Golden values for `cipa describe` (src/measure): descriptives and Pearson correlations of the
# numeric variables of Hayes (2018) glbwarm and estress.
#
# Run from the crate root:   Rscript tests/golden/describe_glbwarm/make.R
#
# Writes, in tests/golden/describe_glbwarm/:
#   expected_describe.csv  dataset, variable, n, mean, sd, min, max, skew, kurtosis, se_skew,
#                          se_kurt, skew_type3, kurt_type3
#   expected_cor.csv       dataset, var1, var2, r, p, n   (cor.test, every pair)
#   versions.txt           R and package versions used
#
# skew/kurtosis are the bias-corrected G1/G2 (SPSS, SAS, Excel, e1071 type 2), computed here with
# explicit formulas and cross-checked against psych::describe(type = 2) and e1071 (type = 2);
# skew_type3/kurt_type3 are psych::describe's default (type = 3). se_skew/se_kurt are SPSS's
# standard errors. The script stops if any cross-check disagrees.

out_dir <- file.path("tests", "golden", "describe_glbwarm")
data_dir <- file.path("..", "shared", "datasets", "hayes2018")
datasets <- c("glbwarm", "estress")

fmt <- function(x) sprintf("%.17g", x)
agree <- function(a, b, what, tol = 1e-12) {
  ok <- abs(a - b) <= tol * pmax(abs(b), 1e-300)
  if (!all(ok)) stop(sprintf("%s: explicit %s vs package %s", what,
                             paste(fmt(a[!ok]), collapse = " "),
                             paste(fmt(b[!ok]), collapse = " ")))
}

g1_g2 <- function(x) {
  x <- x[!is.na(x)]
  n <- length(x)
  m <- mean(x)
  m2 <- mean((x - m)^2); m3 <- mean((x - m)^3); m4 <- mean((x - m)^4)
  g1 <- m3 / m2^1.5
  g2 <- m4 / m2^2 - 3
  G1 <- g1 * sqrt(n * (n - 1)) / (n - 2)
  G2 <- ((n + 1) * g2 + 6) * (n - 1) / ((n - 2) * (n - 3))
  ses <- sqrt(6 * n * (n - 1) / ((n - 2) * (n + 1) * (n + 3)))
  sek <- 2 * ses * sqrt((n^2 - 1) / ((n - 3) * (n + 5)))
  b1 <- g1 * ((n - 1) / n)^1.5
  b2 <- (g2 + 3) * ((n - 1) / n)^2 - 3
  list(n = n, mean = m, sd = sqrt(sum((x - m)^2) / (n - 1)), min = min(x), max = max(x),
       skew = G1, kurtosis = G2, se_skew = ses, se_kurt = sek, b1 = b1, b2 = b2)
}

desc_rows <- list()
cor_rows <- list()
for (ds in datasets) {
  d <- read.csv(file.path(data_dir, paste0(ds, ".csv")))
  vars <- names(d)
  p2 <- psych::describe(d, type = 2)
  p3 <- psych::describe(d)            # default type = 3
  for (v in vars) {
    s <- g1_g2(d[[v]])
    what <- paste(ds, v)
    agree(s$n, p2[v, "n"], paste(what, "n"))
    agree(s$mean, p2[v, "mean"], paste(what, "mean"))
    agree(s$sd, p2[v, "sd"], paste(what, "sd"))
    agree(s$sd, sd(d[[v]], na.rm = TRUE), paste(what, "sd vs sd()"))
    agree(s$min, p2[v, "min"], paste(what, "min"))
    agree(s$max, p2[v, "max"], paste(what, "max"))
    agree(s$skew, p2[v, "skew"], paste(what, "skew vs psych type 2"), 1e-10)
    agree(s$kurtosis, p2[v, "kurtosis"], paste(what, "kurtosis vs psych type 2"), 1e-10)
    agree(s$skew, e1071::skewness(d[[v]], na.rm = TRUE, type = 2),
          paste(what, "skew vs e1071 type 2"), 1e-10)
    agree(s$kurtosis, e1071::kurtosis(d[[v]], na.rm = TRUE, type = 2),
          paste(what, "kurtosis vs e1071 type 2"), 1e-10)
    agree(s$b1, p3[v, "skew"], paste(what, "skew vs psych type 3"), 1e-10)
    agree(s$b2, p3[v, "kurtosis"], paste(what, "kurtosis vs psych type 3"), 1e-10)
    desc_rows[[length(desc_rows) + 1]] <- data.frame(
      dataset = ds, variable = v, n = s$n, mean = fmt(s$mean), sd = fmt(s$sd),
      min = fmt(s$min), max = fmt(s$max), skew = fmt(s$skew), kurtosis = fmt(s$kurtosis),
      se_skew = fmt(s$se_skew), se_kurt = fmt(s$se_kurt),
      skew_type3 = fmt(s$b1), kurt_type3 = fmt(s$b2))
  }
  for (i in seq_along(vars)) for (j in seq_along(vars)) if (i < j) {
    x <- d[[vars[i]]]; y <- d[[vars[j]]]
    ct <- cor.test(x, y)
    n <- sum(complete.cases(x, y))
    if (ct$parameter[["df"]] != n - 2) stop("df mismatch")
    agree(unname(ct$estimate), cor(x, y, use = "complete.obs"),
          paste(ds, vars[i], vars[j], "r"))
    cor_rows[[length(cor_rows) + 1]] <- data.frame(
      dataset = ds, var1 = vars[i], var2 = vars[j],
      r = fmt(unname(ct$estimate)), p = fmt(ct$p.value), n = n)
  }
}

write.csv(do.call(rbind, desc_rows), file.path(out_dir, "expected_describe.csv"),
          row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, cor_rows), file.path(out_dir, "expected_cor.csv"),
          row.names = FALSE, quote = FALSE)
writeLines(c(R.version.string,
             paste("psych", as.character(packageVersion("psych"))),
             paste("e1071", as.character(packageVersion("e1071")))),
           file.path(out_dir, "versions.txt"))
cat("wrote", file.path(out_dir, c("expected_describe.csv", "expected_cor.csv", "versions.txt")),
    sep = "\n")
