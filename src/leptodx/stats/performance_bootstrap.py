"""Bootstrap confidence intervals of a fixed model's performance in new data.

External validation keeps the model as it is: each replicate resamples the validation rows, from
its own random stream (one ``SeedSequence`` per replicate, as :func:`bootstrap_validate` does),
and recomputes C (AUC), the calibration intercept and slope of ``logit P(y) = a + b·lp`` and the
Brier score of the unchanged linear predictor. The interval is the percentile interval (quantiles
of the replicates, R ``quantile(type = 7)``). A replicate with one outcome class only, or whose
recalibration fit does not exist, is skipped and counted.

References
----------
.. [1] Efron B, Tibshirani RJ. An Introduction to the Bootstrap. Chapman & Hall 1993, ch. 13.
.. [2] Steyerberg EW. Clinical Prediction Models, 2nd ed. Springer 2019, ch. 17 and 19.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from leptodx.stats._validation import StatsInputError, as_binary_outcome
from leptodx.stats.validation import (
    INDICES,
    ReplicateMap,
    indices,
    replicate_seeds,
    resample_rows,
)


@dataclass(frozen=True, slots=True)
class PerformanceIntervals:
    """Estimates on the whole validation cohort and percentile intervals of the replicates."""

    estimate: dict[str, float]
    lower: dict[str, float]
    upper: dict[str, float]
    level: float
    n_boot: int
    n_failed: int
    method: str

    def to_dict(self) -> dict[str, Any]:
        """JSON of the intervals."""
        from leptodx.jsonsafe import fields_json

        return fields_json(self)


@dataclass(frozen=True, slots=True)
class _Replicate:
    """One replicate's indices (in ``INDICES`` order), None when they do not exist."""

    y: NDArray[np.float64]
    lp: NDArray[np.float64]

    def __call__(self, seed: np.random.SeedSequence) -> NDArray[np.float64] | None:
        rows = resample_rows(seed, self.y.size)
        y = self.y[rows]
        if y.min() == y.max():
            return None
        try:
            found = indices(y, self.lp[rows])
        except (StatsInputError, np.linalg.LinAlgError, FloatingPointError):
            return None
        return np.array([found[k] for k in INDICES])


def bootstrap_performance(
    y: ArrayLike,
    lp: ArrayLike,
    *,
    n_boot: int,
    random_state: int | np.random.Generator | None,
    level: float = 0.95,
    progress: Callable[[int], None] | None = None,
    replicate_map: ReplicateMap | None = None,
) -> PerformanceIntervals:
    """Percentile bootstrap intervals of C, calibration intercept and slope, and Brier.

    Parameters
    ----------
    y : array of shape (n,)
        Observed outcome (0/1).
    lp : array of shape (n,)
        The model's linear predictor (log-odds) for each row.
    n_boot : int
        Number of replicates B.
    random_state : int, Generator or None
        Root of the replicates' streams; the same seed gives the same intervals however the
        replicates are run (``replicate_map``: threads, Dask workers).
    level : float
        Confidence level of the intervals.
    """
    yv = as_binary_outcome(y).astype(np.float64)
    lpv = np.asarray(lp, dtype=np.float64)
    if lpv.shape != yv.shape or not np.isfinite(lpv).all():
        raise StatsInputError(f"lp: expected {yv.size} finite values, got shape {lpv.shape}")
    if n_boot < 1:
        raise StatsInputError(f"n_boot: got {n_boot}; expected at least 1 bootstrap replicate")
    if not 0.0 < level < 1.0:
        raise StatsInputError(f"level: got {level}; expected a number between 0 and 1")
    one = _Replicate(yv, lpv)
    seeds = replicate_seeds(random_state, n_boot)
    results = []
    for i, result in enumerate(
        map(one, seeds) if replicate_map is None else replicate_map(one, seeds)
    ):
        results.append(result)
        if progress is not None:
            progress(i + 1)
    ok = np.array([r for r in results if r is not None])
    if not ok.size:
        raise StatsInputError("bootstrap: no replicate had both outcome classes")
    alpha = (1.0 - level) / 2.0
    low, high = np.quantile(ok, [alpha, 1.0 - alpha], axis=0)
    estimate = indices(yv, lpv)
    method = (
        f"percentile bootstrap, B = {n_boot} ({ok.shape[0]} with both outcome classes), "
        f"{level:.0%} intervals"
    )
    return PerformanceIntervals(
        estimate,
        dict(zip(INDICES, low.tolist(), strict=True)),
        dict(zip(INDICES, high.tolist(), strict=True)),
        level,
        n_boot,
        n_boot - ok.shape[0],
        method,
    )
