# Reference for Rubin's rules: mice::pool and mice::pool.scalar on the imputed datasets written
# by make_data.py (leptodx develop --save-imputations). Run: Rscript imputation.R
# (writes imputation_reference.json). Logistic fits run to full convergence (epsilon 1e-14) and
# are refitted from their own estimates, so that the standard errors come from the information
# matrix at the converged estimates (glm's last IRLS step uses the weights of the step before).
suppressPackageStartupMessages({library(mice); library(pROC); library(jsonlite)})
files <- sprintf("imputation-%d.csv", 1:5)
data <- lapply(files, read.csv)
formula <- lm ~ skull_metastasis + active_brain_metastasis + progressed_extracranial_disease +
  n_extracranial_organs + n_symptoms
fit_glm <- function(d) {
  control <- glm.control(epsilon = 1e-14, maxit = 100)
  first <- glm(formula, family = binomial, data = d, control = control)
  glm(formula, family = binomial, data = d, control = control, start = coef(first))
}
fits <- lapply(data, fit_glm)
pooled <- pool(as.mira(fits))
s <- summary(pooled, type = "all", conf.int = TRUE, conf.level = 0.95)
per_imputation <- lapply(fits, function(f) list(estimate = unname(coef(f)),
                                               std_error = unname(sqrt(diag(vcov(f))))))
# AUC of each fit's own predictions, DeLong variance, pooled on the logit scale
aucs <- sapply(seq_along(fits), function(i) as.numeric(auc(data[[i]]$lm, fitted(fits[[i]]), direction = "<", quiet = TRUE)))
vars <- sapply(seq_along(fits), function(i) var(roc(data[[i]]$lm, fitted(fits[[i]]), direction = "<", quiet = TRUE), method = "delong"))
logit <- log(aucs / (1 - aucs))
logit_var <- vars / (aucs * (1 - aucs))^2
ps <- pool.scalar(logit, logit_var, n = Inf, k = 1)
ci_logit <- ps$qbar + qt(c(0.025, 0.975), ps$df) * sqrt(ps$t)
out <- list(
  versions = list(R = R.version.string, mice = as.character(packageVersion("mice")),
                  pROC = as.character(packageVersion("pROC"))),
  terms = as.character(s$term), dfcom = pooled$pooled$dfcom[1],
  estimate = s$estimate, std_error = s$std.error, statistic = s$statistic, df = s$df,
  p_value = s$p.value, conf_low = s[["2.5 %"]], conf_high = s[["97.5 %"]],
  riv = s$riv, lambda = s$lambda, fmi = s$fmi, ubar = s$ubar, b = s$b, t = s$t,
  per_imputation = per_imputation,
  auc = list(auc = aucs, var = vars, qbar = ps$qbar, ubar = ps$ubar, b = ps$b, t = ps$t,
             df = ps$df, r = ps$r, fmi = ps$fmi, ci_logit = ci_logit,
             pooled_auc = plogis(ps$qbar), ci = plogis(ci_logit)))
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "imputation_reference.json")
