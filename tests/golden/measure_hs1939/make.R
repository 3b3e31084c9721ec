# Golden values on lavaan's HolzingerSwineford1939 (read from ../shared/datasets/lavaan_pkg/), the
# classic 3-factor model. Run from the crate root: Rscript tests/golden/measure_hs1939/make.R
source("tests/golden/measure_common/measure_golden.R")
hs <- read.csv("../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv")
measure_golden(hs, list(visual = c("x1", "x2", "x3"), textual = c("x4", "x5", "x6"),
                        speed = c("x7", "x8", "x9")),
               "tests/golden/measure_hs1939", marker = "ageyr")
