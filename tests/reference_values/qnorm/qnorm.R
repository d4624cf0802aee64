# Reference values for leptodx.stats.normal_quantile (tests/stats/test_normal_quantile.py).
# Run from this directory: Rscript qnorm.R  (writes qnorm.csv)
# R's qnorm is Wichura's AS 241; the test requires the same doubles, bit for bit.
set.seed(241)
p <- c(0.5 + c(0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999) / 2,
       0.5, 0.75, 0.6, 0.9999, 1e-4, 1e-10, 1e-100, 0.3, 0.425, 0.575, 0.0001, 0.92,
       runif(200), runif(50) * 1e-6, 1 - runif(50) * 1e-6)
write.csv(data.frame(p = sprintf("%.17g", p), qnorm = sprintf("%.17g", qnorm(p))),
          "qnorm.csv", row.names = FALSE, quote = FALSE)
