# Golden values on lavaan's HolzingerSwineford1939 with a two-item factor (visual = x1 + x2; x3
# left out), which a correlated-factors CFA identifies but a one-factor omega cannot use.
# Run from the crate root: Rscript tests/golden/measure_hs1939_two_item/make.R
source("tests/golden/measure_common/measure_golden.R")
hs <- read.csv("../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv")
measure_golden(hs, list(visual = c("x1", "x2"), textual = c("x4", "x5", "x6"),
                        speed = c("x7", "x8", "x9")),
               "tests/golden/measure_hs1939_two_item", marker = "ageyr")
