"""Report figures as functions: data in, ``Axes`` out (``ax=None`` draws on a new figure).

matplotlib is imported lazily through :mod:`leptodx.reports.plotting`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from leptodx.reports.plotting import PALETTE, axes, style
from leptodx.reports.ticks import ratio_ticks

if TYPE_CHECKING:
    from matplotlib.axes import Axes


@dataclass(frozen=True)
class RocLine:
    """One ROC curve with its AUC and confidence interval."""

    name: str
    fpr: ArrayLike
    tpr: ArrayLike
    auc: float
    ci: tuple[float, float] | None = None


def plot_roc(lines: Sequence[RocLine], *, ax: Axes | None = None, level: float = 0.95) -> Axes:
    """ROC curves (1 − specificity vs sensitivity) with AUC and CI in the legend."""
    ax = axes(ax, size=(5.0, 4.6))
    ax.plot([0, 1], [0, 1], color="#9e9e9e", linestyle=":", linewidth=1)
    for i, line in enumerate(lines):
        ci = f" ({level:.0%} CI {line.ci[0]:.3f}–{line.ci[1]:.3f})" if line.ci else ""
        ax.step(
            np.asarray(line.fpr),
            np.asarray(line.tpr),
            where="post",
            color=PALETTE[i % len(PALETTE)],
            linewidth=1.8,
            label=f"{line.name}: AUC {line.auc:.3f}{ci}",
        )
    ax.set(xlim=(-0.01, 1.01), ylim=(-0.01, 1.01), xlabel="1 − specificity", ylabel="Sensitivity")
    ax.set_aspect("equal")
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    style(ax, title="ROC curves")
    return ax


def plot_calibration(
    y_prob: ArrayLike,
    curve_x: ArrayLike,
    curve_y: ArrayLike,
    *,
    band: tuple[ArrayLike, ArrayLike] | None = None,
    groups: tuple[ArrayLike, ArrayLike] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Calibration plot: loess curve (with band), grouped observed risks, histogram of risks."""
    ax = axes(ax, size=(5.0, 4.8))
    p = np.asarray(y_prob, dtype=float)
    ax.plot([0, 1], [0, 1], color="#9e9e9e", linestyle=":", linewidth=1, label="ideal")
    if band is not None:
        ax.fill_between(
            np.asarray(curve_x),
            np.asarray(band[0]),
            np.asarray(band[1]),
            color=PALETTE[0],
            alpha=0.15,
            linewidth=0,
            label="95 % band",
        )
    ax.plot(np.asarray(curve_x), np.asarray(curve_y), color=PALETTE[0], linewidth=2, label="loess")
    if groups is not None:
        ax.plot(
            np.asarray(groups[0]),
            np.asarray(groups[1]),
            "o",
            color=PALETTE[1],
            markersize=4,
            label="deciles (observed)",
        )
    counts, edges = np.histogram(p, bins=50, range=(0, 1))
    if counts.max() > 0:
        heights = 0.12 * counts / counts.max()
        ax.bar(
            edges[:-1],
            heights,
            width=np.diff(edges),
            align="edge",
            bottom=-0.14,
            color="#7f7f7f",
            linewidth=0,
        )
    ax.axhline(-0.015, color="#bdbdbd", linewidth=0.6)
    ax.set(xlim=(0, 1), ylim=(-0.15, 1.02), xlabel="Predicted risk", ylabel="Observed risk")
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    style(ax, title="Calibration (histogram: predicted risks)")
    return ax


def plot_decision_curve(
    thresholds: ArrayLike, net_benefit: Mapping[str, ArrayLike], *, ax: Axes | None = None
) -> Axes:
    """Net benefit against threshold probability, including treat-all and treat-none."""
    ax = axes(ax, size=(6.0, 4.2))
    t = np.asarray(thresholds, dtype=float)
    finite = [np.asarray(v, dtype=float) for k, v in net_benefit.items() if k != "none"]
    top = max(float(np.nanmax(v)) for v in finite) if finite else 0.1
    colour = iter(PALETTE)
    for name, values in net_benefit.items():
        kwargs: dict[str, Any] = {"linewidth": 1.8}
        if name == "all":
            kwargs = {"color": "#7f7f7f", "linewidth": 1.2, "linestyle": "--"}
            name = "treat all"
        elif name == "none":
            kwargs = {"color": "#000000", "linewidth": 1.0}
            name = "treat none"
        else:
            kwargs["color"] = next(colour)
        ax.plot(t, np.asarray(values, dtype=float), label=name, **kwargs)
    ax.set(
        xlim=(t.min(), t.max()),
        ylim=(-0.05 * max(top, 0.05), max(top, 0.05) * 1.1),
        xlabel="Threshold probability",
        ylabel="Net benefit",
    )
    ax.legend(fontsize=8, frameon=False)
    style(ax, title="Decision curve")
    return ax


def format_ratio(value: float) -> str:
    """An odds or hazard ratio as printed beside a forest plot row: two decimals between 0.1 and
    100 (R ``forestplot``/``sprintf("%.2f")`` style), else three significant digits."""
    if not np.isfinite(value):
        return "∞" if value > 0 else "—"
    return f"{value:.2f}" if 0.1 <= value < 100 else f"{value:.3g}"


def plot_forest(
    names: Sequence[str],
    odds_ratio: ArrayLike,
    ci_low: ArrayLike,
    ci_high: ArrayLike,
    *,
    level: float = 0.95,
    measure: str = "Odds ratio",
    ax: Axes | None = None,
) -> Axes:
    """Ratios with confidence intervals on a log axis, one row per predictor, the ratio and its
    CI printed beside each row (as R ``forestplot``), ticks from :func:`ratio_ticks` (0.25, 0.5,
    1, 2, 4, 8 …) labelled as plain numbers, and a dotted line of no effect at 1."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator
    from matplotlib.transforms import blended_transform_factory

    est, lo, hi = (np.asarray(a, dtype=float) for a in (odds_ratio, ci_low, ci_high))
    ax = axes(ax, size=(7.0, 0.42 * len(names) + 1.5))
    y = np.arange(len(names))[::-1].astype(float)
    shown = np.concatenate([v[np.isfinite(v) & (v > 0)] for v in (est, lo, hi)])
    ticks = ratio_ticks(float(shown.min()), float(shown.max())) if shown.size else np.array([1.0])
    left, right = float(ticks[0]), float(ticks[-1])
    pad = (right / left) ** 0.03 if right > left else 1.25
    ax.set_xscale("log")
    ax.set_xlim(left / pad, right * pad)
    ax.errorbar(
        est,
        y,
        xerr=[est - np.clip(lo, left / pad, None), np.clip(hi, None, right * pad) - est],
        fmt="s",
        color=PALETTE[0],
        ecolor=PALETTE[0],
        capsize=3,
        markersize=5,
    )
    ax.axvline(1.0, color="#7f7f7f", linestyle=":", linewidth=1)
    ax.xaxis.set_major_locator(FixedLocator(ticks.tolist()))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.tick_params(axis="both", labelsize=9)
    ax.set_yticks(y, labels=list(names))
    ax.set_xlabel(f"{measure} ({level:.0%} CI, log scale)".replace("%", " %"), fontsize=9)
    ax.set_ylim(-0.7, len(names) - 0.3)
    beside = blended_transform_factory(ax.transAxes, ax.transData)
    ax.text(1.03, len(names) - 0.45, f"{measure} ({level:.0%} CI)".replace("%", " %"),
            transform=beside, fontsize=9, fontweight="bold", va="bottom", ha="left")  # fmt: skip
    for row, e, a, b in zip(y, est, lo, hi, strict=True):
        label = f"{format_ratio(e)} ({format_ratio(a)}–{format_ratio(b)})"
        ax.text(1.03, row, label, transform=beside, fontsize=9, va="center", ha="left")
    style(ax, title="Coefficients")
    ax.grid(False, axis="y")
    return ax


@dataclass(frozen=True)
class ProportionBar:
    """One bar of a prevalence chart: proportion and CI of a finding in a group."""

    finding: str
    group: str
    proportion: float
    ci: tuple[float, float]


def plot_prevalence(bars: Sequence[ProportionBar], *, ax: Axes | None = None) -> Axes:
    """Grouped horizontal bars of abnormal-finding proportions with CI whiskers."""
    findings = list(dict.fromkeys(b.finding for b in bars))
    groups = list(dict.fromkeys(b.group for b in bars))
    ax = axes(ax, size=(6.5, 0.55 * len(findings) * max(1, len(groups)) / 1.6 + 1.4))
    height = 0.8 / len(groups)
    for g, group in enumerate(groups):
        rows = [b for b in bars if b.group == group]
        pos = np.array([findings.index(b.finding) for b in rows], dtype=float)
        y = len(findings) - 1 - pos + (len(groups) - 1 - g - (len(groups) - 1) / 2) * height
        val = np.array([b.proportion for b in rows]) * 100
        lo = val - np.array([b.ci[0] for b in rows]) * 100
        hi = np.array([b.ci[1] for b in rows]) * 100 - val
        ax.barh(
            y,
            val,
            height=height * 0.9,
            color=PALETTE[g % len(PALETTE)],
            label=group,
            xerr=[lo, hi],
            error_kw={"ecolor": "#404040", "capsize": 2, "linewidth": 0.8},
        )
    ax.set_yticks(np.arange(len(findings))[::-1], labels=findings)
    ax.set(xlim=(0, 100), xlabel="Abnormal (% of patients with the test, 95 % Wilson CI)")
    ax.legend(fontsize=8, frameon=False, loc="lower right")
    style(ax, title="Abnormal CSF findings by group")
    return ax
