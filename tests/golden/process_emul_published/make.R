# Golden case process_emul_published: PROCESS for R v4's bootstrap, re-implemented in R from its documented
# algorithm (see tests/golden/PROCESS_CASES.md), run on the bootstrap calls of the published reference output
# ../shared/reference/process_v4_published.csv, and written at full precision. No PROCESS code is used or copied.
#
# The algorithm (PROCESS for R 4.0.1 and 4.3.1, process.R):
#   set.seed(seed); then for each resample: v <- trunc(runif(n) * n) + 1 (row numbers, 1-based), every equation
#   (mediators in order, then Y) refitted by OLS on rows v; a resample whose X'X has an eigenvalue <= 2e-12 or
#   whose outcome has no variance is discarded and another one drawn.
#   BootSE = sd() of the B draws (n - 1); percentile interval = sorted draws at 1-based positions
#   round(B*(1-conf/100)/2) and trunc(B*conf/100 + B*(1-conf/100)/2) + 1, i.e. 125 and 4876 for B = 5000,
#   250 and 9751 for B = 10000 (conf = 95).
#   Standardized indirect effects divide each draw by sd(Y) of its resample (partially standardized) and
#   multiply by sd(X) of its resample (completely standardized).
#
# Writes, from the crate root:  Rscript tests/golden/process_emul_published/make.R
#   bootstrap_emulated.csv  call, quantity (as in the published file), value (%.17g), published_printed,
#                           agrees (TRUE when value rounds to the printed number)
#   runif_check.csv         the first uniforms after set.seed(seed) and the first rows of resample 1
#   case.json, versions.txt
suppressPackageStartupMessages(library(jsonlite))
if (!file.exists("Cargo.toml")) stop("run from the crate root")
dir <- "tests/golden/process_emul_published"
ref_path <- "../shared/reference/process_v4_published.csv"
ref <- read.csv(ref_path, stringsAsFactors = FALSE, colClasses = "character")
f17 <- function(v) sprintf("%.17g", v)
hd <- "../shared/datasets/hayes2018/"
pmi <- read.csv(paste0(hd, "pmi.csv"))
estress <- read.csv(paste0(hd, "estress.csv"))
disaster <- read.csv(paste0(hd, "disaster.csv"))
disaster$frame_skeptic <- disaster$frame * disaster$skeptic

# eqs: list of list(lhs, rhs); returns list of B x (1 + length(rhs)) coefficient matrices and the resample sds
boot_fit <- function(data, eqs, seed, B, xname, yname) {
  set.seed(seed)
  n <- nrow(data)
  coefs <- lapply(eqs, function(e) matrix(NA_real_, B, length(e$rhs) + 1))
  sdx <- sdy <- numeric(B)
  good <- 0; tries <- 0
  while (good < B && tries < 2 * B) {
    tries <- tries + 1
    v <- trunc(runif(n) * n) + 1
    bs <- list(); bad <- FALSE
    for (k in seq_along(eqs)) {
      X <- cbind(1, as.matrix(data[v, eqs[[k]]$rhs, drop = FALSE]))
      y <- data[v, eqs[[k]]$lhs]
      xtx <- crossprod(X)
      if (min(eigen(xtx, symmetric = TRUE, only.values = TRUE)$values) <= 2e-12 || sd(y) == 0) { bad <- TRUE; break }
      bs[[k]] <- solve(xtx) %*% crossprod(X, y)
    }
    if (bad) next
    good <- good + 1
    for (k in seq_along(eqs)) coefs[[k]][good, ] <- bs[[k]]
    sdx[good] <- sd(data[v, xname]); sdy[good] <- sd(data[v, yname])
  }
  if (good < B) stop("bootstrap failed")
  obs <- lapply(eqs, function(e) { X <- cbind(1, as.matrix(data[, e$rhs, drop = FALSE])); solve(crossprod(X)) %*% crossprod(X, data[[e$lhs]]) })
  list(coefs = coefs, obs = obs, sdx = sdx, sdy = sdy, sdx0 = sd(data[[xname]]), sdy0 = sd(data[[yname]]), tries = tries)
}
coef_of <- function(fit, k, eqs, name) { j <- match(name, c("constant", eqs[[k]]$rhs)); list(obs = fit$obs[[k]][j], boot = fit$coefs[[k]][, j]) }
summ <- function(obs, draws, conf = 95) {
  B <- length(draws)
  lo <- round(B * (1 - conf / 100) / 2)
  hi <- trunc(B * (conf / 100) + B * (1 - conf / 100) / 2) + 1
  s <- sort(draws)
  c(Effect = obs, BootSE = sd(draws), BootLLCI = s[lo], BootULCI = s[hi])
}

calls <- list()
# model 4, single mediator
m4 <- function(call, data, x, m, y, cov, seed, std = FALSE, B = 5000) {
  eqs <- list(list(lhs = m, rhs = c(x, cov)), list(lhs = y, rhs = c(x, m, cov)))
  f <- boot_fit(data, eqs, seed, B, x, y)
  a <- coef_of(f, 1, eqs, x); b <- coef_of(f, 2, eqs, m)
  out <- list()
  out[[paste("Indirect effect(s) of X on Y", m, sep = " | ")]] <- summ(a$obs * b$obs, a$boot * b$boot)
  if (std) out[[paste("Completely standardized indirect effect(s) of X on Y", m, sep = " | ")]] <-
    summ(a$obs * b$obs * f$sdx0 / f$sdy0, a$boot * b$boot * f$sdx / f$sdy)
  list(call = call, seed = seed, B = B, results = out, tries = f$tries)
}
calls[[1]] <- m4('process(pmi_data, y = "reaction", x = "cond", m = "pmi", total = 1, normal = 1, model = 4, progress=0, seed=31216)',
                 pmi, "cond", "pmi", "reaction", character(0), 31216)
calls[[2]] <- m4('process(estress, y = "withdraw", x = "estress", m = "affect", total = 1, normal = 1, model = 4, progress=0, seed=100770)',
                 estress, "estress", "affect", "withdraw", character(0), 100770)
calls[[3]] <- m4('process(estress, y = "withdraw", x = "estress", m = "affect", cov = c("ese", "sex", "tenure"), total = 1, model = 4, progress=0, seed=100770)',
                 estress, "estress", "affect", "withdraw", c("ese", "sex", "tenure"), 100770)
calls[[4]] <- m4('process(estress, y = "withdraw", x = "estress", m = "affect", cov = c("ese", "sex", "tenure"), total = 1, model = 4, progress = 0, effsize = 1, seed=100770)',
                 estress, "estress", "affect", "withdraw", c("ese", "sex", "tenure"), 100770, std = TRUE)

# model 4, parallel mediators import, pmi with total, contrast and partially standardized effects (X dichotomous)
local({
  eqs <- list(list(lhs = "import", rhs = "cond"), list(lhs = "pmi", rhs = "cond"),
              list(lhs = "reaction", rhs = c("cond", "import", "pmi")))
  f <- boot_fit(pmi, eqs, 10, 5000, "cond", "reaction")
  a1 <- coef_of(f, 1, eqs, "cond"); a2 <- coef_of(f, 2, eqs, "cond")
  b1 <- coef_of(f, 3, eqs, "import"); b2 <- coef_of(f, 3, eqs, "pmi")
  i1 <- list(o = a1$obs * b1$obs, b = a1$boot * b1$boot); i2 <- list(o = a2$obs * b2$obs, b = a2$boot * b2$boot)
  out <- list()
  for (std in c(FALSE, TRUE)) {
    sec <- if (std) "Partially standardized indirect effect(s) of X on Y" else "Indirect effect(s) of X on Y"
    so <- if (std) f$sdy0 else 1; sb <- if (std) f$sdy else 1
    out[[paste(sec, "TOTAL", sep = " | ")]] <- summ((i1$o + i2$o) / so, (i1$b + i2$b) / sb)
    out[[paste(sec, "import", sep = " | ")]] <- summ(i1$o / so, i1$b / sb)
    out[[paste(sec, "pmi", sep = " | ")]] <- summ(i2$o / so, i2$b / sb)
    out[[paste(sec, "(C1)", sep = " | ")]] <- summ((i1$o - i2$o) / so, (i1$b - i2$b) / sb)
  }
  calls[[5]] <<- list(call = 'process(pmi_data, y = "reaction", x = "cond", m = c("import", "pmi"), model = 4, total = 1, contrast = 1, effsize = 1, progress = 0, seed = 10)',
                      seed = 10, B = 5000, results = out, tries = f$tries)
})

# model 6, serial import -> pmi, B = 10000
local({
  eqs <- list(list(lhs = "import", rhs = "cond"), list(lhs = "pmi", rhs = c("cond", "import")),
              list(lhs = "reaction", rhs = c("cond", "import", "pmi")))
  f <- boot_fit(pmi, eqs, 31216, 10000, "cond", "reaction")
  a1 <- coef_of(f, 1, eqs, "cond"); a2 <- coef_of(f, 2, eqs, "cond"); d21 <- coef_of(f, 2, eqs, "import")
  b1 <- coef_of(f, 3, eqs, "import"); b2 <- coef_of(f, 3, eqs, "pmi")
  ind <- list(Ind1 = list(o = a1$obs * b1$obs, b = a1$boot * b1$boot),
              Ind2 = list(o = a2$obs * b2$obs, b = a2$boot * b2$boot),
              Ind3 = list(o = a1$obs * d21$obs * b2$obs, b = a1$boot * d21$boot * b2$boot))
  sec <- "Indirect effect(s) of X on Y"
  out <- list()
  out[[paste(sec, "TOTAL", sep = " | ")]] <- summ(ind$Ind1$o + ind$Ind2$o + ind$Ind3$o, ind$Ind1$b + ind$Ind2$b + ind$Ind3$b)
  for (k in names(ind)) out[[paste(sec, k, sep = " | ")]] <- summ(ind[[k]]$o, ind[[k]]$b)
  pairs <- list(c(1, 2), c(1, 3), c(2, 3))
  for (j in 1:3) out[[paste(sec, sprintf("(C%d)", j), sep = " | ")]] <-
    summ(ind[[pairs[[j]][1]]]$o - ind[[pairs[[j]][2]]]$o, ind[[pairs[[j]][1]]]$b - ind[[pairs[[j]][2]]]$b)
  calls[[6]] <<- list(call = 'process(pmi_data, y = "reaction", x = "cond", m = c("import", "pmi"), model = 6, total = 1, contrast = 1, boot = 10000, progress = 0, seed = 031216)',
                      seed = 31216, B = 10000, results = out, tries = f$tries)
})

# model 8: conditional indirect effects at PROCESS's 16th/50th/84th percentiles of skeptic, index a3*b
local({
  eqs <- list(list(lhs = "justify", rhs = c("frame", "skeptic", "frame_skeptic")),
              list(lhs = "donate", rhs = c("frame", "justify", "skeptic", "frame_skeptic")))
  f <- boot_fit(disaster, eqs, 280417, 5000, "frame", "donate")
  a1 <- coef_of(f, 1, eqs, "frame"); a3 <- coef_of(f, 1, eqs, "frame_skeptic"); b <- coef_of(f, 2, eqs, "justify")
  s <- sort(disaster$skeptic); n <- length(s)
  probe <- sapply(c(.16, .5, .84), function(p) { lo <- trunc(p * (n + 1)); s[lo] + (s[lo + 1] - s[lo]) * (p * (n + 1) - lo) })
  out <- list()
  for (w in probe) out[[sprintf("INDIRECT EFFECT | frame -> justify -> donate | skeptic=%.2f", w)]] <-
    summ((a1$obs + a3$obs * w) * b$obs, (a1$boot + a3$boot * w) * b$boot)
  imm <- summ(a3$obs * b$obs, a3$boot * b$boot)
  names(imm)[1] <- "Index"  # PROCESS labels the point estimate of an index "Index"
  out[["Index of moderated mediation | frame -> justify -> donate | skeptic"]] <- imm
  calls[[7]] <<- list(call = 'process(y = "donate", x = "frame", w = "skeptic", m = "justify", model = 8, jn = 1, plot = 1, decimals = 10.2, seed = 280417, progress = 0, data = disaster)',
                      seed = 280417, B = 5000, results = out, tries = f$tries, probes = probe)
})

rows <- list()
for (cl in calls) {
  pub <- ref[ref$call == cl$call, ]
  if (nrow(pub) == 0) stop("call not in the published file: ", cl$call)
  for (key in names(cl$results)) {
    for (col in names(cl$results[[key]])) {
      q <- paste(key, col, sep = " | ")
      hit <- pub[pub$quantity == q, ]
      val <- cl$results[[key]][[col]]
      printed <- if (nrow(hit) == 1) hit$printed else ""
      agrees <- if (nrow(hit) == 1) {
        dp <- nchar(sub("^-?[0-9]*\\.?", "", printed))
        isTRUE(abs(val - as.numeric(printed)) <= 0.5 * 10^-dp + 1e-12)
      } else NA
      rows[[length(rows) + 1]] <- data.frame(call = cl$call, quantity = q, value = f17(val), published_printed = printed,
                                             agrees = agrees, stringsAsFactors = FALSE)
    }
  }
}
out <- do.call(rbind, rows)
write.csv(out, file.path(dir, "bootstrap_emulated.csv"), row.names = FALSE, na = "")
cat(sprintf("process_emul_published: %d quantities, %d with a published number, %d agree\n",
            nrow(out), sum(out$published_printed != ""), sum(out$agrees, na.rm = TRUE)))
if (any(out$agrees == FALSE, na.rm = TRUE)) print(out[out$agrees %in% FALSE, c("quantity", "value", "published_printed")])

chk <- list()
for (cl in list(list(seed = 31216, n = nrow(pmi)), list(seed = 100770, n = nrow(estress)), list(seed = 10, n = nrow(pmi)),
                list(seed = 280417, n = nrow(disaster)))) {
  set.seed(cl$seed); u <- runif(5)
  set.seed(cl$seed); v <- trunc(runif(cl$n) * cl$n) + 1
  chk[[length(chk) + 1]] <- data.frame(seed = cl$seed, n = cl$n, index = 1:5, runif = f17(u), resample1_row = v[1:5])
}
write.csv(do.call(rbind, chk), file.path(dir, "runif_check.csv"), row.names = FALSE)

meta <- list(
  case = "process_emul_published",
  description = "PROCESS for R v4 bootstrap re-implemented in R (resampling with R's runif after set.seed(seed), percentile order statistics) on the bootstrap calls of the published reference output; full-precision BootSE/BootLLCI/BootULCI and the matching published (rounded) numbers.",
  reference = ref_path,
  datasets = c(paste0(hd, "pmi.csv"), paste0(hd, "estress.csv"), paste0(hd, "disaster.csv")),
  tool = "R (re-implementation of PROCESS's documented algorithm; no PROCESS code)",
  r_version = R.version.string,
  rng = "R default: Mersenne-Twister, set.seed(seed) (R's initial scrambling: seed <- 69069*seed + 1 fifty times, then 625 words), unif_rand = genrand_int32 * 2^-32 fixed into (0,1); runif_check.csv lists the first values",
  resampling = "v <- trunc(runif(n) * n) + 1 per resample; mediator equations then Y refitted on the same rows; resamples with a singular X'X (eigenvalue <= 2e-12) or constant outcome are discarded",
  percentile_positions = "round(B*(1-conf/100)/2) and trunc(B*conf/100 + B*(1-conf/100)/2) + 1 (1-based, sorted draws)",
  calls = lapply(calls, function(cl) list(call = cl$call, seed = cl$seed, B = cl$B, resamples_drawn = cl$tries)),
  files = c("bootstrap_emulated.csv", "case.json", "make.R", "runif_check.csv", "versions.txt")
)
writeLines(toJSON(meta, auto_unbox = TRUE, pretty = TRUE, digits = NA), file.path(dir, "case.json"))
writeLines(c(R.version.string, paste("jsonlite", packageVersion("jsonlite"))), file.path(dir, "versions.txt"))
