"""Logistic regression by maximum likelihood, with separation detection and Firth's penalty.

Plain MLE agrees with R ``glm(family = binomial)`` run to full convergence
(``glm.control(epsilon = 1e-14)``); Firth's penalised likelihood follows Heinze & Schemper (2002),
the method of R ``logistf`` (Wald intervals here; logistf defaults to profile likelihood).

References
----------
.. [1] Firth D. Bias reduction of maximum likelihood estimates. Biometrika 1993;80:27–38.
.. [2] Heinze G, Schemper M. A solution to the problem of separation in logistic regression.
   Stat Med 2002;21:2409–2419.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from leptodx.stats._distributions import chi2_sf, critical_value, normal_sf
from leptodx.stats._validation import StatsInputError, as_binary_outcome, check_level
from leptodx.stats.link import expit

MAX_ITER = 100
TOLERANCE = 1e-10
SEPARATION_PROBABILITY = 1e-8
"""Fitted probabilities closer than this to 0 or 1 signal (quasi-)complete separation."""


class SeparationError(StatsInputError):
    """The outcome is (quasi-)completely separated: the MLE does not exist."""


class ConvergenceError(StatsInputError):
    """Newton–Raphson did not converge."""


@dataclass(frozen=True, slots=True)
class Coefficient:
    name: str
    estimate: float
    se: float
    z: float
    p_value: float
    ci: tuple[float, float]

    def to_dict(self) -> dict[str, Any]:
        """JSON of one coefficient (log-odds scale, Wald CI)."""
        return {
            "estimate": self.estimate,
            "se": self.se,
            "z": self.z,
            "p_value": self.p_value,
            "ci": list(self.ci),
        }


@dataclass(frozen=True, slots=True)
class LogisticSummary:
    """A fitted logistic model as reported: sizes, deviance and every coefficient."""

    n: int
    n_events: int
    deviance: float
    coefficients: tuple[Coefficient, ...]
    method: str

    def to_dict(self) -> dict[str, Any]:
        """JSON of the fit (docs/stats.md); coefficients keyed by name, intercept first."""
        return {
            "n": self.n,
            "n_events": self.n_events,
            "deviance": self.deviance,
            "method": self.method,
            "coefficients": {c.name: c.to_dict() for c in self.coefficients},
        }


def newton_logistic(
    X: NDArray[np.float64],
    y: NDArray[np.float64],
    *,
    firth: bool = False,
    offset: NDArray[np.float64] | None = None,
    weights: NDArray[np.float64] | None = None,
    start: NDArray[np.float64] | None = None,
    ridge: float = 0.0,
) -> tuple[NDArray[np.float64], NDArray[np.float64], int]:
    """Coefficients and covariance of a logistic model (X includes the intercept column).

    Newton–Raphson on the (Firth-penalised) log-likelihood with step halving. ``offset`` is a
    known term added to the linear predictor (R ``offset()``); ``weights`` are case weights
    (R ``glm(weights = …)``); ``start`` is the starting value (default 0; it changes the path,
    not the MLE); ``ridge`` is added to the diagonal of X'WX (a tiny value keeps a constant
    column invertible, as MICE's logistic imputation needs). ``offset``, ``weights`` and
    ``ridge`` are not combined with ``firth``. Returns ``(beta, covariance, iterations)``;
    raises :class:`ConvergenceError` after ``MAX_ITER``. This is the package's one logistic
    fitting back-end.
    """
    fixed = np.zeros(X.shape[0]) if offset is None else offset
    case = np.ones(X.shape[0]) if weights is None else weights
    jitter = ridge * np.eye(X.shape[1])
    beta = np.zeros(X.shape[1]) if start is None else np.array(start, dtype=np.float64)
    for iteration in range(1, MAX_ITER + 1):
        p = expit(fixed + X @ beta)
        w = p * (1 - p)
        info = X.T @ (X * (w if weights is None else case * w)[:, None]) + jitter
        cov = np.linalg.inv(info)
        residual = y - p if weights is None else case * (y - p)
        if firth:
            # hat diagonal h_i = w_i x_i' (X'WX)^-1 x_i; Firth score adds h_i (1/2 - p_i)
            h = np.einsum("ij,jk,ik->i", X, cov, X) * w
            residual = residual + h * (0.5 - p)
        step = cov @ (X.T @ residual)
        beta_new = beta + step
        if firth:
            current = _penalised_loglik(X, y, beta)
            while (
                _penalised_loglik(X, y, beta_new) < current - 1e-12 and np.max(np.abs(step)) > 1e-12
            ):
                step /= 2
                beta_new = beta + step
        if np.max(np.abs(beta_new - beta)) < TOLERANCE * (1 + np.max(np.abs(beta))):
            p = expit(fixed + X @ beta_new)
            w = p * (1 - p)
            info = X.T @ (X * (w if weights is None else case * w)[:, None]) + jitter
            return beta_new, np.asarray(np.linalg.inv(info), dtype=np.float64), iteration
        beta = beta_new
    raise ConvergenceError(f"logistic regression did not converge in {MAX_ITER} iterations")


def _penalised_loglik(
    X: NDArray[np.float64], y: NDArray[np.float64], beta: NDArray[np.float64]
) -> float:
    eta = X @ beta
    loglik = float(np.sum(y * eta - np.logaddexp(0.0, eta)))
    p = expit(eta)
    _, logdet = np.linalg.slogdet(X.T @ (X * (p * (1 - p))[:, None]))
    return float(loglik + 0.5 * logdet)


def loglik(X: NDArray[np.float64], y: NDArray[np.float64], beta: NDArray[np.float64]) -> float:
    """Binomial log-likelihood at ``beta``."""
    eta = X @ beta
    return float(np.sum(y * eta - np.logaddexp(0.0, eta)))


class LogisticModel:
    """Logistic regression; ``fit`` returns ``self``, fitted attributes end in ``_``.

    Parameters
    ----------
    firth : bool, default False
        Use Firth's penalised likelihood (finite estimates under separation).
    level : float, default 0.95
        Level of the Wald confidence intervals.
    """

    def __init__(self, *, firth: bool = False, level: float = 0.95) -> None:
        self.firth = firth
        self.level = level

    def fit(
        self, X: ArrayLike, y: ArrayLike, *, feature_names: Sequence[str] | None = None
    ) -> LogisticModel:
        """Fit on predictors ``X`` (n × k, no intercept column) and 0/1 outcome ``y``."""
        check_level(self.level)
        y_arr = as_binary_outcome(y).astype(np.float64)
        x = np.asarray(X, dtype=np.float64)
        x = x.reshape(-1, 1) if x.ndim == 1 else x
        if x.shape[0] != y_arr.size:
            raise StatsInputError(f"length mismatch: X has {x.shape[0]} rows, y has {y_arr.size}")
        if not np.isfinite(x).all():
            raise StatsInputError("X: contains NaN or infinite values; remove or impute them first")
        names = (
            list(feature_names)
            if feature_names is not None
            else [f"x{i + 1}" for i in range(x.shape[1])]
        )
        if len(names) != x.shape[1]:
            raise StatsInputError(f"feature_names: got {len(names)} names for {x.shape[1]} columns")
        design = np.column_stack([np.ones(y_arr.size), x])
        if np.linalg.matrix_rank(design) < design.shape[1]:
            raise StatsInputError(
                f"X: columns are collinear (rank {np.linalg.matrix_rank(design)} < {design.shape[1]} with intercept); drop a redundant predictor"
            )
        try:
            beta, cov, _ = newton_logistic(design, y_arr, firth=self.firth)
        except (ConvergenceError, np.linalg.LinAlgError):
            beta, cov = None, None
        if not self.firth:
            self._check_separation(design, y_arr, beta, names)
        if beta is None or cov is None:
            raise ConvergenceError("logistic regression did not converge; try firth=True")
        self.feature_names_ = ["(Intercept)", *names]
        self.coef_ = beta
        self.cov_ = cov
        self.se_ = np.sqrt(np.diag(cov))
        self.loglik_ = loglik(design, y_arr, beta)
        self.deviance_ = -2.0 * self.loglik_
        self.n_, self.n_events_ = int(y_arr.size), int(y_arr.sum())
        return self

    def _check_separation(
        self,
        design: NDArray[np.float64],
        y: NDArray[np.float64],
        beta: NDArray[np.float64] | None,
        names: list[str],
    ) -> None:
        p = None if beta is None else expit(design @ beta)
        if p is not None and (np.min(np.minimum(p, 1 - p)) > SEPARATION_PROBABILITY):
            return
        culprits = [name for j, name in enumerate(names) if _separates(design[:, j + 1], y)]
        if beta is not None and not culprits:
            scaled = np.abs(beta[1:]) * design[:, 1:].std(axis=0)
            culprits = [names[j] for j in np.argsort(-scaled)[:2]]
        which = ", ".join(culprits) or "a combination of predictors"
        raise SeparationError(
            f"outcome is (quasi-)completely separated by {which}: maximum-likelihood estimates do "
            "not exist; use Firth's penalised likelihood (firth=True / --firth) or drop the predictor"
        )

    def predict_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """Predicted event probabilities for predictors ``X``."""
        x = np.asarray(X, dtype=np.float64)
        x = x.reshape(-1, 1) if x.ndim == 1 else x
        return expit(self.coef_[0] + x @ self.coef_[1:])

    def summary(self) -> list[Coefficient]:
        """Estimate, SE, Wald z, two-sided p and Wald CI for every coefficient."""
        z = self.coef_ / self.se_
        half = critical_value(self.level) * self.se_
        return [
            Coefficient(
                name,
                float(b),
                float(s),
                float(zz),
                2 * normal_sf(abs(zz)),
                (float(b - h), float(b + h)),
            )
            for name, b, s, zz, h in zip(
                self.feature_names_, self.coef_, self.se_, z, half, strict=True
            )
        ]

    def result(self) -> LogisticSummary:
        """The fitted model as a frozen, JSON-ready summary."""
        method = "Firth penalised likelihood" if self.firth else "maximum likelihood"
        return LogisticSummary(
            self.n_,
            self.n_events_,
            float(self.deviance_),
            tuple(self.summary()),
            f"{method}, Wald CIs",
        )


def _separates(x: NDArray[np.float64], y: NDArray[np.float64]) -> bool:
    """True when one predictor alone (quasi-)separates events from non-events."""
    events, others = x[y == 1], x[y == 0]
    return bool(events.min() >= others.max() or events.max() <= others.min())


@dataclass(frozen=True, slots=True)
class LikelihoodRatioTest:
    statistic: float
    df: int
    p_value: float

    def to_dict(self) -> dict[str, Any]:
        """JSON of the test."""
        from leptodx.jsonsafe import fields_json

        return fields_json(self)


def likelihood_ratio_test(full: LogisticModel, reduced: LogisticModel) -> LikelihoodRatioTest:
    """LR test of nested models: 2 (ℓ_full − ℓ_reduced) ~ χ²(df), df = difference in parameters."""
    df = len(full.coef_) - len(reduced.coef_)
    if df <= 0 or full.n_ != reduced.n_:
        raise StatsInputError(
            "likelihood_ratio_test: 'full' must have more parameters than 'reduced', on the same data"
        )
    statistic = 2.0 * (full.loglik_ - reduced.loglik_)
    return LikelihoodRatioTest(float(statistic), df, chi2_sf(statistic, df))
