"""Proportions and 2×2 tables: Wilson and Clopper–Pearson CIs, Fisher, χ², exact McNemar.

R equivalents: ``prop.test(x, n, correct = FALSE)$conf.int`` (Wilson), ``binom.test`` (exact),
``fisher.test``, ``chisq.test``, and the exact McNemar test = ``binom.test(b, b + c)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from leptodx.stats._distributions import critical_value
from leptodx.stats._validation import StatsInputError, check_level
from leptodx.stats.contingency import chi_square, fisher_exact_p, sample_odds_ratio


@dataclass(frozen=True, slots=True)
class Proportion:
    events: int
    n: int
    estimate: float
    ci: tuple[float, float]
    level: float
    method: str

    def to_dict(self) -> dict[str, Any]:
        """JSON of a proportion with its CI (docs/stats.md)."""
        return {
            "events": self.events,
            "n": self.n,
            "estimate": self.estimate,
            "ci": list(self.ci),
            "level": self.level,
            "method": self.method,
        }


@dataclass(frozen=True, slots=True)
class TableTest:
    statistic: float | None
    p_value: float
    method: str
    df: int | None = None
    odds_ratio: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON of the test (undefined values as null)."""
        from leptodx.jsonsafe import fields_json

        return fields_json(self)


@dataclass(frozen=True, slots=True)
class TwoByTwoTests:
    """Fisher's exact test and, when every margin is positive, the χ² test of one 2×2 table."""

    table: tuple[tuple[int, int], tuple[int, int]]
    fisher: TableTest
    chi_square: TableTest | None

    def to_dict(self) -> dict[str, Any]:
        """JSON of both tests (docs/stats.md); the χ² fields are absent when χ² is undefined."""
        out: dict[str, Any] = {
            "table": [list(row) for row in self.table],
            "fisher_p_value": self.fisher.p_value,
            "odds_ratio": self.fisher.odds_ratio,
        }
        if self.chi_square is not None:
            out |= {
                "chisq": self.chi_square.statistic,
                "chisq_df": self.chi_square.df,
                "chisq_p_value": self.chi_square.p_value,
                "chisq_method": self.chi_square.method,
            }
        return out


def two_by_two_tests(a: int, b: int, c: int, d: int) -> TwoByTwoTests:
    """Fisher's exact test of ``[[a, b], [c, d]]`` and the Yates χ² test where it is defined."""
    table = ((a, b), (c, d))
    defined = bool((a + b) and (c + d) and (a + c) and (b + d))
    return TwoByTwoTests(table, fisher_exact(table), chi_square_test(table) if defined else None)


def _counts(events: int, n: int) -> tuple[int, int]:
    if int(events) != events or int(n) != n or n <= 0 or not 0 <= events <= n:
        raise StatsInputError(
            f"events/n: got {events}/{n}; expected whole numbers with 0 ≤ events ≤ n and n ≥ 1"
        )
    return int(events), int(n)


def wilson_ci(events: int, n: int, *, level: float = 0.95) -> Proportion:
    """Wilson score interval without continuity correction (Wilson 1927)."""
    x, n = _counts(events, n)
    level = check_level(level)
    z = critical_value(level)
    p = x / n
    center = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return Proportion(x, n, p, (float(center - half), float(center + half)), level, "Wilson score")


def clopper_pearson_ci(events: int, n: int, *, level: float = 0.95) -> Proportion:
    """Exact (Clopper–Pearson) interval from beta quantiles."""
    from scipy import stats

    x, n = _counts(events, n)
    level = check_level(level)
    alpha = 1 - level
    low = 0.0 if x == 0 else float(stats.beta.ppf(alpha / 2, x, n - x + 1))
    high = 1.0 if x == n else float(stats.beta.ppf(1 - alpha / 2, x + 1, n - x))
    return Proportion(x, n, x / n, (low, high), level, "Clopper–Pearson exact")


def _table(table: object) -> np.ndarray:
    arr = np.asarray(table, dtype=float)
    if arr.shape != (2, 2) or (arr < 0).any() or (arr != np.round(arr)).any():
        raise StatsInputError(
            f"table: got {np.asarray(table).tolist()}; expected a 2×2 table of non-negative counts [[a, b], [c, d]]"
        )
    return arr


def fisher_exact(table: object) -> TableTest:
    """Two-sided Fisher exact test; p as R ``fisher.test`` (:mod:`leptodx.stats.contingency`).
    The odds ratio is the sample OR."""
    (a, b), (c, d) = _table(table).astype(int).tolist()
    return TableTest(
        None,
        fisher_exact_p(a, b, c, d),
        "Fisher exact (two-sided)",
        odds_ratio=sample_odds_ratio(a, b, c, d),
    )


def chi_square_test(table: object, *, correction: bool = True) -> TableTest:
    """Pearson χ² test of a 2×2 table; Yates-corrected by default, as R ``chisq.test``."""
    arr = _table(table)
    if (arr.sum(axis=0) == 0).any() or (arr.sum(axis=1) == 0).any():
        raise StatsInputError(
            f"table: got {arr.astype(int).tolist()}; a row or column total is 0, so χ² is undefined"
        )
    res = chi_square(arr, correction=correction)
    name = "Pearson χ² with Yates continuity correction" if correction else "Pearson χ²"
    return TableTest(res.statistic, res.p_value, name, df=res.df)


def mcnemar_exact(b: int, c: int) -> TableTest:
    """Exact McNemar test on the discordant pairs ``b`` and ``c`` (binomial, p = ½)."""
    b, n = _counts(b, b + c) if b + c > 0 else (0, 0)
    if n == 0:
        return TableTest(None, 1.0, "exact McNemar (no discordant pairs)")
    from scipy import stats

    return TableTest(None, float(stats.binomtest(b, n, 0.5).pvalue), "exact McNemar (binomial)")
