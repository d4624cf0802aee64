"""Decision curve analysis: net benefit, treat-all/none, interventions avoided (Vickers 2006).

Net benefit at threshold probability t, "positive" meaning p ≥ t:
``NB = TP/n − FP/n · t/(1 − t)``; treat all: ``prevalence − (1 − prevalence) · t/(1 − t)``;
treat none: 0; standardized NB = NB / prevalence; interventions avoided per 100 patients =
``(NB_model − NB_all) / (t/(1 − t)) · 100``. One sort per class gives every threshold at once.

References
----------
.. [1] Vickers AJ, Elkin EB. Decision curve analysis. Med Decis Making 2006;26:565–574.
.. [2] Vickers AJ, et al. Extensions to decision curve analysis. BMC Med Inform Decis Mak 2008;8:53.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from leptodx.stats._validation import (
    StatsInputError,
    as_binary_outcome,
    as_probabilities,
    check_level,
    check_same_length,
)


@dataclass(frozen=True, slots=True)
class DecisionCurve:
    thresholds: NDArray[np.float64]
    net_benefit: dict[str, NDArray[np.float64]]
    """Per model name, plus ``"all"`` and ``"none"``."""
    standardized_net_benefit: dict[str, NDArray[np.float64]]
    interventions_avoided_per_100: dict[str, NDArray[np.float64]]
    prevalence: float
    n: int
    bands: dict[str, tuple[NDArray[np.float64], NDArray[np.float64]]] = field(default_factory=dict)
    """Percentile bootstrap band of each model's net benefit (empty without bootstrap)."""
    method: str = "net benefit, Vickers & Elkin 2006"

    def to_dict(self) -> dict[str, Any]:
        """JSON of the curves (docs/stats.md): per-threshold lists keyed by model name."""
        from leptodx.jsonsafe import json_safe

        out: dict[str, Any] = {
            "thresholds": self.thresholds,
            "net_benefit": self.net_benefit,
            "standardized_net_benefit": self.standardized_net_benefit,
            "interventions_avoided_per_100": self.interventions_avoided_per_100,
            "prevalence": self.prevalence,
            "n": self.n,
        }
        if self.bands:
            out["net_benefit_band"] = {
                k: {"lower": lo, "upper": hi} for k, (lo, hi) in self.bands.items()
            }
        return dict(json_safe(out))


def _thresholds(thresholds: ArrayLike) -> NDArray[np.float64]:
    t = np.asarray(thresholds, dtype=np.float64).ravel()
    if t.size == 0 or not np.all((t > 0) & (t < 1)):
        raise StatsInputError(
            f"thresholds: got {t.tolist()[:5]}; expected threshold probabilities strictly between 0 and 1 "
            "(at 1 the odds t/(1 − t) are infinite; at 0 interventions avoided are undefined)"
        )
    return t


def _net_benefit(
    y: NDArray[np.bool_], p: NDArray[np.float64], t: NDArray[np.float64]
) -> NDArray[np.float64]:
    pos, neg = np.sort(p[y]), np.sort(p[~y])
    tp = pos.size - np.searchsorted(pos, t, side="left")
    fp = neg.size - np.searchsorted(neg, t, side="left")
    n = y.size
    return tp / n - fp / n * (t / (1 - t))


def decision_curve(
    y_true: ArrayLike,
    probabilities: Mapping[str, ArrayLike],
    thresholds: ArrayLike,
    *,
    n_boot: int = 0,
    level: float = 0.95,
    random_state: int | np.random.Generator | None = None,
) -> DecisionCurve:
    """Net benefit of each model in ``probabilities`` (name → predicted risks) over thresholds.

    With ``n_boot > 0`` each model's net benefit gets a percentile band from ``n_boot`` patient
    resamples drawn from ``random_state``.
    """
    y = as_binary_outcome(y_true)
    t = _thresholds(thresholds)
    if not probabilities:
        raise StatsInputError("probabilities: no model given; expected at least one name → risks")
    probs = {name: as_probabilities(p, name=name) for name, p in probabilities.items()}
    check_same_length(y_true=y, **probs)
    if {"all", "none"} & set(probs):
        raise StatsInputError(
            "probabilities: 'all' and 'none' are reserved names for the reference strategies"
        )
    prevalence = float(y.mean())
    odds = t / (1 - t)
    nb = {name: _net_benefit(y, p, t) for name, p in probs.items()}
    nb["all"] = prevalence - (1 - prevalence) * odds
    nb["none"] = np.zeros_like(t)
    avoided = {name: (nb[name] - nb["all"]) / odds * 100 for name in probs}
    standardized = {name: v / prevalence for name, v in nb.items()}
    bands = (
        _bootstrap_bands(y, probs, t, n_boot, check_level(level), random_state) if n_boot else {}
    )
    return DecisionCurve(t, nb, standardized, avoided, prevalence, int(y.size), bands)


def _bootstrap_bands(
    y: NDArray[np.bool_],
    probs: dict[str, NDArray[np.float64]],
    t: NDArray[np.float64],
    n_boot: int,
    level: float,
    random_state: int | np.random.Generator | None,
) -> dict[str, tuple[NDArray[np.float64], NDArray[np.float64]]]:
    rng = np.random.default_rng(random_state)
    draws = {name: np.empty((n_boot, t.size)) for name in probs}
    for b in range(n_boot):
        idx = rng.integers(0, y.size, y.size)
        yb = y[idx]
        for name, p in probs.items():
            draws[name][b] = _net_benefit(yb, p[idx], t)
    alpha = (1 - level) / 2
    return {
        name: (np.quantile(d, alpha, axis=0), np.quantile(d, 1 - alpha, axis=0))
        for name, d in draws.items()
    }
