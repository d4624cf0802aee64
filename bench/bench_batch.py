"""Benchmark of scale-out (issue 17) and the columnar csf-table (issue 16); not a test.

Measures in one run on this machine and writes medians and ratios into bench/RESULTS.md between
the batch markers:

- ``batch assess`` of a 10⁷-row synthetic Parquet cohort: the columnar engine's rows/s per core
  (CPU seconds, one thread) against the per-record engine (``assess`` on each record) on the
  first 2·10⁴ rows of the same file; wall time and peak memory (all processes of the job) in one
  process, two threads, and a ``LocalCluster`` of 2 worker processes;
- the client's Parquet writing rate (the one serial step of a distributed job);
- Harrell's bootstrap (``develop``'s procedure), B = 2000, n = 10⁵, on 1 and 2 workers;
- ``csf-table`` on 10⁶ rows against the former per-patient loop;
- an estimate, from those numbers, of the wall time on a 100-worker cluster.

Usage: python bench/bench_batch.py [--rows 10000000] [--boot 2000] [--boot-n 100000]
(``--boot 0`` skips the bootstrap: its rows then say so, and the block keeps no old numbers.)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import psutil
import pyarrow as pa
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
BEGIN, END = "<!-- begin:batch -->", "<!-- end:batch -->"
CHUNK = 1 << 20


@dataclass
class Run:
    """One command's wall time, CPU time of all its processes and peak summed memory."""

    wall: float
    cpu: float
    peak_gib: float


def run_measured(cmd: list[str]) -> Run:
    """Run ``cmd``; poll its process tree for CPU and summed resident memory."""
    start = time.perf_counter()
    root = psutil.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    cpu: dict[int, float] = {}
    peak = 0
    while root.poll() is None:
        rss = 0
        try:
            procs = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        for p in procs:
            try:
                t = p.cpu_times()
                cpu[p.pid] = t.user + t.system
                rss += p.memory_info().rss
            except psutil.NoSuchProcess:
                continue
        peak = max(peak, rss)
        time.sleep(0.05)
    wall = time.perf_counter() - start
    if root.returncode != 0:
        raise RuntimeError(f"{cmd} failed: {root.stderr.read().decode()[-2000:]}")
    return Run(wall, sum(cpu.values()), peak / 2**30)


def cpu_timed(func: Callable[[], Any]) -> tuple[float, float]:
    """(wall, CPU seconds of this process) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    func()
    return time.perf_counter() - wall, time.process_time() - cpu


def make_cohort(path: Path, rows: int) -> None:
    """A synthetic cohort in row groups of 2²⁰ rows, written chunk by chunk (bounded memory)."""
    from leptodx.cohort.synthetic import synthetic_cohort

    writer = None
    for i, start in enumerate(range(0, rows, CHUNK)):
        frame = synthetic_cohort(min(CHUNK, rows - start), seed=1000 + i)
        frame["patient_id"] = np.arange(start, start + len(frame)) + 1
        table = pa.Table.from_pandas(frame, preserve_index=False)
        if writer is None:
            writer = pq.ParquetWriter(path, table.schema)
        writer.write_table(table.cast(writer.schema), row_group_size=CHUNK)
    assert writer is not None
    writer.close()


def leptodx(*args: str) -> list[str]:
    return [sys.executable, "-m", "leptodx", *args]


def bench_engines(big: Path, work: Path, per_record_rows: int) -> dict[str, float]:
    from leptodx.batch.assess_partition import Engine
    from leptodx.batch.jobs import run_assess
    from leptodx.scale.runner import LocalRunner

    small = work / "first-rows.parquet"
    pq.write_table(pq.ParquetFile(big).read_row_group(0).slice(0, per_record_rows), small)
    out: dict[str, float] = {}

    def assess(path: Path, engine: Engine) -> None:
        run_assess(
            path,
            out=work / "engine.parquet",
            errors=None,
            runner=LocalRunner(1),
            profile="S1-2020",
            engine=engine,
        )

    assess(small, Engine.COLUMNAR)  # warm imports and caches
    rounds = [cpu_timed(lambda: assess(small, Engine.COLUMNAR)) for _ in range(3)]
    out["columnar_small_cpu"] = statistics.median(c for _, c in rounds)
    out["per_record_cpu"] = cpu_timed(lambda: assess(small, Engine.PER_RECORD))[1]
    wall, cpu = cpu_timed(lambda: assess(big, Engine.COLUMNAR))
    out["columnar_big_wall"], out["columnar_big_cpu"] = wall, cpu
    table = pq.read_table(work / "engine.parquet").slice(0, CHUNK)
    writes = [cpu_timed(lambda: pq.write_table(table, work / "w.parquet"))[0] for _ in range(3)]
    out["write_rows_per_s"] = table.num_rows / statistics.median(writes)
    return out


def bench_jobs(big: Path, work: Path) -> dict[str, Run]:
    base = ("batch", "assess", str(big), "--quiet")
    runs = {
        "startup": run_measured(leptodx("batch", "--help")),
        "1 process, 1 thread": run_measured(
            leptodx(*base, "--out", str(work / "a.parquet"), "--workers", "1")
        ),
        "1 process, 2 threads": run_measured(
            leptodx(*base, "--out", str(work / "b.parquet"), "--workers", "2")
        ),
        "LocalCluster, 2 worker processes": run_measured(
            leptodx(
                *base, "--out", str(work / "c.parquet"), "--scheduler", "local", "--workers", "2"
            )
        ),
        "LocalCluster, 2 worker processes, --parts": run_measured(
            leptodx(
                *base,
                "--out",
                str(work / "d.parquet"),
                "--parts",
                "--scheduler",
                "local",
                "--workers",
                "2",
            )
        ),
    }
    same = pq.read_table(work / "a.parquet").equals(pq.read_table(work / "c.parquet"))
    if not same:
        raise RuntimeError("the LocalCluster output differs from the single-process output")
    return runs


def bench_bootstrap(boot: int, n: int) -> dict[str, Any]:
    """Harrell's bootstrap of ``develop``'s procedure (logistic refit in every replicate) on a
    LocalCluster of 1 and 2 worker processes; the results must be identical."""
    from distributed import Client, LocalCluster

    from leptodx.research.develop import _procedure
    from leptodx.scale.runner import DaskRunner
    from leptodx.stats import bootstrap_validate

    rng = np.random.default_rng(8)
    X = np.column_stack(
        [rng.integers(0, 2, (n, 3)), rng.poisson(1.5, n), rng.poisson(1.2, n)]
    ).astype(float)
    lp = -2.2 + X @ np.array([0.6, 0.9, 0.7, 0.25, 0.45])
    y = (rng.random(n) < 1 / (1 + np.exp(-lp))).astype(float)
    procedure = _procedure([f"x{i}" for i in range(5)], lasso=False, seed=1)
    runs: dict[str, float] = {}
    cpu: dict[str, float] = {}
    results = []
    for workers in (1, 2):
        with (
            LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
            ) as cluster,
            Client(cluster) as client,
        ):
            runner = DaskRunner(client, cluster.scheduler_address)
            before = sum(client.run(_cpu_seconds).values())
            start = time.perf_counter()
            result = bootstrap_validate(
                procedure, X, y, n_boot=boot, random_state=1, replicate_map=runner.replicates
            )
            label = f"LocalCluster, {workers} worker process{'es' * (workers > 1)}"
            runs[label] = time.perf_counter() - start
            cpu[label] = sum(client.run(_cpu_seconds).values()) - before
            results.append((result.optimism, result.n_failed))
    return {
        "boot": boot,
        "n": n,
        "runs": runs,
        "cpu": cpu,
        "identical": results[0] == results[1],
    }


def _cpu_seconds() -> float:
    """CPU seconds of the calling process (run on each worker)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def bench_csf_table(work: Path, oracle_rows: int, csf_rows: int) -> dict[str, float]:
    from leptodx.cohort.io import write_table
    from leptodx.cohort.synthetic import synthetic_cohort

    path = work / "cohort-1e6.parquet"
    write_table(synthetic_cohort(csf_rows, seed=5), path)
    args = ["csf-table", str(path), "--by", "lm", "--format", "json"]
    startup = statistics.median(run_measured(leptodx("--version")).wall for _ in range(3))
    walls = [run_measured(leptodx(*args)).wall for _ in range(3)]
    from typer.testing import CliRunner

    from leptodx.cli import app

    CliRunner().invoke(app, args)  # imports (scipy.stats …) and caches warm
    warm = [cpu_timed(lambda: CliRunner().invoke(app, args)) for _ in range(3)]
    small = work / "cohort-oracle.parquet"
    write_table(synthetic_cohort(oracle_rows, seed=5), small)
    sys.path.insert(0, str(HERE.parent / "tests" / "research"))
    from leptodx.cohort.io import read_table
    from leptodx.cohort.mapping import default_mapping
    from leptodx.cohort.quality import map_cohort
    from leptodx.research.csf_findings import abnormal_findings

    frame = read_table(small)
    data = map_cohort(frame, default_mapping(frame)).data
    per_patient = _per_patient_seconds(data)
    columnar = cpu_timed(lambda: abnormal_findings(data))[0]
    return {
        "rows": csf_rows,
        "startup": startup,
        "table_wall": statistics.median(walls),
        "warm_wall": statistics.median(w for w, _ in warm),
        "warm_cpu": statistics.median(c for _, c in warm),
        "oracle_rows": oracle_rows,
        "per_patient_findings": per_patient,
        "columnar_findings": columnar,
    }


def _per_patient_seconds(data: Any) -> float:
    """Seconds of the former per-patient loop (``interpret_csf`` on each row)."""
    from leptodx.clinical.csf import get_profile, interpret_csf
    from leptodx.cohort.units import canonical_unit
    from leptodx.domain.units import Quantity
    from leptodx.research.csf_findings import LAB_FIELDS

    profile = get_profile(None)
    present = {f: k for f, k in LAB_FIELDS.items() if f in data.columns}
    columns = {f: data[f].to_numpy(dtype=float) for f in present}
    ages = data["age_years"].to_numpy(dtype=float)
    start = time.perf_counter()
    for i in range(len(data)):
        values = {
            key: Quantity(columns[f][i], canonical_unit(f), columns[f][i], canonical_unit(f))
            for f, key in present.items()
            if not np.isnan(columns[f][i])
        }
        if values:
            age = None if np.isnan(ages[i]) else float(ages[i])
            interpret_csf(values, age_years=age, profile=profile)
    return time.perf_counter() - start


def _count(rows: int) -> str:
    """10⁷ for powers of ten, else the number with separators."""
    exponent = len(str(rows)) - 1
    if rows == 10**exponent:
        return "10" + str(exponent).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return f"{rows:,}"


def render(rows: int, e: dict[str, float], jobs: dict[str, Run], boot: Any, csf: Any) -> str:
    per_core = rows / e["columnar_big_cpu"]
    small_rows = e["small_rows"]
    per_record = small_rows / e["per_record_cpu"]
    columnar_small = small_rows / e["columnar_small_cpu"]
    start = jobs["startup"]
    lines = [
        "## Scale-out: batch assess, bootstrap on Dask, csf-table (`bench/bench_batch.py`, issues 16 and 17)",
        "",
        f"Run `{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}` on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, load average at start "
        f"{e['load']:.1f} (the machine is shared: wall times include waiting for a core; CPU "
        "seconds do not). Synthetic cohort (`leptodx synth`), Parquet, row groups of 2²⁰ rows.",
        "",
        "| measure | value | target |",
        "|---|---|---|",
        f"| columnar engine, {_count(rows)} rows, 1 thread | {e['columnar_big_cpu']:.1f} CPU s, "
        f"**{per_core:,.0f} rows/s per core** (read, validate, assess, write) | |",
        f"| per-record engine (`assess` on each record), first {small_rows:,.0f} rows | "
        f"{per_record:,.0f} rows/s per core | |",
        f"| columnar on the same {small_rows:,.0f} rows | {columnar_small:,.0f} rows/s per core | |",
        f"| ratio columnar / per-record (rows/s per core) | **{per_core / per_record:,.0f}×** "
        f"(same {small_rows:,.0f} rows: {columnar_small / per_record:,.0f}×) | ≥ 100× |",
        f"| client's Parquet writing (the serial step) | {e['write_rows_per_s']:,.0f} rows/s | |",
    ]
    for name, run in jobs.items():
        if name == "startup":
            continue
        lines.append(
            f"| `batch assess` {_count(rows)} rows, {name} | {run.wall:.1f} s wall, {run.cpu:.1f} CPU s, "
            f"peak memory **{run.peak_gib:.2f} GiB** (all processes) | < 2 GiB |"
        )
    lines.append(f"| process start (`leptodx batch --help`) | {start.wall:.1f} s | |")
    if boot is not None:
        one, two = boot["runs"].values()
        for label, seconds in boot["runs"].items():
            lines.append(
                f"| `develop` bootstrap, B = {boot['boot']}, n = {boot['n']:,}, {label} | "
                f"{seconds:.0f} s wall, {boot['cpu'][label]:.0f} CPU s of the workers | |"
            )
        lines.append(
            f"| bootstrap speed-up 2 workers / 1 worker; results identical | {one / two:.2f}×; "
            f"{'yes' if boot['identical'] else 'NO'} | identical |"
        )
    else:
        lines.append("| `develop` bootstrap | not measured in this run (`--boot 0`) | |")
    old = csf["per_patient_findings"] / csf["oracle_rows"] * 1e6
    lines += [
        f"| `csf-table` {_count(int(csf['rows']))} rows, in a warm process (read, map, judge, "
        f"count, test) | {csf['warm_wall']:.2f} s wall, {csf['warm_cpu']:.2f} CPU s | < 2 s |",
        f"| `csf-table` {_count(int(csf['rows']))} rows, whole command | {csf['table_wall']:.1f} s wall "
        f"(process start {csf['startup']:.1f} s; first imports of SciPy and pandas included) | |",
        f"| csf findings, former per-patient loop | {old:.0f} s per 10⁶ rows (measured on "
        f"{csf['oracle_rows']:,} rows) | |",
        f"| csf findings, columnar | {csf['columnar_findings'] / csf['oracle_rows'] * 1e6:.2f} s "
        "per 10⁶ rows | |",
    ]
    compute_100 = rows / (100 * per_core)
    write = rows / e["write_rows_per_s"]
    lines += [
        "",
        f"**Estimate for a 100-worker cluster** ({_count(rows)} rows, Parquet on shared storage): the workers "
        f"need {rows:,} / (100 × {per_core:,.0f} rows/s) ≈ {compute_100:.1f} s of compute, but "
        f"the client writes the one output file at ≈ {e['write_rows_per_s']:,.0f} rows/s, so "
        f"about {write:.0f} s, plus process start ({start.wall:.0f} s) and scheduling (a few "
        "ms per partition): **≈ "
        f"{max(compute_100, write) + start.wall:.0f} s**, bound by the single output file. "
        "Beyond ~"
        f"{max(1, round(e['write_rows_per_s'] / per_core))} workers a single output file stops "
        "paying; with `--parts` the workers write their own files and the estimate is the "
        f"compute time plus start-up, ≈ {compute_100 + start.wall:.0f} s.",
    ]
    if boot is not None:
        lines[-1] += (
            f" **Bootstrap** (B = {boot['boot']}, n = {boot['n']:,}): one replicate of `develop`'s "
            f"procedure takes ≈ {one / boot['boot']:.2f} s of one worker, so 100 workers need "
            f"≈ {one / 100:.0f} s plus sending the data once to each worker (a few MB) and "
            f"start-up: about {one / 100 + start.wall:.0f} s instead of {one:.0f} s; there is no "
            "serial step."
        )
    return "\n".join(lines)


def write_block(text: str) -> None:
    path = HERE / "RESULTS.md"
    content = path.read_text(encoding="utf-8")
    block = f"{BEGIN}\n{text}\n{END}"
    if BEGIN in content:
        head, rest = content.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        content = head + block + tail
    else:
        content = content.rstrip() + "\n\n" + block + "\n"
    path.write_text(content, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--per-record-rows", type=int, default=20_000)
    parser.add_argument("--boot", type=int, default=2000)
    parser.add_argument("--boot-n", type=int, default=100_000)
    parser.add_argument("--csf-rows", type=int, default=1_000_000)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "leptodx-bench")
    args = parser.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    big = args.data / f"cohort-{args.rows}.parquet"
    if not big.exists():
        make_cohort(big, args.rows)
    work = Path(tempfile.mkdtemp(prefix="leptodx-bench-batch-"))
    load = os.getloadavg()[0]
    engines = bench_engines(big, work, args.per_record_rows)
    engines["small_rows"], engines["load"] = args.per_record_rows, load
    jobs = bench_jobs(big, work)
    boot = bench_bootstrap(args.boot, args.boot_n) if args.boot > 0 else None
    csf = bench_csf_table(work, oracle_rows=20_000, csf_rows=args.csf_rows)
    text = render(args.rows, engines, jobs, boot, csf)
    write_block(text)
    print(text)
    print(json.dumps({k: v.__dict__ for k, v in jobs.items()}, indent=2))


if __name__ == "__main__":
    main()
