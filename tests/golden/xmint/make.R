# Golden values for `cipa fit --model 4 --xmint` (PROCESS's xmint=1): the counterfactually defined
# natural and controlled direct and indirect effects of a mediation with an X*M interaction,
# computed here from lm() fits with the closed forms of VanderWeele (2015) and Valeri & VanderWeele
# (2013) for a linear M and Y, and bootstrapped here with R's own generator (B = 5000, PROCESS's
# percentile order statistics), so that cipa's bootstrap can be checked within a Monte-Carlo bound.
#
# Writes cases.json, effects.csv, modelbt.csv and versions.txt beside this script.
# Regenerate from the crate root:  Rscript tests/golden/xmint/make.R
# (the data are read under ../shared, or under the folder CIPA_SHARED names; `data` in cases.json
# is relative to it).

suppressMessages(library(jsonlite))
out_dir <- "tests/golden/xmint"
shared <- Sys.getenv("CIPA_SHARED", "../shared")
B <- 5000

cases <- list(
  list(case = "n300_3_5", data = "reference/process_v431/data_n300.csv",
       x = "network_ties", m = "collab_activity", y = "intl_performance",
       cov = c("firm_age", "rd_intensity"), xrefval = c(3, 5), cdeval = NULL, seed = 20240601,
       note = "The call of ../shared/reference/process_v431/model74_xmint.txt (PROCESS 4.3.1, model=4, xmint=1, xrefval=c(3,5))."),
  list(case = "n300_4_cde", data = "reference/process_v431/data_n300.csv",
       x = "network_ties", m = "collab_activity", y = "intl_performance",
       cov = c("firm_age"), xrefval = c(4), cdeval = 4.2, seed = 0,
       note = "One xrefval for a continuous X: x_cf = x_ref + 1; cdeval given."),
  list(case = "pmi_dich", data = "datasets/hayes2018/pmi.csv",
       x = "cond", m = "pmi", y = "reaction", cov = character(0), xrefval = NULL, cdeval = NULL,
       seed = 31216, note = "A dichotomous X without xrefval: x_ref and x_cf are its two values (0, 1).")
)

# The equations and every effect, from the coefficient vectors.
fit_case <- function(d, cs) {
  fm <- lm(reformulate(c(cs$x, cs$cov), cs$m), data = d)
  xm <- paste0(cs$m, ":", cs$x)
  fy <- lm(reformulate(c(cs$x, cs$m, xm, cs$cov), cs$y), data = d)
  list(fm = fm, fy = fy, xm = xm)
}

# R names the product by the order its variables first appear in the formula (X before M).
xm_name <- function(th, cs) intersect(c(paste0(cs$m, ":", cs$x), paste0(cs$x, ":", cs$m)), names(th))

effects_of <- function(a, th, cs, xr, xc, mc, cbar) {
  d <- xc - xr
  mhat <- function(v) sum(a * c(1, v, cbar))
  ax <- a[[2]]
  tx <- th[[cs$x]]; tm <- th[[cs$m]]; txm <- th[[xm_name(th, cs)]]
  c(pure_natural_direct = d * (tx + txm * mhat(xr)),
    controlled_direct = d * (tx + txm * mc),
    total_natural_indirect = ax * d * (tm + txm * xc),
    total_natural_direct = d * (tx + txm * mhat(xc)),
    pure_natural_indirect = ax * d * (tm + txm * xr),
    counterfactual_total = d * (tx + txm * mhat(xr)) + ax * d * (tm + txm * xc))
}

# PROCESS's percentile bounds: sorted draws round(B * 0.025) and trunc(B * 0.975) + 1.
pct <- function(v) {
  s <- sort(v)
  c(s[round(length(s) * 0.025)], s[trunc(length(s) * 0.975) + 1])
}

effects_rows <- list()
modelbt_rows <- list()
case_info <- list()
for (cs in cases) {
  d <- read.csv(file.path(shared, cs$data))
  d <- d[complete.cases(d[, c(cs$x, cs$m, cs$y, cs$cov)]), ]
  xs <- sort(unique(d[[cs$x]]))
  if (length(cs$xrefval) == 2) {
    xr <- cs$xrefval[1]; xc <- cs$xrefval[2]
  } else if (length(cs$xrefval) == 1) {
    xr <- cs$xrefval[1]; xc <- xr + 1
  } else {
    stopifnot(length(xs) == 2); xr <- xs[1]; xc <- xs[2]
  }
  mc <- if (is.null(cs$cdeval)) mean(d[[cs$m]]) else cs$cdeval
  cbar <- if (length(cs$cov)) colMeans(d[, cs$cov, drop = FALSE]) else numeric(0)
  f <- fit_case(d, cs)
  est <- effects_of(coef(f$fm), coef(f$fy), cs, xr, xc, mc, cbar)
  # Analytic tests of the direct effects: l'b with M-hat fixed at its estimate, t on n - k df.
  mhat <- function(v) sum(coef(f$fm) * c(1, v, cbar))
  V <- vcov(f$fy); th <- coef(f$fy); dfr <- df.residual(f$fy)
  weights <- list(pure_natural_direct = mhat(xr), controlled_direct = mc, total_natural_direct = mhat(xc))
  # R's bootstrap: rows resampled with replacement, both equations refitted.
  set.seed(cs$seed)
  n <- nrow(d)
  draws <- matrix(NA_real_, B, length(est), dimnames = list(NULL, names(est)))
  coef_draws <- matrix(NA_real_, B, length(coef(f$fm)) + length(coef(f$fy)))
  for (b in seq_len(B)) {
    db <- d[sample.int(n, n, replace = TRUE), ]
    fb <- fit_case(db, cs)
    draws[b, ] <- effects_of(coef(fb$fm), coef(fb$fy), cs, xr, xc, mc, cbar)
    coef_draws[b, ] <- c(coef(fb$fm), coef(fb$fy))
  }
  for (k in names(est)) {
    row <- data.frame(case = cs$case, kind = k, effect = est[[k]], se = NA, t = NA, p = NA,
                      ci_lower = NA, ci_upper = NA, boot_se = sd(draws[, k]),
                      boot_lower = pct(draws[, k])[1], boot_upper = pct(draws[, k])[2], B = B)
    if (!is.null(weights[[k]])) {
      l <- setNames(rep(0, length(th)), names(th))
      l[[cs$x]] <- xc - xr
      l[[xm_name(th, cs)]] <- (xc - xr) * weights[[k]]
      se <- sqrt(drop(t(l) %*% V %*% l))
      row$se <- se; row$t <- est[[k]] / se; row$p <- 2 * pt(-abs(row$t), dfr)
      q <- qt(0.975, dfr)
      row$ci_lower <- est[[k]] - q * se; row$ci_upper <- est[[k]] + q * se
    }
    effects_rows[[length(effects_rows) + 1]] <- row
  }
  terms <- c(names(coef(f$fm)), names(coef(f$fy)))
  eqs <- c(rep(cs$m, length(coef(f$fm))), rep(cs$y, length(coef(f$fy))))
  # cipa's names: the constant, and the product as cipa writes it (M first, then X).
  cipa_term <- function(t) {
    if (t == "(Intercept)") "constant" else if (grepl(":", t)) paste0(cs$m, ":", cs$x) else t
  }
  for (j in seq_along(terms)) {
    modelbt_rows[[length(modelbt_rows) + 1]] <- data.frame(
      case = cs$case, equation = eqs[j], term = cipa_term(terms[j]),
      estimate = c(coef(f$fm), coef(f$fy))[[j]], boot_mean = mean(coef_draws[, j]),
      boot_se = sd(coef_draws[, j]), ci_lower = pct(coef_draws[, j])[1],
      ci_upper = pct(coef_draws[, j])[2], B = B)
  }
  case_info[[length(case_info) + 1]] <- list(
    case = cs$case, data = cs$data, x = cs$x, m = cs$m, y = cs$y, cov = as.list(cs$cov),
    xrefval = as.list(cs$xrefval), cdeval = cs$cdeval, x_ref = xr, x_cf = xc, cde_m = mc,
    n = n, r_seed = cs$seed, B = B, note = cs$note)
}

fmt <- function(df) {
  for (c in names(df)) if (is.numeric(df[[c]]) && c != "B") df[[c]] <- sprintf("%.17g", df[[c]])
  df[df == "NA"] <- ""
  df
}
write.csv(fmt(do.call(rbind, effects_rows)), file.path(out_dir, "effects.csv"), row.names = FALSE, quote = FALSE)
write.csv(fmt(do.call(rbind, modelbt_rows)), file.path(out_dir, "modelbt.csv"), row.names = FALSE, quote = FALSE)
write(toJSON(case_info, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null"), file.path(out_dir, "cases.json"))
writeLines(c(R.version.string, paste("jsonlite", packageVersion("jsonlite"))), file.path(out_dir, "versions.txt"))
