"""Load benchmark of POST /api/v1/assess: 20 concurrent connections on loopback, bounded.

Run: ``scripts/install --bench && .venv/bin/python bench/bench_web.py [--workers N]``. Starts
``leptodx serve --workers N`` (default 2: one uvicorn process per core, the recommended deployment;
docs/decisions/web-workers.md) on 127.0.0.1 with a temporary SQLite database and drives it with ``wrk``
(Debian package; a C load generator in a second process, 20 connections for a fixed 10 s),
reports p50/p95/p99 latency and throughput, and the ratio to calling ``assess_record``
in-process. Writes the ``web`` section of bench/RESULTS.md.

The server runs as deployed since issue 12: every request passes the policy dependency (token
lookup, role), the body-limit and header middleware, and the strict JSON parser. The load
average at the start is recorded, since the 2 cores may be shared.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT / "src"))
from leptodx.clinical.assess import assess_record  # noqa: E402

CONNECTIONS, SECONDS = 20, 10
EXAMPLE = json.loads((ROOT / "examples" / "probable_type_iia.json").read_text())
RESULTS = Path(__file__).with_name("RESULTS.md")


def _cpu_ticks(pid: int) -> int:
    """User + system CPU time of a process, in clock ticks (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (the uvicorn workers)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except FileNotFoundError:
        return [pid]
    return [pid, *(p for child in children for p in _tree(int(child)))]


def main(workers: int) -> list[str]:
    data = Path(tempfile.mkdtemp(prefix="leptodx-webbench-"))
    env = {
        **os.environ,
        "LEPTODX_DATA_DIR": str(data),
        "PYTHONPATH": str(ROOT / "src"),
        "LEPTODX_ENVIRONMENT": "development",  # loopback; keys generated beside the database
    }
    cli = [sys.executable, "-m", "leptodx"]
    subprocess.run([*cli, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run(
        [*cli, "users", "add", "bench", "--role", "clinician", "--password-stdin"],
        env=env,
        input="bench-password-1\n",
        text=True,
        check=True,
        capture_output=True,
    )
    token = subprocess.run(
        [*cli, "tokens", "create", "bench", "--user", "bench"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [*cli, "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(f"{url}/healthz", timeout=0.5)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        script = data / "post.lua"
        script.write_text(
            'wrk.method = "POST"\n'
            f"wrk.body = [[{json.dumps(EXAMPLE)}]]\n"
            'wrk.headers["Content-Type"] = "application/json"\n'
            f'wrk.headers["Authorization"] = "Bearer {token}"\n'
            "done = function(summary, latency, requests)\n"
            '  io.write(string.format("RESULT %f %f %f %f %d\\n", latency:percentile(50) / 1000, latency:percentile(95) / 1000,'
            " latency:percentile(99) / 1000, summary.requests / (summary.duration / 1e6), summary.errors.status))\n"
            "end\n"
        )
        subprocess.run(
            ["wrk", "-t1", "-c4", "-d2s", "-s", str(script), f"{url}/api/v1/assess"],
            check=True,
            capture_output=True,
        )  # warm-up
        processes = _tree(server.pid)
        cpu_before = sum(_cpu_ticks(p) for p in processes)
        out = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{CONNECTIONS}",
                f"-d{SECONDS}s",
                "-s",
                str(script),
                f"{url}/api/v1/assess",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        cpu_ticks = sum(_cpu_ticks(p) for p in processes) - cpu_before
        line = next(x for x in out.splitlines() if x.startswith("RESULT"))
        p50, p95, p99, rps = (float(v) for v in line.split()[1:5])
        errors = int(line.split()[5])
    finally:
        server.terminate()
        server.wait(timeout=10)
    if errors:
        raise RuntimeError(f"{errors} non-2xx responses during the load test")
    load = os.getloadavg()[0]
    cpu_ms = 1000 * cpu_ticks / os.sysconf("SC_CLK_TCK") / (rps * SECONDS)
    inproc = []
    for _ in range(500):
        t = time.perf_counter()
        assess_record(EXAMPLE)
        inproc.append(time.perf_counter() - t)
    core = float(np.median(inproc)) * 1000
    return [
        "<!-- begin:web -->",
        "## Web service (issues 6, 12)",
        "",
        f"`POST /api/v1/assess` on loopback, `leptodx serve --workers {workers}` "
        f"({'one uvicorn process' if workers == 1 else f'{workers} uvicorn processes'}), SQLite, 2 cores shared with the load generator "
        f"(`wrk`, {CONNECTIONS} connections, {SECONDS} s), run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
        f"with the issue-12 security layer (policy dependency, body limit, strict JSON, headers); "
        f"1-minute load average {load:.1f} when the run ended (other work on the machine inflates latencies).",
        "",
        "| measure | value |",
        "|---|---|",
        f"| latency p50 / p95 / p99 | {p50:.1f} / {p95:.1f} / {p99:.1f} ms (target p95 < 50 ms) |",
        f"| throughput | {rps:.0f} requests/s |",
        f"| server CPU per request (user + system of all server processes; less sensitive to other load) | {cpu_ms:.1f} ms |",
        f"| in-process `assess_record` (median) | {core:.2f} ms |",
        f"| ratio p50 over HTTP / in-process | {p50 / core:.0f}× |",
        "<!-- end:web -->",
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="server processes (default 2)")
    lines = main(parser.parse_args().workers)
    print("\n".join(lines))
    text = RESULTS.read_text()
    if "<!-- begin:web -->" in text:
        head, rest = text.split("<!-- begin:web -->", 1)
        text = head + "\n".join(lines) + rest.split("<!-- end:web -->", 1)[1]
    else:
        text = text.rstrip() + "\n\n" + "\n".join(lines) + "\n"
    RESULTS.write_text(text)
