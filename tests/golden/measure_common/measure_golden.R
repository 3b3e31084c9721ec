# Golden values for cipa's measurement toolkit (src/measure): one function run on a data set with
# constructs, writing expected.json. Used by ../measure_hs1939/make.R and ../measure_sim/make.R.
# Software: see the versions file written beside each expected.json.
suppressPackageStartupMessages({
  library(lavaan); library(psych); library(semTools); library(car); library(jsonlite)
})

# lavaan's default stopping rule (nlminb, rel.tol = 1e-10) leaves estimates about 1e-6 from the
# optimum (tighter settings make nlminb report non-convergence), so CFA-based values are compared
# with a relative tolerance of 1e-5; the fit measures, flat at the optimum, agree to about 1e-8.
measure_golden <- function(data, constructs, out_dir, reversed = character(0), scale = NULL,
                           marker = NULL, B = 0) {
  x <- data
  for (it in reversed) x[[it]] <- scale[1] + scale[2] - x[[it]]
  items <- unlist(constructs)
  x <- x[complete.cases(x[, c(items, marker)]), , drop = FALSE]
  n <- nrow(x)
  # Reliability: psych::alpha (raw alpha, std.alpha, Feldt and Duhachek intervals, item stats).
  rel <- lapply(names(constructs), function(k) {
    a <- psych::alpha(x[, constructs[[k]]], check.keys = FALSE, warnings = FALSE)
    feldt <- psych::alpha.ci(a$total$raw_alpha, n, length(constructs[[k]]), digits = 16)
    list(construct = k, alpha = a$total$raw_alpha, std_alpha = a$total$std.alpha,
         average_r = a$total$average_r, ase = a$total$ase,
         feldt_lower = feldt$lower.ci[[1]], feldt_upper = feldt$upper.ci[[1]],
         duhachek_lower = a$total$raw_alpha - qnorm(0.975) * a$total$ase,
         duhachek_upper = a$total$raw_alpha + qnorm(0.975) * a$total$ase,
         items = lapply(constructs[[k]], function(it) list(
           item = it, mean = mean(x[[it]]), sd = sd(x[[it]]),
           r_drop = a$item.stats[it, "r.drop"],
           alpha_if_deleted = if (length(constructs[[k]]) > 2) a$alpha.drop[it, "raw_alpha"] else NA)))
  })
  # Omega total from a one-factor lavaan CFA per construct (model-implied total variance).
  omega <- lapply(names(constructs), function(k) {
    if (length(constructs[[k]]) < 3) return(list(construct = k, omega = NA, psych_omega_1f = NA))
    f1 <- cfa(paste(k, "=~", paste(constructs[[k]], collapse = " + ")), data = x)
    om <- psych::omega(x[, constructs[[k]]], nfactors = 1, plot = FALSE)
    list(construct = k, omega = unname(compRelSEM(f1, obs.var = FALSE)[[1]]),
         psych_omega_1f = om$omega.tot)
  })
  model <- paste(sapply(names(constructs), function(k)
    paste(k, "=~", paste(constructs[[k]], collapse = " + "))), collapse = "\n")
  fit <- cfa(model, data = x)
  pe <- parameterEstimates(fit)
  ss <- standardizedSolution(fit)
  ld <- pe[pe$op == "=~", ]
  sl <- ss[ss$op == "=~", ]
  loadings <- lapply(seq_len(nrow(ld)), function(i) list(
    construct = ld$lhs[i], item = ld$rhs[i], estimate = ld$est[i],
    se = if (ld$se[i] == 0) NA else ld$se[i], std = sl$est.std[i], std_se = sl$se[i]))
  fc <- ss[ss$op == "~~" & ss$lhs != ss$rhs & ss$lhs %in% names(constructs), ]
  fcov <- pe[pe$op == "~~" & pe$lhs != pe$rhs & pe$lhs %in% names(constructs), ]
  # z and p of covariances and variances as parameterEstimates() gives them (est / se, normal).
  factor_cor <- lapply(seq_len(nrow(fc)), function(i) list(
    a = fc$lhs[i], b = fc$rhs[i], covariance = fcov$est[i], se = fcov$se[i],
    z = fcov$z[i], p = fcov$pvalue[i],
    correlation = fc$est.std[i], correlation_se = fc$se[i]))
  fv <- pe[pe$op == "~~" & pe$lhs == pe$rhs & pe$lhs %in% names(constructs), ]
  factor_var <- lapply(seq_len(nrow(fv)), function(i) list(
    construct = fv$lhs[i], estimate = fv$est[i], se = fv$se[i], z = fv$z[i], p = fv$pvalue[i]))
  th <- pe[pe$op == "~~" & pe$lhs == pe$rhs & pe$lhs %in% items, ]
  residuals <- lapply(seq_len(nrow(th)), function(i) list(item = th$lhs[i], estimate = th$est[i],
                                                          se = th$se[i], z = th$z[i], p = th$pvalue[i]))
  # Log-likelihoods and information criteria: logl, unrestricted.logl, aic, bic and bic2 (the
  # sample-size adjusted BIC, ln((N + 2) / 24)); baseline.pvalue of the independence model.
  fm <- fitMeasures(fit, c("chisq", "df", "pvalue", "baseline.chisq", "baseline.df",
                           "baseline.pvalue", "cfi", "tli", "rmsea", "rmsea.ci.lower",
                           "rmsea.ci.upper", "srmr", "npar", "logl", "unrestricted.logl", "aic",
                           "bic", "bic2"))
  # CR and AVE from the standardized loadings (Fornell & Larcker), and compRelSEM's two versions.
  cr_obs <- compRelSEM(fit)
  cr_imp <- compRelSEM(fit, obs.var = FALSE)
  cr <- lapply(names(constructs), function(k) {
    l <- sl$est.std[sl$lhs == k]
    list(construct = k, cr = sum(l)^2 / (sum(l)^2 + sum(1 - l^2)), ave = mean(l^2),
         comprelsem = unname(cr_obs[[k]]), comprelsem_implied = unname(cr_imp[[k]]))
  })
  # HTMT (arithmetic means, htmt2 = FALSE) and HTMT2 (geometric means), absolute correlations.
  h1 <- semTools::htmt(model, data = x, htmt2 = FALSE)
  h2 <- semTools::htmt(model, data = x, htmt2 = TRUE)
  ks <- names(constructs)
  htmt <- list()
  for (i in seq_along(ks)) for (j in seq_along(ks)) if (j < i)
    htmt[[length(htmt) + 1]] <- list(a = ks[j], b = ks[i], htmt = h1[ks[i], ks[j]], htmt2 = h2[ks[i], ks[j]])
  # Construct scores (item means), their descriptives and correlations.
  scores <- as.data.frame(sapply(constructs, function(v) rowMeans(x[, v, drop = FALSE])))
  cors <- list()
  for (i in seq_along(ks)) for (j in seq_along(ks)) if (j < i) {
    ct <- cor.test(scores[[ks[j]]], scores[[ks[i]]])
    cors[[length(cors) + 1]] <- list(a = ks[j], b = ks[i], r = unname(ct$estimate), p = ct$p.value)
  }
  desc <- lapply(ks, function(k) list(construct = k, mean = mean(scores[[k]]), sd = sd(scores[[k]])))
  # VIF: car::vif of the regression of the last construct score on the others (needs >= 3
  # constructs), and full-collinearity VIFs (each score on all the others, Kock 2015).
  vif <- NULL
  if (length(ks) >= 3) {
    fml <- as.formula(paste(ks[length(ks)], "~", paste(ks[-length(ks)], collapse = " + ")))
    v <- car::vif(lm(fml, data = scores))
    vif <- list(outcome = ks[length(ks)], predictors = as.list(v),
                coefficients = as.list(coef(lm(fml, data = scores))))
  }
  full_vif <- lapply(ks, function(k) {
    r2 <- summary(lm(as.formula(paste(k, "~ .")), data = scores))$r.squared
    list(construct = k, vif = 1 / (1 - r2))
  })
  # Harman's single-factor test: first eigenvalue of the item correlation matrix / p (unrotated
  # principal components).
  ev <- eigen(cor(x[, items]), symmetric = TRUE, only.values = TRUE)$values
  harman <- list(first_eigenvalue = ev[1], share = ev[1] / length(items))
  # Lindell-Whitney marker correction: r_M the smallest positive correlation of the marker with a
  # construct score (Lindell & Whitney 2001, p. 116; a negative one is no estimate of method
  # variance; 0 when none is positive); r_A = (r - r_M) / (1 - r_M),
  # t = r_A / sqrt((1 - r_A^2) / (n - 3)).
  lw <- NULL
  if (!is.null(marker)) {
    mr <- sapply(ks, function(k) cor(x[[marker]], scores[[k]]))
    rm <- if (any(mr > 0)) min(mr[mr > 0]) else 0
    lw <- list(marker = marker, r_m = rm, pairs = lapply(cors, function(cc) {
      ra <- (cc$r - rm) / (1 - rm)
      tt <- ra / sqrt((1 - ra^2) / (n - 3))
      list(a = cc$a, b = cc$b, r_adjusted = ra, p = 2 * pt(-abs(tt), n - 3))
    }))
  }
  out <- list(n = n, reliability = rel, omega = omega,
              cfa = list(fit = as.list(fm), loadings = loadings, factor_variances = factor_var,
                         factor_correlations = factor_cor, residuals = residuals),
              cr = cr, htmt = htmt, descriptives = desc, correlations = cors, vif = vif,
              full_vif = full_vif, harman = harman, marker = lw)
  writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, na = "null", pretty = TRUE),
             file.path(out_dir, "expected.json"))
  writeLines(c(R.version.string,
               paste("lavaan", packageVersion("lavaan")), paste("psych", packageVersion("psych")),
               paste("semTools", packageVersion("semTools")), paste("car", packageVersion("car")),
               paste("jsonlite", packageVersion("jsonlite"))), file.path(out_dir, "versions"))
}
