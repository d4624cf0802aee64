"""Internal validation of a model developed on multiply imputed data: imputation inside the bootstrap.

Strategy "Boot-MI" of Wahl et al. (2016) and Schomaker & Heumann (2018): each bootstrap resample
is drawn from the *incomplete* data and imputed ``m`` times on its own, so the imputation is part of
the procedure whose optimism is estimated. In each resample the procedure (fit on each imputed
copy, pooled) is evaluated on the imputed resample (training) and on the ``m`` imputed copies of
the original data (test); each index is averaged over the imputed copies. Optimism is the mean of
training − test over the resamples and corrected = apparent − optimism (Harrell 2015).

Indices as in rms ``validate``: C (AUC), intercept and slope of the joint logistic recalibration
``logit P(y) = a + b·lp`` (apparent 0 and 1) and the Brier score.

References
----------
.. [1] Wahl S, Boulesteix A-L, Zierer A, Thorand B, van de Wiel MA. Assessment of predictive
   performance in incomplete data by combining internal validation and multiple imputation.
   BMC Med Res Methodol 2016;16:144.
.. [2] Schomaker M, Heumann C. Bootstrap inference when using multiple imputation. Stat Med
   2018;37:2252–2266.
.. [3] Harrell FE. Regression Modeling Strategies, 2nd ed. Springer 2015, §5.3.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from leptodx.errors import LeptoDxError
from leptodx.stats._validation import StatsInputError
from leptodx.stats.validation import ValidationResult, indices, replicate_seeds, resample_rows

Array = NDArray[np.float64]
LinearPredictor = Callable[[Array], Array]
PooledProcedure = Callable[[Sequence[Array], Array], LinearPredictor]
"""Fits on each imputed copy (same outcome) and returns the pooled model's linear predictor."""
Imputer = Callable[[Array, Array, int], Sequence[Array]]
"""``impute(X_incomplete, y, seed)`` → imputed copies of ``X``."""
INDICES = ("auc", "intercept", "slope", "brier")
STRATEGY = (
    "bootstrap of the incomplete data with multiple imputation inside every resample (Boot-MI; "
    "Wahl et al. 2016, BMC Med Res Methodol 16:144; Schomaker & Heumann 2018, Stat Med 37:2252)"
)


def performance_indices(y: Array, lp: Array) -> dict[str, float]:
    """AUC, joint recalibration intercept and slope, Brier of ``lp`` (the same indices as
    :func:`leptodx.stats.validation.indices`, which computes them)."""
    return indices(y, lp)


def mean_indices(copies: Sequence[Array], y: Array, model: LinearPredictor) -> dict[str, float]:
    """Indices averaged over the imputed copies."""
    values = [performance_indices(y, model(x)) for x in copies]
    return {k: float(np.mean([v[k] for v in values])) for k in INDICES}


def bootstrap_validate_imputed(
    procedure: PooledProcedure,
    impute: Imputer,
    X: Array,
    y: Array,
    imputed: Sequence[Array],
    *,
    n_boot: int,
    random_state: int,
    progress: Callable[[int], None] | None = None,
    replicate_map: Callable[[Callable[[int], Any], Sequence[int]], Iterable[Any]] | None = None,
) -> ValidationResult:
    """Optimism-corrected indices with imputation repeated inside every bootstrap resample.

    Parameters
    ----------
    procedure : callable
        ``procedure(copies, y)`` fits on each imputed copy and returns the pooled linear predictor.
    impute : callable
        ``impute(X_incomplete, y, seed)`` returns imputed copies (NaN = missing).
    X : array of shape (n, p)
        Incomplete predictors (NaN where missing).
    y : array of shape (n,)
        Complete 0/1 outcome.
    imputed : sequence of arrays
        The imputed copies of ``X`` used for the apparent model (the test data of every resample).
    n_boot : int
        Number of resamples; resample ``b`` imputes with seed ``random_state + b + 1``.
    random_state : int
        Seed of the resamples: resample ``b`` draws its rows from its own stream
        (``replicate_seeds(random_state, n_boot)[b]``, as :func:`bootstrap_validate`), so each
        replicate can be computed on its own.
    replicate_map : callable, optional
        ``replicate_map(one, range(n_boot))`` runs the replicates elsewhere (e.g. on Dask
        workers) and yields their results in order; replicate ``b`` depends on ``b`` only, so the
        result is the same wherever it runs.

    A resample whose imputation or fit fails (one outcome class, a variable missing in every
    resampled row, separation) is skipped and counted in ``n_failed``.
    """
    if n_boot < 1:
        raise StatsInputError(f"n_boot: got {n_boot}; expected at least 1 bootstrap resample")
    if len(imputed) < 1:
        raise StatsInputError("imputed: expected at least one imputed copy of X")
    apparent = mean_indices(imputed, y, procedure(imputed, y))
    seeds = replicate_seeds(random_state, n_boot)

    def one(b: int) -> list[float] | None:
        idx = resample_rows(seeds[b], y.size)
        yb = y[idx]
        try:
            if yb.min() == yb.max():
                raise StatsInputError("one outcome class in the resample")
            copies = impute(X[idx], yb, random_state + b + 1)
            model = procedure(copies, yb)
            train = mean_indices(copies, yb, model)
            test = mean_indices(imputed, y, model)
        except (LeptoDxError, np.linalg.LinAlgError, FloatingPointError):
            return None
        return [train[k] - test[k] for k in INDICES]

    runs = map(one, range(n_boot)) if replicate_map is None else replicate_map(one, range(n_boot))
    optimism = []
    for b, result in enumerate(runs):
        if result is not None:
            optimism.append(result)
        if progress is not None:
            progress(b + 1)
    if not optimism:
        raise StatsInputError(
            "bootstrap: every resample failed to impute or refit; the model cannot be validated"
        )
    mean = dict(zip(INDICES, np.mean(optimism, axis=0).tolist(), strict=True))
    corrected = {k: apparent[k] - mean[k] for k in INDICES}
    method = (
        f"Harrell bootstrap optimism correction with imputation inside each resample, "
        f"B = {n_boot}, {len(optimism)} successful; {STRATEGY}"
    )
    return ValidationResult(apparent, mean, corrected, n_boot, n_boot - len(optimism), method)
