# Peer of `leptodx develop --spec gao-a --bootstrap B` for bench/bench_research.py:
# rms lrm + validate + calibrate (B resamples), pROC AUC with DeLong CI, dcurves-style net benefit.
# Usage: Rscript bench_research.R cohort.csv B
suppressPackageStartupMessages({library(rms); library(pROC)})
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1]); B <- as.integer(args[2])
t0 <- Sys.time()
f <- lrm(lm ~ skull_metastasis + active_brain_metastasis + progressed_extracranial_disease +
           n_extracranial_organs + n_symptoms, data = d, x = TRUE, y = TRUE)
v <- rms::validate(f, B = B)
cal <- rms::calibrate(f, B = B)
p <- predict(f, type = "fitted")
r <- roc(d$lm, p, quiet = TRUE); ci <- ci.auc(r, method = "delong")
cmp <- roc.test(r, roc(d$lm, d$first_mri_positive, quiet = TRUE), method = "delong")
th <- seq(0.01, 0.80, by = 0.01); n <- nrow(d)
nb <- sapply(th, function(t) sum(p >= t & d$lm == 1) / n - sum(p >= t & d$lm == 0) / n * t / (1 - t))
elapsed <- as.numeric(difftime(Sys.time(), t0, units = "secs"))
cat(sprintf("%.4f %.6f %.6f\n", elapsed, as.numeric(ci[2]), v["Dxy", "index.corrected"] / 2 + 0.5))
