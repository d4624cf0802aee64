"""The CSF chart of the assessment page: every analyte on its own labelled scale.

Each row shows one judged quantity of the stored assessment — cell count, protein, lactate and
albumin as entered, glucose as the CSF/serum ratio and albumin as the albumin quotient QAlb when
those decided the judgement — on a linear axis from 0 with the profile's reference interval
shaded, the limits and the axis end labelled with numbers, and the value marked and written with
its unit. Values and limits come from the stored result only (no threshold is restated here).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from leptodx.presentation import labels as L
from leptodx.presentation.numbers import display_unit, format_number

LEFT, RIGHT = 8.0, 552.0
"""x of the axis' 0 and of its end in the 560-wide viewBox."""
ROW_HEIGHT = 58
MIN_LABEL_GAP = 34.0
"""Tick labels closer than this (viewBox units) to a limit's label are left out."""
COLOURS = {"high": "#b3261e", "low": "#8a5d00", "normal": "#2e7d32", "none": "#505a64"}


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    text: str
    anchor: str


@dataclass(frozen=True, slots=True)
class ChartRow:
    """One analyte: its label, value text, status, and the geometry of its scale."""

    label: str
    value_text: str
    status: str
    status_text: str
    colour: str
    y: int
    marker_x: float
    band: tuple[float, float] | None
    ticks: tuple[Tick, ...]
    limit_xs: tuple[float, ...]
    description: str


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k that is ≥ ``value`` (axis ends read as round)."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if step * power >= value * (1 - 1e-12):
            return step * power
    return 10.0 * power  # pragma: no cover - the loop ends at 10 × power ≥ value


def _x(value: float, top: float) -> float:
    return LEFT + (RIGHT - LEFT) * min(max(value, 0.0), top) / top


def _digits(value: float) -> str:
    return format_number(value, 3)


def _row(
    label: str,
    value: float,
    unit: str,
    lower: float | None,
    upper: float | None,
    status: str | None,
    not_judged: str | None,
    y: int,
) -> ChartRow:
    top = nice_ceiling(1.15 * max(value, upper or 0.0, lower or 0.0))
    shown_unit = display_unit(unit)
    code = status or "none"
    status_text = (
        L.label(L.STATUS, status)
        if status
        else L.label(L.NOT_JUDGED, not_judged, missing="not judged")
    )
    limits = tuple(v for v in (lower, upper) if v is not None)
    limit_xs = tuple(_x(v, top) for v in limits)
    band = None
    if limits:
        band = (_x(lower or 0.0, top), _x(upper if upper is not None else top, top))
    ticks = [Tick(x, _digits(v), "middle") for x, v in zip(limit_xs, limits, strict=True)]
    for x, v, anchor in ((LEFT, 0.0, "start"), (RIGHT, top, "end")):
        if all(abs(x - t.x) >= MIN_LABEL_GAP for t in ticks):
            ticks.append(Tick(x, _digits(v), anchor))
    interval = " and ".join(
        part
        for part in (
            f"lower limit {_digits(lower)}" if lower is not None else "",
            f"upper limit {_digits(upper)}" if upper is not None else "",
        )
        if part
    )
    value_text = f"{_digits(value)} {shown_unit}".rstrip()
    return ChartRow(
        label=label,
        value_text=value_text,
        status=code,
        status_text=status_text,
        colour=COLOURS[code],
        y=y,
        marker_x=_x(value, top),
        band=band,
        ticks=tuple(sorted(ticks, key=lambda t: t.x)),
        limit_xs=limit_xs,
        description=f"{label}: {value_text}, {status_text}"
        + (f" ({interval} {shown_unit})".replace("  ", " ") if interval else ""),
    )


def chart_rows(csf: Mapping[str, Any]) -> tuple[ChartRow, ...]:
    """One row per analyte of the stored CSF interpretation (contract 2.x ``csf`` object)."""
    rows: list[ChartRow] = []
    ratio, qalb = csf.get("glucose_ratio"), csf.get("qalb")
    for a in csf.get("analytes", []):
        y = len(rows) * ROW_HEIGHT
        name = L.label(L.ANALYTE, a["name"])
        if a.get("basis") == "glucose_ratio" and ratio:
            status = None if ratio["low"] is None else ("low" if ratio["low"] else "normal")
            rows.append(
                _row(
                    f"{name}: CSF/serum ratio",
                    ratio["value"],
                    ratio["unit"],
                    ratio["limit"],
                    None,
                    status,
                    ratio.get("not_judged"),
                    y,
                )
            )
        elif a.get("basis") == "albumin_quotient" and qalb:
            dysfunction = qalb["barrier_dysfunction"]
            status = None if dysfunction is None else ("high" if dysfunction else "normal")
            rows.append(
                _row(
                    "Albumin quotient QAlb",
                    qalb["value"],
                    qalb["unit"],
                    None,
                    qalb["limit"],
                    status,
                    qalb.get("not_judged"),
                    y,
                )
            )
        else:
            rows.append(
                _row(
                    name,
                    a["canonical_value"],
                    a["canonical_unit"],
                    a.get("limit_lower"),
                    a.get("limit_upper"),
                    a.get("status"),
                    a.get("not_judged"),
                    y,
                )
            )
    return tuple(rows)
