# Reference for bootstrap validation: rms validate on models.csv (B = 4000, seed 2026).
# Run: Rscript validate.R  (writes validate_reference.json)
suppressPackageStartupMessages({library(rms); library(jsonlite)})
d <- read.csv("models.csv")
f <- lrm(y ~ x1 + x2 + x3 + x4 + x5 + x6, data = d, x = TRUE, y = TRUE)
set.seed(2026)
v <- rms::validate(f, B = 4000)
idx <- c("Dxy", "Intercept", "Slope", "B")
out <- list(versions = list(R = R.version.string, rms = as.character(packageVersion("rms"))), B = 4000,
  apparent = as.list(v[idx, "index.orig"]), optimism = as.list(v[idx, "optimism"]),
  corrected = as.list(v[idx, "index.corrected"]))
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "validate_reference.json")
