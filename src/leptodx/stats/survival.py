"""Survival analysis: Kaplan–Meier with median and CI, log-rank test (Cox model: ``cox``).

Every number follows R's ``survival`` package (checked in ``tests/reference_values/survival``):

- :func:`kaplan_meier` = ``survfit(Surv(time, event) ~ 1)`` per group with the default
  ``conf.type = "log"``: CI of S(t) = exp(log S ± z·se), se² = Σ d / (n (n − d)) (Greenwood, on
  the log scale), upper bound capped at 1, both bounds undefined where S = 0.
- The median and its CI are those of ``quantile.survfit``: the first time the curve (or the
  CI bound) is ≤ 0.5; when it equals 0.5 (within √ε) on a flat stretch, the midpoint between
  that time and the next drop, or the last follow-up time when the curve ends at 0.5.
- :func:`logrank_test` = ``survdiff(rho = 0)``; :func:`cox_ph` (module :mod:`leptodx.stats.cox`,
  re-exported here) = ``coxph(ties = "efron")`` with Wald CIs and p-values.

Every group table comes from at most one sort of the follow-up times (``_survival_data``).

References
----------
.. [1] Kaplan EL, Meier P. J Am Stat Assoc 1958;53:457–481.
.. [2] Therneau TM, Grambsch PM. Modeling Survival Data. Springer 2000 (``survival`` package).
.. [3] Efron B. The efficiency of Cox's likelihood function for censored data. J Am Stat Assoc
   1977;72:557–565.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from leptodx.stats._distributions import chi2_sf, critical_value
from leptodx.stats._survival_data import (
    GroupTable,
    group_tables,
    grouped,
    pooled_at_event_times,
)
from leptodx.stats._validation import StatsInputError, as_float_vector, check_level
from leptodx.stats.cox import CoxResult, CoxTerm, cox_ph

__all__ = [
    "AtRiskTable",
    "CoxResult",
    "CoxTerm",
    "KaplanMeierCurve",
    "LogRankResult",
    "cox_ph",
    "kaplan_meier",
    "logrank_test",
    "number_at_risk",
]

_TOLERANCE = float(np.sqrt(np.finfo(np.float64).eps))  # quantile.survfit's default tolerance


@dataclass(frozen=True, slots=True)
class KaplanMeierCurve:
    """Kaplan–Meier estimate of one group (R ``survfit``, ``conf.type = "log"``)."""

    name: str
    n: int
    events: int
    time: NDArray[np.float64]
    """Distinct observed times (events and censorings), ascending."""
    n_risk: NDArray[np.int64]
    n_event: NDArray[np.int64]
    n_censor: NDArray[np.int64]
    survival: NDArray[np.float64]
    std_err: NDArray[np.float64]
    """Greenwood standard error of log S(t) (R ``std.err``); inf where S = 0."""
    lower: NDArray[np.float64]
    """CI bounds of S(t); NaN where S = 0 (R gives NA)."""
    upper: NDArray[np.float64]
    median: float
    """NaN when the curve never reaches 0.5."""
    median_ci: tuple[float, float]
    """NaN for a bound that is never reached (R: NA)."""
    level: float
    method: str = 'Kaplan–Meier, Greenwood SE, log CI (R survfit conf.type = "log")'

    def to_dict(self) -> dict[str, Any]:
        """JSON of the curve: summary and per-time estimates (R ``summary(survfit)``); undefined
        values (NaN, inf) are null."""
        from leptodx.jsonsafe import json_safe

        out: dict[str, Any] = json_safe(
            {
                "name": self.name,
                "n": self.n,
                "events": self.events,
                "median": self.median,
                "median_ci": list(self.median_ci),
                "level": self.level,
                "time": self.time,
                "n_risk": self.n_risk,
                "n_event": self.n_event,
                "n_censor": self.n_censor,
                "survival": self.survival,
                "std_err": self.std_err,
                "lower": self.lower,
                "upper": self.upper,
                "method": self.method,
            }
        )
        return out


@dataclass(frozen=True, slots=True)
class AtRiskTable:
    """Number at risk (time ≥ t) per group at chosen times, for a Kaplan–Meier figure."""

    times: NDArray[np.float64]
    groups: tuple[str, ...]
    counts: NDArray[np.int64]
    """Shape (groups, times)."""

    def to_dict(self) -> dict[str, Any]:
        """JSON of the table: ``counts[g][t]`` for group ``groups[g]`` at ``times[t]``."""
        from leptodx.jsonsafe import json_safe

        out: dict[str, Any] = json_safe(
            {"times": self.times, "groups": list(self.groups), "counts": self.counts}
        )
        return out


@dataclass(frozen=True, slots=True)
class LogRankResult:
    """Log-rank test of equal survival across groups (R ``survdiff``, ``rho = 0``)."""

    chisq: float
    df: int
    p_value: float
    groups: tuple[str, ...]
    observed: NDArray[np.float64]
    expected: NDArray[np.float64]
    method: str = "log-rank test (R survdiff, rho = 0)"

    def to_dict(self) -> dict[str, Any]:
        """JSON of the test (the ``logrank`` part of ``leptodx stats survival``, docs/stats.md)."""
        return {"chisq": self.chisq, "df": self.df, "p_value": self.p_value, "method": self.method}


# --- Kaplan–Meier ------------------------------------------------------------------------------


def _first_occurrences(y: NDArray[np.float64]) -> NDArray[np.bool_]:
    """R ``!duplicated(y)``: the first occurrence of every value (NaN counts as one value).

    1 − S(t) and 1 − lower(t) never decrease and turn NaN only at the end (S = 0), so a
    comparison with the previous value suffices; other curves fall back to ``np.unique``.
    """
    finite = int(np.count_nonzero(~np.isnan(y)))
    head = y[:finite]
    keep = np.zeros(y.size, dtype=bool)
    if not np.isnan(head).any() and bool(np.all(head[1:] >= head[:-1])):
        keep[0] = True
        keep[1:finite] = head[1:] != head[:-1]
        keep[finite : finite + 1] = True  # the first NaN, if any
        return keep
    keep[np.unique(y, return_index=True, equal_nan=True)[1]] = True
    return keep


def _find_quantile(x: NDArray[np.float64], y: NDArray[np.float64], p: float, xmax: float) -> float:
    """R ``survival:::findq``: first x where the cumulative curve y reaches p (ties → midpoint).

    ``x`` and ``y`` start with the origin (0, 0); ``y`` is 1 − S (or 1 − CI bound), NaN allowed.
    """
    finite = ~np.isnan(y)
    if not finite.any() or np.max(y[finite]) < p:
        return float("nan")
    keep = _first_occurrences(y)
    x, y = x[keep], y[keep]
    index = np.arange(y.size)
    ok = ~np.isnan(y)
    order = np.argsort(y[ok], kind="stable")
    ys, idx = y[ok][order], index[ok][order]

    def constant_right(shift: float) -> int | None:  # approx(method = "constant", f = 1)
        knots = ys + shift
        if p < knots[0] or p > knots[-1]:
            return None
        return int(idx[int(np.searchsorted(knots, p, side="left"))])

    i1, i2 = constant_right(_TOLERANCE), constant_right(-_TOLERANCE)
    quantile = float("nan") if i1 is None or i2 is None else (x[i1] + x[i2]) / 2
    if not np.isnan(y[-1]) and abs(p - y[-1]) < _TOLERANCE and i1 is not None:
        quantile = (x[i1] + xmax) / 2
    return float(quantile)


def _km_one(name: str, table: GroupTable, z: float, level: float) -> KaplanMeierCurve:
    """Curve of one group from its table."""
    times, n_event, n_total, n_risk = table.time, table.n_event, table.n_total, table.n_risk
    d, r = n_event.astype(np.float64), n_risk.astype(np.float64)
    surv: NDArray[np.float64] = np.cumprod(1.0 - d / r, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        increments = np.where(d > 0, d / (r * (r - d)), 0.0)
    std_err = np.sqrt(np.cumsum(increments))
    with np.errstate(divide="ignore", invalid="ignore"):
        log_s = np.where(surv > 0, np.log(np.where(surv > 0, surv, 1.0)), np.nan)
        lower = np.exp(log_s - z * std_err)
        upper = np.minimum(np.exp(log_s + z * std_err), 1.0)
    lower[surv == 0] = np.nan
    upper[surv == 0] = np.nan
    x = np.concatenate(([0.0], times))
    xmax = float(times[-1])
    median = _find_quantile(x, np.concatenate(([0.0], 1.0 - surv)), 0.5, xmax)
    ci = (
        _find_quantile(x, np.concatenate(([0.0], 1.0 - lower)), 0.5, xmax),
        _find_quantile(x, np.concatenate(([0.0], 1.0 - upper)), 0.5, xmax),
    )
    return KaplanMeierCurve(
        name=name,
        n=int(n_total.sum()),
        events=int(n_event.sum()),
        time=times,
        n_risk=n_risk,
        n_event=n_event,
        n_censor=n_total - n_event,
        survival=surv,
        std_err=std_err,
        lower=lower,
        upper=upper,
        median=median,
        median_ci=ci,
        level=level,
    )


def kaplan_meier(
    time: ArrayLike,
    event: ArrayLike,
    groups: ArrayLike | None = None,
    *,
    levels: Sequence[str] | None = None,
    level: float = 0.95,
) -> tuple[KaplanMeierCurve, ...]:
    """Kaplan–Meier curve, median survival and its CI for each group.

    Parameters
    ----------
    time : array of shape (n,)
        Follow-up time, ≥ 0 (any unit; medians come back in the same unit).
    event : array of shape (n,)
        1 = event (death), 0 = censored.
    groups : array of shape (n,), optional
        Group label per patient (e.g. the EANO–ESMO type); one curve named ``"all"`` if omitted.
    levels : sequence of str, optional
        Groups in the order wanted; every level must have rows. Default: sorted labels (numeric
        order when all labels are numbers), as R's factor levels.
    level : float, default 0.95
        Confidence level of the pointwise CI and of the median CI.
    """
    level = check_level(level)
    data = grouped(time, event, groups, levels)
    tables = group_tables(data)
    z = critical_value(level)
    return tuple(
        _km_one(name, table, z, level) for name, table in zip(data.levels, tables, strict=True)
    )


def number_at_risk(curves: Sequence[KaplanMeierCurve], times: ArrayLike) -> AtRiskTable:
    """Patients still at risk (follow-up ≥ t) in each group at ``times`` (R ``summary(fit,
    times, extend = TRUE)$n.risk``)."""
    at = as_float_vector(times, name="times")
    counts = np.zeros((len(curves), at.size), dtype=np.int64)
    for i, curve in enumerate(curves):
        k = np.searchsorted(curve.time, at, side="left")
        inside = k < curve.time.size
        counts[i, inside] = curve.n_risk[k[inside]]
    return AtRiskTable(at, tuple(c.name for c in curves), counts)


# --- log-rank ----------------------------------------------------------------------------------


def logrank_test(
    time: ArrayLike, event: ArrayLike, groups: ArrayLike, *, levels: Sequence[str] | None = None
) -> LogRankResult:
    """Log-rank test of equal survival in ≥ 2 groups (R ``survdiff``).

    χ² = (O − E)ᵀ V⁻¹ (O − E) over all groups with expected events > 0 but one;
    df = (groups with E > 0) − 1.
    """
    data = grouped(time, event, groups, levels)
    order = data.levels
    if len(order) < 2:
        raise StatsInputError(
            f"group: only one group ({order[0]!r}); the log-rank test needs at least 2 groups"
        )
    if not data.event.any():
        raise StatsInputError("event: no events (all censored); the log-rank test needs events")
    deaths, at_risk = pooled_at_event_times(group_tables(data))  # (groups, event times)
    n_j = at_risk.sum(axis=0)
    d_j = deaths.sum(axis=0)
    share = at_risk / n_j  # (k, times)
    observed = deaths.sum(axis=1)
    expected = (share * d_j).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(n_j > 1, d_j * (n_j - d_j) / (n_j - 1), 0.0)
    var = np.diag(share @ factor) - (share * factor) @ share.T
    used = expected > 0
    df = int(used.sum()) - 1
    diff = (observed - expected)[used][1:]
    vv = var[np.ix_(used, used)][1:, 1:]
    try:
        chisq = float(diff @ np.linalg.solve(vv, diff)) if df >= 1 else 0.0
    except np.linalg.LinAlgError:
        chisq = float(diff @ np.linalg.pinv(vv) @ diff)
    p = chi2_sf(chisq, df) if df >= 1 else float("nan")
    return LogRankResult(chisq, df, p, tuple(order), observed, expected)
