"""The Kaplan–Meier tables as CSV downloads: the survfit estimates per time and the per-group
summary (median, its CI and the log-rank test), columns named as in R ``summary(survfit)``.

Numbers are written with full precision (``repr``), NA/not reached as an empty cell; text cells
that a spreadsheet would run as a formula (starting with ``= + - @`` or a tab/CR) are prefixed with
``'`` (OWASP CSV injection).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from leptodx.research.survival import SurvivalAnalysis
    from leptodx.stats import KaplanMeierCurve

ESTIMATE_COLUMNS = ("group", "time", "n.risk", "n.event", "n.censor", "surv", "std.err", "lower", "upper")  # fmt: skip
SUMMARY_COLUMNS = ("group", "records", "events", "median", "lower", "upper", "level", "logrank.chisq", "logrank.df", "logrank.p")  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    """One CSV cell: numbers in full precision, NaN/inf/None empty, formula-like text defused."""
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value).upper()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([cell(v) for v in row] for row in rows)
    return buffer.getvalue()


def estimates_csv(curves: Sequence[KaplanMeierCurve]) -> str:
    """One row per group and distinct time: R ``summary(survfit(...), censored = TRUE)``."""
    rows = (
        (c.name, float(t), int(r), int(d), int(k), float(s), float(se), float(lo), float(hi))
        for c in curves
        for t, r, d, k, s, se, lo, hi in zip(
            c.time, c.n_risk, c.n_event, c.n_censor, c.survival, c.std_err, c.lower, c.upper,
            strict=True,
        )
    )  # fmt: skip
    return _csv(ESTIMATE_COLUMNS, rows)


def summary_csv(analysis: SurvivalAnalysis) -> str:
    """One row per group: records, events, median and its CI (R ``summary(fit)$table``), and
    the log-rank χ², df and p (R ``survdiff``) repeated on every row (empty for one group)."""
    lr = analysis.logrank
    test = (None, None, None) if lr is None else (lr.chisq, lr.df, lr.p_value)
    rows = (
        (g.name, g.n, g.events, g.median, *g.median_ci, analysis.level, *test)
        for g in analysis.groups
    )
    return _csv(SUMMARY_COLUMNS, rows)
