"""Shared timing helpers for the benchmarks (medians of repeats, peers timed in the same run).

The machine is shared, so LeptoDx and each peer are timed in alternating rounds and the medians
are taken over all rounds: a burst of load from another job hits both sides alike.
"""

from __future__ import annotations

import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")

R_TIMER = (
    "tm <- function(expr, k) { e <- substitute(expr); "
    "sapply(seq_len(k), function(i) system.time(eval(e, parent.frame(3)))[['elapsed']]) }\n"
)
"""R helper: ``cat(tm(expr, k))`` prints k wall times in seconds."""


def samples(fn: Callable[[], object], repeats: int) -> list[float]:
    """Wall times of ``repeats`` calls of ``fn``."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def median_time(fn: Callable[[], object], repeats: int) -> float:
    return statistics.median(samples(fn, repeats))


def r_samples(script: str) -> list[float]:
    """Run an R snippet whose last output line is its wall times (``cat(tm(...))``)."""
    out = subprocess.run(["Rscript", "-e", R_TIMER + script], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"Rscript failed: {out.stderr.strip()[-500:]}")
    return [float(v) for v in out.stdout.strip().splitlines()[-1].split()]


def alternate(
    ours: Callable[[], object],
    peers: dict[str, Callable[[], list[float]]],
    *,
    repeats: int,
    rounds: int = 3,
) -> dict[str, float]:
    """Medians of LeptoDx (key ``"ours"``) and each peer, timed in ``rounds`` alternating blocks.

    A peer is a function returning its wall times for one block (``r_samples`` for R, or
    ``lambda: samples(fn, k)`` in process).
    """
    times: dict[str, list[float]] = {"ours": [], **{name: [] for name in peers}}
    for _ in range(rounds):
        times["ours"] += samples(ours, repeats)
        for name, peer in peers.items():
            times[name] += peer()
    return {name: statistics.median(values) for name, values in times.items()}


def r_versions(*packages: str) -> dict[str, str]:
    listed = ", ".join(f"'{p}'" for p in packages)
    script = (
        f"v <- sapply(c({listed}), function(p) as.character(packageVersion(p))); "
        "cat(R.version.string, '\\n'); cat(paste(names(v), v, sep = '='), sep = '\\n')"
    )
    out = subprocess.run(["Rscript", "-e", script], capture_output=True, text=True, check=True)
    lines = out.stdout.strip().splitlines()
    versions = dict(line.split("=", 1) for line in lines[1:])
    return {"R": lines[0].strip(), **versions}


def write_block(name: str, lines: list[str]) -> None:
    """Replace the ``<!-- begin:name -->`` … ``<!-- end:name -->`` block of RESULTS.md."""
    begin, end = f"<!-- begin:{name} -->", f"<!-- end:{name} -->"
    block = "\n".join([begin, *lines, end])
    text = (
        RESULTS.read_text()
        if RESULTS.exists()
        else "# Benchmark results\n\nWritten by the scripts in bench/.\n\n"
    )
    if begin in text:
        head, rest = text.split(begin, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    RESULTS.write_text(text)
