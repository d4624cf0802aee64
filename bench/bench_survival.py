"""Benchmark survival analysis against R survival and lifelines in the same run (issue 16).

Run: ``scripts/install --bench && .venv/bin/python bench/bench_survival.py``. Writes the block
``survival`` of bench/RESULTS.md:

- Kaplan–Meier with log-rank, n = 10⁶ in 3 groups: ``kaplan_meier`` + ``logrank_test`` against
  R ``survfit`` + ``survdiff`` and lifelines ``KaplanMeierFitter`` per group +
  ``multivariate_logrank_test``; once with follow-up in whole days, once with continuous times.
- Cox with Efron ties, n = 10⁵, p = 10: ``cox_ph`` against R ``coxph(ties = "efron")`` and
  lifelines ``CoxPHFitter`` (its defaults).

Inputs are pandas columns as read from a file (group labels as text), as the CLI passes them.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).parent))
from _timing import alternate, r_samples, r_versions, samples, write_block

from leptodx.stats import cox_ph, kaplan_meier, logrank_test

WORK = Path(tempfile.mkdtemp(prefix="leptodx-bench-"))


def cohort(n: int, *, days: bool, seed: int, p: int = 0) -> pd.DataFrame:
    """Exponential survival by group (and covariates), uniform censoring over 5 years."""
    rng = np.random.default_rng(seed)
    group = rng.choice(["IA", "IB", "II"], n)
    x = rng.normal(size=(n, p))
    rate = np.exp(x @ rng.normal(0, 0.3, p)) * np.select(
        [group == "IA", group == "IB"], [1 / 900, 1 / 700], 1 / 450
    )
    event_time, censor = rng.exponential(1 / rate), rng.uniform(0, 5 * 365.25, n)
    time_ = np.minimum(event_time, censor)
    frame = pd.DataFrame(x, columns=[f"x{i}" for i in range(p)])
    frame["time"] = np.ceil(time_) if days else time_
    frame["event"] = (event_time <= censor).astype(int)
    frame["group"] = group
    return frame


def bench_kaplan_meier(rows: list[list[str]]) -> None:
    from lifelines import KaplanMeierFitter
    from lifelines.statistics import multivariate_logrank_test

    for days in (True, False):
        path = WORK / f"km-{days}.csv"
        cohort(1_000_000, days=days, seed=7).to_csv(path, index=False)
        d = pd.read_csv(path)

        def ours(d: pd.DataFrame = d) -> None:
            kaplan_meier(d.time, d.event, d.group)
            logrank_test(d.time, d.event, d.group)

        def lifelines(d: pd.DataFrame = d) -> None:
            for _, part in d.groupby("group"):
                KaplanMeierFitter().fit(part.time, part.event)  # median, CI: computed in fit
            multivariate_logrank_test(d.time, d.group, d.event)

        ours()
        script = (
            f"suppressMessages(library(survival)); d <- read.csv('{path}'); "
            "cat(tm({survfit(Surv(time, event) ~ group, data = d); "
            "survdiff(Surv(time, event) ~ group, data = d)}, 2))"
        )
        t = alternate(
            ours,
            {
                "R": lambda script=script: r_samples(script),
                "lifelines": lambda lifelines=lifelines: samples(lifelines, 3),
            },
            repeats=3,
        )
        rows.append(
            [
                f"Kaplan–Meier + log-rank, n = 10⁶, 3 groups, {'follow-up in days' if days else 'continuous times'} ({d.time.nunique():,} distinct)",
                f"{t['ours']:.3f}",
                f"R survfit + survdiff {t['R']:.2f} · lifelines {t['lifelines']:.2f}",
                f"{t['R'] / t['ours']:.0f}× faster than R (target ≥ 1) · {t['lifelines'] / t['ours']:.1f}× faster than lifelines (target ≥ 5)",
            ]
        )


def bench_cox(rows: list[list[str]]) -> None:
    from lifelines import CoxPHFitter

    p = 10
    path = WORK / "cox.csv"
    cohort(100_000, days=True, seed=8, p=p).drop(columns="group").to_csv(path, index=False)
    d = pd.read_csv(path)
    covariates = {f"x{i}": d[f"x{i}"].to_numpy() for i in range(p)}

    def ours() -> None:
        cox_ph(d.time, d.event, covariates)

    ours()
    script = (
        f"suppressMessages(library(survival)); d <- read.csv('{path}'); "
        "cat(tm(coxph(Surv(time, event) ~ ., data = d, ties = 'efron'), 3))"
    )
    t = alternate(
        ours,
        {
            "R": lambda: r_samples(script),
            "lifelines": lambda: samples(lambda: CoxPHFitter().fit(d, "time", "event"), 2),
        },
        repeats=5,
    )
    rows.append(
        [
            f"Cox, Efron ties, n = 10⁵, p = {p} ({d.time.nunique():,} distinct times)",
            f"{t['ours']:.3f}",
            f"R coxph {t['R']:.3f} · lifelines CoxPHFitter {t['lifelines']:.3f}",
            f"{t['R'] / t['ours']:.1f}× faster than coxph (target ≥ 1) · {t['lifelines'] / t['ours']:.1f}× faster than lifelines (target ≥ 5)",
        ]
    )


def write(rows: list[list[str]]) -> None:
    import lifelines

    v = r_versions("survival")
    load = os.getloadavg()
    write_block(
        "survival",
        [
            "## Survival (issue 16, `bench/bench_survival.py`)",
            "",
            f"Run `{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}` on {platform.machine()}, "
            f"{os.cpu_count()} cores shared with other engineers' jobs (load average "
            f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} at the end), Python "
            f"{platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
            f"lifelines {lifelines.__version__}, {v['R']}, survival {v['survival']}. Inputs are "
            "columns read from CSV (text group labels). Seconds are medians; LeptoDx and R were "
            "lifelines were timed in alternating rounds (R timed inside R).",
            "",
            "| task | LeptoDx (s) | peers (s) | ratio |",
            "|---|---|---|---|",
            *("| " + " | ".join(r) + " |" for r in rows),
        ],
    )


if __name__ == "__main__":
    rows: list[list[str]] = []
    for bench in (bench_kaplan_meier, bench_cox):
        bench(rows)
        print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    write(rows)
