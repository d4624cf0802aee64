"""Survival by EANO–ESMO type (or any group): the analysis behind ``leptodx stats survival`` and
the researcher page (the figure: :func:`leptodx.reports.kaplan_meier.km_figure`).

Rows with a missing time, event or group are refused, never dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from leptodx.cohort.table import column
from leptodx.errors import InputError
from leptodx.stats import KaplanMeierCurve, LogRankResult, kaplan_meier, logrank_test


def first_row(mask: NDArray[np.bool_]) -> int:
    return int(np.flatnonzero(mask)[0]) + 1


def survival_columns(
    frame: pd.DataFrame, time: str, event: str, *, options: tuple[str, str] = ("--time", "--event")
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    t = column(frame, time, option=options[0])
    e = column(frame, event, option=options[1])
    for values, option, name in ((t, options[0], time), (e, options[1], event)):
        if np.isnan(values).any():
            row = first_row(np.isnan(values))
            raise InputError(
                f"{option} {name}",
                "",
                f"a value in every row (row {row} is empty); "
                "remove or complete incomplete rows first",
            )
    if (t < 0).any():
        row = first_row(t < 0)
        raise InputError(
            f"{options[0]} {time}", float(t[row - 1]), f"follow-up times ≥ 0 (row {row})"
        )
    bad = ~np.isin(e, (0.0, 1.0))
    if bad.any():
        row = first_row(bad)
        raise InputError(
            f"{options[1]} {event}", float(e[row - 1]), f"1 = event, 0 = censored (row {row})"
        )
    return t, e


def labels(frame: pd.DataFrame, name: str, *, option: str) -> NDArray[np.object_]:
    """A column as labels (text or numbers); unknown columns and empty cells name the option."""
    if name not in frame.columns:
        shown = ", ".join(map(str, frame.columns[:20]))
        raise InputError(option, name, f"a column of the data file ({shown})")
    missing = frame[name].isna().to_numpy()
    if missing.any():
        raise InputError(
            f"{option} {name}",
            "",
            f"a value in every row (row {first_row(missing)} is empty); "
            "remove or complete incomplete rows first",
        )
    values: NDArray[np.object_] = frame[name].to_numpy(dtype=object)
    return values


def num(value: float) -> float | None:
    return None if not np.isfinite(value) else float(value)


@dataclass(frozen=True)
class GroupSurvival:
    """One group's row of the analysis: size, events, median and its CI (None: not reached)."""

    name: str
    n: int
    events: int
    median: float | None
    median_ci: tuple[float | None, float | None]

    @classmethod
    def of(cls, curve: KaplanMeierCurve) -> GroupSurvival:
        lower, upper = curve.median_ci
        return cls(curve.name, curve.n, curve.events, num(curve.median), (num(lower), num(upper)))

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "n": self.n,
            "events": self.events,
            "median": self.median,
            "median_ci": list(self.median_ci),
        }


@dataclass(frozen=True)
class SurvivalAnalysis:
    """Kaplan–Meier curves per group, the log-rank test (two groups or more, with events) and
    warnings where a median or a CI bound is undefined."""

    curves: tuple[KaplanMeierCurve, ...]
    logrank: LogRankResult | None
    level: float
    warnings: tuple[str, ...]

    @property
    def method(self) -> str:
        return self.curves[0].method + "; median and CI as R quantile.survfit"

    @property
    def groups(self) -> tuple[GroupSurvival, ...]:
        """One row per curve (the result table of the CLI and the web page)."""
        return tuple(GroupSurvival.of(c) for c in self.curves)

    def to_dict(self) -> dict[str, Any]:
        """JSON of ``leptodx stats survival`` (docs/stats.md); undefined values are null."""
        return {
            "groups": [g.to_dict() for g in self.groups],
            "logrank": None if self.logrank is None else self.logrank.to_dict(),
            "level": self.level,
            "method": self.method,
            "warnings": list(self.warnings),
        }


def analyse_survival(
    frame: pd.DataFrame,
    time: str,
    event: str,
    group: str | None,
    *,
    level: float = 0.95,
    options: tuple[str, str, str] = ("--time", "--event", "--group"),
) -> SurvivalAnalysis:
    """Kaplan–Meier per group with median and CI, and the log-rank test (R survfit/survdiff)."""
    t, e = survival_columns(frame, time, event, options=options[:2])
    groups = None if group is None else labels(frame, group, option=options[2])
    curves = kaplan_meier(t, e, groups, level=level)
    warnings = [
        f"group {c.name!r}: survival never falls to 0.5, so the median is undefined (null)"
        for c in curves
        if np.isnan(c.median)
    ]
    warnings += [
        f"group {c.name!r}: the {level:.0%} CI {side} bound of the median is not reached (null)"
        for c in curves
        for side, bound in zip(("lower", "upper"), c.median_ci, strict=True)
        if np.isnan(bound) and not np.isnan(c.median)
    ]
    logrank = (
        logrank_test(t, e, groups) if groups is not None and len(curves) > 1 and e.any() else None
    )
    return SurvivalAnalysis(tuple(curves), logrank, level, tuple(warnings))
