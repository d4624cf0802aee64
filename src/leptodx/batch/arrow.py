"""Engine columns as Arrow arrays (dictionary-encoded codes, nulls where a value is absent)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pyarrow as pa

from leptodx.clinical.columnar import Coded, Column, Flag


def to_arrow(column: Column) -> pa.Array:
    """One engine column as an Arrow array."""
    if isinstance(column, Coded):
        indices = pa.array(column.codes, mask=column.codes < 0, type=pa.int16())
        return pa.DictionaryArray.from_arrays(indices, pa.array(column.labels, type=pa.string()))
    if isinstance(column, Flag):
        return pa.array(column.value, mask=~column.known, type=pa.bool_())
    if column.dtype == np.bool_:
        return pa.array(column, type=pa.bool_())
    return pa.array(column, mask=np.isnan(column), type=pa.float64())


def to_table(columns: Mapping[str, Column | pa.Array]) -> pa.Table:
    """A table of engine columns (Arrow arrays pass through)."""
    arrays = {k: v if isinstance(v, pa.Array) else to_arrow(v) for k, v in columns.items()}
    return pa.table(arrays)
