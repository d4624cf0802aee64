"""Survival analysis: Kaplan–Meier with median and CI, log-rank test, Cox model (Efron ties).

Every number follows R's ``survival`` package (checked in ``tests/reference_values/survival``):

- :func:`kaplan_meier` = ``survfit(Surv(time, event) ~ 1)`` per group with the default
  ``conf.type = "log"``: CI of S(t) = exp(log S ± z·se), se² = Σ d / (n (n − d)) (Greenwood, on
  the log scale), upper bound capped at 1, both bounds undefined where S = 0.
- The median and its CI are those of ``quantile.survfit``: the first time the curve (or the
  CI bound) is ≤ 0.5; when it equals 0.5 (within √ε) on a flat stretch, the midpoint between
  that time and the next drop, or the last follow-up time when the curve ends at 0.5.
- :func:`logrank_test` = ``survdiff(rho = 0)``; :func:`cox_ph` = ``coxph(ties = "efron")`` with
  Wald CIs and p-values (fitted with lifelines' Newton–Raphson, tightened tolerances).

References
----------
.. [1] Kaplan EL, Meier P. J Am Stat Assoc 1958;53:457–481.
.. [2] Therneau TM, Grambsch PM. Modeling Survival Data. Springer 2000 (``survival`` package).
.. [3] Efron B. The efficiency of Cox's likelihood function for censored data. J Am Stat Assoc
   1977;72:557–565.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from leptodx.stats._validation import (
    StatsInputError,
    as_float_vector,
    check_level,
    check_same_length,
)

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


@dataclass(frozen=True, slots=True)
class AtRiskTable:
    """Number at risk (time ≥ t) per group at chosen times, for a Kaplan–Meier figure."""

    times: NDArray[np.float64]
    groups: tuple[str, ...]
    counts: NDArray[np.int64]
    """Shape (groups, times)."""


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


@dataclass(frozen=True, slots=True)
class CoxTerm:
    """One coefficient of a Cox model with its hazard ratio, Wald CI and Wald p-value."""

    term: str
    coef: float
    se: float
    hazard_ratio: float
    ci_lower: float
    ci_upper: float
    z: float
    p_value: float


@dataclass(frozen=True, slots=True)
class CoxResult:
    """Cox proportional hazards fit (R ``coxph(ties = "efron")``)."""

    terms: tuple[CoxTerm, ...]
    n: int
    events: int
    log_likelihood: float
    level: float
    reference_levels: Mapping[str, str]
    """Reference (first sorted) level of each categorical covariate."""
    warnings: tuple[str, ...] = ()
    ties: str = "efron"
    method: str = "Cox proportional hazards, Efron ties, Wald CI and p (R coxph)"


# --- input checks ------------------------------------------------------------------------------


def _survival_data(
    time: ArrayLike, event: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    t = as_float_vector(time, name="time")
    e = as_float_vector(event, name="event")
    check_same_length(time=t, event=e)
    negative = t < 0
    if negative.any():
        first = int(np.flatnonzero(negative)[0])
        raise StatsInputError(
            f"time: {int(negative.sum())} value(s) are negative (first at position {first}, "
            f"value {t[first]:g}); expected follow-up times ≥ 0"
        )
    not_binary = ~np.isin(e, (0.0, 1.0))
    if not_binary.any():
        first = int(np.flatnonzero(not_binary)[0])
        shown = ", ".join(f"{v:g}" for v in np.unique(e)[:6])
        raise StatsInputError(
            f"event: found values {shown} (first non-0/1 at position {first}, value "
            f"{e[first]:g}); expected 1 = event, 0 = censored"
        )
    return t, e == 1.0


def _labels(values: ArrayLike, *, name: str, n: int) -> NDArray[np.str_]:
    """Group or category labels as strings; rejects missing labels."""
    series = pd.Series(np.asarray(values, dtype=object).ravel())
    if series.size != n:
        raise StatsInputError(
            f"length mismatch: time has {n}, {name} has {series.size}; expected the same number "
            "of values"
        )
    missing = series.isna().to_numpy()
    if missing.any():
        first = int(np.flatnonzero(missing)[0])
        raise StatsInputError(
            f"{name}: {int(missing.sum())} value(s) are missing (first at position {first}); "
            "remove those rows or give them a label"
        )
    return np.array([_label(v) for v in series], dtype=np.str_)


def _label(value: object) -> str:
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))  # 1.0 -> "1", as R prints a numeric factor level
    return str(value)


def _sorted_levels(labels: NDArray[np.str_]) -> list[str]:
    """Distinct labels in R factor order: numeric order if all are numbers, else text order."""
    distinct = list(dict.fromkeys(labels.tolist()))
    try:
        return sorted(distinct, key=float)
    except ValueError:
        return sorted(distinct)


# --- Kaplan–Meier ------------------------------------------------------------------------------


def _find_quantile(x: NDArray[np.float64], y: NDArray[np.float64], p: float, xmax: float) -> float:
    """R ``survival:::findq``: first x where the cumulative curve y reaches p (ties → midpoint).

    ``x`` and ``y`` start with the origin (0, 0); ``y`` is 1 − S (or 1 − CI bound), NaN allowed.
    """
    finite = ~np.isnan(y)
    if not finite.any() or np.max(y[finite]) < p:
        return float("nan")
    # duplicated(y): keep the first occurrence of every value (NaN counts as one value)
    keep = np.ones(y.size, dtype=bool)
    seen: set[float] = set()
    seen_nan = False
    for i, v in enumerate(y):
        if np.isnan(v):
            keep[i], seen_nan = not seen_nan, True
        elif v in seen:
            keep[i] = False
        else:
            seen.add(float(v))
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


def _km_one(
    name: str, t: NDArray[np.float64], e: NDArray[np.bool_], z: float, level: float
) -> KaplanMeierCurve:
    times, inverse = np.unique(t, return_inverse=True)
    n_event = np.bincount(inverse, weights=e, minlength=times.size).astype(np.int64)
    n_total = np.bincount(inverse, minlength=times.size).astype(np.int64)
    n_risk = (t.size - np.concatenate(([0], np.cumsum(n_total)[:-1]))).astype(np.int64)
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
        n=int(t.size),
        events=int(e.sum()),
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


def _grouped(
    time: ArrayLike,
    event: ArrayLike,
    groups: ArrayLike | None,
    levels: Sequence[str] | None,
) -> tuple[NDArray[np.float64], NDArray[np.bool_], NDArray[np.str_], list[str]]:
    t, e = _survival_data(time, event)
    if groups is None:
        labels = np.array(["all"] * t.size, dtype=np.str_)
    else:
        labels = _labels(groups, name="group", n=t.size)
    present = _sorted_levels(labels)
    if levels is None:
        return t, e, labels, present
    order = [str(level) for level in levels]
    empty = [level for level in order if level not in present]
    if empty:
        raise StatsInputError(
            f"group: level(s) {', '.join(map(repr, empty))} have no rows; expected levels "
            f"present in the data ({', '.join(present)})"
        )
    unlisted = [level for level in present if level not in order]
    if unlisted:
        raise StatsInputError(
            f"levels: data contain group(s) {', '.join(map(repr, unlisted))} that are not listed; "
            "expected every group to be listed"
        )
    return t, e, labels, order


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
    t, e, labels, order = _grouped(time, event, groups, levels)
    z = float(stats.norm.ppf(0.5 + level / 2))
    return tuple(_km_one(g, t[labels == g], e[labels == g], z, level) for g in order)


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
    t, e, labels, order = _grouped(time, event, groups, levels)
    if len(order) < 2:
        raise StatsInputError(
            f"group: only one group ({order[0]!r}); the log-rank test needs at least 2 groups"
        )
    if not e.any():
        raise StatsInputError("event: no events (all censored); the log-rank test needs events")
    k = len(order)
    member = np.stack([labels == g for g in order])  # (k, n)
    event_times = np.unique(t[e])
    at_risk = np.stack([(t[m][None, :] >= event_times[:, None]).sum(axis=1) for m in member])
    deaths = np.stack(
        [(t[m & e][None, :] == event_times[:, None]).sum(axis=1) for m in member]
    ).astype(np.float64)
    n_j = at_risk.sum(axis=0).astype(np.float64)
    d_j = deaths.sum(axis=0)
    share = at_risk / n_j  # (k, times)
    observed = deaths.sum(axis=1)
    expected = (share * d_j).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(n_j > 1, d_j * (n_j - d_j) / (n_j - 1), 0.0)
    var = np.einsum("j,gj->g", factor, share)[:, None] * np.eye(k) - np.einsum(
        "j,gj,hj->gh", factor, share, share
    )
    used = expected > 0
    df = int(used.sum()) - 1
    diff = (observed - expected)[used][1:]
    vv = var[np.ix_(used, used)][1:, 1:]
    try:
        chisq = float(diff @ np.linalg.solve(vv, diff)) if df >= 1 else 0.0
    except np.linalg.LinAlgError:
        chisq = float(diff @ np.linalg.pinv(vv) @ diff)
    p = float(stats.chi2.sf(chisq, df)) if df >= 1 else float("nan")
    return LogRankResult(chisq, df, p, tuple(order), observed, expected)


# --- Cox ---------------------------------------------------------------------------------------


def _design(covariates: Mapping[str, ArrayLike], n: int) -> tuple[pd.DataFrame, dict[str, str]]:
    """Numeric covariates as they are; text covariates dummy-coded against the first sorted level."""
    if not covariates:
        raise StatsInputError("covariates: none given; expected at least one covariate")
    columns: dict[str, NDArray[np.float64]] = {}
    references: dict[str, str] = {}
    for name, values in covariates.items():
        raw = np.asarray(values)
        if raw.ndim != 1 or raw.size != n:
            raise StatsInputError(
                f"length mismatch: time has {n}, covariate {name!r} has shape {raw.shape}; "
                "expected the same number of values"
            )
        if raw.dtype.kind in "biuf":
            x = as_float_vector(raw, name=f"covariate {name!r}")
            if np.ptp(x) == 0:
                raise StatsInputError(
                    f"covariate {name!r}: every value is {x[0]:g}; a constant has no hazard ratio"
                )
            columns[name] = x
            continue
        labels = _labels(raw, name=f"covariate {name!r}", n=n)
        found = _sorted_levels(labels)
        if len(found) < 2:
            raise StatsInputError(
                f"covariate {name!r}: only one level ({found[0]!r}); expected at least 2"
            )
        references[name] = found[0]
        for lev in found[1:]:
            columns[f"{name}{lev}"] = (labels == lev).astype(np.float64)
    return pd.DataFrame(columns), references


def cox_ph(
    time: ArrayLike,
    event: ArrayLike,
    covariates: Mapping[str, ArrayLike],
    *,
    level: float = 0.95,
) -> CoxResult:
    """Cox proportional hazards model with Efron ties: hazard ratios, Wald CIs and p-values.

    Parameters
    ----------
    covariates : mapping of name to array of shape (n,)
        Numeric arrays enter as they are (per-unit hazard ratio). Text arrays are categorical:
        dummy coded with the first sorted level as reference; terms are named
        ``<covariate><level>`` as in R (e.g. ``typeIB``).

    Notes
    -----
    Fitted by Newton–Raphson (lifelines ``CoxPHFitter``) until the step norm or the Newton
    decrement is below 1e-14 (lifelines' defaults stop ~1e-6 short of R's estimate); the Wald
    CI is exp(β ± z·SE) and p = 2·(1 − Φ(|β / SE|)), as ``summary(coxph(...))``.
    """
    from lifelines import CoxPHFitter
    from lifelines.exceptions import ConvergenceError

    level = check_level(level)
    t, e = _survival_data(time, event)
    design, references = _design(covariates, t.size)
    if not e.any():
        raise StatsInputError("event: no events (all censored); a Cox model needs events")
    frame = design.assign(__time=t, __event=e.astype(np.float64))
    fitter = CoxPHFitter(alpha=1 - level)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fitter.fit(
                frame,
                duration_col="__time",
                event_col="__event",
                fit_options={"precision": 1e-14, "r_precision": 0.0, "max_steps": 200},
            )
        except (ConvergenceError, np.linalg.LinAlgError) as exc:
            raise StatsInputError(
                f"covariates: the Cox model could not be fitted ({str(exc).splitlines()[0]}); "
                "check for a covariate that separates events from non-events or for collinear "
                "covariates"
            ) from None
    notes = tuple(dict.fromkeys(str(w.message).strip().splitlines()[0] for w in caught))
    z_crit = float(stats.norm.ppf(0.5 + level / 2))
    terms = []
    for name in design.columns:
        coef = float(fitter.params_[name])
        se = float(fitter.standard_errors_[name])
        z = coef / se
        terms.append(
            CoxTerm(
                term=str(name),
                coef=coef,
                se=se,
                hazard_ratio=float(np.exp(coef)),
                ci_lower=float(np.exp(coef - z_crit * se)),
                ci_upper=float(np.exp(coef + z_crit * se)),
                z=z,
                p_value=float(2 * stats.norm.sf(abs(z))),
            )
        )
    return CoxResult(
        terms=tuple(terms),
        n=int(t.size),
        events=int(e.sum()),
        log_likelihood=float(fitter.log_likelihood_),
        level=level,
        reference_levels=references,
        warnings=notes,
    )
