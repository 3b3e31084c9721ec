# Golden case sem_hs_groups_dmc (issue 12): a latent interaction by double-mean-centred product
# indicators (Lin, Wen, Marsh and Lin 2010) in a multi-group model, HolzingerSwineford1939 by
# school:
#   speed ~ visual + textual + visual:textual
# with visual =~ x1 + x2 + x3, textual =~ x4 + x5 + x6, speed =~ x7 + x8 + x9.
# The product indicators are made ONCE over the whole sample (semTools::indProd(meanC = TRUE,
# doubleMC = TRUE) on all 301 rows), as modsem 1.0's method = "dblcent" does with group =
# (modsem_pi.R: createProdInds() centres over the listwise-complete data, the group column
# aside), and lavaan fits them with group = "school":
#   configural/  every pair x_i * x_j (9 products, modsem's default match = FALSE) with a
#                residual covariance between two products sharing an item (res.cov "simple");
#   regressions/ matched pairs x1*x4, x2*x5, x3*x6 (semTools' match = TRUE), no residual
#                covariances, group.equal = "regressions".
# (lavaan 0.6-14 does not converge on textual ~ visual + speed + visual:speed by school, with
# either pairing, so the interaction is sem_hs_dmc's.) data.csv holds the product columns as
# computed (with school), slopes.json the simple slopes of speed on visual at textual = 0 and
# +- 1 SD in each group (delta method on lavaan's vcov,
# modsem's simple_slopes) and the Johnson-Neyman roots. Run from the crate root:
#   Rscript tests/golden/sem_hs_groups_dmc/make.R
source("tests/golden/sem_common/sem_golden.R")
source("tests/golden/R/common.R")
f <- HS_FILE
d <- hs_data()
case <- "tests/golden/sem_hs_groups_dmc"
prods <- hs_dmc_products(d)
da <- prods$data_all; model_all <- prods$model_all
dm <- prods$data_matched; model_m <- prods$model_matched; m_names <- prods$names_matched

# lavaan's nlminb stops at rel.tol 1e-10 on F, short of the optimum in the flat directions of
# these models; its fit is polished by Newton steps with its own gradient and Hessian and
# restarted there (as sem_hs_dmc/make.R), recorded in expected.json's "options".
# Under group.equal the equalities are constraints (lavaan's con.jac): the Newton steps are taken
# in their null space K, dz = -(K'HK)^-1 K'g, and convergence is |K'g| (the projected gradient).
polished <- function(data, model, ...) {
  fit <- sem(model, data = data, group = "school", ...)
  null_space <- function(fit) {
    J <- fit@Model@con.jac
    q <- length(lavTech(fit, "gradient"))
    if (is.null(J) || nrow(J) == 0) return(diag(q))
    qrJ <- qr(t(J))
    qr.Q(qrJ, complete = TRUE)[, -seq_len(qrJ$rank), drop = FALSE]
  }
  for (it in 1:4) {
    pt <- parTable(fit)
    K <- null_space(fit)
    g <- lavTech(fit, "gradient"); H <- lavTech(fit, "hessian")
    step <- K %*% solve(t(K) %*% H %*% K, t(K) %*% g)
    pt$est[pt$free > 0] <- pt$est[pt$free > 0] - as.numeric(step)
    fit <- suppressWarnings(sem(model, data = data, group = "school", ..., start = pt,
                                do.fit = FALSE))
  }
  pg <- max(abs(t(null_space(fit)) %*% lavTech(fit, "gradient")))
  print(pg)
  stopifnot(pg < 1e-12)
  pt <- parTable(fit)
  pt$start <- pt$est
  pt
}
note_polished <- function(dir) {
  path <- file.path(dir, "expected.json")
  j <- read_json(path, simplifyVector = TRUE)
  j$options$start <- "lavaan's default fit polished by four Newton steps (make.R)"
  write_json(j, path, digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null")
}

# Simple slopes of speed on visual at textual = 0 and +- 1 SD of textual's variance in each
# group: g1 + g3 w, variance V11 + 2 w V13 + w^2 V33 (w fixed), z-based p and 95% interval;
# Johnson-Neyman roots of (g1 + g3 w)^2 = z^2 Var(slope).
slopes_json <- function(fit, dir) {
  pe <- parameterEstimates(fit)
  pt <- parTable(fit)
  V <- lavInspect(fit, "vcov")
  crit <- qnorm(0.975)
  out <- lapply(seq_len(lavInspect(fit, "ngroups")), function(g) {
    row <- function(l, o, r) which(pe$lhs == l & pe$op == o & pe$rhs == r & pe$group == g)
    k1 <- row("speed", "~", "visual"); k3 <- row("speed", "~", "vt")
    fr <- function(k) pt$free[pt$lhs == pe$lhs[k] & pt$op == pe$op[k] & pt$rhs == pe$rhs[k] &
                                 pt$group == g]
    i1 <- fr(k1); i3 <- fr(k3)
    g1 <- pe$est[k1]; g3 <- pe$est[k3]
    v11 <- V[i1, i1]; v33 <- V[i3, i3]; v13 <- V[i1, i3]
    sd_w <- sqrt(pe$est[row("textual", "~~", "textual")])
    probes <- lapply(c(-1, 0, 1) * sd_w, function(w) {
      est <- g1 + g3 * w; se <- sqrt(v11 + 2 * w * v13 + w^2 * v33); z <- est / se
      list(w = w, slope = est, se = se, z = z, pvalue = 2 * pnorm(-abs(z)),
           ci_lower = est - crit * se, ci_upper = est + crit * se)
    })
    a <- g3^2 - crit^2 * v33; b <- 2 * (g1 * g3 - crit^2 * v13); cc <- g1^2 - crit^2 * v11
    disc <- b^2 - 4 * a * cc
    roots <- if (disc >= 0) sort((-b + c(-1, 1) * sqrt(disc)) / (2 * a)) else numeric(0)
    list(group = lavInspect(fit, "group.label")[g], outcome = "speed", focal = "visual",
         moderator = "textual", moderator_sd = sd_w, crit = crit, probes = probes,
         jn_roots = roots, jn_a = a)
  })
  write_json(out, file.path(dir, "slopes.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE)
}

dir <- file.path(case, "configural")
dir.create(dir, showWarnings = FALSE, recursive = TRUE)
write.csv(da[, c("school", paste0("x", 1:9), prods$names_all)], file.path(dir, "data.csv"),
          row.names = FALSE)
fit_c <- sem_golden(da, model_all, dir, f, group = "school", mi = FALSE, resid = FALSE,
                    start = polished(da, model_all))
note_polished(dir)
slopes_json(fit_c, dir)

dir <- file.path(case, "regressions")
dir.create(dir, showWarnings = FALSE, recursive = TRUE)
write.csv(dm[, c("school", paste0("x", 1:9), m_names)], file.path(dir, "data.csv"),
          row.names = FALSE)
fit_r <- sem_golden(dm, model_m, dir, f, group = "school", group.equal = "regressions",
                    mi = FALSE, resid = FALSE,
                    start = polished(dm, model_m, group.equal = "regressions"))
note_polished(dir)
slopes_json(fit_r, dir)
write_versions(case, c("lavaan", "semTools", "jsonlite"))
