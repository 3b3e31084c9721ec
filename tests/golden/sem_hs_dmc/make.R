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
suppressPackageStartupMessages(library(semTools))
f <- "../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv"
d <- read.csv(f)
case <- "tests/golden/sem_hs_dmc"
v1 <- c("x1", "x2", "x3"); v2 <- c("x4", "x5", "x6")
base <- 'visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9
speed ~ visual + textual + vt'

all_names <- as.vector(outer(v1, v2, paste, sep = "."))
pairs <- expand.grid(i = v1, j = v2, stringsAsFactors = FALSE)
pairs$name <- paste(pairs$i, pairs$j, sep = ".")
da <- indProd(d, var1 = v1, var2 = v2, match = FALSE, meanC = TRUE, residualC = FALSE,
              doubleMC = TRUE, namesProd = pairs$name)
shared <- c()
for (a in seq_len(nrow(pairs))) for (b in seq_len(nrow(pairs))) if (a < b) {
  if (pairs$i[a] == pairs$i[b] || pairs$j[a] == pairs$j[b])
    shared <- c(shared, paste(pairs$name[a], "~~", pairs$name[b]))
}
model_all <- paste(base, paste("vt =~", paste(pairs$name, collapse = " + ")),
                   paste(shared, collapse = "\n"), sep = "\n")
dir.create(file.path(case, "all"), showWarnings = FALSE, recursive = TRUE)
write.csv(da[, c(paste0("x", 1:9), pairs$name)], file.path(case, "all", "data.csv"),
          row.names = FALSE)
sem_golden(da, model_all, file.path(case, "all"), f, mi = FALSE)

m_names <- paste(v1, v2, sep = ".")
dm <- indProd(d, var1 = v1, var2 = v2, match = TRUE, meanC = TRUE, residualC = FALSE,
              doubleMC = TRUE, namesProd = m_names)
model_m <- paste(base, paste("vt =~", paste(m_names, collapse = " + ")), sep = "\n")
dir.create(file.path(case, "matched"), showWarnings = FALSE, recursive = TRUE)
write.csv(dm[, c(paste0("x", 1:9), m_names)], file.path(case, "matched", "data.csv"),
          row.names = FALSE)
sem_golden(dm, model_m, file.path(case, "matched"), f, mi = FALSE)
writeLines(c(R.version.string, paste("lavaan", packageVersion("lavaan")),
             paste("semTools", packageVersion("semTools")),
             paste("jsonlite", packageVersion("jsonlite"))), file.path(case, "versions.txt"))
