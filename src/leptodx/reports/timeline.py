"""Follow-up figure: the treatment timeline above the CSF / ctDNA trends (computed in
:mod:`leptodx.followup.trends`; this module only draws)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from leptodx.followup.events import (
    CtDna,
    Diagnosis,
    LumbarPuncture,
    MriScan,
    ResponseVisit,
    Timeline,
    Treatment,
)
from leptodx.followup.trends import TrendPoint, csf_trends
from leptodx.presentation.numbers import display_unit
from leptodx.reports.plotting import PALETTE, REPORT_WIDTH_IN, SMALL_FONT, pyplot, style

if TYPE_CHECKING:
    from matplotlib.figure import Figure

LANES = ("diagnosis", "MRI", "lumbar puncture", "ctDNA", "response", "systemic", "intrathecal", "radiotherapy", "surgery", "other")  # fmt: skip
_CYTOLOGY_COLOUR = {"positive": "#c0504d", "equivocal": "#e69f00", "negative": "#4f8a3c", "not_done": "#7f7f7f"}  # fmt: skip


def plot_timeline(timeline: Timeline) -> Figure:
    """Event lanes (treatment lines as bars) above one trend panel per unit, sharing the dates."""
    plt = pyplot()
    points = csf_trends(timeline)
    groups = [g for g in _TREND_GROUPS if any(_group(p) == g for p in points)]
    rows = 1 + max(len(groups), 1)
    fig, axs = plt.subplots(rows, 1, figsize=(REPORT_WIDTH_IN, 3.0 + 1.35 * (rows - 1)), dpi=110, sharex=True, height_ratios=(2.4, *([1.0] * (rows - 1))), layout="constrained")  # fmt: skip
    lanes = axs[0]
    used: list[str] = []

    def lane(name: str) -> int:
        if name not in used:
            used.append(name)
        return LANES.index(name)

    for e in timeline.events:
        if isinstance(e, Treatment):
            y = lane(e.modality)
            end = e.end or max(ev.date for ev in timeline.events)
            width = max((end - e.date).days, 1)
            lanes.barh(
                y, width, left=e.date, height=0.5, color=PALETTE[y % len(PALETTE)], alpha=0.8
            )
            lanes.annotate(e.agent or e.modality, (e.date, y + 0.32), fontsize=SMALL_FONT)
        elif isinstance(e, LumbarPuncture):
            colour = _CYTOLOGY_COLOUR[e.cytology.value] if e.cytology else "#7f7f7f"
            lanes.scatter(
                [e.date], [lane("lumbar puncture")], marker="v", color=colour, s=40, zorder=3
            )
        elif isinstance(e, MriScan):
            y = lane("MRI")
            lanes.scatter([e.date], [y], marker="s", color=PALETTE[0], s=30, zorder=3)
            lanes.annotate(e.pattern.value, (e.date, y + 0.25), fontsize=SMALL_FONT, ha="center")
        elif isinstance(e, Diagnosis):
            y = lane("diagnosis")
            lanes.scatter([e.date], [y], marker="*", color="#c0504d", s=90, zorder=3)
            label = " ".join(x for x in ((e.level.value if e.level else ""), e.type or "") if x)
            lanes.annotate(
                label or "LM diagnosis", (e.date, y + 0.25), fontsize=SMALL_FONT, ha="center"
            )
        elif isinstance(e, CtDna):
            lanes.scatter([e.date], [lane("ctDNA")], marker="D" if e.sample_type == "CSF" else "o", color=PALETTE[3], s=26, zorder=3)  # fmt: skip
        elif isinstance(e, ResponseVisit):
            y = lane("response")
            lanes.scatter(
                [e.date], [y], marker="o", facecolor="white", edgecolor=PALETTE[5], s=30, zorder=3
            )
            if e.mri is not None and e.mri.overall:
                lanes.annotate(
                    f"{e.mri.overall} (rater)", (e.date, y + 0.25), fontsize=SMALL_FONT, ha="center"
                )
    ticks = sorted(LANES.index(n) for n in used)
    lanes.set_yticks(ticks, [LANES[t] for t in ticks])
    lanes.set_ylim(min(ticks, default=0) - 0.7, max(ticks, default=0) + 0.8)
    style(
        lanes,
        title=f"Follow-up timeline{' — ' + timeline.patient_id if timeline.patient_id else ''}",
    )
    if not groups:
        axs[1].text(0.5, 0.5, "no CSF or ctDNA values", transform=axs[1].transAxes, ha="center", color="#7f7f7f")  # fmt: skip
        style(axs[1])
    for ax, group in zip(axs[1:], groups, strict=False):
        _plot_group(ax, group, [p for p in points if _group(p) == group])
    fig.autofmt_xdate()
    figure: Figure = fig
    return figure


_TREND_GROUPS = ("CSF leukocytes (/µL)", "CSF protein (mg/L)", "ctDNA (fraction)")


def _group(p: TrendPoint) -> str:
    return "ctDNA (fraction)" if p.unit == "fraction" else f"{p.series} ({display_unit(p.unit)})"


def _plot_group(ax: Any, group: str, points: list[TrendPoint]) -> None:
    for i, name in enumerate(sorted({p.series for p in points})):
        pts = [p for p in points if p.series == name]
        ax.plot([p.when for p in pts], [p.value for p in pts], marker="o", markersize=4, color=PALETTE[i % len(PALETTE)], label=name)  # fmt: skip
    if group == "ctDNA (fraction)":
        ax.set_ylim(0, 1)
        ax.legend(fontsize=SMALL_FONT, frameon=False, loc="upper right")
    ax.set_ylabel(group.split(" (")[-1].rstrip(")"), fontsize=SMALL_FONT)
    ax.tick_params(labelsize=SMALL_FONT + 0.5)
    style(ax, title=group)
