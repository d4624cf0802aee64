# Reference values for leptodx.stats ROC/DeLong and proportions.
# Run: Rscript roc.R  (writes roc_reference.json next to this file)
suppressPackageStartupMessages({library(pROC); library(jsonlite)})
out <- list(versions = list(R = R.version.string, pROC = as.character(packageVersion("pROC")),
                            jsonlite = as.character(packageVersion("jsonlite"))))
for (name in c("ties_small", "ties_medium", "continuous", "sample_a", "sample_b")) {
  d <- read.csv(paste0(name, ".csv"))
  r1 <- roc(d$y, d$s1, levels = c(0, 1), direction = "<", quiet = TRUE)
  r2 <- roc(d$y, d$s2, levels = c(0, 1), direction = "<", quiet = TRUE)
  ci1 <- ci.auc(r1, method = "delong", conf.level = 0.95)
  ci1_90 <- ci.auc(r1, method = "delong", conf.level = 0.90)
  t <- roc.test(r1, r2, method = "delong", paired = TRUE)
  out[[name]] <- list(
    auc1 = as.numeric(auc(r1)), auc2 = as.numeric(auc(r2)),
    var1 = var(r1, method = "delong"), ci1 = as.numeric(ci1)[c(1, 3)],
    ci1_90 = as.numeric(ci1_90)[c(1, 3)],
    paired_z = unname(t$statistic), paired_p = t$p.value, paired_ci = as.numeric(t$conf.int))
}
a <- read.csv("sample_a.csv"); b <- read.csv("sample_b.csv")
ra <- roc(a$y, a$s1, levels = c(0, 1), direction = "<", quiet = TRUE)
rb <- roc(b$y, b$s1, levels = c(0, 1), direction = "<", quiet = TRUE)
u <- roc.test(ra, rb, method = "delong", paired = FALSE)
out$unpaired <- list(statistic = unname(u$statistic), df = unname(u$parameter), p = u$p.value)
out$proportions <- lapply(list(c(0, 20), c(7, 31), c(45, 50), c(113, 254)), function(x) list(
  events = x[1], n = x[2],
  wilson = as.numeric(prop.test(x[1], x[2], correct = FALSE)$conf.int),
  exact = as.numeric(binom.test(x[1], x[2])$conf.int)))
tabs <- list(c(12, 5, 3, 20), c(58, 18, 29, 8), c(0, 10, 7, 3))
out$tables <- lapply(tabs, function(x) {
  m <- matrix(x, nrow = 2, byrow = TRUE)
  list(table = x, fisher_p = fisher.test(m)$p.value,
       chisq_yates = unname(suppressWarnings(chisq.test(m))$statistic),
       chisq_yates_p = suppressWarnings(chisq.test(m))$p.value,
       chisq = unname(suppressWarnings(chisq.test(m, correct = FALSE))$statistic),
       chisq_p = suppressWarnings(chisq.test(m, correct = FALSE))$p.value)})
out$mcnemar <- lapply(list(c(3, 11), c(9, 9), c(0, 6)), function(x) list(
  b = x[1], c = x[2], p = binom.test(x[1], x[1] + x[2])$p.value))
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "roc_reference.json")
