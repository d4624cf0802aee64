"""Minimum sample size to develop a prediction model (Riley et al., Stat Med 2019; BMJ 2020).

Binary and time-to-event outcomes, ``p`` candidate predictor parameters, anticipated Cox–Snell
R² (``R²cs``) and target expected shrinkage ``S`` (default 0.9):

1. small overfitting: ``n₁ = ⌈p / ((S − 1) ln(1 − R²cs/S))⌉``;
2. small optimism in apparent R² (Nagelkerke difference ≤ 0.05):
   ``S₂ = R²cs / (R²cs + 0.05 max R²cs)``, ``n₂`` as in 1 with ``S₂``;
3. binary: precise overall risk (margin 0.05): ``n₃ = ⌈(1.96/0.05)² φ(1 − φ)⌉``; time-to-event:
   ``n₃ = max(n₁, n₂)`` with the 95 % CI of the overall risk at the time point reported.

``max R²cs`` is ``1 − exp(2 ln L_null / n)``: ``φ ln φ + (1 − φ) ln(1 − φ)`` per patient for a binary
outcome; for survival ``E ln(E/n) − E`` with ``n = 10 000`` and ``E = ⌈rate · meanfup · n⌉`` as in
pmsampsize. Continuous outcomes (Riley et al., Stat Med 2019, part I): four criteria on shrinkage,
optimism in R², residual variance (``n = 234 + p``) and the intercept's multiplicative margin of
error (default 1.1): :mod:`leptodx.stats.samplesize_continuous`.

Every formula, rounding step and per-criterion shrinkage is that of R ``pmsampsize`` 1.1.3 (and
its Python port 0.1.0), including: a Nagelkerke R² is converted to Cox–Snell and rounded to 3
decimals; a C-statistic is converted by the authors' seeded simulation
(:mod:`leptodx.stats.samplesize_cstatistic`) and rounded to 4 decimals. One difference, on purpose: for
continuous outcomes pmsampsize's criterion-4 loop stops one step after it starts (its upper
limit uses the lower t quantile after the first step); LeptoDx searches until the margin of error
is met (docs/decisions/research-samplesize.md). ``tests/reference_values/samplesize`` compares a
grid of inputs with both authors' packages.

References
----------
.. [1] Riley RD, Ensor J, Snell KIE, et al. Calculating the sample size required for developing
   a clinical prediction model. BMJ 2020;368:m441.
.. [2] Riley RD, Snell KIE, Ensor J, et al. Minimum sample size for developing a multivariable
   prediction model: part II — binary and time-to-event outcomes. Stat Med 2019;38:1276–1296.
.. [3] Riley RD, Snell KIE, Ensor J, et al. … part I — continuous outcomes. Stat Med
   2019;38:1262–1275.
.. [4] Riley RD, Van Calster B, Collins GS. A note on estimating the Cox-Snell R² from a reported
   C statistic (AUROC) to inform sample size calculations for developing a prediction model with
   a binary outcome. Stat Med 2021;40:859–864.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from leptodx.stats._validation import StatsInputError
from leptodx.stats.samplesize_cstatistic import (
    DEFAULT_SEED,
    SIMULATION_SIZE,
    Generator,
    cstatistic_to_r2cs,
)

SURVIVAL_REFERENCE_N = 10_000
"""pmsampsize's arbitrary reference size for the maximum R² of a survival outcome."""


@dataclass(frozen=True, slots=True)
class Criterion:
    """One criterion: its required size and the shrinkage pmsampsize reports with it."""

    criterion: str
    sample_size: int
    shrinkage: float | None

    def to_dict(self) -> dict[str, object]:
        return {
            "criterion": self.criterion,
            "sample_size": self.sample_size,
            "shrinkage": self.shrinkage,
        }


@dataclass(frozen=True, slots=True)
class DevelopmentSampleSize:
    """Minimum development sample size and the criteria behind it."""

    outcome: str
    sample_size: int
    events: float | None
    epp: float | None
    shrinkage: float
    criteria: tuple[Criterion, ...]
    parameters: int
    r2: float
    """The R² used (Cox–Snell for binary/survival; adjusted R² for continuous)."""
    max_r2: float | None = None
    nagelkerke: float | None = None
    details: dict[str, float] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """The JSON contract: sample size, events, EPP, shrinkage and each criterion."""
        return {
            "sample_size": self.sample_size,
            "events": self.events,
            "epp": self.epp,
            "shrinkage": self.shrinkage,
            "criteria": [c.to_dict() for c in self.criteria],
        }


def positive_int(value: int, name: str) -> int:
    """``value`` as a whole number ≥ 1, else an error naming ``name``."""
    if isinstance(value, bool) or int(value) != value or value < 1:
        raise StatsInputError(f"{name}: got {value!r}; expected a whole number of at least 1")
    return int(value)


def open_unit(value: float, name: str, what: str) -> float:
    """``value`` strictly between 0 and 1, else an error naming ``name``."""
    if not 0.0 < value < 1.0:
        raise StatsInputError(f"{name}: got {value!r}; expected {what} strictly between 0 and 1")
    return float(value)


def max_r2cs_binary(prevalence: float) -> float:
    """Largest Cox–Snell R² possible for outcome proportion ``prevalence``."""
    ln_null = prevalence * math.log(prevalence) + (1 - prevalence) * math.log(1 - prevalence)
    return 1 - math.exp(2 * ln_null)


def _n_for_shrinkage(parameters: int, r2: float, shrinkage: float) -> int:
    return math.ceil(parameters / ((shrinkage - 1) * math.log(1 - r2 / shrinkage)))


def binary_sample_size(
    *,
    prevalence: float,
    parameters: int,
    r2cs: float | None = None,
    r2nagelkerke: float | None = None,
    cstatistic: float | None = None,
    shrinkage: float = 0.9,
    seed: int = DEFAULT_SEED,
    generator: Generator = Generator.R,
) -> DevelopmentSampleSize:
    """Riley criteria 1–3 for a binary outcome; give exactly one of the R² or C inputs."""
    prevalence = open_unit(prevalence, "prevalence", "an outcome proportion")
    parameters = positive_int(parameters, "parameters")
    shrinkage = open_unit(shrinkage, "shrinkage", "a target shrinkage factor")
    given = [
        k
        for k, v in (("r2cs", r2cs), ("r2nagelkerke", r2nagelkerke), ("cstatistic", cstatistic))
        if v is not None
    ]
    if len(given) != 1:
        raise StatsInputError(
            f"r2cs/r2nagelkerke/cstatistic: got {given or 'none'}; expected exactly one of them"
        )
    maximum = max_r2cs_binary(prevalence)
    notes: list[str] = []
    if r2nagelkerke is not None:
        open_unit(r2nagelkerke, "r2nagelkerke", "a Nagelkerke R²")
        r2 = round(r2nagelkerke * maximum, 3)
        notes.append(
            f"Nagelkerke R² {r2nagelkerke:g} × max R²cs {maximum:.4f} = R²cs {r2:g} (rounded to 3 decimals as pmsampsize)"
        )
    elif cstatistic is not None:
        if not 0.5 < cstatistic < 1.0:
            raise StatsInputError(
                f"cstatistic: got {cstatistic!r}; expected a C-statistic above 0.5 and below 1"
            )
        r2 = round(cstatistic_to_r2cs(cstatistic, prevalence, seed=seed, generator=generator), 4)
        notes.append(
            f"C-statistic {cstatistic:g} → R²cs {r2:g} by the seeded simulation of Riley et al. 2021 "
            f"({SIMULATION_SIZE:,} patients, seed {seed}, {generator.value} random stream; rounded to 4 decimals)"
        )
    else:
        assert r2cs is not None
        r2 = float(r2cs)
    _check_r2(r2, maximum, "r2cs" if r2cs is not None else given[0], shrinkage)
    n1 = _n_for_shrinkage(parameters, r2, shrinkage)
    s2 = r2 / (r2 + 0.05 * maximum)
    n2 = _n_for_shrinkage(parameters, r2, s2)
    n3 = math.ceil((1.96 / 0.05) ** 2 * prevalence * (1 - prevalence))
    final_shrinkage = max(s2, shrinkage)
    n = max(n1, n2, n3)
    criteria = (
        Criterion("shrinkage", n1, shrinkage),
        Criterion("optimism in R²", n2, s2),
        Criterion("overall risk (intercept)", n3, final_shrinkage),
    )
    return DevelopmentSampleSize(
        outcome="binary",
        sample_size=n,
        events=n * prevalence,
        epp=n * prevalence / parameters,
        shrinkage=final_shrinkage,
        criteria=criteria,
        parameters=parameters,
        r2=r2,
        max_r2=maximum,
        nagelkerke=r2 / maximum,
        details={"prevalence": prevalence},
        notes=tuple(notes),
    )


def _check_r2(r2: float, maximum: float, name: str, shrinkage: float) -> None:
    if not 0.0 < r2 < maximum:
        raise StatsInputError(
            f"{name}: got R²cs {r2:g}; expected a value above 0 and below its maximum {maximum:.4f} "
            "for this outcome proportion or event rate"
        )
    if shrinkage <= r2:
        raise StatsInputError(
            f"shrinkage: got {shrinkage:g}; expected a target shrinkage above R²cs {r2:g} "
            "(otherwise ln(1 − R²cs/S) is undefined)"
        )


def survival_sample_size(
    *,
    rate: float,
    timepoint: float,
    meanfup: float,
    parameters: int,
    r2cs: float | None = None,
    r2nagelkerke: float | None = None,
    shrinkage: float = 0.9,
) -> DevelopmentSampleSize:
    """Riley criteria 1–3 for a time-to-event outcome (rate per unit of ``meanfup``'s time)."""
    for value, name in ((rate, "rate"), (timepoint, "timepoint"), (meanfup, "meanfup")):
        if not value > 0:
            raise StatsInputError(f"{name}: got {value!r}; expected a positive number")
    parameters = positive_int(parameters, "parameters")
    shrinkage = open_unit(shrinkage, "shrinkage", "a target shrinkage factor")
    if (r2cs is None) == (r2nagelkerke is None):
        raise StatsInputError("r2cs/r2nagelkerke: expected exactly one of them")
    events_ref = math.ceil(rate * meanfup * SURVIVAL_REFERENCE_N)
    ln_null = events_ref * math.log(events_ref / SURVIVAL_REFERENCE_N) - events_ref
    maximum = 1 - math.exp(2 * ln_null / SURVIVAL_REFERENCE_N)
    notes: list[str] = []
    if r2nagelkerke is not None:
        open_unit(r2nagelkerke, "r2nagelkerke", "a Nagelkerke R²")
        e = parameters * rate * meanfup
        ln_null_p = e * math.log(e / parameters) - e
        r2 = round(r2nagelkerke * (1 - math.exp(2 * ln_null_p / parameters)), 3)
        notes.append(
            f"Nagelkerke R² {r2nagelkerke:g} → R²cs {r2:g} (rounded to 3 decimals as pmsampsize)"
        )
    else:
        assert r2cs is not None
        r2 = float(r2cs)
    _check_r2(r2, maximum, "r2cs" if r2cs is not None else "r2nagelkerke", shrinkage)
    n1 = _n_for_shrinkage(parameters, r2, shrinkage)
    s2 = r2 / (r2 + 0.05 * maximum)
    n2 = _n_for_shrinkage(parameters, r2, s2)
    n3 = max(n1, n2)
    person_time = round(meanfup * n3, 1)
    half = 1.96 * math.sqrt(rate / person_time)
    risk = 1 - math.exp(-rate * timepoint)
    final_shrinkage = max(s2, shrinkage)
    n = max(n1, n2, n3)
    events = n * rate * meanfup
    return DevelopmentSampleSize(
        outcome="survival",
        sample_size=n,
        events=events,
        epp=events / parameters,
        shrinkage=final_shrinkage,
        criteria=(
            Criterion("shrinkage", n1, shrinkage),
            Criterion("optimism in R²", n2, s2),
            Criterion("overall risk at time point", n3, final_shrinkage),
        ),
        parameters=parameters,
        r2=r2,
        max_r2=maximum,
        nagelkerke=r2 / maximum,
        details={
            "overall_risk": risk,
            "overall_risk_lower": 1 - math.exp(-(rate - half) * timepoint),
            "overall_risk_upper": 1 - math.exp(-(rate + half) * timepoint),
            "person_time": round(meanfup * n, 1),
        },
        notes=tuple(notes),
    )
