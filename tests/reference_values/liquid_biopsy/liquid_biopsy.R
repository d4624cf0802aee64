# Reference values for leptodx.liquid_biopsy cohort statistics (detection rates, paired McNemar).
# Run: Rscript liquid_biopsy.R  (writes liquid_biopsy_reference.json next to this file)
# Detection rate CI: Wilson score interval = prop.test(x, n, correct = FALSE)$conf.int.
# Exact McNemar: binom.test(b, b + c)$p.value on the discordant pairs. mcnemar.test() is the
# asymptotic chi-square version (continuity-corrected by default); it is recorded for comparison
# only: LeptoDx reports the exact test.
suppressPackageStartupMessages(library(jsonlite))
out <- list(versions = list(R = R.version.string,
                            jsonlite = as.character(packageVersion("jsonlite"))))
# Counts of examples/ctdna/variants.csv (CSF 6/7, plasma 3/6; paired b = 2, c = 0) and others.
out$rates <- lapply(list(c(6, 7), c(3, 6), c(0, 4), c(5, 5), c(17, 40)), function(x) list(
  detected = x[1], tested = x[2],
  wilson = as.numeric(suppressWarnings(prop.test(x[1], x[2], correct = FALSE))$conf.int),
  wilson_90 = as.numeric(suppressWarnings(
    prop.test(x[1], x[2], correct = FALSE, conf.level = 0.90))$conf.int)))
# Paired tables: both, csf_only (b), plasma_only (c), neither.
out$mcnemar <- lapply(list(c(1, 2, 0, 3), c(10, 9, 2, 4), c(3, 5, 5, 1), c(4, 0, 6, 2)),
  function(x) {
    m <- matrix(x, nrow = 2, byrow = TRUE)  # rows CSF +/-, columns plasma +/-
    b <- x[2]; c <- x[3]
    list(both = x[1], csf_only = b, plasma_only = c, neither = x[4],
         exact_p = binom.test(b, b + c)$p.value,
         mcnemar_test_p = mcnemar.test(m)$p.value,
         mcnemar_test_uncorrected_p = mcnemar.test(m, correct = FALSE)$p.value)
  })
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE),
           "liquid_biopsy_reference.json")
