# A second-order factor over the three HolzingerSwineford1939 factors (loadings of latents on a
# latent live in B in lavaan's representation). Run from the crate root:
# Rscript tests/golden/sem_hs_second_order/make.R
source("tests/golden/sem_common/sem_golden.R")
f <- "../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv"
model <- 'visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9
g =~ visual + textual + speed'
sem_golden(read.csv(f), model, "tests/golden/sem_hs_second_order", f)
