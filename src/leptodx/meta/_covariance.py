"""Shared numerics of the bivariate fits: Cholesky parameters of Σ and a Newton polish step."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]
GRADIENT_TOLERANCE = 1e-5
"""Largest accepted |gradient| of the negative log-likelihood (relative to max(1, |f|)) for a fit
to count as converged."""


@dataclass(frozen=True, slots=True)
class Estimates:
    """Fitted values of a bivariate model (Reitsma REML or binomial GLMM).

    Estimates must not be reported unless ``converged`` is True.
    """

    coef: Array
    """``β``, shape ``(q,)``."""
    vcov: Array
    """Covariance of ``β``, shape ``(q, q)``."""
    sigma: Array
    """Between-study covariance ``Σ`` of (logit sensitivity, logit FPR), shape ``(2, 2)``."""
    loglik: float
    """Log-likelihood at the estimate (restricted for REML, as R's ``logLik()``)."""
    converged: bool
    message: str
    iterations: int
    vcov_method: str

    @property
    def tau2(self) -> tuple[float, float]:
        return float(self.sigma[0, 0]), float(self.sigma[1, 1])

    @classmethod
    def failed(cls, q: int, message: str, iterations: int = 0) -> Estimates:
        """A fit that produced no usable estimate."""
        nan = np.full(q, np.nan)
        return cls(
            nan,
            np.full((q, q), np.nan),
            np.full((2, 2), np.nan),
            np.nan,
            False,
            message,
            iterations,
            "not available",
        )


def covariance_from_factor(theta: Array) -> Array:
    """``Σ = L Lᵀ`` with ``L = [[a, 0], [b, c]]`` and ``theta = (a, b, c)``."""
    a, b, c = theta
    return np.array([[a * a, a * b], [a * b, b * b + c * c]])


def cholesky_factor(sigma: Array) -> Array:
    """``(a, b, c)`` with ``a, c ≥ 0`` such that ``covariance_from_factor`` gives ``sigma``."""
    a = float(np.sqrt(max(sigma[0, 0], 0.0)))
    b = float(sigma[0, 1] / a) if a > 0 else float(np.sqrt(max(sigma[1, 1], 0.0)))
    c = float(np.sqrt(max(sigma[1, 1] - b * b, 0.0)))
    return np.array([a, b, c])


def correlation(sigma: Array, *, floor: float = 1e-10) -> float:
    """Between-study correlation; NaN when a variance is below ``floor`` (not identifiable)."""
    if sigma[0, 0] < floor or sigma[1, 1] < floor:
        return float("nan")
    return float(np.clip(sigma[0, 1] / np.sqrt(sigma[0, 0] * sigma[1, 1]), -1.0, 1.0))


def numeric_hessian(gradient: Callable[[Array], Array], x: Array, *, step: float = 1e-5) -> Array:
    """Symmetrised central-difference Jacobian of ``gradient`` at ``x``."""
    n = len(x)
    hess = np.empty((n, n))
    for j in range(n):
        h = step * max(1.0, abs(float(x[j])))
        up, down = x.copy(), x.copy()
        up[j] += h
        down[j] -= h
        hess[:, j] = (gradient(up) - gradient(down)) / (2 * h)
    return 0.5 * (hess + hess.T)


def newton_polish(
    fun: Callable[[Array], tuple[float, Array]],
    x: Array,
    *,
    hessian: Callable[[Array], Array] | None = None,
    steps: int = 10,
) -> tuple[Array, Array]:
    """A few damped Newton steps on a minimisation problem after the quasi-Newton optimiser.

    BFGS stops when its gradient tolerance is met; Newton steps with a finite-difference Hessian
    bring the estimate to machine-level stationarity, so that results do not depend on the
    optimiser's path. A step is taken only where the Hessian is positive definite and the
    objective does not increase. ``hessian`` defaults to central differences of the gradient.
    Returns the point and its gradient.
    """
    value, grad = fun(x)
    for _ in range(steps):
        if float(np.max(np.abs(grad))) < 1e-12 * max(1.0, abs(value)):
            break
        hess = numeric_hessian(lambda t: fun(t)[1], x) if hessian is None else hessian(x)
        try:
            np.linalg.cholesky(hess)
        except np.linalg.LinAlgError:
            break
        step = np.linalg.solve(hess, grad)
        for _ in range(30):
            trial = x - step
            trial_value, trial_grad = fun(trial)
            if np.isfinite(trial_value) and trial_value <= value + 1e-12 * max(1.0, abs(value)):
                break
            step = step / 2
        else:
            break
        if trial_value > value:
            break
        x, value, grad = trial, trial_value, trial_grad
    return x, grad
