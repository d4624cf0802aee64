# R mice 3.15 on the 500 MAR datasets of bench/bench_imputation.py (same settings: m = 10,
# maxit = 5, pmm for x1, logreg for x2, outcome in the model), for comparison with LeptoDx.
# Run: python mar_simulation_data.py /tmp/mar.csv && Rscript mar_simulation.R /tmp/mar.csv
# (writes mar_simulation_r.json; about 20 minutes).
suppressPackageStartupMessages({library(mice); library(jsonlite)})
d <- read.csv(commandArgs(trailingOnly = TRUE)[1])
truth <- c(-1, 0.8, 0.7, 0.3)
res <- t(sapply(0:499, function(r) {
  s <- d[d$rep == r, ]
  full <- coef(glm(y ~ f1 + f2 + f3, family = binomial, data = s))
  x <- data.frame(x1 = s$x1, x2 = factor(s$x2), x3 = s$x3, y = s$y)
  imp <- mice(x, m = 10, maxit = 5, method = c("pmm", "logreg", "", ""), printFlag = FALSE, seed = r + 1)
  p <- summary(pool(with(imp, glm(y ~ x1 + x2 + x3, family = binomial))), conf.int = TRUE)
  c(p$estimate, p[["2.5 %"]] <= truth & truth <= p[["97.5 %"]], full)
}))
est <- res[, 1:4]; cov <- res[, 5:8]; full <- res[, 9:12]
out <- list(versions = list(R = R.version.string, mice = as.character(packageVersion("mice"))),
            repetitions = nrow(res), truth = truth,
            bias = colMeans(est) - truth,
            mi_minus_full = colMeans(est - full),
            mi_minus_full_mcse = apply(est - full, 2, sd) / sqrt(nrow(res)),
            coverage = colMeans(cov))
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "mar_simulation_r.json")
