"""Lazy matplotlib access (Agg backend) and figure saving (PNG + SVG, atomic)."""

from __future__ import annotations

import io
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leptodx.cohort.io import write_bytes_atomic

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

REPORT_WIDTH_IN = 7.0
"""Width of a report figure in inches: the report's text width (180 mm) at 1:1, so the sizes
below are the printed sizes in the PDF."""
SMALL_FONT = 8.0
"""Smallest text in a report figure, in points (printed ≥ 7 pt even when a figure is shrunk a
little to fit the page; tests/reports/test_legibility.py measures it in the PDF)."""

PALETTE = ("#1f4e79", "#c0504d", "#4f8a3c", "#8064a2", "#e69f00", "#4bacc6", "#7f7f7f")


def pyplot() -> Any:
    """Import ``matplotlib.pyplot`` on first use with the non-interactive Agg backend."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def axes(ax: Axes | None, *, size: tuple[float, float] = (5.5, 4.2)) -> Axes:
    """Return ``ax`` or a new Axes on a new figure of ``size`` inches."""
    if ax is not None:
        return ax
    fig = pyplot().figure(figsize=size, dpi=110, layout="constrained")
    new: Axes = fig.add_subplot()
    return new


def style(ax: Axes, *, title: str | None = None) -> None:
    """House style: light grid, no top/right spines."""
    ax.grid(True, color="#e3e3e3", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if title:
        ax.set_title(title, fontsize=11, loc="left")


def figure_bytes(fig: Figure, fmt: str) -> bytes:
    """Serialise ``fig`` to PNG (150 dpi) or SVG bytes (text kept as searchable ``<text>``)."""
    import matplotlib

    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):  # SVG keeps its text as text
        fig.savefig(buffer, format=fmt, dpi=150 if fmt == "png" else None, bbox_inches="tight")
    return buffer.getvalue()


def save_figure(fig: Figure, stem: Path) -> dict[str, bytes]:
    """Write ``stem.png`` and ``stem.svg`` atomically; return the bytes (for embedding)."""
    out = {fmt: figure_bytes(fig, fmt) for fmt in ("png", "svg")}
    for fmt, data in out.items():
        write_bytes_atomic(stem.with_suffix(f".{fmt}"), partial(Path.write_bytes, data=data))
    pyplot().close(fig)
    return out
