"""Internal validation by Harrell's bootstrap optimism correction (rms ``validate``).

For each of B resamples the *whole* modelling procedure is refitted on the resample (including
LASSO selection when the procedure does it); each index is computed on the resample (training)
and on the original data (test); optimism = mean(training − test) and corrected = apparent −
optimism. Indices follow rms: C (AUC), calibration intercept and slope of the joint logistic
recalibration ``logit P(y) = a + b·lp`` (apparent a = 0, b = 1), and the Brier score.

References
----------
.. [1] Harrell FE, Lee KL, Mark DB. Multivariable prognostic models. Stat Med 1996;15:361–387.
.. [2] Steyerberg EW. Clinical Prediction Models, 2nd ed. Springer 2019, ch. 17.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from leptodx.stats._ranks import counts_auc, placement_counts
from leptodx.stats._validation import StatsInputError, as_binary_outcome
from leptodx.stats.link import expit
from leptodx.stats.logistic import (
    MAX_ITER,
    SEPARATION_PROBABILITY,
    TOLERANCE,
    SeparationError,
    newton_logistic,
)

LinearPredictor = Callable[[NDArray[np.float64]], NDArray[np.float64]]
Replicate = Callable[[np.random.SeedSequence], NDArray[np.float64] | None]
ReplicateMap = Callable[
    [Replicate, Sequence[np.random.SeedSequence]], Iterable[NDArray[np.float64] | None]
]
"""Runs a replicate function over seeds, yielding results in seed order (threads, Dask …)."""
Procedure = Callable[[NDArray[np.float64], NDArray[np.float64]], LinearPredictor]
INDICES = ("auc", "intercept", "slope", "brier")
COMPILED_FROM = 200_000
"""Resampled rows (n_boot × n) from which plain logistic replicates run in the compiled kernel;
below, the Python path takes well under a second and a short-lived process need not load numba."""


@dataclass(frozen=True, slots=True)
class ValidationResult:
    apparent: dict[str, float]
    optimism: dict[str, float]
    corrected: dict[str, float]
    n_boot: int
    n_failed: int
    method: str
    predictors: tuple[str, ...] = ()
    """Names of the predictor columns (set by the caller that knows them)."""

    def to_dict(self) -> dict[str, Any]:
        """JSON of the apparent, optimism and corrected indices (docs/stats.md)."""
        return {
            "apparent": self.apparent,
            "optimism": self.optimism,
            "corrected": self.corrected,
            "n_boot": self.n_boot,
            "n_failed": self.n_failed,
            "method": self.method,
            "predictors": list(self.predictors),
        }


def indices(y: NDArray[np.float64], lp: NDArray[np.float64]) -> dict[str, float]:
    """C (AUC), recalibration intercept and slope, and Brier of linear predictor ``lp``."""
    yb = y == 1.0
    pos, neg = np.sort(lp[yb]), np.sort(lp[~yb])
    auc = counts_auc(placement_counts(pos, neg)[0], neg.size)
    design = np.column_stack([np.ones_like(lp), lp])
    (intercept, slope), _, _ = newton_logistic(design, y)
    p = expit(lp)
    return {
        "auc": auc,
        "intercept": float(intercept),
        "slope": float(slope),
        "brier": float(np.mean((p - y) ** 2)),
    }


@dataclass(frozen=True, slots=True)
class LogisticProcedure:
    """Plain (or Firth) logistic regression on all predictors, as a bootstrap ``Procedure``.

    Calling it fits and returns the linear predictor; :func:`bootstrap_validate` recognises
    the plain case and runs its replicates in a compiled kernel (same estimates). A plain fit
    whose probabilities come within ``SEPARATION_PROBABILITY`` of 0 or 1 is refused with
    :class:`SeparationError` (the MLE does not exist; ``LogisticModel`` applies the same rule),
    so a separated resample counts as failed.
    """

    firth: bool = False

    def __call__(self, X: NDArray[np.float64], y: NDArray[np.float64]) -> LinearPredictor:
        design = np.column_stack([np.ones(len(y)), X])
        beta, _, _ = newton_logistic(design, y, firth=self.firth)
        if not self.firth:
            p = expit(design @ beta)
            if np.min(np.minimum(p, 1.0 - p)) <= SEPARATION_PROBABILITY:
                raise SeparationError(
                    "outcome is (quasi-)completely separated: maximum-likelihood estimates do "
                    "not exist; use Firth's penalised likelihood (firth=True / --firth)"
                )
        return lambda Z: beta[0] + Z @ beta[1:]


def logistic_procedure(*, firth: bool = False) -> Procedure:
    """Plain (or Firth) logistic regression on all predictors."""
    return LogisticProcedure(firth=firth)


def lasso_procedure(
    *, at: str = "lambda_1se", n_folds: int = 10, alpha: float = 1.0, seed: int = 0
) -> Procedure:
    """LASSO (or elastic net) with CV-chosen λ, refitted with its own folds in every resample."""
    from leptodx.stats.penalized import cv_glmnet

    def fit(X: NDArray[np.float64], y: NDArray[np.float64]) -> LinearPredictor:
        # one thread per resample: bootstrap_validate(n_jobs=…) parallelises the replicates
        cv = cv_glmnet(X, y, alpha=alpha, n_folds=n_folds, random_state=seed, n_jobs=1)
        coef = cv.coef(at)
        beta = np.array(list(coef.values()))
        return lambda Z: beta[0] + Z @ beta[1:]

    return fit


def replicate_seeds(
    random_state: int | np.random.Generator | None, n_boot: int
) -> list[np.random.SeedSequence]:
    """One independent random stream per bootstrap replicate (``SeedSequence.spawn``).

    Replicate b draws its resample as ``np.random.default_rng(seeds[b]).integers(0, n, n)``,
    so its result depends on nothing but its own seed: the same for any number of threads,
    processes or workers, and for any order in which replicates are run.
    """
    if isinstance(random_state, np.random.Generator):
        root = random_state.bit_generator.seed_seq
        if not isinstance(root, np.random.SeedSequence):
            root = np.random.SeedSequence(int(random_state.integers(2**63)))
    else:
        root = np.random.SeedSequence(random_state)
    return root.spawn(n_boot)


def resample_rows(seed: np.random.SeedSequence, n: int) -> NDArray[np.int64]:
    """Row indices of one bootstrap resample of ``n`` rows drawn from its own stream."""
    return np.random.default_rng(seed).integers(0, n, size=n)


def optimism_replicate(
    procedure: Procedure,
    X: NDArray[np.float64],
    y: NDArray[np.float64],
    seed: np.random.SeedSequence,
) -> NDArray[np.float64] | None:
    """Training − test indices (in ``INDICES`` order) of one replicate; None if the refit fails.

    ``X`` and ``y`` are the checked arrays of :func:`bootstrap_validate` (y as 0.0/1.0).
    """
    idx = resample_rows(seed, y.size)
    yb = y[idx]
    if yb.min() == yb.max():
        return None
    try:
        model = procedure(X[idx], yb)
        train, test = indices(yb, model(X[idx])), indices(y, model(X))
    except (StatsInputError, np.linalg.LinAlgError, FloatingPointError):
        return None
    return np.array([train[k] - test[k] for k in INDICES])


def _replicates(
    procedure: Procedure, X: NDArray[np.float64], y: NDArray[np.float64], n_boot: int
) -> Callable[[np.random.SeedSequence], NDArray[np.float64] | None]:
    """The per-replicate function: the compiled kernel for plain logistic regression."""
    plain = isinstance(procedure, LogisticProcedure) and not procedure.firth
    if not plain or n_boot * y.size < COMPILED_FROM:
        return lambda seed: optimism_replicate(procedure, X, y, seed)
    from leptodx.stats._bootstrap_kernels import logistic_optimism, pair_products

    design = np.ascontiguousarray(np.column_stack([np.ones(y.size), X]))
    products = pair_products(design)
    try:  # warm start: every resample's estimate lies near the full-data one
        start, _, _ = newton_logistic(design, y)
    except (StatsInputError, np.linalg.LinAlgError):
        start = np.zeros(design.shape[1])
    start_prob = expit(design @ start)

    def one(seed: np.random.SeedSequence) -> NDArray[np.float64] | None:
        rows = resample_rows(seed, y.size)
        values, ok = logistic_optimism(
            design,
            products,
            y,
            rows,
            start,
            start_prob,
            MAX_ITER,
            TOLERANCE,
            SEPARATION_PROBABILITY,
        )
        return values if ok else None

    return one


def _run(
    one: Callable[[np.random.SeedSequence], NDArray[np.float64] | None],
    seeds: Sequence[np.random.SeedSequence],
    n_jobs: int,
) -> Iterator[NDArray[np.float64] | None]:
    if n_jobs == 1:
        yield from map(one, seeds)
        return
    from concurrent.futures import ThreadPoolExecutor  # ~10 ms: only when used

    with ThreadPoolExecutor(max_workers=n_jobs) as pool:
        yield from pool.map(one, seeds)


def bootstrap_validate(
    procedure: Procedure,
    X: ArrayLike,
    y: ArrayLike,
    *,
    n_boot: int,
    random_state: int | np.random.Generator | None,
    n_jobs: int = 1,
    progress: Callable[[int], None] | None = None,
    replicate_map: ReplicateMap | None = None,
) -> ValidationResult:
    """Harrell's optimism-corrected C, calibration intercept/slope and Brier.

    Every replicate has its own random stream (:func:`replicate_seeds`), so results do not
    depend on ``n_jobs`` (threads) or on how replicates are distributed. A resample whose
    refit fails (e.g. separation, one class only) is skipped and counted in ``n_failed`` (rms
    does the same and reports fewer successful resamples). ``progress(i)`` is called after
    each finished replicate with the number finished so far. ``replicate_map(one, seeds)``,
    when given, runs the replicate function elsewhere (e.g. on Dask workers) and yields the
    results in seed order; it replaces the threads of ``n_jobs``.
    """
    yv = as_binary_outcome(y).astype(np.float64)
    x = np.asarray(X, dtype=np.float64)
    x = x.reshape(-1, 1) if x.ndim == 1 else x
    if x.shape[0] != yv.size or not np.isfinite(x).all():
        raise StatsInputError(f"X: expected {yv.size} finite rows, got shape {x.shape}")
    if n_boot < 1:
        raise StatsInputError(f"n_boot: got {n_boot}; expected at least 1 bootstrap resample")
    if n_jobs < 1:
        raise StatsInputError(f"n_jobs: got {n_jobs}; expected at least 1 thread")
    apparent = indices(yv, procedure(x, yv)(x))
    one = _replicates(procedure, x, yv, n_boot)
    seeds = replicate_seeds(random_state, n_boot)
    mapped = _run(one, seeds, n_jobs) if replicate_map is None else replicate_map(one, seeds)
    results = []
    for i, result in enumerate(mapped):
        results.append(result)
        if progress is not None:
            progress(i + 1)
    ok = [r for r in results if r is not None]
    if not ok:
        raise StatsInputError(
            "bootstrap: every resample failed to refit; the model cannot be validated"
        )
    optimism = dict(zip(INDICES, np.mean(ok, axis=0).tolist(), strict=True))
    corrected = {k: apparent[k] - optimism[k] for k in INDICES}
    method = f"Harrell bootstrap optimism correction, B = {n_boot}, {len(ok)} successful"
    return ValidationResult(apparent, optimism, corrected, n_boot, n_boot - len(ok), method)
