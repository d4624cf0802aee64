"""Benchmark of the research workflow (not a test).

Measures, in one run on this machine:
- ingestion of a 10⁶-row synthetic Parquet cohort (read + mapping + data-quality checks);
- ``leptodx develop --spec gao-a --bootstrap 500`` on n = 1000 (report included, PDF excluded),
  against the equivalent R script (rms lrm + validate + calibrate, pROC, net benefit loop);
and writes medians and ratios into bench/RESULTS.md between the research markers.

Usage: python bench/bench_research.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BEGIN, END = "<!-- begin:research -->", "<!-- end:research -->"


def _median_time(func, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _fmt(value: float | None) -> str:
    return "not available (command failed)" if value is None else f"{value:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    from leptodx.cohort.io import read_table, write_table
    from leptodx.cohort.mapping import default_mapping
    from leptodx.cohort.quality import map_cohort
    from leptodx.cohort.synthetic import synthetic_cohort

    work = Path(tempfile.mkdtemp(prefix="leptodx-bench-"))
    big = work / "cohort-1e6.parquet"
    synth_s = _median_time(lambda: synthetic_cohort(1_000_000, seed=1), 1)
    write_table(synthetic_cohort(1_000_000, seed=1), big)

    def ingest() -> None:
        frame = read_table(big)
        map_cohort(frame, default_mapping(frame))

    ingest_s = _median_time(ingest, args.repeats)

    small = work / "cohort-1000.csv"
    write_table(synthetic_cohort(1000, seed=2), small)
    cmd = [
        sys.executable,
        "-m",
        "leptodx",
        "develop",
        str(small),
        "--spec",
        "gao-a",
        "--bootstrap",
        "500",
        "--seed",
        "1",
        "--quiet",
        "--no-pdf",
    ]

    def develop() -> None:
        subprocess.run([*cmd, "--out", str(work / "dev")], check=True, capture_output=True)

    try:
        develop_s: float | None = _median_time(develop, args.repeats)
    except subprocess.CalledProcessError as exc:
        print(f"develop could not run: {exc.stderr.decode()[-300:]}", file=sys.stderr)
        develop_s = None
    r_script = HERE / "bench_research.R"

    def r_run() -> None:
        subprocess.run(
            ["Rscript", str(r_script), str(small), "500"], check=True, capture_output=True
        )

    r_s = _median_time(r_run, args.repeats)
    lines = [
        BEGIN,
        "## Research workflow (`bench/bench_research.py`)",
        "",
        f"Median of {args.repeats} runs, same machine, same run. Synthetic data (`leptodx synth`).",
        "",
        "| task | LeptoDx (s) | peer (s) | ratio LeptoDx/peer | target |",
        "|---|---|---|---|---|",
        f"| synthesise 10⁶ rows (in memory) | {synth_s:.2f} | — | — | a few s |",
        f"| ingest 10⁶-row Parquet (read, map, check) | {ingest_s:.2f} | — | — | < 10 s |",
        f"| `develop --spec gao-a --bootstrap 500`, n = 1000, HTML report, process start "
        f"included | {_fmt(develop_s)} | {r_s:.2f} (Rscript: rms lrm + validate + calibrate "
        f"B = 500, pROC DeLong + roc.test, net benefit) | "
        f"{_fmt(None if develop_s is None else develop_s / r_s)} | < 30 s |",
        END,
    ]
    results = HERE / "RESULTS.md"
    text = results.read_text(encoding="utf-8") if results.exists() else "# Benchmark results\n"
    block = "\n".join(lines)
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + block + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    results.write_text(text, encoding="utf-8")
    print(block)


if __name__ == "__main__":
    main()
