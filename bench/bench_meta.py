"""Benchmark of the diagnostic-accuracy meta-analysis (not a test).

Fits the bivariate REML model and the binomial GLMM (Laplace) with LeptoDx and, in the same run,
with R metafor::rma.mv and lme4::glmer (timed inside R; default and tight optimiser settings,
see tests/reference_values/meta/meta.R), on the simulated review heterogeneous.csv (k = 14) and
a simulated review of k = 60 studies. Writes medians and ratios into bench/RESULTS.md between the
meta markers.

Usage: python bench/bench_meta.py [--repeats 7]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REVIEW = HERE.parent / "tests" / "reference_values" / "meta" / "heterogeneous.csv"
BEGIN, END = "<!-- begin:meta -->", "<!-- end:meta -->"


def _median(func: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _large_review(path: Path, k: int = 60) -> None:
    rng = np.random.default_rng(7)
    logits = rng.multivariate_normal([1.2, -2.0], [[0.8, -0.3], [-0.3, 0.9]], size=k)
    n1, n0 = rng.integers(20, 150, k), rng.integers(30, 250, k)
    tp = rng.binomial(n1, 1 / (1 + np.exp(-logits[:, 0])))
    fp = rng.binomial(n0, 1 / (1 + np.exp(-logits[:, 1])))
    rows = ["study,tp,fp,fn,tn"] + [
        f"L{i},{tp[i]},{fp[i]},{n1[i] - tp[i]},{n0[i] - fp[i]}" for i in range(k)
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def _time_review(path: Path, repeats: int) -> dict[str, float]:
    from leptodx.meta import MetaOptions, Method, analyse
    from leptodx.meta.design import intercepts
    from leptodx.meta.fitting import fit_model
    from leptodx.meta.io import read_studies
    from leptodx.meta.studies import ContinuityCorrection

    table = read_studies(path)
    design = intercepts(len(table.studies))
    correction = ContinuityCorrection()
    ours = {
        "reitsma": _median(lambda: fit_model(table, design, Method.REITSMA, correction), repeats),
        "glmm": _median(lambda: fit_model(table, design, Method.GLMM, correction), repeats),
        "analyse": _median(lambda: analyse(table, MetaOptions()), repeats),
    }
    peer = json.loads(
        subprocess.run(
            ["Rscript", str(HERE / "bench_meta.R"), str(path), str(repeats)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    return {**ours, **peer}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    large = Path(tempfile.mkdtemp(prefix="leptodx-bench-meta-")) / "k60.csv"
    _large_review(large)
    results = {14: _time_review(REVIEW, args.repeats), 60: _time_review(large, args.repeats)}
    versions = results[14]["versions"]
    lines = [
        BEGIN,
        "## Diagnostic-accuracy meta-analysis (`bench/bench_meta.py`, issue 19)",
        "",
        f"Run `{datetime.now(UTC):%Y-%m-%d %H:%M} UTC` on {platform.machine()}, Python "
        f"{platform.python_version()}, {versions['R']}, metafor {versions['metafor']}, lme4 "
        f"{versions['lme4']}. Medians of {args.repeats} fits in one process (R timed inside R, "
        "start-up excluded). Simulated reviews; machine shared with other jobs.",
        "",
        "| task | k | LeptoDx (s) | R default (s) | R tight (s) | ratio LeptoDx / R tight |",
        "|---|---|---|---|---|---|",
    ]
    for k, r in results.items():
        lines.append(
            f"| bivariate REML (Reitsma) | {k} | {r['reitsma']:.4f} | {r['rma_mv_default']:.4f} "
            f"(rma.mv, nlminb) | {r['rma_mv_tight']:.4f} (rma.mv, bobyqa 1e-12) | "
            f"{r['reitsma'] / r['rma_mv_tight']:.2f} |"
        )
        lines.append(
            f"| binomial GLMM, Laplace | {k} | {r['glmm']:.4f} | {r['glmer_default']:.4f} "
            f"(glmer) | {r['glmer_tight']:.4f} (glmer, tolPwrss 1e-13) | "
            f"{r['glmm'] / r['glmer_tight']:.2f} |"
        )
        lines.append(
            f"| whole `analyse` (REML + univariate + HSROC AUC) | {k} | {r['analyse']:.4f} | — | — | — |"
        )
    lines += [
        "",
        "R's default settings stop short of the optimum (metafor's nlminb ~1e-5 in τ², glmer's "
        "PIRLS tolerance ~5e-4); the tight settings are those of the reference values, which "
        "LeptoDx matches to 1e-6 (REML) and 1e-6–1e-7 (GLMM).",
        END,
    ]
    path = HERE / "RESULTS.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    block = "\n".join(lines)
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + block + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")
    print(block)


if __name__ == "__main__":
    main()
