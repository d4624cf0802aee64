"""Aligned, rounded tables for the ``--format text`` output of the statistics commands.

Numbers are rounded for reading (the JSON keeps full precision): estimates to 3 decimals,
p-values as papers print them (``< 0.001``), undefined values as an em dash, negative numbers
with a true minus sign. Rich is imported only when a table is printed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

MISSING = "—"


def num(value: float | None, digits: int = 3) -> str:
    """Fixed-point number; em dash when undefined (None, NaN)."""
    if value is None or not math.isfinite(value):
        return MISSING if value is None or math.isnan(value) else ("∞" if value > 0 else "−∞")
    text = f"{value:.{digits}f}"
    return "0" + text[2:] if text.startswith("-0") and float(text) == 0 else text.replace("-", "−")


def sig(value: float | None, digits: int = 3) -> str:
    """Number to ``digits`` significant digits (for ratios and λ); em dash when undefined."""
    if value is None or not math.isfinite(value):
        return num(value)
    return f"{value:.{digits}g}".replace("-", "−")


def p_value(p: float | None) -> str:
    """``< 0.001`` or three decimals."""
    if p is None or math.isnan(p):
        return MISSING
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def interval(bounds: Sequence[float | None] | None, digits: int = 3, *, fmt: Any = num) -> str:
    """``low to high`` (a CI), em dash when absent."""
    if bounds is None or any(b is None for b in bounds):
        return MISSING
    return f"{fmt(bounds[0], digits)} to {fmt(bounds[1], digits)}"


def level_label(level: float) -> str:
    """``95% CI`` for level 0.95."""
    return f"{level * 100:g}% CI"


def show_table(
    title: str,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    notes: Sequence[str] = (),
    *,
    text_columns: int = 1,
) -> None:
    """Print one table (the first ``text_columns`` left-aligned, numbers right-aligned) and notes."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for i, name in enumerate(header):
        table.add_column(name, justify="left" if i < text_columns else "right")
    for row in rows:
        table.add_row(*row)
    console = Console(highlight=False, soft_wrap=False)
    console.print(table)
    for note in notes:
        console.print(note, markup=False, soft_wrap=True)
