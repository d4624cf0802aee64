"""Minimum sample size to externally validate a prediction model, binary outcome (Riley 2021).

Four criteria, each giving the size at which a measure is estimated with a target 95 % CI width:

1. O/E: ``SE(ln O/E)`` found by stepping 0.0001 until ``exp(ln O/E ± 1.96 SE)`` is as wide as the
   target; ``n₁ = ⌈(1 − φ) / (φ SE²)⌉``;
2. calibration slope: Fisher information of the calibration model ``logit p = α + β·LP`` at
   ``α = 0, β = 1`` averaged over a simulated linear-predictor (LP) distribution,
   ``n₂ = ⌈I₀₀ / (SE² (I₀₀ I₁₁ − I₀₁²))⌉`` with ``SE = width / (2 · 1.96)``;
3. C-statistic: the smallest ``n`` whose SE (Newcombe's formula as in pmvalsampsize) gives the
   target width;
4. standardised net benefit at a risk threshold, from sensitivity and specificity (given, or
   taken from the simulated LP distribution and rounded to 2 decimals).

The LP distribution is normal (mean, SD), the logit of a beta (shape a, b), or derived from the
C-statistic ("lpcstat": events and non-events normal with common variance ``2 Φ⁻¹(C)²``, the
non-event mean moved in steps until the simulated outcome proportion is within a tolerance of
``φ``). Simulation uses R's seeded random stream (:class:`leptodx.stats.r_random.RRandom`) with
pmvalsampsize's defaults (seed 123456, 10⁶ patients), so the integers agree with R
``pmvalsampsize`` 0.1.0 (``tests/reference_values/samplesize``).

References
----------
.. [1] Riley RD, Debray TPA, Collins GS, et al. Minimum sample size for external validation of a
   clinical prediction model with a binary outcome. Stat Med 2021;40:4230–4251.
.. [2] Ensor J. pmvalsampsize: Sample Size for External Validation of a Prediction Model.
   R package 0.1.0, 2023.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from leptodx.stats._validation import StatsInputError
from leptodx.stats.r_random import RRandom
from leptodx.stats.samplesize_lp import LpDistribution, simulate_lp

Array = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class ValidationCriterion:
    criterion: str
    sample_size: int
    performance: float
    se: float
    ci_width: float

    def to_dict(self) -> dict[str, object]:
        return {
            "criterion": self.criterion,
            "sample_size": self.sample_size,
            "performance": self.performance,
            "se": self.se,
            "ci_width": self.ci_width,
        }


@dataclass(frozen=True, slots=True)
class ValidationSampleSize:
    sample_size: int
    events: float
    prevalence: float
    criteria: tuple[ValidationCriterion, ...]
    driving: str
    lp: LpDistribution
    details: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        """JSON: each criterion's size and the final size (with its events)."""
        return {
            "sample_size": self.sample_size,
            "events": self.events,
            "criteria": [c.to_dict() for c in self.criteria],
            "driving_criterion": self.driving,
            "prevalence": self.prevalence,
            "lp_distribution": {"kind": self.lp.kind, "parameters": list(self.lp.parameters)},
            "details": self.details,
        }


def _se_for_width(width: float, increment: float, bounds: object) -> tuple[float, float]:
    """Step the SE by ``increment`` until the interval ``bounds(se)`` is at least ``width`` wide."""
    se, current = 0.0, 0.0
    while current < width:
        se = se + increment
        low, high = bounds(se)  # type: ignore[operator]
        current = high - low
    return se, current


def _cstat_se(c: float, n: Array | float, prevalence: float) -> Array:
    with np.errstate(invalid="ignore"):
        half = np.asarray(n, dtype=np.float64) / 2.0 - 1.0
        var = c * (1 - c) * (1 + half * (1 - c) / (2 - c) + half * c / (1 + c))
        return np.asarray(
            np.sqrt(var / (np.asarray(n, dtype=np.float64) ** 2 * prevalence * (1 - prevalence)))
        )


def validation_sample_size(
    *,
    prevalence: float,
    cstatistic: float,
    lp: LpDistribution,
    oe: float = 1.0,
    oe_ci_width: float = 0.2,
    slope_ci_width: float = 0.2,
    cstat_ci_width: float = 0.1,
    threshold: float | None = None,
    sensitivity: float | None = None,
    specificity: float | None = None,
    nb_ci_width: float = 0.2,
    simobs: int = 1_000_000,
    seed: int = 123456,
    tolerance: float = 0.0005,
    increment: float = 0.1,
    se_increment: float = 0.0001,
) -> ValidationSampleSize:
    """Minimum external-validation sample size for a binary-outcome model (Riley et al. 2021)."""
    _check(
        prevalence,
        cstatistic,
        lp,
        oe,
        (oe_ci_width, slope_ci_width, cstat_ci_width, nb_ci_width),
        threshold,
        sensitivity,
        specificity,
        simobs,
        tolerance,
        increment,
    )
    rng = RRandom(seed)
    details: dict[str, float] = {}
    # criterion 1: O/E
    log_oe = math.log(oe)
    se_oe, width_oe = _se_for_width(
        oe_ci_width,
        se_increment,
        lambda s: (math.exp(log_oe - 1.96 * s), math.exp(log_oe + 1.96 * s)),
    )
    n1 = math.ceil((1 - prevalence) / (prevalence * se_oe**2))
    # criterion 2: calibration slope, Fisher information at alpha = 0, beta = 1
    values = simulate_lp(
        rng,
        lp,
        prevalence=prevalence,
        cstatistic=cstatistic,
        simobs=simobs,
        tolerance=tolerance,
        increment=increment,
        details=details,
    )
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(values)
        w = e / (1.0 + e) ** 2
        i00, i01, i11 = (
            float(np.mean(w)),
            float(np.mean(values * w)),
            float(np.mean(values * values * w)),
        )
    se_slope = slope_ci_width / (2 * 1.96)
    n2 = math.ceil(i00 / (se_slope * se_slope * (i00 * i11 - i01 * i01)))
    # criterion 3: C-statistic
    n3 = _cstat_size(cstatistic, prevalence, cstat_ci_width)
    se_c = float(_cstat_se(cstatistic, n3, prevalence))
    criteria = [
        ValidationCriterion("O/E", n1, oe, se_oe, width_oe),
        ValidationCriterion("calibration slope", n2, 1.0, se_slope, slope_ci_width),
        ValidationCriterion("C-statistic", n3, cstatistic, se_c, cstat_ci_width),
    ]
    # criterion 4: standardised net benefit
    if threshold is not None:
        if sensitivity is None or specificity is None:
            with np.errstate(over="ignore", invalid="ignore"):
                risk = np.exp(values) / (1.0 + np.exp(values))
            outcome = rng.rbinom1(risk)
            positive = risk >= threshold
            events = outcome == 1
            sensitivity = round(float(positive[events].sum()) / float(events.sum()), 2)
            specificity = round(
                float((~events).sum() - positive[~events].sum()) / float((~events).sum()), 2
            )
            details["sensitivity_from_simulation"] = 1.0
        odds = threshold / (1 - threshold)
        nb = sensitivity * prevalence - (1 - specificity) * (1 - prevalence) * odds
        snb = nb / prevalence
        wt = (1 - prevalence) / prevalence * odds
        se_nb, _ = _se_for_width(
            nb_ci_width, se_increment, lambda s: (snb - 1.96 * s, snb + 1.96 * s)
        )
        se_nb = round(se_nb, 3)
        n4 = math.ceil(
            (1 / se_nb**2)
            * (
                sensitivity * (1 - sensitivity) / prevalence
                + wt * wt * specificity * (1 - specificity) / (1 - prevalence)
                + wt * wt * (1 - specificity) ** 2 / (prevalence * (1 - prevalence))
            )
        )
        criteria.append(
            ValidationCriterion("standardised net benefit", n4, snb, se_nb, nb_ci_width)
        )
        details.update(
            {
                "threshold": threshold,
                "sensitivity": sensitivity,
                "specificity": specificity,
                "net_benefit": nb,
            }
        )
    details.update({"simobs": float(simobs), "seed": float(seed)})
    final = max(criteria, key=lambda c: c.sample_size)
    return ValidationSampleSize(
        sample_size=final.sample_size,
        events=final.sample_size * prevalence,
        prevalence=prevalence,
        criteria=tuple(criteria),
        driving=final.criterion,
        lp=lp,
        details=details,
    )


def _cstat_size(c: float, prevalence: float, width: float) -> int:
    start = 1
    while start < 10**9:
        sizes = np.arange(start, start + 1_000_000, dtype=np.float64)
        ok = np.flatnonzero(2 * 1.96 * _cstat_se(c, sizes, prevalence) <= width)
        if ok.size:
            return int(sizes[ok[0]])
        start += 1_000_000
    raise StatsInputError(f"cstat_ci_width: got {width!r}; no sample size up to 10⁹ reaches it")


def _check(
    prevalence: float,
    cstatistic: float,
    lp: LpDistribution,
    oe: float,
    widths: tuple[float, ...],
    threshold: float | None,
    sensitivity: float | None,
    specificity: float | None,
    simobs: int,
    tolerance: float,
    increment: float,
) -> None:
    if not 0 < prevalence < 1:
        raise StatsInputError(
            f"prevalence: got {prevalence!r}; expected an outcome proportion strictly between 0 and 1"
        )
    if not 0.5 < cstatistic < 1:
        raise StatsInputError(
            f"cstatistic: got {cstatistic!r}; expected a C-statistic above 0.5 and below 1"
        )
    if not oe > 0:
        raise StatsInputError(f"oe: got {oe!r}; expected an anticipated O/E ratio above 0")
    if any(not w > 0 for w in widths):
        raise StatsInputError(f"CI widths: got {widths}; expected positive target widths")
    if lp.kind == "normal" and not lp.parameters[1] > 0:
        raise StatsInputError(f"lp_normal: got SD {lp.parameters[1]!r}; expected a positive SD")
    if lp.kind == "beta" and not min(lp.parameters) > 0:
        raise StatsInputError(f"lp_beta: got {lp.parameters}; expected positive shape parameters")
    if lp.kind not in ("normal", "beta", "cstat"):
        raise StatsInputError(f"lp: got {lp.kind!r}; expected normal, beta or cstat")
    if threshold is not None and not 0 < threshold < 1:
        raise StatsInputError(
            f"threshold: got {threshold!r}; expected a risk threshold strictly between 0 and 1"
        )
    if (sensitivity is None) != (specificity is None):
        raise StatsInputError("sensitivity/specificity: expected both or neither")
    if sensitivity is not None:
        if threshold is None:
            raise StatsInputError(
                "threshold: expected a risk threshold with sensitivity and specificity"
            )
        for value, name in ((sensitivity, "sensitivity"), (specificity, "specificity")):
            if not 0 <= value <= 1:  # type: ignore[operator]
                raise StatsInputError(
                    f"{name}: got {value!r}; expected a proportion between 0 and 1"
                )
    if not (tolerance > 0 and increment > 0):
        raise StatsInputError(
            f"tolerance/increment: got {tolerance!r}/{increment!r}; expected positive numbers"
        )
    if simobs < 1000:
        raise StatsInputError(f"simobs: got {simobs!r}; expected at least 1000 simulated patients")
