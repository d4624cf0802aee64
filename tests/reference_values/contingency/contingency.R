# Reference values for leptodx.stats.contingency (tests/stats/test_contingency.py).
# Run from this directory: Rscript contingency.R  (writes fisher.csv, chisq_rx2.csv)
options(digits = 17)
tables <- list(
  c(3, 1, 1, 3), c(1, 0, 0, 1), c(0, 5, 5, 0), c(10, 10, 10, 10), c(12, 5, 3, 20),
  c(0, 0, 3, 20), c(7, 0, 0, 0), c(0, 12, 9, 0), c(1, 40, 40, 1), c(50, 50, 49, 51),
  c(5, 0, 5, 10), c(2, 7, 8, 2), c(100, 3, 2, 100), c(11, 11, 11, 12),
  c(278520, 277391, 255787, 270039), c(206300, 229667, 219726, 218504),
  c(4000, 4100, 3950, 4180), c(120000, 1, 3, 119000), c(60, 540, 30, 570)
)
rows <- lapply(tables, function(t) {
  m <- matrix(t, 2, byrow = TRUE)  # a, b / c, d
  f <- fisher.test(m)$p.value
  ok <- all(rowSums(m) > 0) && all(colSums(m) > 0)
  y <- if (ok) suppressWarnings(chisq.test(m, correct = TRUE)) else NULL
  n <- if (ok) suppressWarnings(chisq.test(m, correct = FALSE)) else NULL
  data.frame(a = t[1], b = t[2], c = t[3], d = t[4], fisher_p = f,
             yates_stat = if (ok) unname(y$statistic) else NA,
             yates_p = if (ok) y$p.value else NA,
             pearson_stat = if (ok) unname(n$statistic) else NA,
             pearson_p = if (ok) n$p.value else NA)
})
full <- function(df) { for (k in names(df)) if (is.double(df[[k]])) df[[k]] <- sprintf("%.17g", df[[k]]); df }
write.csv(full(do.call(rbind, rows)), "fisher.csv", row.names = FALSE, quote = FALSE)
rx2 <- list(c(30, 70, 20, 80, 45, 55), c(5, 95, 12, 88, 3, 97, 20, 80), c(400, 600, 380, 620, 420, 580))
out <- lapply(seq_along(rx2), function(i) {
  m <- matrix(rx2[[i]], ncol = 2, byrow = TRUE)
  r <- chisq.test(m, correct = FALSE)
  data.frame(table = paste(rx2[[i]], collapse = " "), stat = unname(r$statistic),
             df = unname(r$parameter), p = r$p.value)
})
write.csv(full(do.call(rbind, out)), "chisq_rx2.csv", row.names = FALSE, quote = c(1))
cat(R.version.string, "\n")
