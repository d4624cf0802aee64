# Reference values for leptodx.meta (diagnostic-accuracy meta-analysis).
# Run in this folder:  python make_data.py && Rscript meta.R   (writes meta_reference.json)
#
# Bivariate random-effects model (Reitsma et al. 2005), REML, unstructured between-study
# covariance, with metafor::rma.mv exactly as in platform-notes.md:
#   rma.mv(yi, V, mods = ~ outcome - 1, random = ~ outcome | study, struct = "UN", method = "REML")
# (the design is passed as an explicit matrix so that meta-regressions use the same call).
# Optimiser: nlminb with its default tolerances stops where |∂ℓ/∂Σ| is still ~1e-4 (τ² ~1e-5 from
# the maximum, log-likelihood 1e-9 below it), and a stricter rel.tol makes nlminb report
# non-convergence (platform-notes.md). The reference values therefore come from metafor's bobyqa
# optimiser run to rhoend = 1e-12, control = list(optimizer = "bobyqa", rhoend = 1e-12); Nelder-
# Mead (reltol 1e-15) is run as a cross-check ("cross_check_max_abs_difference") and nlminb's
# default result is kept as "rma_mv_default". yi = logit sensitivity and logit false-positive rate, V = diagonal
# within-study variances 1/tp + 1/fn and 1/fp + 1/tn. When any cell of any study in the analysed
# set is 0, 0.5 is added to every cell of every study (mada::reitsma default, correction.control =
# "all"). Each row of the input is one unit (`study` = row id), as in mada::reitsma.
#
# Univariate random effects (logit, REML) with I²: metafor::rma(yi, vi, method = "REML"), Fisher
# scoring run to threshold 1e-12 (default 1e-5) so that the reference is exact to ~1e-10.
#
# Exact-binomial bivariate GLMM (Chu & Cole 2006): lme4::glmer on logit sensitivity and logit FPR,
#   glmer(cbind(y, n - y) ~ 0 + s + f + (0 + s + f | id), family = binomial, nAGQ = 1)
# nAGQ = 1 is the Laplace approximation (glmer allows nAGQ > 1 only for one scalar random
# effect). Fitted twice: with default glmerControl() ("glmm_default") and with bobyqa run to
# rhoend = 1e-12 and the inner PIRLS run to tolPwrss = 1e-13 ("glmm", the reference). With the
# default tolPwrss = 1e-7 the Laplace deviance itself is evaluated with an error of ~1e-4 (the
# conditional modes stop early), which moves the estimates by up to ~5e-4; with 1e-13 the
# deviance is exact to ~1e-10. Standard errors from vcov() (finite-difference Hessian of the
# deviance over theta and beta, lme4's default for GLMMs; its RX fallback is recorded in
# "messages").
#
# Derived quantities computed here from metafor's estimates with the formulas of
# docs/meta-analysis.md: sensitivity/specificity with Wald CIs on the logit scale, DOR, LR+ and
# LR− (delta method on the log scale), HSROC parameters (Harbord et al. 2007, signs for logit FPR
# as in mada::summary.reitsma), AUC of the HSROC curve by integrate() over FPR in (0, 1), and
# mada's AUC rule (99-point trapezoid, FPR 0.01–0.99, divided by 99) for comparison.
suppressPackageStartupMessages({
  library(metafor)
  library(lme4)
  library(jsonlite)
})

versions <- list(R = R.version.string,
                 metafor = as.character(packageVersion("metafor")),
                 lme4 = as.character(packageVersion("lme4")),
                 Matrix = as.character(packageVersion("Matrix")),
                 minqa = as.character(packageVersion("minqa")),
                 jsonlite = as.character(packageVersion("jsonlite")))
LEVEL <- 0.95
Z <- qnorm(1 - (1 - LEVEL) / 2)

corrected <- function(d, value = 0.5) {
  cells <- as.matrix(d[, c("tp", "fp", "fn", "tn")]) * 1.0
  applied <- any(cells == 0)
  if (applied) cells <- cells + value
  list(cells = cells, applied = applied)
}

long_data <- function(d) {
  cc <- corrected(d)
  m <- cc$cells
  k <- nrow(d)
  long <- data.frame(
    id = rep(seq_len(k), each = 2),
    outcome = factor(rep(c("sens", "fpr"), k), levels = c("sens", "fpr")),
    yi = c(rbind(log(m[, 1] / m[, 3]), log(m[, 2] / m[, 4]))),
    vi = c(rbind(1 / m[, 1] + 1 / m[, 3], 1 / m[, 2] + 1 / m[, 4])))
  list(long = long, applied = cc$applied)
}

# Design matrix: one row per (study, outcome); columns given per outcome from study-level columns.
design <- function(long, study_columns) {
  s <- as.numeric(long$outcome == "sens")
  f <- 1 - s
  cols <- list(sens = s, fpr = f)
  for (name in names(study_columns)) {
    x <- rep(study_columns[[name]], each = 2)
    cols[[paste0("sens:", name)]] <- s * x
    cols[[paste0("fpr:", name)]] <- f * x
  }
  as.matrix(as.data.frame(cols, check.names = FALSE))
}

TIGHT <- list(optimizer = "bobyqa", rhoend = 1e-12, maxfun = 1e6)
NELDER_MEAD <- list(optimizer = "optim", optmethod = "Nelder-Mead", reltol = 1e-15, maxit = 1e5)

fit_bivariate <- function(d, study_columns = list(), control = TIGHT) {
  ld <- long_data(d)
  long <- ld$long
  X <- design(long, study_columns)
  fit <- rma.mv(yi, diag(vi), mods = X, intercept = FALSE, random = ~ outcome | id,
                struct = "UN", data = long, method = "REML", control = control)
  list(fit = fit, applied = ld$applied, names = colnames(X))
}

estimates <- function(fit) c(as.numeric(fit$beta), fit$tau2, fit$rho)

# Default-tolerance nlminb fit and the largest difference between bobyqa and Nelder-Mead.
optimiser_check <- function(d, study_columns = list()) {
  tight <- estimates(fit_bivariate(d, study_columns)$fit)
  nm <- tryCatch(estimates(fit_bivariate(d, study_columns, NELDER_MEAD)$fit),
                 error = function(e) NA)
  default <- tryCatch(fit_bivariate(d, study_columns, list())$fit, error = function(e) NULL)
  list(cross_check_max_abs_difference = max(abs(tight - nm)),  # NA: Nelder-Mead failed
       rma_mv_default = if (is.null(default)) NULL else list(
         coef = as.numeric(default$beta), tau2 = default$tau2, rho = default$rho))
}

bivariate_summary <- function(d) {
  bf <- fit_bivariate(d)
  fit <- bf$fit
  b <- as.numeric(fit$beta)
  vb <- unname(fit$vb)
  se <- sqrt(diag(vb))
  wald <- function(est, s) c(estimate = est, lower = est - Z * s, upper = est + Z * s)
  ls <- wald(b[1], se[1])
  lf <- wald(b[2], se[2])
  s <- plogis(b[1])
  f <- plogis(b[2])
  ldor <- wald(b[1] - b[2], sqrt(vb[1, 1] + vb[2, 2] - 2 * vb[1, 2]))
  g_pos <- c(1 - s, -(1 - f))
  g_neg <- c(-s, f)
  lpos <- wald(log(s) - log(f), sqrt(drop(t(g_pos) %*% vb %*% g_pos)))
  lneg <- wald(log(1 - s) - log(1 - f), sqrt(drop(t(g_neg) %*% vb %*% g_neg)))
  sd <- sqrt(fit$tau2)
  cov <- fit$rho * sd[1] * sd[2]
  Lambda <- sqrt(sd[2] / sd[1]) * b[1] - sqrt(sd[1] / sd[2]) * b[2]
  Theta <- 0.5 * (sqrt(sd[2] / sd[1]) * b[1] + sqrt(sd[1] / sd[2]) * b[2])
  beta <- log(sd[2] / sd[1])
  sroc <- function(x) plogis(Lambda * exp(-beta / 2) + exp(-beta) * qlogis(x))
  grid <- sroc(1:99 / 100)
  c(list(
    k = nrow(d),
    continuity_correction_applied = bf$applied,
    logit_sensitivity = b[1], logit_fpr = b[2], vcov = vb, se = se,
    tau2_sensitivity = fit$tau2[1], tau2_fpr = fit$tau2[2], rho = fit$rho,
    loglik_reml = as.numeric(logLik(fit)),
    sensitivity = as.list(plogis(ls)),
    specificity = list(estimate = 1 - plogis(lf[[1]]), lower = 1 - plogis(lf[[3]]),
                       upper = 1 - plogis(lf[[2]])),
    dor = as.list(exp(ldor)), lr_positive = as.list(exp(lpos)), lr_negative = as.list(exp(lneg)),
    hsroc = list(lambda = Lambda, theta = Theta, beta = beta,
                 sigma2_alpha = 2 * (sd[1] * sd[2] - cov),
                 sigma2_theta = 0.5 * (sd[1] * sd[2] + cov)),
    auc_sroc = integrate(sroc, 0, 1, rel.tol = 1e-12)$value,
    auc_mada_rule = (grid[1] / 2 + sum(grid[2:98]) + grid[99] / 2) / 99,
    sroc_at = list(fpr = c(0.05, 0.2, 0.5), sensitivity = sroc(c(0.05, 0.2, 0.5)))),
    optimiser_check(d))
}

univariate <- function(yi, vi) {
  f <- rma(yi, vi, method = "REML", control = list(threshold = 1e-12, maxiter = 10000))
  list(estimate = as.numeric(f$beta), se = f$se, ci_lower = f$ci.lb, ci_upper = f$ci.ub,
       tau2 = f$tau2, i2_percent = f$I2, h2 = f$H2, q = f$QE, q_df = f$k - 1, q_p = f$QEp)
}

univariate_summary <- function(d) {
  m <- corrected(d)$cells
  list(sensitivity = univariate(log(m[, 1] / m[, 3]), 1 / m[, 1] + 1 / m[, 3]),
       specificity = univariate(log(m[, 4] / m[, 2]), 1 / m[, 2] + 1 / m[, 4]))
}

regression <- function(d, study_columns, joint = list()) {
  bf <- fit_bivariate(d, study_columns)
  fit <- bf$fit
  tests <- lapply(joint, function(idx) {
    a <- anova(fit, btt = idx)
    list(coefficients = bf$names[idx], qm = a$QM, df = length(idx), p = a$QMp)
  })
  all_terms <- anova(fit, btt = 3:length(bf$names))
  c(list(names = bf$names, coef = as.numeric(fit$beta), se = fit$se, z = fit$zval, p = fit$pval,
       ci_lower = fit$ci.lb, ci_upper = fit$ci.ub, vcov = unname(fit$vb),
       tau2_sensitivity = fit$tau2[1], tau2_fpr = fit$tau2[2], rho = fit$rho,
       loglik_reml = as.numeric(logLik(fit)), continuity_correction_applied = bf$applied,
       wald = tests, wald_overall = list(qm = all_terms$QM, df = length(bf$names) - 2,
                                         p = all_terms$QMp)),
    optimiser_check(d, study_columns))
}

glmm_long <- function(d, study_columns = list()) {
  k <- nrow(d)
  gl <- data.frame(id = factor(rep(seq_len(k), each = 2)), s = rep(c(1, 0), k),
                   f = rep(c(0, 1), k), y = c(rbind(d$tp, d$fp)),
                   n = c(rbind(d$tp + d$fn, d$fp + d$tn)))
  for (name in names(study_columns)) {
    x <- rep(study_columns[[name]], each = 2)
    gl[[paste0("s_", name)]] <- gl$s * x
    gl[[paste0("f_", name)]] <- gl$f * x
  }
  gl
}

fit_glmm <- function(d, study_columns = list(), tight = TRUE) {
  gl <- glmm_long(d, study_columns)
  terms <- c("s", "f", unlist(lapply(names(study_columns),
                                     function(n) c(paste0("s_", n), paste0("f_", n)))))
  form <- as.formula(paste("cbind(y, n - y) ~ 0 +", paste(terms, collapse = " + "),
                           "+ (0 + s + f | id)"))
  control <- if (tight) {
    glmerControl(optimizer = "bobyqa", optCtrl = list(maxfun = 1e6, rhoend = 1e-12),
                 tolPwrss = 1e-13)
  } else {
    glmerControl()
  }
  warnings <- character()
  keep <- function(w) {
    warnings <<- c(warnings, conditionMessage(w))
    invokeRestart("muffleWarning")
  }
  fit <- withCallingHandlers(
    glmer(form, family = binomial, data = gl, nAGQ = 1, control = control),
    warning = keep, message = function(m) {
      warnings <<- c(warnings, trimws(conditionMessage(m)))
      invokeRestart("muffleMessage")
    })
  vcv <- withCallingHandlers(unname(as.matrix(vcov(fit))), warning = keep)
  sds <- attr(VarCorr(fit)$id, "stddev")
  corr <- attr(VarCorr(fit)$id, "correlation")[1, 2]
  list(names = terms, coef = unname(fixef(fit)), se = sqrt(diag(vcv)), vcov = vcv,
       theta = unname(getME(fit, "theta")),
       tau2_sensitivity = unname(sds[1]^2), tau2_fpr = unname(sds[2]^2), rho = corr,
       loglik = as.numeric(logLik(fit)), deviance = deviance(fit),
       messages = c(warnings, fit@optinfo$conv$lme4$messages))
}

read <- function(path) read.csv(path, check.names = FALSE, stringsAsFactors = FALSE)

out <- list(versions = versions, level = LEVEL, reviews = list())
files <- c(heterogeneous = "heterogeneous.csv", zero_cells = "zero_cells.csv", k3 = "k3.csv",
           sparse = "sparse.csv", csf_ctc_published = "../../../examples/meta/csf-ctc-published.csv")
for (name in names(files)) {
  d <- read(files[[name]])
  out$reviews[[name]] <- list(
    file = files[[name]],
    bivariate = bivariate_summary(d),
    univariate = univariate_summary(d),
    glmm = fit_glmm(d),
    glmm_default = fit_glmm(d, tight = FALSE))
}

# Several tests: one fit per test, then the meta-regression on test (reference = first test in
# file order) and, within each test, on the covariates year (numeric, centred at its mean: the
# slope and variances are unchanged, and bobyqa reaches the maximum to ~1e-9 only with a
# well-conditioned design; uncentred it stopped 2e-6 short in tau2) and design (categorical,
# reference = first level in file order).
multi <- read("multitest.csv")
tests <- unique(multi$test)
per_test <- list()
for (t in tests) {
  d <- multi[multi$test == t, ]
  per_test[[t]] <- list(bivariate = bivariate_summary(d), univariate = univariate_summary(d),
                        glmm = fit_glmm(d))
}
indicators <- list()
for (t in tests[-1]) indicators[[t]] <- as.numeric(multi$test == t)
joint <- lapply(seq_along(tests[-1]), function(i) c(2 * i + 1, 2 * i + 2))
names(joint) <- tests[-1]
by_covariate <- list()
for (t in tests) {
  d <- multi[multi$test == t, ]
  levels <- unique(d$design)
  design_columns <- list()
  for (lv in levels[-1]) design_columns[[lv]] <- as.numeric(d$design == lv)
  by_covariate[[t]] <- list(
    year = regression(d, list(year = d$year - mean(d$year)), list(year = c(3, 4))),
    design = c(list(reference = levels[1]),
               regression(d, design_columns, list(design = c(3, 4)))))
}
out$multitest <- list(
  file = "multitest.csv", tests = tests, per_test = per_test,
  by_test = c(list(reference = tests[1]), regression(multi, indicators, joint)),
  by_test_glmm = c(list(reference = tests[1]), fit_glmm(multi, indicators)),
  by_covariate = by_covariate)

# A review in which the GLMM has no finite maximum: every study has fn = 0, so the maximum-
# likelihood logit sensitivity is +Inf. Recorded to document what glmer reports.
perfect <- read("perfect_sensitivity.csv")
out$perfect_sensitivity <- list(file = "perfect_sensitivity.csv", glmm = fit_glmm(perfect),
                                bivariate = bivariate_summary(perfect))

writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "meta_reference.json")
