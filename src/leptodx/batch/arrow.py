"""Engine columns as Arrow arrays (dictionary-encoded codes, nulls where a value is absent)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from leptodx.clinical.columnar import Coded, Column, Flag


def _with_nulls(
    values: NDArray[np.generic], valid: NDArray[np.bool_], kind: pa.DataType
) -> pa.Array:
    """``values`` as an Arrow array, null where not ``valid`` (the validity bitmap built at once)."""
    if valid.all():
        return pa.array(values, type=kind)
    data = pa.py_buffer(np.ascontiguousarray(values))
    bitmap = pa.py_buffer(np.packbits(valid, bitorder="little"))
    return pa.Array.from_buffers(kind, values.size, [bitmap, data], null_count=int((~valid).sum()))


def to_arrow(column: Column) -> pa.Array:
    """One engine column as an Arrow array."""
    if isinstance(column, Coded):
        codes = column.codes.astype(np.int16, copy=False)
        indices = _with_nulls(codes, codes >= 0, pa.int16())
        return pa.DictionaryArray.from_arrays(indices, pa.array(column.labels, type=pa.string()))
    if isinstance(column, Flag):
        return pa.array(column.value, mask=~column.known, type=pa.bool_())
    if column.dtype == np.bool_:
        return pa.array(column, type=pa.bool_())
    return _with_nulls(column.astype(np.float64, copy=False), ~np.isnan(column), pa.float64())


def to_table(columns: Mapping[str, Column | pa.Array]) -> pa.Table:
    """A table of engine columns (Arrow arrays pass through)."""
    arrays = {k: v if isinstance(v, pa.Array) else to_arrow(v) for k, v in columns.items()}
    return pa.table(arrays)
