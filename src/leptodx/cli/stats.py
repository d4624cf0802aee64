"""``leptodx stats``: statistics on a data file (CSV, TSV, Parquet, Excel).

Commands are registered on :data:`stats_app` by the modules ``leptodx.cli.stats_*``. The table
reader (pandas) is imported when a command reads its file, not when ``leptodx`` starts.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from leptodx.cli._app import App

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from numpy.typing import NDArray

__all__ = ["column", "read_table", "stats_app"]

stats_app = App(help="Statistics on a data file: ROC/DeLong, calibration, decision curves, models.")


def read_table(path: Path) -> pd.DataFrame:
    """The data file as a table (see :func:`leptodx.cohort.table.read_table`)."""
    from leptodx.cohort.table import read_table as read

    return read(path)


def column(frame: pd.DataFrame, name: str, *, option: str) -> NDArray[np.float64]:
    """One numeric column; errors name ``option`` and the user's column."""
    from leptodx.cohort.table import column as numeric_column

    return numeric_column(frame, name, option=option)
