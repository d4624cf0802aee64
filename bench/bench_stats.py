"""Benchmark leptodx.stats against its peers in the same run (issue 4 speed targets).

Run: ``scripts/install --bench && .venv/bin/python bench/bench_stats.py``. Writes the section
``stats`` of bench/RESULTS.md. Peers: numpy.argsort (the one-sort floor), scikit-learn, dcurves,
R pROC, glmnet and rms (timed inside R, so R start-up is not counted). Medians of repeats.
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parents[1] / "src"))
from leptodx.stats import (
    auc_ci,
    bootstrap_validate,
    compare_auc,
    cv_glmnet,
    decision_curve,
    logistic_procedure,
)

RESULTS = Path(__file__).with_name("RESULTS.md")
WORK = Path(tempfile.mkdtemp(prefix="leptodx-bench-"))


def median_time(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def r_median(script: str) -> float:
    """Run an R snippet that prints one median time in seconds."""
    out = subprocess.run(["Rscript", "-e", script], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


R_TIMER = "tm <- function(expr, k) { e <- substitute(expr); median(sapply(seq_len(k), function(i) system.time(eval(e, parent.frame(3)))[['elapsed']])) }\n"


def bench_auc(rows: list[list[str]]) -> None:
    rng = np.random.default_rng(1)
    n = 1_000_000
    y = rng.random(n) < 0.3
    s1 = rng.normal(size=n) + 0.8 * y
    s2 = 0.6 * s1 + rng.normal(size=n)
    pd.DataFrame({"y": y.astype(int), "s1": s1, "s2": s2}).to_csv(WORK / "auc.csv", index=False)
    from sklearn.metrics import roc_auc_score

    ours = median_time(lambda: auc_ci(y, s1), 9)
    argsort = median_time(lambda: np.argsort(s1), 9)
    sk = median_time(lambda: roc_auc_score(y, s1), 5)
    proc = r_median(
        R_TIMER
        + f"suppressMessages(library(pROC)); d <- read.csv('{WORK}/auc.csv'); cat(tm(ci.auc(roc(d$y, d$s1, levels=c(0,1), direction='<', quiet=TRUE), method='delong'), 5))"
    )
    rows.append(
        [
            "AUC + DeLong CI, n = 10⁶",
            f"{ours:.3f}",
            f"argsort {argsort:.3f} · sklearn roc_auc_score (no CI) {sk:.3f} · pROC {proc:.3f}",
            f"{ours / argsort:.2f}× argsort (target ≤ 2) · {sk / ours:.1f}× faster than sklearn · {proc / ours:.1f}× faster than pROC (target ≥ 2.5)",
        ]
    )
    ours_p = median_time(lambda: compare_auc(y, s1, s2), 5)
    proc_p = r_median(
        R_TIMER
        + f"suppressMessages(library(pROC)); d <- read.csv('{WORK}/auc.csv'); cat(tm({{r1 <- roc(d$y, d$s1, levels=c(0,1), direction='<', quiet=TRUE); r2 <- roc(d$y, d$s2, levels=c(0,1), direction='<', quiet=TRUE); roc.test(r1, r2, paired=TRUE)}}, 3))"
    )
    rows.append(
        [
            "paired DeLong test, n = 10⁶",
            f"{ours_p:.3f}",
            f"pROC roc()×2 + roc.test {proc_p:.3f}",
            f"{proc_p / ours_p:.1f}× faster than pROC (target ≥ 5)",
        ]
    )


def bench_memory(rows: list[list[str]]) -> None:
    code = (
        "import numpy as np, resource, sys; sys.path.insert(0, 'src'); from leptodx.stats import auc_ci;"
        "rng=np.random.default_rng(2); n=10**7; y=rng.random(n)<0.3; s=rng.normal(size=n)+y;"
        "base=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss; auc_ci(y, s);"
        "print(base, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parents[1],
    )
    base, peak = (int(v) for v in out.stdout.split())
    rows.append(
        [
            "peak memory, AUC + DeLong CI, n = 10⁷",
            f"{peak / 1024**2:.2f} GiB",
            f"inputs alone {base / 1024**2:.2f} GiB",
            "target < 2 GiB",
        ]
    )


def bench_dca(rows: list[list[str]]) -> None:
    rng = np.random.default_rng(3)
    n = 1_000_000
    y = (rng.random(n) < 0.25).astype(int)
    p = np.clip(0.25 + 0.3 * (y - 0.25) + rng.normal(0, 0.15, n), 0.001, 0.999)
    t = np.round(np.arange(0.01, 1.0, 0.01), 2)
    ours = median_time(lambda: decision_curve(y, {"m": p}, t), 7)
    import dcurves

    frame = pd.DataFrame({"y": y, "m": p})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        peer = median_time(
            lambda: dcurves.dca(data=frame, outcome="y", modelnames=["m"], thresholds=t), 1
        )
    rows.append(
        [
            "decision curve, 99 thresholds, n = 10⁶",
            f"{ours:.3f}",
            f"dcurves {peer:.2f}",
            f"{peer / ours:.0f}× faster than dcurves (target ≥ 10)",
        ]
    )


def bench_lasso(rows: list[list[str]]) -> None:
    rng = np.random.default_rng(4)
    n, p = 2000, 20
    X = rng.normal(size=(n, p))
    beta = np.r_[np.array([0.8, -0.6, 0.5, 0.4, -0.3]), np.zeros(p - 5)]
    y = (rng.random(n) < 1 / (1 + np.exp(-(X @ beta - 0.5)))).astype(int)
    foldid = rng.permutation(np.resize(np.arange(1, 11), n))
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(p)])
    frame["y"], frame["foldid"] = y, foldid
    frame.to_csv(WORK / "lasso.csv", index=False)
    ours = median_time(lambda: cv_glmnet(X, y, foldid=foldid), 5)
    r_time = r_median(
        R_TIMER
        + f"suppressMessages(library(glmnet)); d <- read.csv('{WORK}/lasso.csv'); X <- as.matrix(d[, 1:{p}]); cat(tm(cv.glmnet(X, d$y, family='binomial', foldid=d$foldid, nlambda=100), 5))"
    )
    from sklearn.linear_model import LogisticRegressionCV

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sk = median_time(
            lambda: LogisticRegressionCV(
                Cs=100, cv=10, penalty="l1", solver="liblinear", scoring="neg_log_loss"
            ).fit(X, y),
            1,
        )
    rows.append(
        [
            "LASSO CV, n = 2000, p = 20, 10 folds, 100 λ",
            f"{ours:.3f}",
            f"R cv.glmnet {r_time:.3f} · sklearn LogisticRegressionCV(l1) {sk:.2f}",
            f"{ours / r_time:.2f}× R (target ≤ 1.5) · {sk / ours:.0f}× faster than sklearn (target ≥ 5)",
        ]
    )


def bench_validate(rows: list[list[str]]) -> None:
    rng = np.random.default_rng(5)
    n = 1000
    X = rng.normal(size=(n, 6))
    y = (
        rng.random(n) < 1 / (1 + np.exp(-(X @ np.array([0.7, -0.5, 0.3, 0.0, 0.2, 0.4]) - 0.4)))
    ).astype(int)
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(6)])
    frame["y"] = y
    frame.to_csv(WORK / "val.csv", index=False)
    ours = median_time(
        lambda: bootstrap_validate(logistic_procedure(), X, y, n_boot=200, random_state=1), 3
    )
    rms = r_median(
        R_TIMER
        + f"suppressMessages(library(rms)); d <- read.csv('{WORK}/val.csv'); f <- lrm(y ~ ., data=d, x=TRUE, y=TRUE); cat(tm(rms::validate(f, B=200), 3))"
    )
    rows.append(
        [
            "bootstrap validation, n = 1000, 6 predictors, B = 200",
            f"{ours:.3f}",
            f"rms validate {rms:.3f}",
            f"{rms / ours:.1f}× faster than rms (target ≥ 1)",
        ]
    )


def write(rows: list[list[str]]) -> None:
    versions = json.loads(
        subprocess.run(
            [
                "Rscript",
                "-e",
                "cat(jsonlite::toJSON(list(R=R.version.string, pROC=as.character(packageVersion('pROC')), glmnet=as.character(packageVersion('glmnet')), rms=as.character(packageVersion('rms'))), auto_unbox=TRUE))",
            ],
            capture_output=True,
            text=True,
        ).stdout
    )
    import sklearn

    lines = [
        "<!-- begin:stats -->",
        "## Statistics engine (issue 4)",
        "",
        f"Run `{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}` on {platform.machine()}, "
        f"2 cores, Python {platform.python_version()}, numpy {np.__version__}, scikit-learn {sklearn.__version__}, "
        f"{versions['R']}, pROC {versions['pROC']}, glmnet {versions['glmnet']}, rms {versions['rms']}. "
        "Seconds are medians of repeated runs (peers in R timed inside R). Machine shared with other jobs during the run.",
        "",
        "| task | LeptoDx (s) | peers (s) | ratio |",
        "|---|---|---|---|",
        *("| " + " | ".join(r) + " |" for r in rows),
        "<!-- end:stats -->",
    ]
    text = (
        RESULTS.read_text()
        if RESULTS.exists()
        else "# Benchmark results\n\nWritten by the scripts in bench/.\n\n"
    )
    if "<!-- begin:stats -->" in text:
        head, rest = text.split("<!-- begin:stats -->", 1)
        text = head + "\n".join(lines) + rest.split("<!-- end:stats -->", 1)[1]
    else:
        text = text.rstrip() + "\n\n" + "\n".join(lines) + "\n"
    RESULTS.write_text(text)


if __name__ == "__main__":
    rows: list[list[str]] = []
    for bench in (bench_auc, bench_memory, bench_dca, bench_lasso, bench_validate):
        bench(rows)
        print(rows[-1])
    write(rows)
