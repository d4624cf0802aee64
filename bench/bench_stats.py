"""Benchmark leptodx.stats against its peers in the same run (issue 16 speed targets).

Run: ``scripts/install --bench && .venv/bin/python bench/bench_stats.py``. Writes the block
``stats`` of bench/RESULTS.md; ``--only lasso`` (or auc, memory, dca, validate, first_calls) runs
only those rows and prints them without writing. Floors and peers: numpy.sort (the values-only sort), scikit-learn,
dcurves, R pROC, glmnet and rms (timed inside R, so R start-up is not counted). LeptoDx and each
peer are timed in alternating rounds; medians over all rounds.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).parent))
from _timing import alternate, median_time, r_samples, r_versions, samples, write_block

from leptodx.stats import (
    auc_ci,
    bootstrap_validate,
    compare_auc,
    cv_glmnet,
    decision_curve,
    logistic_procedure,
)

WORK = Path(tempfile.mkdtemp(prefix="leptodx-bench-"))
ROOT = Path(__file__).parents[1]


def bench_auc(rows: list[list[str]]) -> None:
    rng = np.random.default_rng(1)
    n = 1_000_000
    y = rng.random(n) < 0.3
    s1 = rng.normal(size=n) + 0.8 * y
    s2 = 0.6 * s1 + rng.normal(size=n)
    r1, r2 = np.round(s1, 1), np.round(s2, 1)  # heavily tied: ~80 distinct values
    pd.DataFrame({"y": y.astype(int), "s1": s1, "s2": s2, "r1": r1, "r2": r2}).to_csv(
        WORK / "auc.csv", index=False
    )
    from sklearn.metrics import roc_auc_score

    auc_ci(y, s1)  # compile or load the cached kernels once
    load = f"suppressMessages(library(pROC)); d <- read.csv('{WORK}/auc.csv'); "
    t = alternate(
        lambda: auc_ci(y, s1),
        {
            "sort": lambda: samples(lambda: np.sort(s1), 5),
            "sklearn": lambda: samples(lambda: roc_auc_score(y, s1), 2),
            "pROC": lambda: r_samples(
                load
                + "cat(tm(ci.auc(roc(d$y, d$s1, levels=c(0,1), direction='<', quiet=TRUE), method='delong'), 3))"
            ),
        },
        repeats=5,
    )
    rows.append(
        [
            "AUC + DeLong CI, n = 10⁶",
            f"{t['ours']:.3f}",
            f"numpy.sort (values only) {t['sort']:.4f} · sklearn roc_auc_score (no CI) {t['sklearn']:.3f} · pROC {t['pROC']:.3f}",
            f"{t['ours'] / t['sort']:.2f}× numpy.sort (target ≤ 4) · {t['sklearn'] / t['ours']:.0f}× faster than sklearn · {t['pROC'] / t['ours']:.0f}× faster than pROC",
        ]
    )
    for label, a, b, col in (
        ("continuous", s1, s2, "s"),
        ("rounded to 0.1 (heavy ties)", r1, r2, "r"),
    ):
        compare_auc(y, a, b)
        t = alternate(
            lambda a=a, b=b: compare_auc(y, a, b),
            {
                "pROC": lambda col=col: r_samples(
                    load
                    + f"cat(tm({{r1 <- roc(d$y, d${col}1, levels=c(0,1), direction='<', quiet=TRUE); r2 <- roc(d$y, d${col}2, levels=c(0,1), direction='<', quiet=TRUE); roc.test(r1, r2, paired=TRUE)}}, 2))"
                )
            },
            repeats=5,
        )
        rows.append(
            [
                f"paired DeLong test, n = 10⁶, {label}",
                f"{t['ours']:.3f}",
                f"pROC roc()×2 + roc.test {t['pROC']:.3f}",
                f"{t['pROC'] / t['ours']:.0f}× faster than pROC (target ≥ 10)",
            ]
        )


def bench_memory(rows: list[list[str]]) -> None:
    code = (
        "import numpy as np, resource, sys; sys.path.insert(0, 'src'); from leptodx.stats import auc_ci;"
        "auc_ci([0, 1, 0, 1], [0.1, 0.4, 0.35, 0.8]);"
        "rng=np.random.default_rng(2); n=10**7; y=rng.random(n)<0.3; s=rng.normal(size=n)+y;"
        "base=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss; auc_ci(y, s);"
        "print(base, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
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
    load = (
        f"suppressMessages(library(glmnet)); d <- read.csv('{WORK}/lasso.csv'); "
        f"X <- as.matrix(d[, 1:{p}]); "
    )
    cv_script = (
        load + "cat(tm(cv.glmnet(X, d$y, family='binomial', foldid=d$foldid, nlambda=100), 5))"
    )
    path_script = load + "cat(tm(glmnet(X, d$y, family='binomial', nlambda=100), 20))"
    from leptodx.stats.penalized import glmnet_path

    cv_glmnet(X, y, foldid=foldid, n_jobs=2)  # load the cached kernel once
    t = alternate(
        lambda: cv_glmnet(X, y, foldid=foldid, n_jobs=2),
        {
            "R": lambda: r_samples(cv_script),
            "one": lambda: samples(lambda: cv_glmnet(X, y, foldid=foldid, n_jobs=1), 5),
            "path": lambda: samples(
                lambda: glmnet_path(X, y, alpha=1.0, nlambda=100, lambda_min_ratio=1e-4), 20
            ),
            "R path": lambda: r_samples(path_script),
        },
        repeats=5,
    )
    ours, r_time, one = t["ours"], t["R"], t["one"]
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
            "LASSO CV, n = 2000, p = 20, 10 folds, 100 λ, 2 threads",
            f"{ours:.3f}",
            f"R cv.glmnet {r_time:.3f} · LeptoDx on 1 thread {one:.3f} · sklearn LogisticRegressionCV(l1) {sk:.2f}",
            f"{r_time / ours:.2f}× faster than R (target ≥ 2) · {r_time / one:.2f}× on 1 thread · {sk / ours:.0f}× faster than sklearn",
        ]
    )
    rows.append(
        [
            "one LASSO path (glmnet coordinate descent), n = 2000, p = 20, 100 λ",
            f"{t['path']:.4f}",
            f"R glmnet {t['R path']:.4f}",
            f"{t['R path'] / t['path']:.1f}× faster than R",
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
    bootstrap_validate(logistic_procedure(), X[:50], y[:50], n_boot=2, random_state=1)
    script = (
        f"suppressMessages(library(rms)); d <- read.csv('{WORK}/val.csv'); "
        "f <- lrm(y ~ ., data=d, x=TRUE, y=TRUE); cat(tm(rms::validate(f, B=200), 3))"
    )
    t = alternate(
        lambda: bootstrap_validate(logistic_procedure(), X, y, n_boot=200, random_state=1),
        {
            "rms": lambda: r_samples(script),
            "two": lambda: samples(
                lambda: bootstrap_validate(
                    logistic_procedure(), X, y, n_boot=200, random_state=1, n_jobs=2
                ),
                7,
            ),
        },
        repeats=7,
    )
    one, rms, two = t["ours"], t["rms"], t["two"]
    rows.append(
        [
            "bootstrap validation, n = 1000, 6 predictors, B = 200",
            f"{one:.3f} (1 thread) · {two:.3f} (2 threads)",
            f"rms validate {rms:.3f}",
            f"{rms / one:.0f}× faster than rms on 1 thread, {rms / two:.0f}× on 2 (target ≥ 20)",
        ]
    )


FIRST_CALLS = (
    "import time; t0 = time.perf_counter(); import leptodx.stats as S; "
    "t1 = time.perf_counter(); S.auc_ci; t1b = time.perf_counter(); import numpy as np; n = 200_000; y = np.arange(n) % 3 == 0; "
    "s = np.sin(np.arange(n * 1.0)); S.auc_ci(y, s); S.compare_auc(y, s, s ** 2); t2 = time.perf_counter(); "
    "S.bootstrap_validate(S.logistic_procedure(), np.column_stack([s, s ** 3])[:1000], y[:1000], n_boot=200, random_state=1); "
    "t3 = time.perf_counter(); S.cox_ph(np.arange(1000.0) % 17, y[:1000], {'s': s[:1000]}); t4 = time.perf_counter(); "
    "print(t1 - t0, t2 - t1b, t3 - t2, t4 - t3, t1b - t1)"
)


def bench_first_calls(rows: list[list[str]]) -> None:
    """Import time and the first call of each compiled kernel family, in fresh processes."""

    def run(env: dict[str, str]) -> list[float]:
        out = subprocess.run(
            [sys.executable, "-c", FIRST_CALLS],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT / "src",
            env={**os.environ, **env},
        )
        return [float(v) for v in out.stdout.split()]

    cold = run({"NUMBA_CACHE_DIR": tempfile.mkdtemp(prefix="numba-cold-")})
    warm = [run({}) for _ in range(5)]
    median = [statistics.median(v) for v in zip(*warm, strict=True)]
    numpy_import = statistics.median(
        float(
            subprocess.run(
                [
                    sys.executable,
                    "-c",
                    "import time; t = time.perf_counter(); import numpy; print(time.perf_counter() - t)",
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        for _ in range(5)
    )
    rows.append(
        [
            "`import leptodx.stats` (fresh process)",
            f"{median[0]:.3f} · first name (`auc_ci`, imports NumPy and its submodule) {median[4]:.3f}",
            f"`import numpy` alone {numpy_import:.3f}",
            "target < 0.150 s; names load lazily from `__init__.pyi` (lazy_loader): no submodule, "
            "NumPy or SciPy at import",
        ]
    )
    rows.append(
        [
            "first call of the compiled kernels (AUC/DeLong incl. importing numba · bootstrap · Cox)",
            f"{median[1]:.2f} · {median[2]:.2f} · {median[3]:.2f} (cache on disk)",
            f"without cache (compiling): {cold[1]:.1f} · {cold[2]:.1f} · {cold[3]:.1f}",
            "numba `cache=True`, imported inside the functions: never paid at CLI start-up; compiled once per installation",
        ]
    )


def write(rows: list[list[str]]) -> None:
    import numba
    import sklearn

    v = r_versions("pROC", "glmnet", "rms")
    load = os.getloadavg()
    write_block(
        "stats",
        [
            "## Statistics engine (issues 4 and 16)",
            "",
            f"Run `{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}` on {platform.machine()}, "
            f"{os.cpu_count()} cores shared with other engineers' jobs (load average "
            f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} at the end), Python "
            f"{platform.python_version()}, numpy {np.__version__}, numba {numba.__version__}, "
            f"scikit-learn {sklearn.__version__}, {v['R']}, pROC {v['pROC']}, glmnet {v['glmnet']}, "
            f"rms {v['rms']}. Seconds are medians of repeats; LeptoDx and each R peer were timed "
            "in alternating rounds (peers timed inside R, so R start-up is not counted). On a "
            "shared machine single figures move by ±30 %; the ratios are the stable part.",
            "",
            "| task | LeptoDx (s) | peers (s) | ratio |",
            "|---|---|---|---|",
            *("| " + " | ".join(r) + " |" for r in rows),
        ],
    )


BENCHES = {
    "auc": bench_auc,
    "memory": bench_memory,
    "dca": bench_dca,
    "lasso": bench_lasso,
    "validate": bench_validate,
    "first_calls": bench_first_calls,
}


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--only",
        nargs="+",
        choices=sorted(BENCHES),
        help="run only these benchmarks and print their rows (RESULTS.md is left unchanged)",
    )
    args = parser.parse_args()
    rows: list[list[str]] = []
    for name, bench in BENCHES.items():
        if args.only and name not in args.only:
            continue
        done = len(rows)
        bench(rows)
        for row in rows[done:]:
            print(json.dumps(row, ensure_ascii=False), flush=True)
    if not args.only:
        write(rows)
