"""Axis ticks people read easily: R's ``pretty()`` for linear axes, 1–2–4–8 steps for odds ratios.

Pure NumPy (no matplotlib), so the ticks can be tested against R without drawing.
"""

from __future__ import annotations

import math
import sys

import numpy as np
from numpy.typing import NDArray

_ROUNDING_EPS = 1e-10  # R's rounding_eps in src/appl/pretty.c (since R 3.5)
_HIGH_BIAS = 1.5  # pretty.default(high.u.bias = 1.5)
_U5_BIAS = 0.5 + 1.5 * _HIGH_BIAS  # pretty.default(u5.bias = .5 + 1.5 * high.u.bias)
_SHRINK_SMALL = 0.75  # pretty.default(shrink.sml = 0.75)
_F_MIN = 2.0**-20  # pretty.default(f.min = 2^-20)


def _unit(cell: float) -> float:
    """The step from {1, 2, 5, 10} × 10^k closest to ``cell``, biased towards larger steps."""
    base = 10.0 ** math.floor(math.log10(cell))
    unit = base
    if 2 * base - cell < _HIGH_BIAS * (cell - unit):
        unit = 2 * base
        if 5 * base - cell < _U5_BIAS * (cell - unit):
            unit = 5 * base
            if 10 * base - cell < _HIGH_BIAS * (cell - unit):
                unit = 10 * base
    return unit


def pretty(low: float, high: float, n: int = 5) -> NDArray[np.float64]:
    """About ``n + 1`` equally spaced round values covering ``[low, high]``, as R's ``pretty()``.

    The step is 1, 2, 5 or 10 times a power of ten, chosen as in R's ``R_pretty`` (src/appl/
    pretty.c) with the defaults of ``pretty.default`` (``min.n = n %/% 3``, ``shrink.sml = 0.75``,
    ``high.u.bias = 1.5``, ``u5.bias = 2.75``); the values are laid out like ``seq.int(l, u,
    length.out = k + 1)``. Checked against R 4.2.2 in tests/reference_values/pretty.

    >>> pretty(0, 1022).tolist()
    [0.0, 200.0, 400.0, 600.0, 800.0, 1000.0, 1200.0]
    """
    if not (math.isfinite(low) and math.isfinite(high)) or high < low:
        raise ValueError(f"pretty: got [{low}, {high}]; expected finite low ≤ high")
    min_n = n // 3
    dx = high - low
    if dx == 0 and high == 0:
        cell, small = 1.0, True
    else:
        cell = max(abs(low), abs(high))
        bound = (1 + 1 / (1 + _HIGH_BIAS)) * max(1, n) * sys.float_info.epsilon
        small = dx < cell * bound * 3
    if small:
        if cell > 10:
            cell = 9 + cell / 10
        cell *= _SHRINK_SMALL
        if min_n > 1:
            cell /= min_n
    elif n > 1:
        cell = dx / n
    else:
        cell = dx
    cell = max(cell, _F_MIN * sys.float_info.min)
    unit = _unit(cell)
    ns = math.floor(low / unit + _ROUNDING_EPS)
    nu = math.ceil(high / unit - _ROUNDING_EPS)
    while ns * unit > low + _ROUNDING_EPS * unit:
        ns -= 1
    while nu * unit < high - _ROUNDING_EPS * unit:
        nu += 1
    k = int(0.5 + nu - ns)
    if k < min_n:
        extra = min_n - k
        if ns >= 0:
            nu += extra // 2
            ns -= extra // 2 + extra % 2
        else:
            ns -= extra // 2
            nu += extra // 2 + extra % 2
        k = min_n
    first = min(low, ns * unit)
    last = max(high, nu * unit)
    return _spaced(first, last, k)


def _spaced(first: float, last: float, intervals: int) -> NDArray[np.float64]:
    """R ``seq.int(first, last, length.out = intervals + 1)``: both ends exact, the first half
    counted up from ``first`` and the second half down from ``last``; near-zero values zapped."""
    count = intervals + 1
    if intervals == 0:
        return np.array([first], dtype=np.float64)
    step = (last - first) / intervals
    i = np.arange(count, dtype=np.float64)
    out = np.where(np.arange(count) < count // 2, first + i * step, last - (intervals - i) * step)
    out[0], out[-1] = first, last
    out[np.abs(out) < 1e-14 * step] = 0.0
    return out


LOG_LADDERS: tuple[tuple[float, tuple[float, ...]], ...] = (
    (2.0, (1.0,)),  # …, 0.25, 0.5, 1, 2, 4, 8, … (doublings)
    (10.0, (1.0, 2.0, 5.0)),  # …, 0.1, 0.2, 0.5, 1, 2, 5, 10, … (1–2–5 per decade)
    (10.0, (1.0,)),  # …, 0.01, 0.1, 1, 10, 100, … (decades)
)
"""(base, mantissas) of the tick sets of a ratio axis, tried in order until one needs at most
``max_ticks`` values."""


def ratio_ticks(low: float, high: float, *, max_ticks: int = 8) -> NDArray[np.float64]:
    """Ticks of a log-scale ratio axis (odds or hazard ratios) covering ``[low, high]`` and 1.

    Doublings (0.25, 0.5, 1, 2, 4, 8) when they need at most ``max_ticks`` values, else 1–2–5 per
    decade, else decades (every second, third … decade for extreme ranges). A narrow range (within
    a doubling of 1) gets round linear steps (0.9, 0.95, 1, 1.05, 1.1), evenly spaced to the eye.
    """
    if not (0 < low <= high < math.inf):
        raise ValueError(f"ratio_ticks: got [{low}, {high}]; expected 0 < low ≤ high < ∞")
    low, high = min(low, 1.0), max(high, 1.0)
    if high / low <= 2.0:
        step = _unit((high - low) / 4) if high > low else 0.1
        start = math.floor(low / step + _ROUNDING_EPS)
        stop = math.ceil(high / step - _ROUNDING_EPS)
        linear = np.round(np.arange(start, stop + 1) * step, 12)
        return linear[linear > 0]
    for base, mantissas in LOG_LADDERS:
        ticks = _ladder(base, mantissas, low, high)
        if ticks.size <= max_ticks:
            return ticks
    lowest, highest = math.floor(math.log10(low) + 1e-9), math.ceil(math.log10(high) - 1e-9)
    stride = 2  # every stride-th decade, aligned so that 1 stays on the axis
    while True:
        first, last = stride * math.floor(lowest / stride), stride * math.ceil(highest / stride)
        if (last - first) // stride + 1 <= max_ticks:
            return 10.0 ** np.arange(first, last + 1, stride, dtype=np.float64)
        stride += 1


def _ladder(
    base: float, mantissas: tuple[float, ...], low: float, high: float
) -> NDArray[np.float64]:
    """Values m·base^k from the largest one ≤ ``low`` to the smallest one ≥ ``high``."""
    first = math.floor(math.log(low, base) + 1e-9) - 1
    last = math.ceil(math.log(high, base) - 1e-9)
    values = [m * base**k for k in range(first, last + 1) for m in mantissas]
    below = max(v for v in values if v <= low * (1 + 1e-9))
    above = min(v for v in values if v >= high * (1 - 1e-9))
    return np.array([float(f"{v:.12g}") for v in values if below <= v <= above])
