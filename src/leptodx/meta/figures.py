"""Meta-analysis figures: paired forest plots and the SROC plane (one test or several overlaid).

Functions take data and an optional Axes and return the Axes (matplotlib imported lazily through
:mod:`leptodx.reports.plotting`). :func:`sroc_layer` turns a pooled test into what the SROC plot draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from leptodx.meta.results import TestResult
from leptodx.meta.summary import Interval, region
from leptodx.reports.plotting import PALETTE, pyplot, style

if TYPE_CHECKING:
    from matplotlib.axes import Axes

Array = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class ForestRow:
    """One study in a paired forest plot."""

    label: str
    sensitivity: Interval
    specificity: Interval
    sensitivity_counts: str
    specificity_counts: str


def plot_paired_forest(
    rows: Sequence[ForestRow],
    pooled: tuple[Interval, Interval] | None,
    *,
    pooled_label: str = "Pooled (bivariate)",
    ci_label: str = "95 % CI",
    axes: tuple[Axes, Axes] | None = None,
) -> tuple[Axes, Axes]:
    """Sensitivity (left) and specificity (right) per study with Wilson CIs, pooled diamond."""
    if axes is None:
        fig = pyplot().figure(
            figsize=(7.2, 0.32 * (len(rows) + 2) + 1.3), dpi=110, layout="constrained"
        )
        left, right = fig.subplots(1, 2, sharey=True)
    else:
        left, right = axes
    y = np.arange(len(rows), 0, -1, dtype=float)
    for ax, key, counts, title in (
        (left, "sensitivity", "sensitivity_counts", "Sensitivity"),
        (right, "specificity", "specificity_counts", "Specificity"),
    ):
        est = np.array([getattr(r, key).estimate for r in rows])
        lo = np.array([getattr(r, key).ci_lower for r in rows])
        hi = np.array([getattr(r, key).ci_upper for r in rows])
        ax.errorbar(
            est,
            y,
            xerr=[np.maximum(est - lo, 0.0), np.maximum(hi - est, 0.0)],
            fmt="s",
            color=PALETTE[0],
            markersize=4,
            capsize=2,
            linewidth=1,
        )
        if pooled is not None:
            p = pooled[0] if key == "sensitivity" else pooled[1]
            ax.fill(
                [p.ci_lower, p.estimate, p.ci_upper, p.estimate],
                [0.0, 0.25, 0.0, -0.25],
                color=PALETTE[1],
                zorder=3,
            )
            ax.axvline(p.estimate, color=PALETTE[1], linestyle=":", linewidth=0.8)
        ax.set_xlim(-0.02, 1.02)
        ax.set_xlabel(f"{title} ({ci_label})")
        style(ax, title=title)
        for yi, r in zip(y, rows, strict=True):
            ax.annotate(
                getattr(r, counts),
                (1.03, yi),
                xycoords=("axes fraction", "data"),
                fontsize=7,
                va="center",
            )
    labels = [r.label for r in rows] + ([pooled_label] if pooled is not None else [])
    ticks = list(y) + ([0.0] if pooled is not None else [])
    left.set_yticks(ticks, labels=labels, fontsize=8)
    left.set_ylim(-0.8, len(rows) + 0.8)
    return left, right


@dataclass(frozen=True, slots=True)
class SrocLayer:
    """What the SROC plane shows for one index test."""

    name: str
    fpr: Array
    sensitivity: Array
    n: Array
    summary: tuple[float, float] | None = None
    """(FPR, sensitivity) of the summary point."""
    confidence: tuple[Array, Array] | None = None
    prediction: tuple[Array, Array] | None = None
    curve: tuple[Array, Array] | None = None
    """HSROC curve over the observed FPR range."""
    curve_extended: tuple[Array, Array] | None = None
    """HSROC curve over FPR 0.001–0.999 (drawn dotted)."""


def sroc_layer(result: TestResult, level: float) -> SrocLayer:
    """Study points, summary point, regions and HSROC curve of a pooled test."""
    studies = [r.study for r in result.studies]
    fpr = np.array([s.fp / s.n_non_diseased for s in studies])
    sens = np.array([s.tp / s.n_diseased for s in studies])
    n = np.array([s.n for s in studies], dtype=float)
    fit = result.fit
    if fit is None or result.point is None:
        return SrocLayer(result.test, fpr, sens, n)
    mu, vcov = fit.coef[:2], fit.vcov[:2, :2]
    summary = (1.0 - result.point.specificity.estimate, result.point.sensitivity.estimate)
    confidence = region(mu, vcov, level)
    prediction = region(mu, fit.sigma + vcov, level)
    curve = extended = None
    if result.hsroc is not None:
        grid = np.linspace(0.001, 0.999, 400)
        extended = (grid, result.hsroc.sensitivity(grid))
        lo, hi = max(float(fpr.min()), 0.001), min(float(fpr.max()), 0.999)
        if hi > lo:
            inside = np.linspace(lo, hi, 200)
            curve = (inside, result.hsroc.sensitivity(inside))
    return SrocLayer(result.test, fpr, sens, n, summary, confidence, prediction, curve, extended)


def plot_sroc(
    layers: Sequence[SrocLayer],
    *,
    level: float = 0.95,
    show_prediction: bool = True,
    ax: Axes | None = None,
) -> Axes:
    """The SROC plane: studies sized by n, summary points, confidence (solid) and prediction
    (dashed) regions, HSROC curves (solid over the observed FPR range, dotted beyond).

    With several layers each test has its own colour and the legend lists tests and line styles
    separately."""
    from matplotlib.lines import Line2D

    if ax is None:
        ax = pyplot().figure(figsize=(5.6, 5.2), dpi=110, layout="constrained").add_subplot()
    largest = max(float(layer.n.max()) for layer in layers)
    single = len(layers) == 1
    for i, layer in enumerate(layers):
        colour = PALETTE[i % len(PALETTE)]
        ax.scatter(
            layer.fpr,
            layer.sensitivity,
            s=15 + 185 * layer.n / largest,
            facecolors="none",
            edgecolors=colour,
            linewidths=0.9,
        )
        if layer.curve_extended is not None:
            ax.plot(*layer.curve_extended, color=colour, linestyle=":", linewidth=0.9)
        if layer.curve is not None:
            ax.plot(*layer.curve, color=colour, linewidth=1.6)
        if layer.confidence is not None:
            ax.plot(*layer.confidence, color=colour, linewidth=1.2)
        if layer.prediction is not None and show_prediction:
            ax.plot(*layer.prediction, color=colour, linestyle="--", linewidth=1.0)
        if layer.summary is not None:
            ax.plot(
                *layer.summary,
                marker="D",
                color=colour,
                markeredgecolor="black",
                markersize=7,
                linestyle="none",
                zorder=4,
            )
    ink = PALETTE[0] if single else "#404040"
    pct = f"{100 * level:g} %"
    handles = [
        Line2D(
            [],
            [],
            marker="o",
            markerfacecolor="none",
            color=ink,
            linestyle="none",
            label="studies (area ∝ n)",
        ),
        Line2D(
            [],
            [],
            marker="D",
            color=ink,
            markeredgecolor="black",
            linestyle="none",
            label="summary point",
        ),
        Line2D([], [], color=ink, linewidth=1.2, label=f"{pct} confidence region"),
        Line2D([], [], color=ink, linewidth=1.6, label="HSROC curve (dotted: extrapolated)"),
    ]
    if show_prediction:
        handles.insert(
            3, Line2D([], [], color=ink, linestyle="--", label=f"{pct} prediction region")
        )
    if not single:
        handles = [
            Line2D([], [], color=PALETTE[i % len(PALETTE)], linewidth=3, label=layer.name)
            for i, layer in enumerate(layers)
        ] + handles
    ax.legend(handles=handles, loc="lower right", fontsize=7, frameon=False)
    ax.set(
        xlim=(-0.01, 1.01),
        ylim=(-0.01, 1.01),
        xlabel="1 − specificity (false-positive rate)",
        ylabel="Sensitivity",
    )
    ax.set_aspect("equal")
    style(ax, title="SROC plane" if single else "SROC plane: index tests compared")
    return ax
