"""Row codes of a column's distinct values, read straight from a categorical column.

A Parquet dictionary column arrives as a pandas ``Categorical`` whose integer codes already say
which value each row holds; hashing a million rows again (``pandas.factorize``) is the slow part
of mapping such a cohort (issue 16). Other columns are factorised as before.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray


def distinct_codes(column: pd.Series) -> tuple[NDArray[np.signedinteger[Any]], NDArray[np.object_]]:
    """Each row's index into the distinct values (-1: missing) and those values.

    As ``pandas.factorize``: only values that occur are listed (a categorical's unused
    categories are not), missing values get -1; the order of the values may differ.
    """
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy()
        n = len(column.cat.categories)
        used = np.bincount(codes.astype(np.intp) + 1, minlength=n + 1)[1:] > 0
        if used.all():
            return codes, np.asarray(column.cat.categories, dtype=object)
        position = np.full(n + 1, -1, dtype=np.intp)  # last entry: code -1 (missing)
        position[:n][used] = np.arange(int(used.sum()))
        values = np.asarray(column.cat.categories[used], dtype=object)
        return position[codes], values
    found: Any = pd.factorize(column)
    return found[0], np.asarray(found[1], dtype=object)
