"""Batch jobs on a real Dask cluster (``distributed.LocalCluster``, 2 worker processes).

One cluster serves the test session (``conftest.py``). Outputs must equal the in-process run byte for byte in content;
a worker killed in the middle of a job is replaced and the job completes with the same output;
an address where no scheduler answers is one clear error naming it.
"""

from __future__ import annotations

import json
import os
import signal
import socket
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from leptodx.cli import app
from leptodx.cohort.synthetic import synthetic_cohort

distributed = pytest.importorskip("distributed")
runner = CliRunner()


@pytest.fixture(scope="module")
def cohort_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cohort") / "cohort.parquet"
    frame = synthetic_cohort(3000, seed=21)
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path, row_group_size=250)
    return path


def batch(*args: str, env: dict[str, str] | None = None) -> Any:
    result = runner.invoke(app, ["batch", *args, "--quiet"], env=env)
    assert result.exit_code == 0, result.output
    return result


def same(a: Path, b: Path) -> None:
    left, right = pq.read_table(a), pq.read_table(b)
    assert left.schema.equals(right.schema)
    assert left.to_pylist() == right.to_pylist()
    for suffix in (".errors.csv",):
        assert a.with_name(a.stem + suffix).read_text() == b.with_name(b.stem + suffix).read_text()


def test_assess_on_the_cluster_equals_the_single_process_run(cluster, cohort_file, tmp_path):
    local, remote = tmp_path / "local.parquet", tmp_path / "remote.parquet"
    batch("assess", str(cohort_file), "--out", str(local), "--workers", "1")
    batch(
        "assess",
        str(cohort_file),
        "--out",
        str(remote),
        "--scheduler",
        cluster.scheduler_address,
        "--partition-rows",
        "250",
    )
    same(local, remote)
    assert pq.ParquetFile(remote).metadata.num_row_groups == 12  # one per partition, in order
    assert pq.read_table(remote, columns=["row"])["row"].to_pylist() == list(range(3000))


def test_workers_write_their_own_parts_and_the_table_is_the_same(cluster, cohort_file, tmp_path):
    local, parts = tmp_path / "local.parquet", tmp_path / "parts.parquet"
    batch("assess", str(cohort_file), "--out", str(local), "--workers", "1")
    batch(
        "assess",
        str(cohort_file),
        "--out",
        str(parts),
        "--parts",
        "--partition-rows",
        "500",
        "--scheduler",
        cluster.scheduler_address,
    )
    assert len(list(parts.glob("part-*.parquet"))) == 6
    assert pq.read_table(parts).to_pylist() == pq.read_table(local).to_pylist()


def test_json_lines_on_the_cluster_named_by_the_environment(cluster, tmp_path):
    lines = [json.dumps({"known_cancer": True, "mri": m, "cytology": "negative"}) for m in "ABCA"]
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join([*lines * 50, "{broken"]) + "\n")
    local, remote = tmp_path / "local.parquet", tmp_path / "remote.parquet"
    batch("assess", str(path), "--out", str(local), "--partition-rows", "30", "--workers", "1")
    env = {"LEPTODX_DASK_SCHEDULER": cluster.scheduler_address}
    batch("assess", str(path), "--out", str(remote), "--partition-rows", "30", env=env)
    same(local, remote)
    assert "200,(input)" in remote.with_name("remote.errors.csv").read_text()


def test_score_on_the_cluster_equals_the_single_process_run(
    cluster, cohort_file, site_x_model, tmp_path
):
    model = tmp_path / "model.json"
    site_x_model.save(model)
    local, remote = tmp_path / "local.parquet", tmp_path / "remote.parquet"
    args = ("score", str(cohort_file), "--model", str(model))
    batch(*args, "--out", str(local), "--workers", "1")
    batch(*args, "--out", str(remote), "--scheduler", cluster.scheduler_address)
    same(local, remote)


class KillOnce(distributed.WorkerPlugin):
    """Kills its worker process (SIGKILL) when the ``after``-th batch task starts, once."""

    name = "leptodx-kill-once"

    def __init__(self, folder: str, after: int) -> None:
        self.folder, self.after = folder, after

    def transition(self, key: Any, start: str, finish: str, **kwargs: Any) -> None:
        if finish != "executing" or "partition" not in str(key):
            return
        with open(os.path.join(self.folder, "started"), "a") as handle:
            handle.write(".")
        started = os.path.getsize(os.path.join(self.folder, "started"))
        marker = os.path.join(self.folder, "killed")
        if started >= self.after and not os.path.exists(marker):
            open(marker, "w").close()
            os.kill(os.getpid(), signal.SIGKILL)


def test_a_worker_killed_mid_job_is_replaced_and_the_output_is_the_same(
    cluster, cohort_file, tmp_path
):
    local, remote = tmp_path / "local.parquet", tmp_path / "remote.parquet"
    batch("assess", str(cohort_file), "--out", str(local), "--workers", "1")
    with distributed.Client(cluster) as client:
        client.register_plugin(KillOnce(str(tmp_path), after=4))
        try:
            batch(
                "assess",
                str(cohort_file),
                "--out",
                str(remote),
                "--scheduler",
                cluster.scheduler_address,
                "--partition-rows",
                "250",
            )
        finally:
            client.unregister_worker_plugin(KillOnce.name)
    assert (tmp_path / "killed").exists()
    same(local, remote)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_unreachable_scheduler_is_one_error_naming_the_address(cohort_file, tmp_path):
    address = f"tcp://127.0.0.1:{_free_port()}"
    out = tmp_path / "out.parquet"
    result = runner.invoke(
        app,
        ["batch", "assess", str(cohort_file), "--out", str(out), "--scheduler", address],
        env={"LEPTODX_DASK_TIMEOUT": "2"},
    )
    assert result.exit_code == 2
    assert f"could not reach the Dask scheduler at {address}" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
