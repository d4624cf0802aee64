"""Number formatting shared by the research reports."""

from __future__ import annotations

from collections.abc import Sequence


def num(value: float | None, digits: int = 3) -> str:
    """Fixed-point number, em dash for missing."""
    return "—" if value is None else f"{value:.{digits}f}"


def ci(bounds: Sequence[float] | None, digits: int = 3) -> str:
    """``low–high`` confidence interval."""
    if bounds is None:
        return "—"
    return f"{bounds[0]:.{digits}f}–{bounds[1]:.{digits}f}"


def p_value(p: float) -> str:
    """p-value as usually printed in papers."""
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def pct(part: int, whole: int) -> str:
    """``k/n (x %)``."""
    return f"{part}/{whole} ({100 * part / whole:.1f} %)" if whole else f"{part}/0"
