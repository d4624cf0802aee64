# Peer timings for bench/bench_meta.py: metafor::rma.mv (bivariate REML) and lme4::glmer (Laplace)
# on the same review, median of `repeats` fits, timed inside R (start-up excluded).
# Usage: Rscript bench_meta.R STUDIES.csv REPEATS   → prints JSON on stdout
suppressPackageStartupMessages({library(metafor); library(lme4); library(jsonlite)})
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1]); repeats <- as.integer(args[2]); k <- nrow(d)
m <- as.matrix(d[, c("tp", "fp", "fn", "tn")]) * 1
if (any(m == 0)) m <- m + 0.5
long <- data.frame(id = rep(seq_len(k), each = 2),
                   outcome = factor(rep(c("sens", "fpr"), k), levels = c("sens", "fpr")),
                   yi = c(rbind(log(m[, 1] / m[, 3]), log(m[, 2] / m[, 4]))),
                   vi = c(rbind(1 / m[, 1] + 1 / m[, 3], 1 / m[, 2] + 1 / m[, 4])))
gl <- data.frame(id = factor(rep(seq_len(k), each = 2)), s = rep(c(1, 0), k), f = rep(c(0, 1), k),
                 y = c(rbind(d$tp, d$fp)), n = c(rbind(d$tp + d$fn, d$fp + d$tn)))
time_median <- function(f) median(sapply(seq_len(repeats), function(i) system.time(f())[["elapsed"]]))
reml <- function(control) function() rma.mv(yi, diag(vi), mods = ~ outcome - 1,
  random = ~ outcome | id, struct = "UN", data = long, method = "REML", control = control)
glmm <- function(control) function() suppressMessages(glmer(
  cbind(y, n - y) ~ 0 + s + f + (0 + s + f | id), family = binomial, data = gl, control = control))
cat(toJSON(list(
  rma_mv_default = time_median(reml(list())),
  rma_mv_tight = time_median(reml(list(optimizer = "bobyqa", rhoend = 1e-12, maxfun = 1e6))),
  glmer_default = time_median(glmm(glmerControl())),
  glmer_tight = time_median(glmm(glmerControl(optimizer = "bobyqa",
    optCtrl = list(maxfun = 1e6, rhoend = 1e-12), tolPwrss = 1e-13))),
  versions = list(R = R.version.string, metafor = as.character(packageVersion("metafor")),
                  lme4 = as.character(packageVersion("lme4")))), auto_unbox = TRUE, digits = NA))
