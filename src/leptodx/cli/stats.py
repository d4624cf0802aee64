"""``leptodx stats``: statistics on a data file (CSV, TSV, Parquet, Excel).

Commands are registered on :data:`stats_app` by the modules ``leptodx.cli.stats_*``. The table
reader (pandas) is imported when a command reads its file, not when ``leptodx`` starts.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from leptodx.cli._app import App
from leptodx.errors import InputError, LeptoDxError

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from numpy.typing import NDArray

__all__ = [
    "column",
    "finite_column",
    "outcome_column",
    "read_table",
    "stats_app",
    "user_columns",
]

stats_app = App(help="Statistics on a data file: ROC/DeLong, calibration, decision curves, models.")


def read_table(path: Path) -> pd.DataFrame:
    """The data file as a table (see :func:`leptodx.cohort.table.read_table`)."""
    from leptodx.cohort.table import read_table as read

    return read(path)


def column(frame: pd.DataFrame, name: str, *, option: str) -> NDArray[np.float64]:
    """One numeric column; errors name ``option`` and the user's column."""
    from leptodx.cohort.table import column as numeric_column

    return numeric_column(frame, name, option=option)


def finite_column(frame: pd.DataFrame, name: str, *, option: str) -> NDArray[np.float64]:
    """A numeric column with a value in every row; an empty cell names option, column and row."""
    import numpy as np

    values = column(frame, name, option=option)
    bad = ~np.isfinite(values)
    if bad.any():
        row = int(np.flatnonzero(bad)[0]) + 1
        empty = bool(np.isnan(values[row - 1]))
        count = int(bad.sum())
        raise InputError(
            f"{option} {name}",
            "" if empty else float(values[row - 1]),
            f"a finite number in every row (row {row} is {'empty' if empty else 'infinite'}; "
            f"{count} row{'s' if count > 1 else ''} in all); remove or impute incomplete rows first",
        )
    return values


def outcome_column(
    frame: pd.DataFrame, name: str, option: str = "--outcome"
) -> NDArray[np.float64]:
    """The 0/1 outcome column; other codes name the option, column and first offending row."""
    import numpy as np

    values = finite_column(frame, name, option=option)
    bad = (values != 0.0) & (values != 1.0)
    if bad.any():
        row = int(np.flatnonzero(bad)[0]) + 1
        found = ", ".join(f"{v:g}" for v in np.unique(values)[:10])
        raise InputError(
            f"{option} {name}",
            float(values[row - 1]),
            f"0/1 coding, 1 = event (row {row}; values found: {found})",
        )
    return values


@contextmanager
def user_columns(
    *,
    outcome: str | None = None,
    scores: Sequence[str] = (),
    probs: Sequence[str] = (),
    predictors: Sequence[str] = (),
) -> Iterator[None]:
    """Errors of the statistics engine name the user's option and column, not its parameters.

    The engine names its inputs ``y_true``, ``y_score``, ``y_prob``, ``X`` (or a model's name);
    a :class:`~leptodx.stats.StatsInputError` raised inside this block is re-raised with those
    names replaced by ``--outcome lm``, ``--score s1`` and so on.
    """
    names: dict[str, str] = {"level": "--level"}
    if outcome is not None:
        names["y_true"] = f"--outcome {outcome}"
    if len(scores) == 1:
        names["y_score"] = f"--score {scores[0]}"
    names |= {f"score{i}": f"--score {s}" for i, s in enumerate(scores, 1)}
    if len(probs) == 1:
        names["y_prob"] = f"--prob {probs[0]}"
    names |= {p: f"--prob {p}" for p in probs}
    if predictors:
        names["X"] = f"--predictors {','.join(predictors)}"
    try:
        yield
    except LeptoDxError as exc:
        field, sep, rest = str(exc).partition(": ")
        if sep and field in names:
            raise LeptoDxError(f"{names[field]}: {rest}") from None
        raise
