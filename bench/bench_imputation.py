"""Multiple imputation: MAR simulation (bias, coverage) and speed against R mice (not a test).

Simulation (known truth): n = 500 patients; x3 ~ Poisson(1.5) (count, complete), x1 ~ N(0.3·x3, 1)
(continuous), x2 ~ Bernoulli(expit(−0.5 + 0.6·x1)) (binary), y ~ Bernoulli(expit(−1 + 0.8·x1 +
0.7·x2 + 0.3·x3)). Missing at random: x1 missing with probability expit(−1.2 + y − 0.3·x3) (≈ 30 %),
x2 with expit(−1.5 + 0.8·y + 0.2·x3) (≈ 35 %) — depending on the outcome and an observed
predictor. Each repetition imputes m = 10 times (PMM for x1, logistic for x2, outcome in the
model), fits the logistic model on every copy and pools by Rubin's rules; the complete-case fit is
recorded for contrast. Reported: bias with its Monte-Carlo SE and 95 % CI coverage with its
Monte-Carlo SE (√(0.95·0.05/R)), per coefficient.

Speed: one imputation + analysis + pooling on one simulated dataset, LeptoDx against R
``mice(m = 10, maxit = 5)`` + ``with(glm)`` + ``pool`` (timed inside R), same machine, same run.

Usage: python bench/bench_imputation.py [--repetitions 500]   (writes the imputation block of
bench/RESULTS.md; tests/stats/test_imputation_simulation.py runs the same simulation when
LEPTODX_SLOW=1)
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
R_MICE = HERE.parent / "tests" / "reference_values" / "imputation" / "mar_simulation_r.json"
BEGIN, END = "<!-- begin:imputation -->", "<!-- end:imputation -->"
TRUE = np.array([-1.0, 0.8, 0.7, 0.3])
TERMS = (
    "intercept",
    "x1 (continuous, 30 % missing)",
    "x2 (binary, 35 % missing)",
    "x3 (count, complete)",
)


def simulate_data(rep: int, n: int = 500) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Complete predictors, outcome and the incomplete predictors of repetition ``rep``."""
    rng = np.random.default_rng(10_000 + rep)
    x3 = rng.poisson(1.5, n).astype(float)
    x1 = rng.normal(0.3 * x3, 1.0)
    x2 = (rng.random(n) < 1 / (1 + np.exp(-(-0.5 + 0.6 * x1)))).astype(float)
    eta = TRUE[0] + TRUE[1] * x1 + TRUE[2] * x2 + TRUE[3] * x3
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float)
    full = np.column_stack([x1, x2, x3])
    incomplete = full.copy()
    incomplete[rng.random(n) < 1 / (1 + np.exp(-(-1.2 + y - 0.3 * x3))), 0] = np.nan
    incomplete[rng.random(n) < 1 / (1 + np.exp(-(-1.5 + 0.8 * y + 0.2 * x3))), 1] = np.nan
    return full, y, incomplete


def analyse(incomplete: np.ndarray, y: np.ndarray, *, m: int, seed: int) -> tuple[list, np.ndarray]:
    """MICE + logistic fits + Rubin's rules; returns pooled terms and the complete-case estimates."""
    from leptodx import stats
    from leptodx.stats.imputation import ImputationMethod as M
    from leptodx.stats.imputation import mice
    from leptodx.stats.pooling import pool_estimates

    result = mice(
        np.column_stack([incomplete, y]),
        m=m,
        random_state=seed,
        methods=[M.PMM, M.LOGREG, M.NONE, M.NONE],
    )
    fits = [stats.LogisticModel().fit(c[:, :3], y) for c in result.imputations]
    pooled = pool_estimates([f.coef_ for f in fits], [f.se_ for f in fits], dfcom=y.size - 4)
    complete = ~np.isnan(incomplete).any(axis=1)
    cc = stats.LogisticModel().fit(incomplete[complete], y[complete]).coef_
    return pooled, cc


def simulate(repetitions: int, m: int = 10) -> dict[str, np.ndarray | float]:
    """Bias, coverage and their Monte-Carlo SEs over ``repetitions`` datasets."""
    from leptodx import stats

    estimates, covered, complete_case, missing, full_data = [], [], [], [], []
    for rep in range(repetitions):
        full, y, incomplete = simulate_data(rep)
        pooled, cc = analyse(incomplete, y, m=m, seed=rep)
        full_data.append(stats.LogisticModel().fit(full, y).coef_)
        estimates.append([p.estimate for p in pooled])
        covered.append([p.ci[0] <= t <= p.ci[1] for p, t in zip(pooled, TRUE, strict=True)])
        complete_case.append(cc)
        missing.append(np.isnan(incomplete).mean(axis=0))
    e, c, cc_arr = np.array(estimates), np.array(covered, dtype=float), np.array(complete_case)
    f = np.array(full_data)
    return {
        "bias": e.mean(axis=0) - TRUE,
        "bias_mcse": e.std(axis=0, ddof=1) / np.sqrt(repetitions),
        "full_data_bias": f.mean(axis=0) - TRUE,
        "mi_minus_full": (e - f).mean(axis=0),
        "mi_minus_full_mcse": (e - f).std(axis=0, ddof=1) / np.sqrt(repetitions),
        "coverage": c.mean(axis=0),
        "coverage_mcse": float(np.sqrt(0.95 * 0.05 / repetitions)),
        "complete_case_bias": cc_arr.mean(axis=0) - TRUE,
        "missing": np.mean(missing, axis=0),
        "repetitions": float(repetitions),
    }


R_SCRIPT = """
suppressPackageStartupMessages(library(mice))
d <- read.csv("{path}")
d$x2 <- factor(d$x2)
times <- replicate({repeats}, system.time({{
  imp <- mice(d, m = 10, maxit = 5, method = c("pmm", "logreg", "", ""), printFlag = FALSE, seed = 1)
  p <- pool(with(imp, glm(y ~ x1 + x2 + x3, family = binomial)))
}})[["elapsed"]])
cat(median(times))
"""


def time_against_r(repeats: int) -> tuple[float, float | None]:
    """Median seconds of one imputation + analysis + pooling: LeptoDx and R mice."""
    _, y, incomplete = simulate_data(0)
    analyse(incomplete, y, m=10, seed=1)  # warm-up: imports and first-call costs
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        analyse(incomplete, y, m=10, seed=1)
        times.append(time.perf_counter() - start)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "d.csv"
        rows = ["x1,x2,x3,y"] + [
            ",".join("NA" if np.isnan(v) else f"{v:.17g}" for v in row)
            for row in np.column_stack([incomplete, y])
        ]
        path.write_text("\n".join(rows) + "\n")
        script = Path(tmp) / "t.R"
        script.write_text(R_SCRIPT.format(path=path, repeats=repeats))
        try:
            out = subprocess.run(
                ["Rscript", str(script)], capture_output=True, text=True, check=True, timeout=600
            )
            return statistics.median(times), float(out.stdout.strip())
        except (OSError, subprocess.SubprocessError, ValueError):
            return statistics.median(times), None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repetitions", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    start = time.perf_counter()
    result = simulate(args.repetitions)
    seconds = time.perf_counter() - start
    ours, r_seconds = time_against_r(args.repeats)
    r_version = subprocess.run(
        ["Rscript", "-e", "cat(paste0(R.version.string, ', mice ', packageVersion('mice')))"],
        capture_output=True,
        text=True,
    ).stdout
    lines = [
        BEGIN,
        "## Multiple imputation (`bench/bench_imputation.py`)",
        "",
        f"Run `{datetime.now(UTC):%Y-%m-%d %H:%M} UTC` on {platform.machine()}, Python "
        f"{platform.python_version()}, {r_version.strip() or 'R not available'}. Machine shared with other jobs.",
        "",
        f"**MAR simulation** ({int(result['repetitions'])} repetitions, n = 500, m = 10, maxit = 5; "
        f"missing x1 {result['missing'][0]:.0%}, x2 {result['missing'][1]:.0%}; {seconds:.0f} s). "
        f"Nominal coverage 95 % with Monte-Carlo SE {result['coverage_mcse']:.1%}.",
        "",
        "| coefficient (true value) | MI bias (MC SE) | full-data bias (ML, before deletion) | "
        "MI − full data (MC SE) | MI 95 % CI coverage | complete-case bias |",
        "|---|---|---|---|---|---|",
    ]
    for i, term in enumerate(TERMS):
        lines.append(
            f"| {term} ({TRUE[i]:g}) | {result['bias'][i]:+.4f} ({result['bias_mcse'][i]:.4f}) | "
            f"{result['full_data_bias'][i]:+.4f} | {result['mi_minus_full'][i]:+.4f} "
            f"({result['mi_minus_full_mcse'][i]:.4f}) | {result['coverage'][i]:.1%} | "
            f"{result['complete_case_bias'][i]:+.4f} |"
        )
    lines += [
        "",
        "The full-data column is the maximum-likelihood estimate on the data before values were "
        "deleted: logistic ML is itself biased away from zero at n = 500 (order 1/n), so "
        "imputation is judged by MI − full data.",
    ]
    if R_MICE.exists():
        mice = json.loads(R_MICE.read_text(encoding="utf-8"))
        lines += [
            "",
            f"R mice {mice['versions']['mice']} on the same {mice['repetitions']} datasets and "
            "settings (`tests/reference_values/imputation/mar_simulation.R`): MI − full data "
            + ", ".join(
                f"{v:+.4f} ({e:.4f})"
                for v, e in zip(mice["mi_minus_full"], mice["mi_minus_full_mcse"], strict=True)
            )
            + "; coverage "
            + ", ".join(f"{c:.1%}" for c in mice["coverage"])
            + " (same coefficient order).",
        ]
    ratio = "—" if r_seconds is None else f"{ours / r_seconds:.2f}"
    lines += [
        "",
        "| task | LeptoDx (s) | R mice (s) | ratio LeptoDx/R |",
        "|---|---|---|---|",
        f"| MICE m = 10, maxit = 5 (pmm + logreg), 10 logistic fits, Rubin's rules; n = 500 | "
        f"{ours:.3f} | {'not available' if r_seconds is None else f'{r_seconds:.3f}'} | {ratio} |",
        END,
    ]
    results = HERE / "RESULTS.md"
    text = results.read_text(encoding="utf-8")
    block = "\n".join(lines)
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + block + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    results.write_text(text, encoding="utf-8")
    print(block)


if __name__ == "__main__":
    main()
