"""Nomogram of a logistic model (points per predictor, total points, predicted risk).

Each predictor's contribution β·x is rescaled so that the predictor with the widest contribution
range spans 0–100 points (the convention of ``rms::nomogram``, Harrell 2015, ch. 10).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from leptodx.reports.plotting import PALETTE, REPORT_WIDTH_IN, SMALL_FONT, axes
from leptodx.reports.ticks import pretty
from leptodx.stats.link import logit

if TYPE_CHECKING:
    from matplotlib.axes import Axes

MIN_LABEL_GAP = 6.0  # in points (axis width 100): closer labels are skipped, ticks kept
RISK_TICKS = (0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99)


@dataclass(frozen=True)
class NomogramTerm:
    """One predictor on the encoded scale: range shown and coefficient."""

    name: str
    low: float
    high: float
    coefficient: float
    binary: bool = False


def _ticks(term: NomogramTerm) -> np.ndarray:
    if term.binary:
        return np.array([0.0, 1.0])
    if term.high - term.low <= 10 and float(term.low).is_integer():
        step = 1 if term.high - term.low <= 8 else 2
        return np.arange(term.low, term.high + 0.5, step)
    ticks = pretty(term.low, term.high, 6)  # rms::nomogram labels its axes with pretty()
    return ticks[(ticks >= term.low - 1e-12) & (ticks <= term.high + 1e-12)]


def nomogram_points(terms: Sequence[NomogramTerm]) -> tuple[float, list[float]]:
    """Points per unit of linear predictor and each term's reference (zero-point) value."""
    spans = [abs(t.coefficient) * (t.high - t.low) for t in terms]
    widest = max(spans) if spans and max(spans) > 0 else 1.0
    refs = [t.low if t.coefficient >= 0 else t.high for t in terms]
    return 100.0 / widest, refs


def plot_nomogram(
    terms: Sequence[NomogramTerm], intercept: float, *, ax: Axes | None = None
) -> Axes:
    """Draw the nomogram; predictors with a zero coefficient are listed as not selected."""
    shown = [t for t in terms if t.coefficient != 0]
    ax = axes(ax, size=(REPORT_WIDTH_IN, 0.55 * (len(shown) + 3) + 0.8))
    scale, refs = nomogram_points(shown)
    rows = ["Points", *[t.name for t in shown], "Total points", "Predicted risk"]
    y = {name: len(rows) - 1 - i for i, name in enumerate(rows)}

    def axis_line(
        row: str,
        xs: np.ndarray,
        labels: Sequence[str],
        colour: str,
        span: tuple[float, float] | None = None,
        binary: bool = False,
    ) -> None:
        yy = y[row]
        lo, hi = span if span is not None else (xs.min(), xs.max())
        ax.plot([min(lo, hi), max(lo, hi)], [yy, yy], color=colour, linewidth=1.2)
        last = -np.inf
        order = np.argsort(xs)
        for k in order:
            x, label = xs[k], labels[k]
            ax.plot([x, x], [yy, yy + 0.12], color=colour, linewidth=1)
            if binary:
                ha = "right" if k == order[0] else "left"
                ax.text(x, yy + 0.18, label, ha=ha, va="bottom", fontsize=SMALL_FONT + 0.5)
            elif x - last >= MIN_LABEL_GAP:
                ax.text(x, yy + 0.18, label, ha="center", va="bottom", fontsize=SMALL_FONT + 0.5)
                last = x

    pts = np.arange(0, 101, 10.0)
    axis_line("Points", pts, [f"{p:g}" for p in pts], "#000000")
    total_max = 0.0
    for i, (term, ref) in enumerate(zip(shown, refs, strict=True)):
        ticks = _ticks(term)
        xs = term.coefficient * (ticks - ref) * scale
        labels = [("yes" if v else "no") if term.binary else f"{v:g}" for v in ticks]
        ends = term.coefficient * (np.array([term.low, term.high]) - ref) * scale
        axis_line(
            term.name,
            xs,
            labels,
            PALETTE[i % len(PALETTE)],
            span=(float(ends[0]), float(ends[1])),
            binary=term.binary,
        )
        total_max += float(np.max(np.abs(xs)))
    total_max = max(total_max, 1e-9)
    step = next((s for s in (10, 20, 25, 50, 100, 200, 250, 500) if total_max / s <= 8), 1000)
    totals = np.arange(0, total_max + 1e-9, step)
    axis_line("Total points", totals * 100 / total_max, [f"{v:.0f}" for v in totals], "#000000")
    lp0 = intercept + sum(t.coefficient * r for t, r in zip(shown, refs, strict=True))
    lp_max = lp0 + total_max / scale
    risk = np.array([r for r in RISK_TICKS if lp0 <= logit(r) <= lp_max])
    if risk.size:
        xs = (logit(risk) - lp0) * scale * 100 / total_max
        axis_line("Predicted risk", xs, [f"{r:g}" for r in risk], PALETTE[1])
    ax.set_yticks(list(y.values()), labels=list(y.keys()), fontsize=9)
    ax.set_xlim(-4, 104)
    ax.set_ylim(-0.6, len(rows) - 0.3)
    ax.set_xticks([])
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0)
    dropped = [t.name for t in terms if t.coefficient == 0]
    title = "Nomogram" + (f" (not selected: {', '.join(dropped)})" if dropped else "")
    ax.set_title(title, fontsize=11, loc="left")
    return ax
