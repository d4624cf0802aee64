"""Benchmark whole commands (issue 16: ``--version`` and ``assess FILE`` < 0.3 s, ``csf-table`` on
10⁶ rows < 2 s).

Whole commands in fresh processes, as a user runs them (``.venv/bin/leptodx``), timed wall and
CPU, medians of alternating rounds with the floors in the same run: the bare interpreter
(``python -c pass``: no Python command beats it) and R's start (``Rscript -e 0``), the tool a
clinical researcher would otherwise type into. ``csf-table`` runs on a synthetic cohort of 10⁶
rows (``leptodx synth --n 1000000 --seed 5``, made once in a temporary directory), 5 runs per
format. Writes the ``cli`` block of bench/RESULTS.md.

    .venv/bin/python bench/bench_cli.py [--repeats 7] [--no-csf-table]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _timing import write_block

ROOT = Path(__file__).parents[1]
LEPTODX = str(Path(sys.executable).with_name("leptodx"))
EXAMPLE = str(ROOT / "examples" / "probable_type_iia.json")

#: The command lines of the issue's target (< 0.3 s wall); the others are shown for comparison.
TARGET = 0.3
TARGETED = (
    "`leptodx --version`",
    "`leptodx assess FILE` (text)",
    "`leptodx assess FILE --format json`",
)
COMMANDS: dict[str, list[str]] = {
    "`leptodx --version`": [LEPTODX, "--version"],
    "`leptodx assess FILE` (text)": [LEPTODX, "assess", EXAMPLE],
    "`leptodx assess FILE --format json`": [LEPTODX, "assess", EXAMPLE, "--format", "json"],
    "`leptodx assess FILE --format fhir`": [LEPTODX, "assess", EXAMPLE, "--format", "fhir"],
}
FLOORS: dict[str, list[str]] = {
    "python -c pass": [sys.executable, "-c", "pass"],
    **({"Rscript -e 0": ["Rscript", "-e", "0"]} if shutil.which("Rscript") else {}),
}


def run_once(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``argv`` (output discarded)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, cwd=ROOT)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def measure(repeats: int, rounds: int = 3) -> dict[str, tuple[float, float]]:
    """Median wall and CPU of every command and floor, timed in alternating rounds."""
    everything = {**COMMANDS, **FLOORS}
    for argv in everything.values():
        run_once(argv)  # warm the file cache and the byte-code
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in everything}
    for _ in range(rounds):
        for name, argv in everything.items():
            times[name] += [run_once(argv) for _ in range(repeats)]
    return {
        name: (statistics.median(w for w, _ in t), statistics.median(c for _, c in t))
        for name, t in times.items()
    }


CSF_TABLE_TARGET = 2.0


def _verdict(name: str, wall: float) -> str:
    if name not in TARGETED:
        return "— (FHIR R4 models load for this format; no target)"
    return f"{'met' if wall < TARGET else 'NOT met'} (< {TARGET} s)"


def csf_table_rows(runs: int = 5) -> list[str]:
    """Whole ``csf-table`` commands on 10⁶ synthetic rows, JSON and text."""
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as tmp:
        cohort = str(Path(tmp) / "cohort-1e6.parquet")
        run_once([LEPTODX, "synth", "--n", "1000000", "--seed", "5", "-o", cohort])
        rows = []
        for fmt in ("json", "text"):
            argv = [LEPTODX, "csf-table", cohort, "--by", "lm", "--format", fmt]
            times = [run_once(argv) for _ in range(runs)]
            wall = statistics.median(w for w, _ in times)
            cpu = statistics.median(c for _, c in times)
            verdict = "met" if wall < CSF_TABLE_TARGET else "NOT met"
            rows.append(
                f"| `leptodx csf-table` 10⁶ rows `--by lm --format {fmt}` | {wall:.2f} | {cpu:.2f} "
                f"| | {verdict} (< {CSF_TABLE_TARGET:.0f} s) |"
            )
        return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeats", type=int, default=7, help="runs per round (3 rounds)")
    parser.add_argument("--no-csf-table", action="store_true", help="start-up rows only")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    result = measure(args.repeats)
    floor = result["python -c pass"][0]
    rows = [
        f"| {name} | {wall:.3f} | {cpu:.3f} | {wall - floor:+.3f} | {_verdict(name, wall)} |"
        for name, (wall, cpu) in result.items()
        if name in COMMANDS
    ]
    rows += [
        f"| {name} (floor) | {wall:.3f} | {cpu:.3f} | | |"
        for name, (wall, cpu) in result.items()
        if name in FLOORS
    ]
    if not args.no_csf_table:
        rows += csf_table_rows()
    load = os.getloadavg()
    write_block(
        "cli",
        [
            "## Whole commands: CLI start-up and `csf-table` (`bench/bench_cli.py`, issue 16)",
            "",
            f"Run `{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}` on {platform.machine()}, "
            f"{os.cpu_count()} cores, Python {platform.python_version()}, load average "
            f"{load_before:.1f} at start, {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} at the end. "
            f"Whole commands in fresh processes (`{Path(LEPTODX).name}` console script, "
            f"output discarded), medians of 3 alternating rounds × {args.repeats} runs; the "
            "floors ran in the same rounds. `assess` reads examples/probable_type_iia.json; "
            "`csf-table` medians of 5 runs each.",
            "",
            "| command | wall (s) | CPU (s) | over `python -c pass` (s) | target |",
            "|---|---|---|---|---|",
            *rows,
        ],
    )
    print("\n".join(rows))


if __name__ == "__main__":
    main()
