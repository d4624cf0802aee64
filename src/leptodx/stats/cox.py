"""Cox proportional hazards model with Efron ties (R ``coxph(ties = "efron")``).

Newton–Raphson with step halving on the partial log-likelihood, covariates centred as coxph
centres them, iterated until the step is below 1e-10 relative to the estimate (the exact MLE to
machine precision; coxph stops at a relative change of the log-likelihood below 1e-9). The score
and information come from one compiled pass per iteration (``_cox_kernels.efron_terms``). Wald
CI exp(β ± z·SE) and p = 2·(1 − Φ(|β / SE|)), as ``summary(coxph(...))``.

References
----------
.. [1] Cox DR. Regression models and life-tables. J R Stat Soc B 1972;34:187–220.
.. [2] Efron B. The efficiency of Cox's likelihood function for censored data. J Am Stat Assoc
   1977;72:557–565.
.. [3] Therneau TM, Grambsch PM. Modeling Survival Data. Springer 2000, §3.3 (``coxph.fit``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from leptodx.stats._distributions import critical_value, normal_sf
from leptodx.stats._survival_data import factorize, survival_data
from leptodx.stats._validation import StatsInputError, as_float_vector, check_level

MAX_ITER = 50
TOLERANCE = 1e-10
"""Converged when max |step| < TOLERANCE · (1 + max |β|)."""
MAX_HALVINGS = 30


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

    def to_dict(self) -> dict[str, Any]:
        """JSON of one term (docs/stats.md)."""
        return {
            "term": self.term,
            "coef": self.coef,
            "se": self.se,
            "hazard_ratio": self.hazard_ratio,
            "ci_lower": self.ci_lower,
            "ci_upper": self.ci_upper,
            "p_value": self.p_value,
        }


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

    def to_dict(self) -> dict[str, Any]:
        """JSON of the fit (docs/stats.md)."""
        return {
            "coefficients": [term.to_dict() for term in self.terms],
            "n": self.n,
            "events": self.events,
            "ties": self.ties,
            "reference_levels": dict(self.reference_levels),
            "log_likelihood": self.log_likelihood,
            "level": self.level,
            "method": self.method,
            "warnings": list(self.warnings),
        }


def _design(
    covariates: Mapping[str, ArrayLike], n: int
) -> tuple[list[str], list[NDArray[np.float64]], dict[str, str]]:
    """Numeric covariates as they are; text covariates dummy-coded against the first sorted level.

    Returns term names, the design columns and each categorical covariate's reference level.
    """
    if not covariates:
        raise StatsInputError("covariates: none given; expected at least one covariate")
    names: list[str] = []
    columns: list[NDArray[np.float64]] = []
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
            names.append(name)
            columns.append(x)
            continue
        codes, found = factorize(raw, name=f"covariate {name!r}", n=n)
        if len(found) < 2:
            raise StatsInputError(
                f"covariate {name!r}: only one level ({found[0]!r}); expected at least 2"
            )
        references[name] = found[0]
        for code, lev in enumerate(found[1:], start=1):
            names.append(f"{name}{lev}")
            columns.append((codes == code).astype(np.float64))
    return names, columns, references


def _unfittable(reason: str) -> StatsInputError:
    return StatsInputError(
        f"covariates: the Cox model could not be fitted ({reason}); check for a covariate that "
        "separates events from non-events or for collinear covariates"
    )


def _newton(
    x: NDArray[np.float64], time: NDArray[np.float64], event: NDArray[np.bool_]
) -> tuple[NDArray[np.float64], float, NDArray[np.float64], NDArray[np.float64]]:
    """MLE by Newton–Raphson with step halving (rows sorted by decreasing time, x centred).

    Returns ``(beta, loglik, information, last_step)``.
    """
    from leptodx.stats._cox_kernels import efron_terms

    beta = np.zeros(x.shape[1])
    loglik, score, info = efron_terms(x, time, event, beta)
    previous = np.inf
    for _ in range(MAX_ITER):
        try:
            step = np.linalg.solve(info, score)
        except np.linalg.LinAlgError:
            raise _unfittable("the information matrix is singular") from None
        largest = float(np.max(np.abs(step)))
        for _ in range(MAX_HALVINGS):
            candidate = beta + step
            new_loglik, new_score, new_info = efron_terms(x, time, event, candidate)
            if np.isfinite(new_loglik) and new_loglik >= loglik - 1e-12 * abs(loglik):
                break
            step = step / 2  # coxph halves a step that lowers the log-likelihood
        else:
            raise _unfittable("no step increases the partial likelihood")
        gain = new_loglik - loglik
        beta, loglik, score, info = candidate, new_loglik, new_score, new_info
        if largest < TOLERANCE * (1.0 + float(np.max(np.abs(beta)))):
            return beta, loglik, info, np.asarray(step, dtype=np.float64)
        if gain <= 1e-13 * abs(loglik) and largest >= 0.5 * previous:
            return beta, loglik, info, np.asarray(step, dtype=np.float64)  # monotone: drifts off
        previous = largest
    raise _unfittable(f"Newton–Raphson did not converge in {MAX_ITER} iterations")


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
    A coefficient that keeps growing while the log-likelihood no longer improves (monotone
    likelihood, e.g. a covariate level without events) is reported with a warning, as coxph's
    "coefficient may be infinite".
    """
    level = check_level(level)
    t, e = survival_data(time, event)
    names, columns, references = _design(covariates, t.size)
    if not e.any():
        raise StatsInputError("event: no events (all censored); a Cox model needs events")
    order = np.argsort(-t, kind="stable")
    x = np.empty((t.size, len(columns)))  # centred, rows by decreasing time
    for j, column in enumerate(columns):
        x[:, j] = column[order]
        x[:, j] -= column.mean()
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        beta, loglik, info, last_step = _newton(x, t[order], e[order])
    try:
        covariance = np.linalg.inv(info)
    except np.linalg.LinAlgError:
        raise _unfittable("the information matrix is singular") from None
    se = np.sqrt(np.diag(covariance))
    drifting = np.abs(last_step) > 1e-4 * np.maximum(1.0, np.abs(beta))
    notes = tuple(
        f"{name}: the coefficient may be infinite (the partial likelihood stopped improving "
        "while it kept growing; R coxph: 'coefficient may be infinite')"
        for name, drift in zip(names, drifting, strict=True)
        if drift
    )
    return CoxResult(
        terms=_terms(names, beta, se, critical_value(level)),
        n=int(t.size),
        events=int(e.sum()),
        log_likelihood=float(loglik),
        level=level,
        reference_levels=references,
        warnings=notes,
    )


def _terms(
    names: list[str], beta: NDArray[np.float64], se: NDArray[np.float64], z_crit: float
) -> tuple[CoxTerm, ...]:
    terms = []
    with np.errstate(over="ignore"):  # a drifting coefficient's bounds may be inf
        for name, coef, s in zip(names, beta.tolist(), se.tolist(), strict=True):
            z = coef / s
            terms.append(
                CoxTerm(
                    term=name,
                    coef=coef,
                    se=s,
                    hazard_ratio=float(np.exp(coef)),
                    ci_lower=float(np.exp(coef - z_crit * s)),
                    ci_upper=float(np.exp(coef + z_crit * s)),
                    z=z,
                    p_value=2 * normal_sf(abs(z)),
                )
            )
    return tuple(terms)
