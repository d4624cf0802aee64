"""Bivariate random-effects model of Reitsma et al. (2005), fitted by REML.

For study ``i`` the observed logits ``y_i = (logit sensitivity, logit false-positive rate)``
have within-study variances ``s_i = (1/tp + 1/fn, 1/fp + 1/tn)`` (no within-study covariance:
diseased and non-diseased are different patients). The model is

    y_i ~ N(X_i β, Σ + diag(s_i)),   Σ = between-study covariance (unstructured),

with ``X_i`` the ``2 × q`` design of study ``i`` (intercept only: the identity). The restricted
log-likelihood is maximised over the Cholesky factor ``L`` of ``Σ = L Lᵀ``, which keeps ``Σ``
positive semi-definite and turns the boundary (a variance 0 or a correlation ±1) into ordinary
points. ``β`` is the generalised-least-squares estimate given ``Σ`` and its covariance is
``(Σ_i X_iᵀ W_i X_i)⁻¹`` with ``W_i = (Σ + diag(s_i))⁻¹``.

Same model and estimates as R ``metafor::rma.mv(yi, V, mods = X, random = ~ outcome | study,
struct = "UN", method = "REML")`` and ``mada::reitsma``.

References
----------
Reitsma JB, et al. Bivariate analysis of sensitivity and specificity produces informative
summary measures in diagnostic reviews. J Clin Epidemiol 2005;58:982–990.
Harville DA. Maximum likelihood approaches to variance component estimation. JASA 1977;72:320.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import optimize

from leptodx.meta._covariance import (
    GRADIENT_TOLERANCE,
    Estimates,
    cholesky_factor,
    covariance_from_factor,
    newton_polish,
)

Array = NDArray[np.float64]
LOG_2PI = float(np.log(2 * np.pi))


def _inverse_2x2(v: Array) -> tuple[Array, Array]:
    """Inverses and determinants of a stack of 2×2 matrices ``(k, 2, 2)``."""
    det = v[:, 0, 0] * v[:, 1, 1] - v[:, 0, 1] * v[:, 1, 0]
    inv = np.empty_like(v)
    inv[:, 0, 0] = v[:, 1, 1]
    inv[:, 1, 1] = v[:, 0, 0]
    inv[:, 0, 1] = -v[:, 0, 1]
    inv[:, 1, 0] = -v[:, 1, 0]
    return inv / det[:, None, None], det


@dataclass(frozen=True, slots=True)
class _Reml:
    """Everything the REML objective and its gradient need at one ``Σ``."""

    loglik: float
    coef: Array
    vcov: Array
    gradient_sigma: Array
    """∂ℓ/∂Σ for ``Σ``'s three free entries, as a symmetric 2×2 matrix ``G`` with
    ``dℓ = G11 dσ11 + 2 G12 dσ12 + G22 dσ22``."""


def _reml(sigma: Array, y: Array, within: Array, design: Array) -> _Reml | None:
    k, _, q = design.shape
    v = np.broadcast_to(sigma, (k, 2, 2)).copy()
    v[:, 0, 0] += within[:, 0]
    v[:, 1, 1] += within[:, 1]
    w, det = _inverse_2x2(v)
    if not np.all(det > 0):
        return None
    wx = np.einsum("kab,kbq->kaq", w, design)
    a = np.einsum("kaq,kar->qr", design, wx)
    try:
        chol = np.linalg.cholesky(a)
    except np.linalg.LinAlgError:
        return None
    a_inv = np.linalg.inv(a)
    coef = a_inv @ np.einsum("kaq,ka->q", wx, y)
    resid = y - np.einsum("kaq,q->ka", design, coef)
    u = np.einsum("kab,kb->ka", w, resid)
    # metafor's REML log-likelihood keeps the constant ½ log|XᵀX| (Harville 1974).
    loglik = -0.5 * (
        (2 * k - q) * LOG_2PI
        - float(np.linalg.slogdet(np.einsum("kaq,kar->qr", design, design))[1])
        + float(np.log(det).sum())
        + 2.0 * float(np.log(np.diag(chol)).sum())
        + float(np.einsum("ka,ka->", resid, u))
    )
    # ∂ℓ/∂Σ = −½ Σ_i (P_ii − u_i u_iᵀ), P_ii = W_i − W_i X_i A⁻¹ X_iᵀ W_i (Harville 1977).
    p_diag = w - np.einsum("kaq,qr,kbr->kab", wx, a_inv, wx)
    gradient = -0.5 * (p_diag.sum(axis=0) - np.einsum("ka,kb->ab", u, u))
    return _Reml(loglik, coef, a_inv, gradient)


def _objective(theta: Array, y: Array, within: Array, design: Array) -> tuple[float, Array]:
    """Negative restricted log-likelihood and its gradient in the Cholesky parameters."""
    sigma = covariance_from_factor(theta)
    parts = _reml(sigma, y, within, design)
    if parts is None:
        return np.inf, np.zeros(3)
    g = parts.gradient_sigma
    a, b, c = theta
    # Σ = L Lᵀ with L = [[a, 0], [b, c]]: σ11 = a², σ12 = ab, σ22 = b² + c².
    grad = np.array(
        [
            2 * a * g[0, 0] + 2 * b * g[0, 1],
            2 * a * g[0, 1] + 2 * b * g[1, 1],
            2 * c * g[1, 1],
        ]
    )
    return -parts.loglik, -grad


def _starts(y: Array, within: Array) -> list[Array]:
    """Moment-based variances, correlations −0.5, 0 and 0.5."""
    var = (
        np.maximum(y.var(axis=0, ddof=1) - within.mean(axis=0), 0.05) if len(y) > 1 else np.ones(2)
    )
    sd = np.sqrt(var)
    return [
        cholesky_factor(np.array([[var[0], r * sd[0] * sd[1]], [r * sd[0] * sd[1], var[1]]]))
        for r in (0.0, -0.5, 0.5)
    ]


def fit_reitsma(
    y: Array, within: Array, design: Array | None = None, *, max_iter: int = 500
) -> Estimates:
    """REML fit of the bivariate random-effects model.

    Parameters
    ----------
    y : ndarray, shape (k, 2)
        Logit sensitivity and logit false-positive rate of each study.
    within : ndarray, shape (k, 2)
        Within-study variances of the two logits.
    design : ndarray, shape (k, 2, q), optional
        Design of each study (row 0: logit sensitivity, row 1: logit FPR). Default: the
        identity (``β`` = mean logit sensitivity and mean logit FPR).
    max_iter : int
        Iteration limit of the quasi-Newton optimiser (per starting value).

    Returns
    -------
    Estimates
        ``converged`` is False when no start reached a stationary point of the restricted
        likelihood; the caller must then not report the estimates.
    """
    y = np.asarray(y, dtype=np.float64)
    within = np.asarray(within, dtype=np.float64)
    if design is None:
        design = np.broadcast_to(np.eye(2), (len(y), 2, 2)).copy()
    best: optimize.OptimizeResult | None = None
    for start in _starts(y, within):
        res = optimize.minimize(
            _objective,
            start,
            args=(y, within, design),
            jac=True,
            method="BFGS",
            options={"gtol": 1e-10, "maxiter": max_iter},
        )
        if np.isfinite(res.fun) and (best is None or res.fun < best.fun):
            best = res
    q = design.shape[2]
    if best is None:
        return Estimates.failed(q, "restricted likelihood could not be evaluated")
    theta, grad = newton_polish(
        lambda t: _objective(t, y, within, design), np.asarray(best.x, dtype=np.float64)
    )
    sigma = covariance_from_factor(theta)
    parts = _reml(sigma, y, within, design)
    if parts is None:
        return Estimates.failed(q, "restricted likelihood undefined at the optimum", best.nit)
    stationary = float(np.max(np.abs(grad))) <= GRADIENT_TOLERANCE * max(1.0, abs(float(best.fun)))
    converged = stationary and bool(np.all(np.isfinite(theta)))
    message = "converged" if converged else f"no stationary point reached ({best.message})"
    return Estimates(
        parts.coef,
        parts.vcov,
        sigma,
        parts.loglik,
        converged,
        message,
        int(best.nit),
        "inverse of Σ XᵀWX at the REML estimate",
    )
