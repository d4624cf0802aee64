# Reference values for leptodx.reports.ticks.pretty (R's base::pretty, default arguments) and the
# Kaplan–Meier figure's time axis (numbers at risk at the pretty ticks).
# Run: Rscript pretty.R  (from this folder; reads ../survival/lung.csv, writes pretty_reference.json)
suppressPackageStartupMessages({library(survival); library(jsonlite)})

ranges <- list(
  c(0, 1022), c(0, 1), c(0, 36.5), c(0, 0.07), c(0, 123456), c(0, 2.2), c(0, 5), c(0, 10.2),
  c(3, 97), c(-3.7, 12.1), c(0, 730), c(0, 59.9), c(0, 24), c(0, 18), c(0, 7), c(0, 3),
  c(0, 1.5), c(0, 0.25), c(1, 1), c(0, 0), c(0.3, 0.30000001), c(-1e-3, 2e-3), c(0, 1e9),
  c(0, 365.25), c(0, 100), c(0, 99.5), c(0, 48), c(0, 13), c(0, 120), c(12.5, 12.75),
  c(-50, -2), c(0, 6), c(0, 9), c(0, 11))
cases <- lapply(ranges, function(r) list(low = r[1], high = r[2], n = 5L, ticks = I(pretty(r))))
more_n <- lapply(list(c(0, 1022, 3), c(0, 1022, 8), c(0, 36.5, 10), c(0, 1, 2)), function(r)
  list(low = r[1], high = r[2], n = as.integer(r[3]), ticks = I(pretty(r[1:2], n = r[3]))))

lung <- read.csv("../survival/lung.csv")
fit <- survfit(Surv(time, event) ~ sex_label, data = lung)
at <- pretty(c(0, max(lung$time)))
at <- at[at <= max(lung$time)]
risk <- summary(fit, times = at, extend = TRUE)
lung_risk <- lapply(levels(risk$strata), function(s) list(
  group = sub("sex_label=", "", s), n_risk = I(risk$n.risk[risk$strata == s])))

out <- list(
  versions = list(R = R.version.string, jsonlite = as.character(packageVersion("jsonlite")),
                  survival = as.character(packageVersion("survival"))),
  cases = c(cases, more_n),
  lung_sex = list(max_time = max(lung$time), ticks = I(at), at_risk = lung_risk))
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "pretty_reference.json")
