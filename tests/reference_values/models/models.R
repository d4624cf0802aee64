# Reference values for leptodx.stats logistic, calibration and cv.glmnet.
# Run: Rscript models.R  (writes models_reference.json)
suppressPackageStartupMessages({library(glmnet); library(jsonlite)})
d <- read.csv("models.csv")
X <- as.matrix(d[, paste0("x", 1:6)])
out <- list(versions = list(R = R.version.string, glmnet = as.character(packageVersion("glmnet"))))
g <- glm(y ~ x1 + x2 + x3 + x4 + x5 + x6, data = d, family = binomial, control = glm.control(epsilon = 1e-14, maxit = 100))
s <- summary(g)$coefficients
out$logistic <- list(estimate = unname(s[, 1]), se = unname(s[, 2]), z = unname(s[, 3]), p = unname(s[, 4]),
                     deviance = g$deviance)
g0 <- glm(y ~ x1 + x2, data = d, family = binomial, control = glm.control(epsilon = 1e-14, maxit = 100))
lr <- anova(g0, g, test = "LRT")
out$lr_test <- list(statistic = lr$Deviance[2], df = lr$Df[2], p = lr$`Pr(>Chi)`[2])
# calibration (Austin & Steyerberg 2019 code pattern)
lp <- qlogis(d$p)
cal_int <- glm(y ~ offset(lp), data = d, family = binomial, control = glm.control(epsilon = 1e-14))
cal_slope <- glm(y ~ lp, data = d, family = binomial, control = glm.control(epsilon = 1e-14))
lo <- loess(y ~ p, data = d)   # span = 0.75, degree = 2
diff <- abs(fitted(lo) - d$p)
out$calibration <- list(intercept = unname(coef(cal_int)[1]), intercept_se = unname(sqrt(diag(vcov(cal_int)))[1]),
  slope = unname(coef(cal_slope)[2]), slope_se = unname(sqrt(diag(vcov(cal_slope)))[2]),
  brier = mean((d$p - d$y)^2), ici = mean(diff), e50 = unname(median(diff)), e90 = unname(quantile(diff, 0.9)), emax = max(diff))
set.seed(1)
cv <- cv.glmnet(X, d$y, family = "binomial", alpha = 1, foldid = d$foldid, type.measure = "deviance")
cv_en <- cv.glmnet(X, d$y, family = "binomial", alpha = 0.5, foldid = d$foldid, type.measure = "deviance")
pack <- function(cv) list(lambda = cv$lambda, cvm = cv$cvm, cvsd = cv$cvsd, lambda_min = cv$lambda.min,
  lambda_1se = cv$lambda.1se, coef_min = as.numeric(coef(cv, s = "lambda.min")),
  coef_1se = as.numeric(coef(cv, s = "lambda.1se")))
out$cv_lasso <- pack(cv)
out$cv_enet <- pack(cv_en)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "models_reference.json")
