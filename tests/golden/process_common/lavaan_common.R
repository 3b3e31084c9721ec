# Shared code of the lavaan golden cases (tests/golden/process_lavaan_*/make.R).
#
# Each case's make.R defines the case (data preparation, lm equations, lavaan model, defined effects) and
# calls run_lavaan_case(), which writes into the case folder:
#   case.json          dataset, roles, options, exact probe values, lavaan model syntax, lavaan options, versions
#   coefficients.csv   one row per (equation, term): lm estimate, OLS se, t, p, 95% t interval, and lavaan's
#                      estimate / se (ML, n in the denominator) / z / p / 95% normal interval (lavaan_*)
#   model_summary.csv  one row per equation (lm): n, R2, adjusted R2, MSE, F, df1, df2, p; lavaan_r2
#   effects.csv        effects as defined parameters of lavaan (delta-method se) and from lm (direct / total
#                      effects with OLS se; Sobel second-order se for unmoderated indirect effects)
#   versions.txt       R, lavaan, jsonlite versions
# Run from the crate root:  Rscript tests/golden/process_lavaan_m4_pmi/make.R
# Numbers are written with sprintf("%.17g").
suppressPackageStartupMessages({
  library(lavaan)
  library(jsonlite)
})

if (!file.exists("Cargo.toml")) stop("run from the crate root")

f17 <- function(v) ifelse(is.na(v), "", sprintf("%.17g", v))

# PROCESS v4 percentiles (process.describ3 in process.R): sorted values, position p*(n+1), linear
# interpolation between the values at trunc(p*(n+1)) and the next one (1-based).
process_percentile <- function(v, p) {
  s <- sort(v)
  n <- length(s)
  low <- trunc(p * (n + 1))
  dec <- p * (n + 1) - low
  s[low] + (s[low + 1] - s[low]) * dec
}
process_probes <- function(v) sapply(c(0.16, 0.5, 0.84), function(p) process_percentile(v, p))
mean_sd_probes <- function(v) c(mean(v) - sd(v), mean(v), mean(v) + sd(v))

write_rows <- function(path, df) {
  write.csv(df, path, row.names = FALSE, quote = TRUE, na = "")
}

ols_rows <- function(fit, equation, names_map) {
  cf <- coef(summary(fit))
  ci <- confint(fit, level = 0.95)
  rn <- rownames(cf)
  missing <- setdiff(rn, names(names_map))
  if (length(missing) > 0) stop("no cipa name for lm term(s): ", paste(missing, collapse = ", "))
  data.frame(equation = equation, term = unname(names_map[rn]), estimate = cf[, 1], se = cf[, 2],
             t = cf[, 3], p = cf[, 4], ci_lower = ci[, 1], ci_upper = ci[, 2], stringsAsFactors = FALSE)
}

lav_rows <- function(fit, lav_map) {
  pe <- parameterEstimates(fit, level = 0.95)
  reg <- pe[pe$op == "~", ]
  int <- pe[pe$op == "~1" & pe$lhs %in% unique(reg$lhs), ]
  rows <- rbind(
    data.frame(equation = reg$lhs, lavname = reg$rhs, est = reg$est, se = reg$se, z = reg$z, p = reg$pvalue,
               lo = reg$ci.lower, hi = reg$ci.upper, stringsAsFactors = FALSE),
    data.frame(equation = int$lhs, lavname = "(Intercept)", est = int$est, se = int$se, z = int$z,
               p = int$pvalue, lo = int$ci.lower, hi = int$ci.upper, stringsAsFactors = FALSE))
  missing <- setdiff(rows$lavname, names(lav_map))
  if (length(missing) > 0) stop("no cipa name for lavaan variable(s): ", paste(missing, collapse = ", "))
  rows$term <- unname(lav_map[rows$lavname])
  rows
}

# The closed-form ML solution of a recursive path model whose equations are fitted by ML one at a time:
# OLS coefficients and intercepts, residual variances RSS/n, residual covariances e_i'e_j/n. lavaan is started
# there (start = partable): its optimizer accepts it after one iteration and its convergence and gradient checks
# pass, so the estimates equal lm's to rounding. With lavaan's default start values nlminb stops about 1e-7
# (relative) away from this optimum; that fit is also run and its distance is reported in case.json.
exact_start <- function(model, data) {
  f0 <- sem(model, data = data, meanstructure = TRUE, estimator = "ML", do.fit = FALSE)
  pt <- parTable(f0)
  n <- nrow(data)
  endo <- unique(pt$lhs[pt$op == "~"])
  res <- list()
  for (y in endo) {
    rhs <- pt$rhs[pt$op == "~" & pt$lhs == y]
    X <- cbind(1, as.matrix(data[, rhs, drop = FALSE]))
    b <- qr.solve(X, data[[y]])
    e <- data[[y]] - X %*% b
    res[[y]] <- e
    for (k in seq_along(rhs)) pt$start[pt$op == "~" & pt$lhs == y & pt$rhs == rhs[k]] <- b[k + 1]
    pt$start[pt$op == "~1" & pt$lhs == y] <- b[1]
    pt$start[pt$op == "~~" & pt$lhs == y & pt$rhs == y] <- sum(e^2) / n
  }
  for (i in which(pt$op == "~~" & pt$lhs != pt$rhs & pt$lhs %in% endo & pt$rhs %in% endo)) {
    pt$start[i] <- sum(res[[pt$lhs[i]]] * res[[pt$rhs[i]]]) / n
  }
  pt$est <- pt$start
  pt
}

# lavaan's ML standard errors of regression coefficients equal the OLS ones times sqrt((n - k) / n) in these
# saturated-per-equation recursive models (fixed.x = TRUE): the check is reported in case.json.
run_lavaan_case <- function(case, description, dataset, process_model, roles, data, equations, lav_model,
                            lav_map, defined, sobel = list(), lm_effects = list(), probes = list(),
                            notes = character(0), eq_order = NULL) {
  dir <- file.path("tests/golden", case)
  n <- nrow(data)
  fit_default <- sem(lav_model, data = data, meanstructure = TRUE, estimator = "ML")
  fit <- sem(lav_model, data = data, meanstructure = TRUE, estimator = "ML", start = exact_start(lav_model, data))
  if (!lavInspect(fit, "converged") || !lavInspect(fit_default, "converged")) stop("lavaan did not converge")
  pe_d <- parameterEstimates(fit_default)
  pe_x <- parameterEstimates(fit)
  default_dev <- max(abs(pe_d$est - pe_x$est) / pmax(abs(pe_x$est), 1e-12))

  # coefficients
  ols <- do.call(rbind, lapply(equations, function(e) ols_rows(e$fit, e$equation, e$names_map)))
  lav <- lav_rows(fit, lav_map)
  key_o <- paste(ols$equation, ols$term)
  key_l <- paste(lav$equation, lav$term)
  if (!setequal(key_o, key_l)) stop("lm and lavaan terms differ: ", paste(setdiff(union(key_o, key_l), intersect(key_o, key_l)), collapse = "; "))
  lav <- lav[match(key_o, key_l), ]
  coefs <- data.frame(equation = ols$equation, term = ols$term, estimate = f17(ols$estimate), se = f17(ols$se),
                      t = f17(ols$t), p = f17(ols$p), ci_lower = f17(ols$ci_lower), ci_upper = f17(ols$ci_upper),
                      lavaan_est = f17(lav$est), lavaan_se = f17(lav$se), lavaan_z = f17(lav$z), lavaan_p = f17(lav$p),
                      lavaan_ci_lower = f17(lav$lo), lavaan_ci_upper = f17(lav$hi), stringsAsFactors = FALSE)
  write_rows(file.path(dir, "coefficients.csv"), coefs)
  k <- sapply(ols$equation, function(eq) length(coef(equations[[which(sapply(equations, `[[`, "equation") == eq)]]$fit)))
  est_dev <- max(abs(lav$est - ols$estimate) / pmax(abs(ols$estimate), 1e-300))
  se_dev <- max(abs(lav$se / (ols$se * sqrt((n - k) / n)) - 1))

  # model summaries (lm) and lavaan's R2
  r2l <- lavInspect(fit, "r2")
  summ <- do.call(rbind, lapply(equations, function(e) {
    s <- summary(e$fit)
    fs <- s$fstatistic
    data.frame(equation = e$equation, n = length(residuals(e$fit)), r2 = f17(s$r.squared),
               adj_r2 = f17(s$adj.r.squared), mse = f17(s$sigma^2), f = f17(fs[["value"]]),
               df1 = as.integer(fs[["numdf"]]), df2 = as.integer(fs[["dendf"]]),
               p = f17(pf(fs[["value"]], fs[["numdf"]], fs[["dendf"]], lower.tail = FALSE)),
               lavaan_r2 = f17(unname(r2l[e$equation])), stringsAsFactors = FALSE)
  }))
  write_rows(file.path(dir, "model_summary.csv"), summ)

  # effects
  pe <- parameterEstimates(fit, level = 0.95)
  defd <- pe[pe$op == ":=", ]
  if (!setequal(defd$lhs, defined$label)) stop("defined parameters and the effect table differ")
  defd <- defd[match(defined$label, defd$lhs), ]
  eff <- data.frame(kind = defined$kind, path = defined$path, moderators = defined$moderators,
                    probe = defined$probe, effect = f17(defd$est), se = f17(defd$se), boot_se = "",
                    stat = f17(defd$z), p = f17(defd$pvalue), ci_lower = f17(defd$ci.lower),
                    ci_upper = f17(defd$ci.upper), ci_kind = "analytic", B = "", seed = "",
                    source = "lavaan", se_method = "lavaan_delta_ml", lavaan_label = defined$label,
                    stringsAsFactors = FALSE)
  for (s in sobel) {
    # PROCESS normal=1: se = sqrt(a^2 se_b^2 + b^2 se_a^2 + se_a^2 se_b^2) with OLS variances, z test
    a <- coef(s$fit_a)[[s$a]]; sa <- sqrt(vcov(s$fit_a)[s$a, s$a])
    b <- coef(s$fit_b)[[s$b]]; sb <- sqrt(vcov(s$fit_b)[s$b, s$b])
    se <- sqrt(a^2 * sb^2 + b^2 * sa^2 + sa^2 * sb^2)
    z <- a * b / se
    eff <- rbind(eff, data.frame(kind = "indirect", path = s$path, moderators = "", probe = "", effect = f17(a * b),
                                 se = f17(se), boot_se = "", stat = f17(z), p = f17(2 * pnorm(-abs(z))),
                                 ci_lower = "", ci_upper = "", ci_kind = "", B = "", seed = "", source = "lm",
                                 se_method = "sobel_second_order_ols", lavaan_label = "", stringsAsFactors = FALSE))
  }
  for (e in lm_effects) {
    # direct / total effects as PROCESS prints them: OLS coefficient, se, t(df_resid), t interval
    cf <- coef(summary(e$fit))
    ci <- confint(e$fit, level = 0.95)
    eff <- rbind(eff, data.frame(kind = e$kind, path = e$path, moderators = "", probe = "",
                                 effect = f17(cf[e$term, 1]), se = f17(cf[e$term, 2]), boot_se = "",
                                 stat = f17(cf[e$term, 3]), p = f17(cf[e$term, 4]), ci_lower = f17(ci[e$term, 1]),
                                 ci_upper = f17(ci[e$term, 2]), ci_kind = "analytic", B = "", seed = "",
                                 source = "lm", se_method = "ols", lavaan_label = "", stringsAsFactors = FALSE))
  }
  write_rows(file.path(dir, "effects.csv"), eff)

  opts <- lavInspect(fit, "options")
  meta <- list(
    case = case, description = description, dataset = dataset, n = n,
    tool = "lavaan", tool_version = as.character(packageVersion("lavaan")),
    r_version = R.version.string,
    process_model = process_model, roles = roles,
    options = list(
      estimator = opts$estimator, se = opts$se, information = opts$information[1],
      fixed.x = opts$fixed.x, meanstructure = opts$meanstructure, likelihood = opts$likelihood,
      conf = 95,
      lavaan_ci = "estimate +- qnorm(0.975) * se (parameterEstimates)",
      lm_ci = "estimate +- qt(0.975, n - k) * se (confint.lm)",
      bootstrap = "none (B and seed empty): lavaan's bootstrap uses R's RNG and is not a cipa target",
      probes = probes
    ),
    lavaan_model = lav_model,
    calls = c('sem(model, data = data, meanstructure = TRUE, estimator = "ML", start = exact_start(model, data))',
              sapply(equations, function(e) paste(deparse(formula(e$fit)), collapse = " "))),
    start_values = "exact_start(): closed-form ML solution (see lavaan_common.R); lavaan converged from it in 1 iteration",
    checks = list(
      lavaan_iterations = lavInspect(fit, "iterations"),
      max_rel_diff_default_start_fit_vs_reported = default_dev,
      max_rel_diff_lavaan_vs_lm_estimate = est_dev,
      max_rel_diff_lavaan_se_vs_ols_se_times_sqrt_n_minus_k_over_n = se_dev
    ),
    notes = notes,
    files = c("case.json", "coefficients.csv", "effects.csv", "make.R", "model_summary.csv", "versions.txt")
  )
  writeLines(toJSON(meta, auto_unbox = TRUE, pretty = TRUE, digits = NA, null = "null"),
             file.path(dir, "case.json"))
  writeLines(c(R.version.string, paste("lavaan", packageVersion("lavaan")),
               paste("jsonlite", packageVersion("jsonlite"))), file.path(dir, "versions.txt"))
  cat(sprintf("%s: %d coefficients, %d effect rows; lavaan vs lm: est %.2g, se ratio %.2g\n",
              case, nrow(coefs), nrow(eff), est_dev, se_dev))
  invisible(fit)
}
