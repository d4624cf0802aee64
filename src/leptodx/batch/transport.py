"""Partition results on their way from a Dask worker to the client: compressed Arrow IPC.

A ``batch assess`` result of 2²⁰ rows is about 150 MB as an Arrow table (eight float64 columns,
thirty coded text columns). Between the end of its task and the moment the client fetches it, a
worker holds that result while it already computes the next partition, and up to a window of
results wait on the workers. Packed as LZ4-compressed Arrow IPC it is about 55 MB; the worker
holds only those bytes, the wire carries them, and the client unpacks one result at a time, just
before writing it. The table the client writes is the one the task built (IPC is lossless:
types, dictionaries, nulls and schema metadata travel unchanged). docs/decisions/scale-batch-memory.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pyarrow as pa

from leptodx.batch.assess_partition import PartitionResult
from leptodx.batch.inputs import ErrorRow, Part

CODEC = "lz4"
"""Arrow IPC buffer compression: LZ4 packs a 2²⁰-row result ~3× in ~0.36 CPU s; ZSTD packs ~5×
but costs the client's serial step twice the time to unpack (measured, scale-batch-memory)."""


def task_name(task: Callable[..., object]) -> str:
    """``assess_partition`` for a partial of it (Dask's own name for a task's function)."""
    from dask.utils import funcname

    return str(funcname(task))


@dataclass(frozen=True)
class PackedResult:
    """A :class:`PartitionResult` whose table is compressed Arrow IPC (one stream)."""

    ipc: pa.Buffer
    errors: list[ErrorRow]
    n_rows: int
    written: int | None = None


class Packer:
    """Appends tables (all of one schema) to one compressed Arrow IPC stream."""

    def __init__(self) -> None:
        self._sink = pa.BufferOutputStream()
        self._writer: pa.ipc.RecordBatchStreamWriter | None = None

    def add(self, table: pa.Table) -> None:
        if self._writer is not None and not table.num_rows:
            return  # nothing to send (the rest of an emitted partition)
        if self._writer is None:
            options = pa.ipc.IpcWriteOptions(compression=CODEC)
            self._writer = pa.ipc.new_stream(self._sink, table.schema, options=options)
        self._writer.write_table(table)

    def close(self) -> pa.Buffer:
        assert self._writer is not None, "a partition task always returns a table"
        self._writer.close()
        return self._sink.getvalue()


def unpack(result: PackedResult) -> PartitionResult:
    """The partition result as the task made it (its slices as the chunks of one table)."""
    table = pa.ipc.open_stream(result.ipc).read_all()
    return PartitionResult(table, result.errors, result.n_rows, result.written)


@dataclass(frozen=True)
class Packed:
    """Runs a partition task on a worker; the output rows are packed slice by slice as the task
    makes them, so the worker never holds the partition's whole table."""

    task: Callable[..., PartitionResult]

    @property
    def __name__(self) -> str:
        """The task's name, which Dask shows on the dashboard and in task keys."""
        return task_name(self.task)

    def __call__(self, part: Part) -> PackedResult:
        packer = Packer()
        result = self.task(part, emit=packer.add)
        packer.add(result.table)  # what was not emitted (a JSON Lines partition), else no rows
        return PackedResult(packer.close(), result.errors, result.n_rows, result.written)
