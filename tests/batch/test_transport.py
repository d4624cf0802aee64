"""Results sent from workers to the client: packed slice by slice, unpacked to the same table."""

from __future__ import annotations

import functools
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from dask.utils import funcname

import leptodx.batch.assess_partition as assess_module
from leptodx.batch.assess_partition import AssessSettings, assess_partition
from leptodx.batch.jobs import CONTRACT_FIELDS, plan_input
from leptodx.batch.output import PartWriter
from leptodx.batch.transport import Packed, unpack
from leptodx.cohort.synthetic import synthetic_cohort
from leptodx.reference.csf import DEFAULT_PROFILE


@pytest.fixture
def cohort_task(tmp_path, monkeypatch):
    """One 1,000-row Parquet partition, evaluated in slices of 300 rows, with a refused row."""
    monkeypatch.setattr(assess_module, "SLICE_ROWS", 300)
    frame = synthetic_cohort(1000, seed=5)
    frame.loc[7, "age_years"] = -3.0  # refused: the error must travel with the packed rows
    path = tmp_path / "cohort.parquet"
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)
    plan = plan_input(
        path,
        mapping=None,
        id_column=None,
        partition_rows=None,
        fields=CONTRACT_FIELDS,
        required=("known_cancer",),
        purpose="assess",
    )
    settings = AssessSettings(DEFAULT_PROFILE, mapping=plan.mapping, id_column=plan.id_column)
    [part] = plan.parts
    return functools.partial(assess_partition, settings=settings), part


def test_a_packed_cohort_result_unpacks_to_the_table_the_task_makes(cohort_task) -> None:
    task, part = cohort_task
    direct = task(part)
    unpacked = unpack(Packed(task)(part))
    assert unpacked.table.schema.equals(direct.table.schema, check_metadata=True)
    assert unpacked.table.equals(direct.table)
    assert unpacked.table.num_rows == 999
    assert [e[:2] for e in unpacked.errors] == [(7, "age_years")] == [e[:2] for e in direct.errors]
    assert unpacked.errors == direct.errors
    assert (unpacked.n_rows, unpacked.rows_out) == (1000, 999)


def test_the_worker_never_holds_the_whole_partition_table(cohort_task) -> None:
    task, part = cohort_task
    emitted: list[int] = []
    result = task(part, emit=lambda table: emitted.append(table.num_rows))
    assert emitted == [299, 300, 300, 100]  # slice by slice; row 7 of the first is refused
    assert result.table.num_rows == 0 and result.n_rows == 1000


def test_json_lines_results_are_packed_too(tmp_path) -> None:
    path = tmp_path / "in.jsonl"
    good = {"known_cancer": True, "mri": "A", "cytology": "negative"}
    path.write_text(json.dumps(good) + "\n{not json\n" + json.dumps(good) + "\n")
    plan = plan_input(
        path,
        mapping=None,
        id_column=None,
        partition_rows=None,
        fields=CONTRACT_FIELDS,
        required=("known_cancer",),
        purpose="assess",
    )
    task = functools.partial(assess_partition, settings=AssessSettings(DEFAULT_PROFILE))
    [part] = plan.parts
    direct, unpacked = task(part), unpack(Packed(task)(part))
    assert unpacked.table.equals(direct.table) and unpacked.table.num_rows == 2
    assert [e[:2] for e in unpacked.errors] == [(1, "(input)")]


def test_wrapped_tasks_keep_the_task_name_dask_shows(cohort_task, tmp_path) -> None:
    task, _ = cohort_task
    assert funcname(Packed(task)) == "assess_partition"
    assert funcname(PartWriter(task, str(tmp_path), pa.schema([]))) == "assess_partition"
