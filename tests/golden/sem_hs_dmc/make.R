# Golden case sem_hs_dmc (issue 12): a latent interaction by double-mean-centred product
# indicators (Lin, Wen, Marsh and Lin 2010), on HolzingerSwineford1939:
#   speed ~ visual + textual + visual:textual
# with visual =~ x1 + x2 + x3, textual =~ x4 + x5 + x6, speed =~ x7 + x8 + x9. The products are
# made by semTools::indProd(meanC = TRUE, doubleMC = TRUE) and the model is fitted by lavaan:
#   all/     every pair x_i * x_j (9 products, modsem's "dblcent" default, match = FALSE) with a
#            residual covariance between two products that share an item (modsem's
#            res.cov.method = "simple");
#   matched/ matched pairs x1*x4, x2*x5, x3*x6 (semTools' match = TRUE), no residual covariances.
# data.csv in each case holds the product indicators as computed (the input to lavaan), so the
# product construction can be tested on its own. Run from the crate root:
#   Rscript tests/golden/sem_hs_dmc/make.R
source("tests/golden/sem_common/sem_golden.R")
source("tests/golden/R/common.R")
f <- HS_FILE
d <- hs_data()
case <- "tests/golden/sem_hs_dmc"
prods <- hs_dmc_products(d)
da <- prods$data_all; model_all <- prods$model_all
dm <- prods$data_matched; model_m <- prods$model_matched; m_names <- prods$names_matched
dir.create(file.path(case, "all"), showWarnings = FALSE, recursive = TRUE)
write.csv(da[, c(paste0("x", 1:9), prods$names_all)], file.path(case, "all", "data.csv"),
          row.names = FALSE)
# lavaan's nlminb stops at rel.tol 1e-10 on F (|gradient| 8e-6 here), which leaves the
# interaction's estimate 2e-5 (relative) from the optimum; a tighter rel.tol makes nlminb
# report false convergence. So lavaan's fit is polished by three Newton steps with its own
# gradient and Hessian (to |gradient| < 1e-13) and nlminb restarted there (it stops after one
# iteration); expected.json records this in "options".
polished <- function(data, model) {
  fit <- sem(model, data = data)
  for (it in 1:3) {
    pt <- parTable(fit)
    pt$est[pt$free > 0] <- pt$est[pt$free > 0] -
      solve(lavTech(fit, "hessian"), lavTech(fit, "gradient"))
    fit <- suppressWarnings(sem(model, data = data, start = pt, do.fit = FALSE))
  }
  stopifnot(max(abs(lavTech(fit, "gradient"))) < 1e-13)
  pt <- parTable(fit)
  pt$start <- pt$est
  pt
}
note_polished <- function(dir) {
  path <- file.path(dir, "expected.json")
  j <- read_json(path, simplifyVector = TRUE)
  j$options <- list(start = "lavaan's default fit polished by three Newton steps (make.R)")
  write_json(j, path, digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null")
}
fit_all <- sem_golden(da, model_all, file.path(case, "all"), f, mi = FALSE,
                      start = polished(da, model_all))
note_polished(file.path(case, "all"))

dir.create(file.path(case, "matched"), showWarnings = FALSE, recursive = TRUE)
write.csv(dm[, c(paste0("x", 1:9), m_names)], file.path(case, "matched", "data.csv"),
          row.names = FALSE)
fit_m <- sem_golden(dm, model_m, file.path(case, "matched"), f, mi = FALSE,
                    start = polished(dm, model_m))
note_polished(file.path(case, "matched"))
# Simple slopes of speed on visual at textual = its mean (0) and ± 1 SD (sqrt of its latent
# variance), as modsem's simple_slopes does: slope = g1 + g3 w with the delta-method variance
# V11 + 2 w V13 + w^2 V33 (w fixed at the estimate), z-based p and 95% interval; and the
# Johnson-Neyman bounds where (g1 + g3 w)^2 = z^2 Var(slope), z = qnorm(0.975).
slopes_json <- function(fit, dir) {
  pe <- parameterEstimates(fit)
  row <- function(l, o, r) which(pe$lhs == l & pe$op == o & pe$rhs == r)
  k1 <- row("speed", "~", "visual"); k3 <- row("speed", "~", "vt")
  V <- lavInspect(fit, "vcov")
  nm <- function(k) paste0(pe$lhs[k], pe$op[k], pe$rhs[k])
  i1 <- match(nm(k1), colnames(V)); i3 <- match(nm(k3), colnames(V))
  g1 <- pe$est[k1]; g3 <- pe$est[k3]
  v11 <- V[i1, i1]; v33 <- V[i3, i3]; v13 <- V[i1, i3]
  sd_w <- sqrt(pe$est[row("textual", "~~", "textual")])
  crit <- qnorm(0.975)
  probes <- lapply(c(-1, 0, 1) * sd_w, function(w) {
    est <- g1 + g3 * w; se <- sqrt(v11 + 2 * w * v13 + w^2 * v33); z <- est / se
    list(w = w, slope = est, se = se, z = z, pvalue = 2 * pnorm(-abs(z)),
         ci_lower = est - crit * se, ci_upper = est + crit * se)
  })
  a <- g3^2 - crit^2 * v33; b <- 2 * (g1 * g3 - crit^2 * v13); cc <- g1^2 - crit^2 * v11
  disc <- b^2 - 4 * a * cc
  roots <- if (disc >= 0) sort((-b + c(-1, 1) * sqrt(disc)) / (2 * a)) else numeric(0)
  write_json(list(outcome = "speed", focal = "visual", moderator = "textual",
                  moderator_sd = sd_w, crit = crit, probes = probes, jn_roots = roots,
                  jn_a = a),
             file.path(dir, "slopes.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE)
}
slopes_json(fit_all, file.path(case, "all"))
slopes_json(fit_m, file.path(case, "matched"))
write_versions(case, c("lavaan", "semTools", "jsonlite"))
