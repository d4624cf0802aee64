"""Kaplan–Meier figure as R users expect it: step curves with censoring marks, optional CI band,
median guides, round time ticks (R ``pretty``), the log-rank p and a numbers-at-risk table under
the time axis at those ticks (survminer ``ggsurvplot(risk.table = TRUE, pval = TRUE)`` style).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from leptodx.reports.plotting import PALETTE, axes, figure_bytes, pyplot, style
from leptodx.reports.ticks import pretty

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from leptodx.stats import KaplanMeierCurve

FONT = 9.0  # points at the figure's own size (7 in wide = the report's text width)
ROW_GAP = 12.0  # points between rows of the numbers-at-risk table


@dataclass(frozen=True)
class KmLine:
    """One Kaplan–Meier curve: step times, survival, censoring times and the median (or None)."""

    name: str
    time: ArrayLike
    survival: ArrayLike
    median: float | None = None
    censored: ArrayLike = ()
    at_risk: Sequence[int] | None = None
    """Number at risk at the figure's ``at_risk_times`` (same order)."""
    lower: ArrayLike | None = None
    """Lower CI bound of S at ``time`` (drawn as a band with ``upper`` when both are given)."""
    upper: ArrayLike | None = None


def time_ticks(t_max: float) -> NDArray[np.float64]:
    """R ``pretty(c(0, t_max))`` cut to the follow-up (as ``plot.survfit``'s default axis)."""
    ticks = pretty(0.0, max(t_max, 0.0))
    return ticks[ticks <= t_max * (1 + 1e-12)] if t_max > 0 else ticks


def format_p(p: float) -> str:
    """``p = 0.0013`` (two significant digits) or ``p < 0.0001``, as survminer prints it."""
    return "p < 0.0001" if p < 1e-4 else f"p = {float(f'{p:.2g}'):g}"


def _step(time: ArrayLike, values: ArrayLike, start: float) -> tuple[NDArray[np.float64], ...]:
    x = np.concatenate(([0.0], np.asarray(time, dtype=float)))
    return x, np.concatenate(([start], np.asarray(values, dtype=float)))


def plot_kaplan_meier(
    lines: Sequence[KmLine],
    *,
    at_risk_times: ArrayLike | None = None,
    time_label: str = "Time",
    logrank_p: float | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Kaplan–Meier curves (one step line per group, + at censorings), CI bands where given,
    medians marked by dotted guides at S = 0.5, the log-rank p in the plot and a number-at-risk
    table under the x axis at ``at_risk_times`` (which are also the axis ticks)."""
    rows = len(lines) if at_risk_times is not None else 0
    ax = axes(ax, size=(7.0, 4.0 + ROW_GAP / 72 * (rows + 2)))
    t_max = 0.0
    for i, line in enumerate(lines):
        colour = PALETTE[i % len(PALETTE)]
        x, y = _step(line.time, line.survival, 1.0)
        t_max = max(t_max, float(x.max()))
        if line.lower is not None and line.upper is not None:
            _, lo = _step(line.time, line.lower, 1.0)
            _, hi = _step(line.time, line.upper, 1.0)
            ax.fill_between(x, lo, hi, step="post", color=colour, alpha=0.15, linewidth=0)
        median = "not reached" if line.median is None else f"{line.median:g}"
        ax.step(x, y, where="post", color=colour, linewidth=1.8, label=f"{line.name}: {median}")
        cens = np.asarray(line.censored, dtype=float)
        if cens.size:
            at = y[np.searchsorted(x, cens, side="right") - 1]
            ax.scatter(cens, at, marker="+", s=30, color=colour, linewidths=1.0, zorder=3)
        if line.median is not None:
            ax.hlines(0.5, 0, line.median, colors=colour, linestyles=":", linewidth=1)
            ax.vlines(line.median, 0, 0.5, colors=colour, linestyles=":", linewidth=1)
    ticks = time_ticks(t_max) if at_risk_times is None else np.asarray(at_risk_times, dtype=float)
    ax.set_xticks(ticks, labels=[f"{t:g}" for t in ticks])
    ax.set(xlim=(0, max(t_max, float(ticks.max(initial=0.0))) * 1.02 or 1.0), ylim=(0, 1.03))
    ax.set_yticks(np.linspace(0, 1, 6), labels=[f"{v:g}" for v in np.linspace(0, 1, 6)])
    ax.set_xlabel(time_label, fontsize=FONT)
    ax.set_ylabel("Survival probability", fontsize=FONT)
    ax.tick_params(labelsize=FONT)
    ax.legend(title="median survival", fontsize=FONT, title_fontsize=FONT, frameon=False)
    if logrank_p is not None:
        ax.text(0.02, 0.04, f"Log-rank {format_p(logrank_p)}", transform=ax.transAxes,
                fontsize=FONT, ha="left", va="bottom")  # fmt: skip
    if at_risk_times is not None:
        _at_risk_table(ax, lines, ticks)
    style(ax, title="Kaplan–Meier survival")
    return ax


def _at_risk_table(ax: Axes, lines: Sequence[KmLine], ticks: NDArray[np.float64]) -> None:
    """Rows of counts under the x label, each at its tick (offsets in points, so the table keeps
    its place at any figure size)."""
    below = ("data", "axes fraction")
    left = ("axes fraction", "axes fraction")
    top = -(FONT * 2 + 22)  # under the tick labels and the axis label
    ax.annotate("Number at risk", (0, 0), xycoords=left, xytext=(0, top),
                textcoords="offset points", fontsize=FONT, fontweight="bold", va="top")  # fmt: skip
    for i, line in enumerate(lines):
        offset = top - ROW_GAP * (i + 1)
        colour = PALETTE[i % len(PALETTE)]
        ax.annotate(line.name, (0, 0), xycoords=left, xytext=(-24, offset),
                    textcoords="offset points", fontsize=FONT, ha="right", va="top", color=colour)  # fmt: skip
        for t, n in zip(ticks, line.at_risk or (), strict=False):
            ax.annotate(str(n), (t, 0), xycoords=below, xytext=(0, offset),
                        textcoords="offset points", fontsize=FONT, ha="center", va="top",
                        annotation_clip=False)  # fmt: skip


def km_lines(
    curves: Sequence[KaplanMeierCurve], ticks: ArrayLike, *, ci_band: bool = False
) -> list[KmLine]:
    """The curves of :func:`leptodx.stats.kaplan_meier` as figure lines with numbers at risk at
    ``ticks`` (:func:`leptodx.stats.number_at_risk`, R ``summary(fit, times)$n.risk``)."""
    from leptodx.stats import number_at_risk

    at_risk = number_at_risk(curves, ticks)
    return [
        KmLine(
            c.name,
            c.time,
            c.survival,
            median=None if np.isnan(c.median) else float(c.median),
            censored=c.time[c.n_censor > 0],
            at_risk=at_risk.counts[i].tolist(),
            lower=c.lower if ci_band else None,
            upper=c.upper if ci_band else None,
        )
        for i, c in enumerate(curves)
    ]


def km_figure(
    curves: Sequence[KaplanMeierCurve],
    *,
    logrank_p: float | None = None,
    time_label: str = "Time",
    ci_band: bool = False,
    fmt: str = "png",
) -> bytes:
    """The Kaplan–Meier figure as PNG or SVG bytes: time ticks from R ``pretty`` over the
    follow-up, numbers at risk at those ticks, the log-rank p when given, CI band on request."""
    t_max = max((float(c.time.max()) for c in curves if c.time.size), default=1.0)
    ticks = time_ticks(t_max)
    ax = plot_kaplan_meier(
        km_lines(curves, ticks, ci_band=ci_band),
        at_risk_times=ticks,
        time_label=time_label,
        logrank_p=logrank_p,
    )
    from matplotlib.figure import Figure

    fig = ax.figure
    assert isinstance(fig, Figure)  # plot_kaplan_meier(ax=None) draws on a new figure
    data = figure_bytes(fig, fmt)
    pyplot().close(fig)
    return data
