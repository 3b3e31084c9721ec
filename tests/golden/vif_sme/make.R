# Golden values for `cipa regress --vif`: car::vif on the shipped example data.
# Run from the crate root: Rscript tests/golden/vif_sme/make.R
suppressPackageStartupMessages(library(car))
d <- read.csv("datasets/sme_example.csv", na.strings = c("", "NA", "-99"))
d$cxp <- d$collab * d$psychic_distance
fit <- lm(export_intensity ~ collab + network_ties + psychic_distance + cxp + family_owned, data = d)
v <- vif(fit)
names(v)[names(v) == "cxp"] <- "collab:psychic_distance"
write.csv(data.frame(term = names(v), vif = sprintf("%.15g", v)), "tests/golden/vif_sme/expected.csv",
          row.names = FALSE, quote = FALSE)
writeLines(c(R.version.string, paste("car", packageVersion("car"))), "tests/golden/vif_sme/versions.txt")
