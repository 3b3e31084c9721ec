# Golden values on the project's teaching data, datasets/sme_survey.csv (400 simulated SMEs, 1-7
# items, a few missing cells): four constructs of the framework and firm_age as the marker item,
# collab as the VIF outcome. Run from the crate root: Rscript tests/golden/measure_sme/make.R
source("tests/golden/measure_common/measure_golden.R")
sme <- read.csv("datasets/sme_survey.csv")
constructs <- list(eo = paste0("eo_", 1:5), network_ties = paste0("ties_", 1:4),
                   social_capital = paste0("soc_", 1:4), collab = paste0("collab_", 1:4))
# Only the items and the marker: the file also has score columns named network_ties and collab,
# which lavaan would take for observed variables with the latent variables' names.
measure_golden(sme[, c(unlist(constructs), "firm_age")], constructs, "tests/golden/measure_sme",
               marker = "firm_age")
