# Reference values from the authors' R packages for grid.json (written by make_grid.py).
# The packages are not in Debian: source their R files (CRAN pmsampsize 1.1.3 and
# pmvalsampsize 0.1.0, e.g. from the GitHub mirrors cran/pmsampsize and cran/pmvalsampsize):
#   Rscript samplesize.R PMSAMPSIZE_R_DIR PMVALSAMPSIZE_R_DIR   (writes samplesize_r.json)
# Also writes r_random_reference.json: draws of R's default generators after set.seed(123456).
suppressPackageStartupMessages({library(jsonlite); library(pROC)})
args <- commandArgs(trailingOnly = TRUE)
for (dir in args[1:2]) for (f in list.files(dir, pattern = "\\.R$", full.names = TRUE)) source(f)
grid <- fromJSON("grid.json", simplifyVector = FALSE)
or_na <- function(x) if (is.null(x)) NA else x
dev <- function(type, case) {
  x <- switch(type,
    b = pmsampsize(type = "b", prevalence = case$prevalence, parameters = case$parameters,
                   csrsquared = or_na(case$csrsquared), nagrsquared = or_na(case$nagrsquared),
                   cstatistic = or_na(case$cstatistic), shrinkage = case$shrinkage),
    s = pmsampsize(type = "s", rate = case$rate, timepoint = case$timepoint, meanfup = case$meanfup,
                   parameters = case$parameters, csrsquared = or_na(case$csrsquared),
                   nagrsquared = or_na(case$nagrsquared), shrinkage = case$shrinkage),
    c = pmsampsize(type = "c", rsquared = case$rsquared, parameters = case$parameters,
                   intercept = case$intercept, sd = case$sd, shrinkage = case$shrinkage))
  list(input = case, sample_size = x$sample_size, criteria = unname(x$results_table[, 1]),
       shrinkage_table = unname(x$results_table[, 2]), final_shrinkage = x$final_shrinkage,
       rsquared = if (!is.null(x$rsquared)) x$rsquared else x$r2a,
       events = if (!is.null(x$events)) x$events else NA)
}
val <- function(case) {
  args <- list(type = "b", prevalence = case$prevalence, cstatistic = case$cstatistic,
               oeciwidth = case$oeciwidth, seed = if (is.null(case$seed)) 123456 else case$seed,
               simobs = if (is.null(case$simobs)) 1000000 else case$simobs)
  if (!is.null(case$lpnormal)) args$lpnormal <- unlist(case$lpnormal)
  if (!is.null(case$lpbeta)) args$lpbeta <- unlist(case$lpbeta)
  if (!is.null(case$lpcstat)) args$lpcstat <- case$lpcstat
  if (!is.null(case$tolerance)) args$tolerance <- case$tolerance
  if (!is.null(case$threshold)) args$threshold <- case$threshold
  if (!is.null(case$sensitivity)) { args$sensitivity <- case$sensitivity; args$specificity <- case$specificity }
  x <- suppressMessages(do.call(pmvalsampsize, args))
  n <- nrow(x$results_table)
  list(input = case, sample_size = x$sample_size, criteria = unname(x$results_table[-n, 1]),
       se = unname(x$results_table[-n, 3]),
       sensitivity = if (is.null(x$sensitivity)) NA else x$sensitivity,
       specificity = if (is.null(x$specificity)) NA else x$specificity)
}
out <- list(
  versions = list(R = R.version.string, pmsampsize = "1.1.3 (sourced)", pmvalsampsize = "0.1.0 (sourced)",
                  pROC = as.character(packageVersion("pROC"))),
  binary = lapply(c(grid$binary, grid$cstatistic), function(case) dev("b", case)),
  survival = lapply(grid$survival, function(case) dev("s", case)),
  continuous = lapply(grid$continuous, function(case) dev("c", case)),
  validation = lapply(grid$validation, val))
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null", null = "null"), "samplesize_r.json")
set.seed(123456)
draws <- list(runif = runif(20), rnorm = rnorm(20), rbinom_scalar = rbinom(20, 1, 0.3),
              rbinom_vector = rbinom(6, 1, c(0.9, 0.1, 0.5, 0.7, 0.01, 0.99)),
              rbeta_bc = rbeta(20, 0.5, 0.5), rbeta_bb = rbeta(20, 2, 3), runif_after = runif(5))
set.seed(42)
draws$rnorm_seed42 <- rnorm(2000, 3, 2)
writeLines(toJSON(list(R = R.version.string, seed = 123456, draws = draws), digits = NA, pretty = TRUE),
           "r_random_reference.json")
