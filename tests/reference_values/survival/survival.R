# Reference values for leptodx.stats.survival (Kaplan–Meier, log-rank, Cox with Efron ties).
# Run: Rscript survival.R  (from this folder; writes lung.csv and survival_reference.json)
# Inputs: survival::lung (exported here, status recoded to event = status - 1, sex also as a
# label) and ties_small.csv (written by hand: ties, S = 0.5 exactly, an NA median CI bound,
# S reaching 0, an undefined median, a curve ending exactly at 0.5).
suppressPackageStartupMessages({library(survival); library(jsonlite)})

lung_out <- with(survival::lung, data.frame(
  time = time, status = status, event = status - 1L, age = age, sex = sex,
  sex_label = ifelse(sex == 1L, "male", "female"), ph_ecog = ph.ecog))
write.csv(lung_out, "lung.csv", row.names = FALSE, na = "")
lung <- read.csv("lung.csv")
small <- read.csv("ties_small.csv")

km_group <- function(d, name, at) {
  fit <- survfit(Surv(time, event) ~ 1, data = d)  # conf.type = "log" (default)
  q <- quantile(fit, probs = 0.5)
  tab <- summary(fit)$table
  risk <- summary(fit, times = at, extend = TRUE)
  list(name = name, n = nrow(d), events = sum(d$event),
       median = unname(q$quantile), median_lower = unname(q$lower),
       median_upper = unname(q$upper),
       table_median = unname(tab[c("median", "0.95LCL", "0.95UCL")]),
       time = I(fit$time), n_risk = I(fit$n.risk), n_event = I(fit$n.event),
       n_censor = I(fit$n.censor), surv = I(fit$surv), std_err = I(fit$std.err),
       lower = I(fit$lower), upper = I(fit$upper), at = I(at), at_risk = I(risk$n.risk))
}

km_case <- function(d, group, at) {
  if (is.null(group)) return(list(km_group(d, "all", at)))
  lapply(sort(unique(d[[group]])), function(g) km_group(d[d[[group]] == g, ], as.character(g), at))
}

logrank <- function(d, group) {
  s <- survdiff(as.formula(paste("Surv(time, event) ~", group)), data = d)
  df <- sum(s$exp > 0) - 1
  list(group = group, chisq = s$chisq, df = df, p = pchisq(s$chisq, df, lower.tail = FALSE),
       observed = as.numeric(s$obs), expected = as.numeric(s$exp))
}

cox <- function(d, rhs) {
  f <- coxph(as.formula(paste("Surv(time, event) ~", rhs)), data = d, ties = "efron")
  s <- summary(f)
  list(formula = rhs, terms = I(rownames(s$coefficients)), coef = I(unname(coef(f))),
       se = I(unname(s$coefficients[, "se(coef)"])), hazard_ratio = I(unname(exp(coef(f)))),
       ci_lower = I(unname(s$conf.int[, "lower .95"])),
       ci_upper = I(unname(s$conf.int[, "upper .95"])),
       p_value = I(unname(s$coefficients[, "Pr(>|z|)"])), n = f$n, events = f$nevent,
       loglik = f$loglik)
}

lung$event <- lung$status - 1L
small$event <- small$status
lung_cc <- lung[!is.na(lung$ph_ecog), ]
lung_at <- c(0, 250, 500, 750, 1000)
small_at <- c(0, 2, 4.5, 10, 20)

out <- list(
  versions = list(R = R.version.string, survival = as.character(packageVersion("survival")),
                  jsonlite = as.character(packageVersion("jsonlite"))),
  lung = list(
    km_all = km_case(lung, NULL, lung_at),
    km_sex = km_case(lung, "sex_label", lung_at),
    km_ecog = km_case(lung_cc, "ph_ecog", lung_at),
    logrank_sex = logrank(lung, "sex_label"),
    logrank_ecog = logrank(lung_cc, "ph_ecog"),
    cox = cox(lung_cc, "age + sex_label + ph_ecog")),
  small = list(
    km_type = km_case(small, "type", small_at),
    logrank_type = logrank(small, "type"),
    logrank_ia_ib = logrank(small[small$type %in% c("IA", "IB"), ], "type"),
    cox_age_sex = cox(small, "age + sex"),
    cox_type = cox(small, "type")))
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null"),
           "survival_reference.json")
