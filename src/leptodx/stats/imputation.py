"""Multiple imputation by chained equations (MICE), the algorithms of R ``mice`` 3.15.

Each incomplete column is imputed in turn from all other columns (fully conditional
specification), for ``maxit`` sweeps, in ``m`` independent chains:

- continuous and count columns: predictive mean matching (``mice.impute.pmm``, type-1 matching):
  a Bayesian linear-regression draw ``β*, σ*`` (``.norm.draw`` with ridge 1e-5), predicted means
  ``X_obs β̂`` for the observed rows and ``X_mis β*`` for the missing rows, and for each missing
  row one of the ``donors`` (default 5) observed rows with the closest predicted mean, chosen at
  random; the donor's observed value is imputed, so imputations are always observed values;
- binary columns: logistic regression (``mice.impute.logreg``): a weighted ML fit on the rows
  observed plus mice's augmentation rows (White, Daniel & Royston 2010, which keeps the fit finite
  under separation), a draw ``β* ~ N(β̂, (X'WX)⁻¹)`` and ``y* ~ Bernoulli(expit(X_mis β*))``.

Chains start from random draws of each column's observed values (mice's default). Randomness
comes only from ``random_state``; chain ``i`` uses the ``i``-th child of its ``SeedSequence``,
so results do not depend on how many chains run before it. The random streams are numpy's, so
imputations are not bit-identical to R's; what is checked against mice is the pooling
(:mod:`leptodx.stats.pooling`) on the same imputed datasets and, by simulation, bias and coverage.

References
----------
.. [1] van Buuren S, Groothuis-Oudshoorn K. mice: Multivariate imputation by chained equations
   in R. J Stat Softw 2011;45(3):1–67.
.. [2] Morris TP, White IR, Royston P. Tuning multiple imputation by predictive mean matching and
   local residual draws. BMC Med Res Methodol 2014;14:75.
.. [3] White IR, Daniel R, Royston P. Avoiding bias due to perfect prediction in multiple
   imputation of incomplete categorical variables. Comput Stat Data Anal 2010;54:2267–2275.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from leptodx.stats._validation import StatsInputError
from leptodx.stats.link import expit
from leptodx.stats.logistic import newton_logistic

Array = NDArray[np.float64]
RIDGE = 1e-5
"""mice's ridge penalty for the linear-regression draw of PMM."""


class ImputationMethod(StrEnum):
    """Conditional model of one column (mice method names)."""

    PMM = "pmm"
    LOGREG = "logreg"
    NONE = ""
    """Complete column: used as a predictor, never imputed."""


@dataclass(frozen=True, slots=True)
class MiceResult:
    """``m`` completed copies of the data and per-sweep chain means (convergence check)."""

    imputations: tuple[Array, ...]
    methods: tuple[ImputationMethod, ...]
    missing: NDArray[np.bool_]
    chain_means: Array
    """Shape (m, maxit, columns): mean of each column's imputed values after each sweep."""
    m: int
    maxit: int
    donors: int
    seed: int | None

    def to_dict(self) -> dict[str, Any]:
        """JSON of the imputations, methods, missing-value mask and chain means."""
        from leptodx.jsonsafe import fields_json

        return fields_json(self)


def default_methods(data: ArrayLike) -> tuple[ImputationMethod, ...]:
    """``logreg`` for 0/1 columns with missing values, ``pmm`` for other incomplete columns."""
    x = np.asarray(data, dtype=np.float64)
    methods = []
    for column in x.T:
        observed = column[~np.isnan(column)]
        if observed.size == column.size:
            methods.append(ImputationMethod.NONE)
        elif np.isin(observed, (0.0, 1.0)).all():
            methods.append(ImputationMethod.LOGREG)
        else:
            methods.append(ImputationMethod.PMM)
    return tuple(methods)


def mice(
    data: ArrayLike,
    *,
    m: int,
    maxit: int = 5,
    methods: Sequence[ImputationMethod] | None = None,
    donors: int = 5,
    random_state: int | None,
    names: Sequence[str] | None = None,
) -> MiceResult:
    """Impute the NaN cells of ``data`` (n × k) ``m`` times by chained equations.

    Parameters
    ----------
    data : array of shape (n, k)
        Every column enters every other column's imputation model (include the outcome).
    m : int
        Number of imputations (at least 2 for Rubin's rules).
    maxit : int, default 5
        Sweeps over the incomplete columns per chain (mice's default).
    methods : sequence of ImputationMethod, optional
        Per column; default :func:`default_methods`.
    donors : int, default 5
        Donor pool of predictive mean matching.
    random_state : int or None
        Seed of the ``SeedSequence`` whose children drive the chains.
    names : sequence of str, optional
        Column names used in error messages.
    """
    x = np.asarray(data, dtype=np.float64)
    if x.ndim != 2:
        raise StatsInputError(f"data: expected a 2-D array, got shape {x.shape}")
    labels = list(names) if names is not None else [f"column {j + 1}" for j in range(x.shape[1])]
    if m < 1:
        raise StatsInputError(f"m: got {m}; expected at least 1 imputation")
    if maxit < 1 or donors < 1:
        raise StatsInputError(f"maxit/donors: got {maxit}/{donors}; expected at least 1")
    if np.isinf(x).any():
        raise StatsInputError("data: infinite values cannot be imputed; recode them first")
    missing = np.isnan(x)
    empty = [labels[j] for j in np.flatnonzero(missing.all(axis=0))]
    if empty:
        raise StatsInputError(
            f"data: {', '.join(empty)} missing in every row; nothing to impute from"
        )
    chosen = tuple(methods) if methods is not None else default_methods(x)
    if len(chosen) != x.shape[1]:
        raise StatsInputError(f"methods: got {len(chosen)} for {x.shape[1]} columns")
    for j, method in enumerate(chosen):
        if method is ImputationMethod.NONE and missing[:, j].any():
            raise StatsInputError(f"methods: {labels[j]} has missing values but no method")
    children = np.random.SeedSequence(random_state).spawn(m)
    completed, means = [], []
    for child in children:
        filled, trace = _chain(x, missing, chosen, maxit, donors, np.random.default_rng(child))
        completed.append(filled)
        means.append(trace)
    return MiceResult(
        imputations=tuple(completed),
        methods=chosen,
        missing=missing,
        chain_means=np.asarray(means, dtype=np.float64),
        m=m,
        maxit=maxit,
        donors=donors,
        seed=random_state,
    )


def _chain(
    x: Array,
    missing: NDArray[np.bool_],
    methods: tuple[ImputationMethod, ...],
    maxit: int,
    donors: int,
    rng: np.random.Generator,
) -> tuple[Array, Array]:
    filled = x.copy()
    visit = [j for j, method in enumerate(methods) if method is not ImputationMethod.NONE]
    for j in visit:
        observed = x[~missing[:, j], j]
        filled[missing[:, j], j] = rng.choice(observed, size=int(missing[:, j].sum()))
    trace = np.full((maxit, x.shape[1]), np.nan)
    starts: dict[int, Array] = {}
    for sweep in range(maxit):
        for j in visit:
            ry = ~missing[:, j]
            design = np.column_stack([np.ones(x.shape[0]), np.delete(filled, j, axis=1)])
            if methods[j] is ImputationMethod.PMM:
                values = _pmm(x[ry, j], design[ry], design[~ry], donors, rng)
            else:
                values, starts[j] = _logreg(x[ry, j], design[ry], design[~ry], rng, starts.get(j))
            filled[~ry, j] = values
            trace[sweep, j] = float(values.mean())
    return filled, trace


def _pmm(y: Array, x_obs: Array, x_mis: Array, donors: int, rng: np.random.Generator) -> Array:
    """Predictive mean matching, type 1 (``mice.impute.pmm``)."""
    xtx = x_obs.T @ x_obs
    v = np.linalg.inv(xtx + np.diag(RIDGE * np.diag(xtx) + 1e-10))
    coef = v @ (x_obs.T @ y)
    residual = y - x_obs @ coef
    df = max(y.size - x_obs.shape[1], 1)
    sigma = float(np.sqrt(residual @ residual / rng.chisquare(df)))
    chol = np.linalg.cholesky((v + v.T) / 2.0)
    beta = coef + chol @ rng.standard_normal(coef.size) * sigma
    return y[_match(x_obs @ coef, x_mis @ beta, donors, rng)]


def _match(
    yhat_obs: Array, yhat_mis: Array, donors: int, rng: np.random.Generator
) -> NDArray[np.intp]:
    """For each target, a random one of the ``donors`` observed rows closest in predicted mean."""
    order = np.argsort(yhat_obs, kind="stable")
    sorted_obs = yhat_obs[order]
    n_obs = sorted_obs.size
    k = min(donors, n_obs)
    width = min(2 * k, n_obs)
    position = np.searchsorted(sorted_obs, yhat_mis)
    start = np.clip(position - k, 0, n_obs - width)
    window = start[:, None] + np.arange(width)[None, :]
    distance = np.abs(sorted_obs[window] - yhat_mis[:, None])
    # random tie-breaking: a random key decides between equal distances
    ranks = np.lexsort((rng.random(distance.shape), distance), axis=1)[:, :k]
    pick = ranks[np.arange(ranks.shape[0]), rng.integers(0, k, size=ranks.shape[0])]
    return np.asarray(order[window[np.arange(window.shape[0]), pick]], dtype=np.intp)


def _augment(y: Array, x: Array) -> tuple[Array, Array, Array]:
    """mice's ``augment``: 2·p·2 pseudo-rows at mean ± sd/2 of each predictor, weight (p+1)/rows.

    Block ``j`` (4 rows) moves predictor ``j`` to mean + sd/2, mean − sd/2 (clipped to its
    observed range) with outcome 0, then the same with outcome 1; the others stay at their mean.
    """
    predictors = x[:, 1:]
    p = predictors.shape[1]
    if p == 0:
        return y, x, np.ones(y.size)
    mean = predictors.mean(axis=0)
    sd = predictors.std(axis=0, ddof=1) if y.size > 1 else np.zeros(p)
    extra = np.tile(mean, (4 * p, 1))
    rows = np.arange(4 * p)
    column = rows // 4
    sign = np.where(rows % 2 == 0, 0.5, -0.5)
    moved = mean[column] + sign * sd[column]
    extra[rows, column] = np.clip(
        moved, predictors.min(axis=0)[column], predictors.max(axis=0)[column]
    )
    outcomes = np.where((rows // 2) % 2 == 0, 0.0, 1.0)
    n_extra = 4 * p
    xa = np.vstack([x, np.column_stack([np.ones(n_extra), extra])])
    ya = np.concatenate([y, outcomes])
    wa = np.concatenate([np.ones(y.size), np.full(n_extra, (p + 1) / n_extra)])
    return ya, xa, wa


def _logreg(
    y: Array, x_obs: Array, x_mis: Array, rng: np.random.Generator, start: Array | None = None
) -> tuple[Array, Array]:
    """Logistic-regression draw for a 0/1 column (``mice.impute.logreg``); also returns ``β̂``.

    ``start`` (the previous sweep's ``β̂``) only speeds up Newton–Raphson; the MLE is the same.
    """
    ya, xa, wa = _augment(y, x_obs)
    beta, cov = _weighted_logistic(xa, ya, wa, start)
    chol = np.linalg.cholesky((cov + cov.T) / 2.0)
    draw = beta + chol @ rng.standard_normal(beta.size)
    p = expit(x_mis @ draw)
    return (rng.random(p.size) <= p).astype(np.float64), beta


def _weighted_logistic(
    x: Array, y: Array, w: Array, start: Array | None = None
) -> tuple[Array, Array]:
    """Weighted logistic ML (the package's Newton back-end); returns ``β̂`` and ``(X'WX)⁻¹``.

    A 1e-10 ridge keeps X'WX invertible when a column is constant.
    """
    beta, cov, _ = newton_logistic(x, y, weights=w, start=start, ridge=1e-10)
    return beta, cov
