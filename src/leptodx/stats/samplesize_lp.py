"""Anticipated linear-predictor (LP) distributions for external-validation sample sizes.

As in R ``pmvalsampsize`` 0.1.0: a normal LP (``lpnormal``), the logit of beta-distributed risks
(``lpbeta``), or an LP derived from the C-statistic (``lpcstat``: normal in events and non-events
with common variance ``2 Φ⁻¹(C)²``; the non-event mean is moved by ``increment`` until the
simulated outcome proportion is within ``tolerance`` of the anticipated one). Draws come from R's
seeded stream (:class:`leptodx.stats.r_random.RRandom`) in pmvalsampsize's order. Where
pmvalsampsize's search would step past the target and loop for ever, this module stops with an
error (docs/decisions/research-samplesize.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.stats import rankdata

from leptodx.stats._distributions import normal_quantile
from leptodx.stats._validation import StatsInputError
from leptodx.stats.link import logit
from leptodx.stats.r_random import RRandom

Array = NDArray[np.float64]
MAX_LPCSTAT_STEPS = 1000


@dataclass(frozen=True, slots=True)
class LpDistribution:
    """Anticipated linear-predictor distribution in the validation population."""

    kind: str
    """``normal`` (mean, sd), ``beta`` (a, b) or ``cstat`` (start of the non-event mean)."""
    parameters: tuple[float, ...]

    def describe(self) -> str:
        if self.kind == "normal":
            return f"normal LP, mean {self.parameters[0]:g}, SD {self.parameters[1]:g}"
        if self.kind == "beta":
            return f"logit of beta({self.parameters[0]:g}, {self.parameters[1]:g}) risks"
        return f"LP from the C-statistic (non-event mean started at {self.parameters[0]:g})"


def simulate_lp(
    rng: RRandom,
    lp: LpDistribution,
    *,
    prevalence: float,
    cstatistic: float,
    simobs: int,
    tolerance: float,
    increment: float,
    details: dict[str, float],
) -> Array:
    """Simulated LP values of the validation population (R's stream, pmvalsampsize's order)."""
    if lp.kind == "normal":
        return rng.rnorm(simobs, lp.parameters[0], lp.parameters[1])
    if lp.kind == "beta":
        p = rng.rbeta(simobs, lp.parameters[0], lp.parameters[1])
        return logit(p)
    return _lp_from_cstatistic(
        rng, lp.parameters[0], prevalence, cstatistic, simobs, tolerance, increment, details
    )


def _lp_from_cstatistic(
    rng: RRandom,
    start: float,
    prevalence: float,
    cstatistic: float,
    simobs: int,
    tolerance: float,
    increment: float,
    details: dict[str, float],
) -> Array:
    """pmvalsampsize's ``lpcstat``: move the non-event mean until the event rate matches."""
    var = 2.0 * normal_quantile(cstatistic) ** 2

    def draw(m2: float) -> tuple[Array, Array, float]:
        outcome = rng.rbinom1(prevalence, simobs)
        lp = rng.rnorm(simobs, m2, math.sqrt(var))
        lp2 = rng.rnorm(simobs, m2 + var, math.sqrt(var))
        lp[outcome == 1] = lp2[outcome == 1]
        with np.errstate(over="ignore", invalid="ignore"):
            p = np.exp(lp) / (1.0 + np.exp(lp))
        test = rng.rbinom1(p)
        return lp, test, abs(prevalence - float(test.mean()))

    m2 = start
    lp, test, diff = draw(m2)
    if diff > tolerance:
        side = np.sign(prevalence - float(test.mean()))
        m2 = m2 + increment
        lp, test, new = draw(m2)
        step = increment if new < diff else -increment
        steps = 1
        while new > tolerance:
            crossed = np.sign(prevalence - float(test.mean())) != side
            if (crossed and new > 3 * tolerance) or steps > MAX_LPCSTAT_STEPS:
                # stepped past the target (or never nears it): pmvalsampsize would loop for ever
                raise StatsInputError(
                    f"lp_cstat: got start {start:g}; the simulated outcome proportion did not come "
                    f"within {prevalence:g} ± {tolerance:g} (non-event mean {m2:g} after {steps} "
                    f"steps of {increment:g}); expected a start value, a larger simulation or "
                    "tolerance, or a smaller increment that reaches it"
                )
            m2 = m2 + step
            lp, test, new = draw(m2)
            steps += 1
    with np.errstate(over="ignore", invalid="ignore"):
        p = np.exp(lp) / (1.0 + np.exp(lp))
    details["non_event_mean"] = m2
    details["event_mean"] = m2 + var
    details["common_variance"] = var
    details["simulated_prevalence"] = float(test.mean())
    details["simulated_cstatistic"] = _auc(test, p)
    return lp


def _auc(y: Array, score: Array) -> float:
    events = y == 1.0
    n1, n0 = int(events.sum()), int((~events).sum())
    return float((rankdata(score)[events].sum() - n1 * (n1 + 1) / 2.0) / (n1 * n0))
