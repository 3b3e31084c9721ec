# Regenerates every golden case: runs tests/golden/<case>/make.R for each case folder, each in a
# fresh R process, with the crate root as working directory.
#
#   Rscript tests/golden/make_all.R            # every case
#   Rscript tests/golden/make_all.R ols_pmi    # only the cases named
#
# Needs R (4.2.2 was used) with the sandwich and jsonlite packages, and the public datasets in
# ../shared/datasets relative to the crate root.
if (!file.exists("Cargo.toml") || !dir.exists("tests/golden")) {
  stop("run from the crate root: Rscript tests/golden/make_all.R")
}
if (!dir.exists("../shared/datasets")) stop("../shared/datasets not found")
scripts <- sort(Sys.glob("tests/golden/*/make.R"))
wanted <- commandArgs(trailingOnly = TRUE)
if (length(wanted) > 0) {
  scripts <- scripts[basename(dirname(scripts)) %in% wanted]
  missing <- setdiff(wanted, basename(dirname(scripts)))
  if (length(missing) > 0) stop("no such case: ", paste(missing, collapse = ", "))
}
rscript <- file.path(R.home("bin"), "Rscript")
failed <- character(0)
for (s in scripts) {
  cat("==>", s, "\n")
  status <- system2(rscript, c("--vanilla", shQuote(s)))
  if (status != 0) failed <- c(failed, s)
}
if (length(failed) > 0) stop("failed: ", paste(failed, collapse = ", "))
cat("regenerated", length(scripts), "case(s)\n")
