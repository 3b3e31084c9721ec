# Golden case process_r_omnibus_protest: the joint tests `cipa fit` prints, against R's lm, anova
# and sandwich, on Hayes' protest data (n = 129; protest 0 = no protest, 1 = individual,
# 2 = collective). Each run of case.json is a `cipa fit` call; expected.csv holds, per run and
# covariance (OLS, HC0 ... HC4):
#   - section "interaction": PROCESS's tests of highest-order unconditional interactions (X*W,
#     BOTH(X), M*W, ... as PROCESS labels them), the products dropped from the full equation;
#   - section "omnibus": the omnibus tests of a multicategorical X's codes: `direct` (the codes in
#     an equation that does not moderate X), `total` (the total effect model) and `conditional`
#     (at a value w of X's moderator: the codes' coefficients with the moderator centred at w, i.e.
#     every relative conditional effect zero there; PROCESS's "Test of equality of conditional
#     means");
#   (`at` holds the probe values, `;`-separated when there are two);
#   - section "omnibus", kind "conditional_interaction": in model 3 with a categorical X, W or Z,
#     the X*W interaction at each value of Z (every X*W coefficient zero with Z centred there, or
#     with that level of a categorical Z as the reference; PROCESS's "Test of conditional X*W
#     interaction at value(s) of Z").
# r2_change and the OLS F are anova(reduced, full) (the R² lost by dropping the columns); the HC
# rows' F is the Wald F b_S' V_S^-1 b_S / q with V = sandwich::vcovHC(full, type), p from F(q, n-k),
# and r2_change stays the OLS one (as cipa and PROCESS report it).
# Regenerate from the crate root:  Rscript tests/golden/process_r_omnibus_protest/make.R
library(sandwich)
library(jsonlite)
case <- "tests/golden/process_r_omnibus_protest"
d <- read.csv("../shared/datasets/hayes2018/protest.csv")
d$D1 <- as.numeric(d$protest == 1)
d$D2 <- as.numeric(d$protest == 2)
wvals <- c(4.25, 5.12, 5.896)
covs <- c("ols", "hc0", "hc1", "hc2", "hc3", "hc4")

# The column of coef(full) that is the product of these variables, in any order (`a:b`).
column <- function(full, term) {
  parts <- strsplit(term, ":", fixed = TRUE)[[1]]
  hit <- Filter(function(n) setequal(strsplit(n, ":", fixed = TRUE)[[1]], parts), names(coef(full)))
  if (length(hit) != 1) stop("no single column ", term)
  hit
}

# One joint test: drop the columns `drop` (products written a:b in any order) from `full`.
joint <- function(full, drop, cov) {
  drop <- vapply(drop, function(t) column(full, t), "")
  X <- model.matrix(full)
  yy <- model.response(model.frame(full))
  Xr <- X[, setdiff(colnames(X), drop), drop = FALSE]
  a <- anova(lm(yy ~ 0 + Xr), lm(yy ~ 0 + X))
  sst <- sum((yy - mean(yy))^2)
  r2c <- (a$RSS[1] - a$RSS[2]) / sst
  q <- length(drop)
  df2 <- full$df.residual
  stopifnot(a$Df[2] == q, a$Res.Df[2] == df2)
  if (cov == "ols") {
    f <- a$F[2]
  } else {
    V <- vcovHC(full, type = toupper(cov))[drop, drop, drop = FALSE]
    b <- coef(full)[drop]
    f <- as.numeric(t(b) %*% solve(V, b)) / q
  }
  c(r2_change = r2c, f = f, df1 = q, df2 = df2, p = pf(f, q, df2, lower.tail = FALSE))
}

rows <- list()
add <- function(run, section, outcome, label, kind, at, full, drop) {
  for (cv in covs) {
    t <- joint(full, drop, cv)
    rows[[length(rows) + 1]] <<- data.frame(
      run = run, cov = cv, section = section, outcome = outcome, label = label, kind = kind,
      at = at, r2_change = sprintf("%.17g", t[["r2_change"]]), f = sprintf("%.17g", t[["f"]]),
      df1 = t[["df1"]], df2 = t[["df2"]], p = sprintf("%.17g", t[["p"]])
    )
  }
}
# Every relative conditional effect of X (codes D1, D2) zero at each value of W.
add_conditional <- function(run, outcome, w) {
  for (v in wvals) {
    d$Wc <- d[[w]] - v
    full <- lm(as.formula(paste(outcome, "~ D1 + D2 + Wc + D1:Wc + D2:Wc")), data = d)
    add(run, "omnibus", outcome, "protest", "conditional", sprintf("%.17g", v), full, c("D1", "D2"))
  }
}

# m4_cov_total: model 4, X = protest (categorical), M = respappr, Y = liking, covariate sexism.
fm <- lm(respappr ~ D1 + D2 + sexism, data = d)
fy <- lm(liking ~ D1 + D2 + respappr + sexism, data = d)
ft <- lm(liking ~ D1 + D2 + sexism, data = d)
add("m4_cov_total", "omnibus", "respappr", "protest", "direct", "", fm, c("D1", "D2"))
add("m4_cov_total", "omnibus", "liking", "protest", "direct", "", fy, c("D1", "D2"))
add("m4_cov_total", "omnibus", "liking", "protest", "total", "", ft, c("D1", "D2"))

# m1_mcx: model 1, X = protest (categorical), W = sexism, Y = liking.
f1 <- lm(liking ~ D1 + D2 + sexism + D1:sexism + D2:sexism, data = d)
add("m1_mcx", "interaction", "liking", "X*W", "", "", f1, c("D1:sexism", "D2:sexism"))
add_conditional("m1_mcx", "liking", "sexism")

# m1_mcw: model 1, X = sexism, W = protest (categorical), Y = liking.
f2 <- lm(liking ~ sexism + D1 + D2 + sexism:D1 + sexism:D2, data = d)
add("m1_mcw", "interaction", "liking", "X*W", "", "", f2, c("sexism:D1", "sexism:D2"))

# m7_mcx: model 7, X = protest (categorical), W = sexism on X -> M, M = respappr, Y = liking.
f3 <- lm(respappr ~ D1 + D2 + sexism + D1:sexism + D2:sexism, data = d)
f4 <- lm(liking ~ D1 + D2 + respappr, data = d)
add("m7_mcx", "interaction", "respappr", "X*W", "", "", f3, c("D1:sexism", "D2:sexism"))
add_conditional("m7_mcx", "respappr", "sexism")
add("m7_mcx", "omnibus", "liking", "protest", "direct", "", f4, c("D1", "D2"))

# m17: model 17, X = sexism, M = respappr, W = angry, Z = protest (numeric), Y = liking.
f5 <- lm(liking ~ sexism + respappr + angry + sexism:angry + respappr:angry + protest +
  sexism:protest + respappr:protest, data = d)
int <- list(
  "X*W" = "sexism:angry", "X*Z" = "sexism:protest", "BOTH(X)" = c("sexism:angry", "sexism:protest"),
  "M*W" = "respappr:angry", "M*Z" = "respappr:protest",
  "BOTH(M)" = c("respappr:angry", "respappr:protest")
)
for (l in names(int)) add("m17", "interaction", "liking", l, "", "", f5, int[[l]])

# Three-way models with a categorical variable: the conditional X*W interaction at each value of
# Z is the X*W coefficients (all of them jointly) with Z centred at that value, or for a
# categorical Z with that level as the reference.
zvals <- c(3.45, 5.25, 6.25)
# m3_mcx: model 3, X = protest (categorical), W = sexism, Z = respappr.
for (v in zvals) {
  d$Zc <- d$respappr - v
  f <- lm(liking ~ (D1 + D2) * sexism * Zc, data = d)
  add("m3_mcx", "omnibus", "liking", "protest:sexism", "conditional_interaction", sprintf("%.17g", v),
      f, c("D1:sexism", "D2:sexism"))
}
# ... and the equality of conditional means at each (W, Z) pair, both centred.
for (v in wvals) for (u in zvals) {
  d$Wc <- d$sexism - v
  d$Zc <- d$respappr - u
  f <- lm(liking ~ (D1 + D2) * Wc * Zc, data = d)
  add("m3_mcx", "omnibus", "liking", "protest", "conditional", sprintf("%.17g;%.17g", v, u),
      f, c("D1", "D2"))
}
# m3_mcw: model 3, X = sexism, W = protest (categorical), Z = respappr.
for (v in zvals) {
  d$Zc <- d$respappr - v
  f <- lm(liking ~ sexism * (D1 + D2) * Zc, data = d)
  add("m3_mcw", "omnibus", "liking", "sexism:protest", "conditional_interaction", sprintf("%.17g", v),
      f, c("sexism:D1", "sexism:D2"))
}
# m3_mcz: model 3, X = sexism, W = respappr, Z = protest (categorical): at each level of Z.
for (k in 0:2) {
  d$Zf <- relevel(factor(d$protest), ref = as.character(k))
  f <- lm(liking ~ sexism * respappr * Zf, data = d)
  add("m3_mcz", "omnibus", "liking", "sexism:respappr", "conditional_interaction", as.character(k),
      f, "sexism:respappr")
}

write.csv(do.call(rbind, rows), file.path(case, "expected.csv"), row.names = FALSE)
writeLines(c(R.version.string, paste("sandwich", packageVersion("sandwich")),
             paste("jsonlite", packageVersion("jsonlite"))), file.path(case, "versions.txt"))
cat("wrote", file.path(case, "expected.csv"), "\n")
