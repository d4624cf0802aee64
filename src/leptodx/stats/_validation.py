"""Input checks run once at the public boundary of every statistics function.

Private helpers after the boundary trust their inputs. Every failure raises
:class:`StatsInputError`, which names the argument, what arrived and what was expected.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from leptodx.errors import LeptoDxError


class StatsInputError(LeptoDxError):
    """Input a statistics function cannot use (shape, NaN, class labels, range)."""


class UndefinedStatisticWarning(UserWarning):
    """A statistic is undefined for this input and reported as NaN (never a made-up number)."""


def as_float_vector(values: ArrayLike, *, name: str) -> NDArray[np.float64]:
    """1-D float64 copy-free view of ``values``; rejects empty, NaN and infinite entries."""
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise StatsInputError(f"{name}: could not be read as numbers ({exc})") from None
    if arr.ndim != 1:
        raise StatsInputError(f"{name}: expected a 1-D array, got shape {arr.shape}")
    if arr.size == 0:
        raise StatsInputError(f"{name}: is empty; expected at least one value")
    bad = ~np.isfinite(arr)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise StatsInputError(
            f"{name}: {int(bad.sum())} value(s) are NaN or infinite (first at position {first}, "
            f"value {arr[first]}); remove or impute them first"
        )
    return arr


def as_binary_outcome(y_true: ArrayLike, *, name: str = "y_true") -> NDArray[np.bool_]:
    """Boolean outcome vector from 0/1 (or False/True) labels with both classes present."""
    raw = np.asarray(y_true)
    if raw.dtype == np.bool_ and raw.ndim == 1 and raw.size > 0:
        event = raw
    else:
        arr = as_float_vector(y_true, name=name)
        event = arr == 1.0
        if not (event | (arr == 0.0)).all():
            shown = ", ".join(f"{v:g}" for v in np.unique(arr)[:6])
            raise StatsInputError(
                f"{name}: outcome must be binary coded 0/1 (1 = event); found values {shown}"
            )
    n_events = int(np.count_nonzero(event))
    if n_events in (0, event.size):
        only = "events (1)" if n_events else "non-events (0)"
        raise StatsInputError(
            f"{name}: only {only} present; both classes are needed for this statistic"
        )
    return event


def check_same_length(**arrays: NDArray[np.generic]) -> None:
    """Raise when the named arrays do not all have the same length."""
    lengths = {name: len(arr) for name, arr in arrays.items()}
    if len(set(lengths.values())) > 1:
        shown = ", ".join(f"{name} has {n}" for name, n in lengths.items())
        raise StatsInputError(f"length mismatch: {shown}; expected the same number of values")


def as_probabilities(values: ArrayLike, *, name: str = "y_prob") -> NDArray[np.float64]:
    """Float vector whose values all lie in [0, 1]."""
    arr = as_float_vector(values, name=name)
    outside = (arr < 0.0) | (arr > 1.0)
    if outside.any():
        first = int(np.flatnonzero(outside)[0])
        raise StatsInputError(
            f"{name}: {int(outside.sum())} value(s) outside [0, 1] (first at position {first}, "
            f"value {arr[first]:g}); expected predicted probabilities"
        )
    return arr


def check_level(level: float, *, name: str = "level") -> float:
    """Confidence level strictly between 0 and 1."""
    if not 0.0 < level < 1.0:
        raise StatsInputError(f"{name}: got {level!r}; expected a confidence level in (0, 1)")
    return float(level)
