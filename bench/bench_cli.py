"""Benchmark the start-up of the command line (issue 16: ``--version`` and ``assess FILE`` < 0.3 s).

Whole commands in fresh processes, as a user runs them (``.venv/bin/leptodx``), timed wall and
CPU, medians of alternating rounds with the floors in the same run: the bare interpreter
(``python -c pass``: no Python command beats it) and R's start (``Rscript -e 0``), the tool a
clinical researcher would otherwise type into. Writes the ``cli`` block of bench/RESULTS.md.

    .venv/bin/python bench/bench_cli.py [--repeats 7]
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


def _verdict(name: str, wall: float) -> str:
    if name not in TARGETED:
        return "— (FHIR R4 models load for this format; no target)"
    return f"{'met' if wall < TARGET else 'NOT met'} (< {TARGET} s)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeats", type=int, default=7, help="runs per round (3 rounds)")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    result = measure(args.repeats)
    load = os.getloadavg()
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
    write_block(
        "cli",
        [
            "## Command-line start-up (`bench/bench_cli.py`, issue 16)",
            "",
            f"Run `{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}` on {platform.machine()}, "
            f"{os.cpu_count()} cores, Python {platform.python_version()}, load average "
            f"{load_before:.1f} at start, {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} at the end. "
            f"Whole commands in fresh processes (`{Path(LEPTODX).name}` console script, "
            f"output discarded), medians of 3 alternating rounds × {args.repeats} runs; the "
            "floors ran in the same rounds. `assess` reads examples/probable_type_iia.json.",
            "",
            "| command | wall (s) | CPU (s) | over `python -c pass` (s) | target |",
            "|---|---|---|---|---|",
            *rows,
        ],
    )
    print("\n".join(rows))


if __name__ == "__main__":
    main()
