"""Partitions: every line or row belongs to exactly one partition, numbered as in the file."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from leptodx.batch.inputs import plan_lines, plan_parquet
from leptodx.scale.cluster import scheduler_address


@pytest.mark.parametrize("ending", ["\n", "", "\r\n"])
@pytest.mark.parametrize("rows", [1, 3, 7, 100])
def test_json_lines_are_cut_at_line_ends_and_numbered_from_zero(tmp_path, ending, rows) -> None:
    lines = [f'{{"i": {i}}}' for i in range(10)] + ["", "last"]
    path = tmp_path / "x.jsonl"
    text = ("\r\n" if ending == "\r\n" else "\n").join(lines) + ending
    path.write_bytes(text.encode())
    parts = plan_lines(path, rows)
    seen = [(p.first_row + k, line) for p in parts for k, line in enumerate(p.lines())]
    assert seen == [(i, line.encode()) for i, line in enumerate(lines)]
    assert all(len(p.lines()) == rows for p in parts[:-1])


def test_an_empty_file_has_no_partition(tmp_path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    assert plan_lines(path, 10) == []


def test_parquet_partitions_are_runs_of_whole_row_groups(tmp_path) -> None:
    path = tmp_path / "x.parquet"
    pq.write_table(pa.table({"a": list(range(1000))}), path, row_group_size=300)
    parts = plan_parquet(path, 600, ("a",), ())
    assert [(p.first_row, p.row_groups) for p in parts] == [(0, (0, 1)), (600, (2, 3))]
    assert parts[1].frame()["a"].tolist() == list(range(600, 1000))
    assert [p.row_groups for p in plan_parquet(path, 100, ("a",), ())] == [(0,), (1,), (2,), (3,)]


def test_the_scheduler_option_wins_over_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("LEPTODX_DASK_SCHEDULER", "tcp://env:8786")
    assert scheduler_address("tcp://option:8786") == "tcp://option:8786"
    assert scheduler_address(None) == "tcp://env:8786"
    monkeypatch.setenv("LEPTODX_DASK_SCHEDULER", " ")
    assert scheduler_address(None) is None
    monkeypatch.delenv("LEPTODX_DASK_SCHEDULER")
    assert scheduler_address(None) is None
