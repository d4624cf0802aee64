# Reference values for leptodx.stats.cv_glmnet beyond models.R: whole coefficient paths, ridge,
# a custom path length and lambda.min.ratio, a constant predictor, and p > n.
# Inputs: make_lasso_data.py. Run: Rscript lasso_paths.R  (writes lasso_paths_reference.json)
suppressPackageStartupMessages({library(glmnet); library(jsonlite)})
out <- list(versions = list(R = R.version.string, glmnet = as.character(packageVersion("glmnet"))))
run <- function(file, ...) {
  d <- read.csv(file)
  X <- as.matrix(d[, grep("^x", names(d))])
  cv <- cv.glmnet(X, d$y, family = "binomial", foldid = d$foldid, type.measure = "deviance", ...)
  list(lambda = cv$lambda, cvm = cv$cvm, cvsd = cv$cvsd, lambda_min = cv$lambda.min,
       lambda_1se = cv$lambda.1se, a0 = unname(cv$glmnet.fit$a0),
       beta = unname(as.matrix(cv$glmnet.fit$beta)))
}
out$wide_lasso <- run("lasso_wide.csv", alpha = 1)
out$wide_ridge <- run("lasso_wide.csv", alpha = 0)
out$wide_enet_short <- run("lasso_wide.csv", alpha = 0.3, nlambda = 50, lambda.min.ratio = 1e-3)
out$pgtn_lasso <- run("lasso_pgtn.csv", alpha = 1)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE, matrix = "rowmajor"),
           "lasso_paths_reference.json")
