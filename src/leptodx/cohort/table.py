"""Reading a data file into a frame and taking numeric columns, with errors naming the option."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from leptodx.errors import InputError


def read_table(path: Path) -> pd.DataFrame:
    """Read a CSV/TSV/Parquet/Excel file into a data frame, with a clear error when it fails."""
    if not path.is_file():
        raise InputError("DATA", str(path), "an existing data file (CSV, TSV, Parquet or Excel)")
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            return pd.read_parquet(path)
        if suffix in {".xlsx", ".xls"}:
            return pd.read_excel(path)
        return pd.read_csv(path, sep="\t" if suffix == ".tsv" else ",")
    except Exception as exc:  # any parser failure is a user input problem
        raise InputError("DATA", str(path), f"a readable {suffix or 'CSV'} file ({exc})") from None


def column(frame: pd.DataFrame, name: str, *, option: str) -> NDArray[np.float64]:
    """Numeric column ``name``; an unknown or non-numeric column names the CLI option."""
    if name not in frame.columns:
        shown = ", ".join(map(str, frame.columns[:20]))
        raise InputError(option, name, f"a column of the data file ({shown})")
    values = pd.to_numeric(frame[name], errors="coerce")
    bad = values.isna() & frame[name].notna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            f"{option} {name}", frame[name].iloc[row], f"numbers (row {row + 1} is not numeric)"
        )
    out: NDArray[np.float64] = values.to_numpy(dtype=np.float64)
    return out
