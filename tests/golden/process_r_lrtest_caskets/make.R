# Golden case process_r_lrtest_caskets: the joint tests `cipa fit` prints for a dichotomous Y,
# against R's glm, on Hayes' caskets data (n = 541; kerry 0/1; educ has 7 levels). As in
# process_r_omnibus_protest, each run of case.json is a `cipa fit` call and expected.csv holds
# per run:
#   - section "interaction": PROCESS's "Likelihood ratio test of highest order unconditional
#     interaction(s)": chisq = deviance(reduced) - deviance(full), df = columns dropped;
#   - section "omnibus": the tests of the categorical X's codes: `direct` and `total` in the
#     logistic equations as likelihood-ratio tests (PROCESS's "Omnibus likelihood ratio test"),
#     `direct` in the OLS mediator equation as R² change (anova), and `conditional` at a value w
#     of X's moderator as the Wald chi-square b_S' V_S^-1 b_S of the codes with the moderator
#     centred at w and V = vcov(glm) (PROCESS's "Test of equality of conditional logits").
# glm runs with epsilon = 1e-15, maxit = 200 (tests/golden/README.md: the default stops early).
# Regenerate from the crate root:  Rscript tests/golden/process_r_lrtest_caskets/make.R
library(jsonlite)
case <- "tests/golden/process_r_lrtest_caskets"
d <- read.csv("../shared/datasets/hayes2018/caskets.csv")
d$educ_f <- factor(d$educ, levels = sort(unique(d$educ)))
ctl <- glm.control(epsilon = 1e-15, maxit = 200)
logit <- function(f) glm(f, family = binomial, data = d, control = ctl)
codes <- function(fit) grep("^educ_f", names(coef(fit)), value = TRUE)
column <- function(fit, term) {
  parts <- strsplit(term, ":", fixed = TRUE)[[1]]
  hit <- Filter(function(n) setequal(strsplit(n, ":", fixed = TRUE)[[1]], parts), names(coef(fit)))
  if (length(hit) != 1) stop("no single column ", term)
  hit
}
g <- function(x) sprintf("%.17g", x)
rows <- list()
row <- function(run, section, outcome, label, kind, at, r2c, f, df1, df2, p, chisq) {
  rows[[length(rows) + 1]] <<- data.frame(
    run = run, cov = "ols", section = section, outcome = outcome, label = label, kind = kind,
    at = at, r2_change = g(r2c), f = g(f), df1 = df1, df2 = g(df2), p = g(p), chisq = g(chisq)
  )
}
# Likelihood ratio: refit without the columns `drop` (a model matrix without them).
lr <- function(run, section, label, kind, full, drop) {
  X <- model.matrix(full)
  yy <- full$y
  reduced <- glm(yy ~ 0 + X[, setdiff(colnames(X), drop), drop = FALSE], family = binomial,
                 control = ctl)
  chisq <- deviance(reduced) - deviance(full)
  q <- length(drop)
  row(run, section, "kerry", label, kind, "", NA, NA, q, NA, pchisq(chisq, q, lower.tail = FALSE), chisq)
}

# lr_m2: model 2, X = policy, W = interest, Z = conserv, Y = kerry.
f <- logit(kerry ~ policy + interest + policy:interest + conserv + policy:conserv)
lr("lr_m2", "interaction", "X*W", "", f, "policy:interest")
lr("lr_m2", "interaction", "X*Z", "", f, "policy:conserv")
lr("lr_m2", "interaction", "BOTH", "", f, c("policy:interest", "policy:conserv"))

# lr_m17: model 17, X = policy, M = interest, W = conserv, Z = age, Y = kerry.
f <- logit(kerry ~ policy + interest + conserv + policy:conserv + interest:conserv + age +
  policy:age + interest:age)
int <- list("X*W" = "policy:conserv", "X*Z" = "policy:age", "BOTH(X)" = c("policy:conserv", "policy:age"),
            "M*W" = "interest:conserv", "M*Z" = "interest:age",
            "BOTH(M)" = c("interest:conserv", "interest:age"))
for (l in names(int)) lr("lr_m17", "interaction", l, "", f, vapply(int[[l]], function(t) column(f, t), ""))

# lr_m1_mcx: model 1, X = educ (categorical, reference 1), W = conserv, Y = kerry.
f <- logit(kerry ~ educ_f * conserv)
lr("lr_m1_mcx", "interaction", "X*W", "", f, grep(":", names(coef(f)), value = TRUE))
for (v in c(2, 4, 6)) {
  d$Wc <- d$conserv - v
  fc <- logit(kerry ~ educ_f * Wc)
  s <- codes(fc)
  s <- s[!grepl(":", s)]
  b <- coef(fc)[s]
  chisq <- as.numeric(t(b) %*% solve(vcov(fc)[s, s], b))
  row("lr_m1_mcx", "omnibus", "kerry", "educ", "conditional", g(v), NA, NA, length(s), NA,
      pchisq(chisq, length(s), lower.tail = FALSE), chisq)
}

# lr_m4_mcx: model 4, X = educ (categorical), M = interest, Y = kerry, total effect model.
fm <- lm(interest ~ educ_f, data = d)
a <- anova(lm(interest ~ 1, data = d), fm)
sst <- sum((d$interest - mean(d$interest))^2)
row("lr_m4_mcx", "omnibus", "interest", "educ", "direct", "", (a$RSS[1] - a$RSS[2]) / sst, a$F[2],
    a$Df[2], a$Res.Df[2], a$`Pr(>F)`[2], NA)
fy <- logit(kerry ~ educ_f + interest)
lr("lr_m4_mcx", "omnibus", "educ", "direct", fy, codes(fy))
ft <- logit(kerry ~ educ_f)
lr("lr_m4_mcx", "omnibus", "educ", "total", ft, codes(ft))

write.csv(do.call(rbind, rows), file.path(case, "expected.csv"), row.names = FALSE)
writeLines(c(R.version.string, paste("jsonlite", packageVersion("jsonlite"))),
           file.path(case, "versions.txt"))
cat("wrote", file.path(case, "expected.csv"), "\n")
