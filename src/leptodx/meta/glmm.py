"""Exact-binomial bivariate GLMM (Chu & Cole 2006), Laplace or adaptive Gauss–Hermite.

For study ``i``: ``tp_i ~ Binomial(tp_i + fn_i, expit(x_i0ᵀβ + b_i0))`` and ``fp_i ~
Binomial(fp_i + tn_i, expit(x_i1ᵀβ + b_i1))`` with study effects ``b_i = L u_i``, ``u_i ~ N(0, I)``
and ``Σ = L Lᵀ`` (between-study covariance of logit sensitivity and logit FPR). No continuity
correction is needed: zero cells are ordinary binomial outcomes.

The marginal likelihood of each study is a 2-D integral over ``u_i``. It is approximated by
adaptive Gauss–Hermite quadrature with ``m`` nodes per dimension centred at the conditional mode
``û_i`` and scaled by the Cholesky factor of the negative Hessian ``Ω_i = Lᵀ D_i L + I``
(Liu & Pierce 1994). ``m = 1`` is the Laplace approximation,

    log p(y_i) ≈ log p(y_i | û_i) − ½ ‖û_i‖² − ½ log |Ω_i|,

which is what ``lme4::glmer(..., nAGQ = 1)`` maximises (glmer allows ``nAGQ > 1`` only for a
single scalar random effect, so only ``m = 1`` can be checked against it). The parameters are
``β`` and ``θ = (L11, L21, L22)``, the same ``θ`` as lme4's ``getME(fit, "theta")``.

References
----------
Chu H, Cole SR. Bivariate meta-analysis of sensitivity and specificity with sparse data: a
generalized linear mixed model approach. J Clin Epidemiol 2006;59:1331–1332.
Liu Q, Pierce DA. A note on Gauss–Hermite quadrature. Biometrika 1994;81:624–629.
Bates D, et al. Fitting linear mixed-effects models using lme4. J Stat Softw 2015;67(1).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray
from scipy import optimize, special

from leptodx.meta._covariance import (
    GRADIENT_TOLERANCE,
    Estimates,
    cholesky_factor,
    covariance_from_factor,
    newton_polish,
    numeric_hessian,
)

Array = NDArray[np.float64]
LOGIT_LIMIT = 15.0
"""A fitted logit beyond ±15 (probability within 3e-7 of 0 or 1) means the likelihood has no
finite maximum in that direction (e.g. every study has fn = 0)."""


def _gauss_hermite_2d(m: int) -> tuple[Array, Array]:
    """Nodes ``z`` (m², 2) and log-weights for ``∫ g(z) dz`` with adaptive scaling built in."""
    x, w = special.roots_hermite(m)
    log_w = np.log(w) + x * x
    xx, yy = np.meshgrid(x, x, indexing="ij")
    nodes = np.sqrt(2.0) * np.column_stack([xx.ravel(), yy.ravel()])
    log_weights = (log_w[:, None] + log_w[None, :]).ravel() + np.log(2.0)
    return nodes, log_weights


def _conditional_log_density(u: Array, offset: Array, factor: Array, y: Array, n: Array) -> Array:
    """``Σ_j [y η − n log(1 + e^η)] − ½‖u‖²`` for ``u`` of shape (..., k, 2)."""
    eta = offset + u @ factor.T
    value = (y * eta - n * np.logaddexp(0.0, eta)).sum(axis=-1) - 0.5 * (u * u).sum(axis=-1)
    return np.asarray(value, dtype=np.float64)


def _modes(offset: Array, factor: Array, y: Array, n: Array) -> tuple[Array, Array]:
    """Conditional modes ``û`` (k, 2) and negative Hessians ``Ω`` (k, 2, 2) by damped Newton."""
    k = len(y)
    u = np.zeros((k, 2))
    value = _conditional_log_density(u, offset, factor, y, n)
    eye = np.eye(2)
    for _ in range(100):
        eta = offset + u @ factor.T
        p = special.expit(eta)
        weight = n * p * (1.0 - p)
        gradient = (y - n * p) @ factor - u
        omega = np.einsum("ai,ka,aj->kij", factor, weight, factor) + eye
        step = np.linalg.solve(omega, gradient[..., None])[..., 0]
        scale = np.ones(k)
        for _ in range(30):
            trial = u + scale[:, None] * step
            trial_value = _conditional_log_density(trial, offset, factor, y, n)
            worse = trial_value < value - 1e-12 * np.abs(value)
            if not worse.any():
                break
            scale = np.where(worse, scale / 2, scale)
        u, value = trial, trial_value
        if float(np.max(np.abs(scale[:, None] * step))) < 1e-10:
            break
    p = special.expit(offset + u @ factor.T)
    omega = np.einsum("ai,ka,aj->kij", factor, n * p * (1.0 - p), factor) + eye
    return u, omega


def marginal_loglik(
    coef: Array,
    theta: Array,
    events: Array,
    totals: Array,
    design: Array,
    *,
    n_quadrature: int = 1,
) -> float:
    """Approximate marginal log-likelihood (``n_quadrature`` nodes per dimension; 1 = Laplace)."""
    factor = np.array([[theta[0], 0.0], [theta[1], theta[2]]])
    offset = np.einsum("kaq,q->ka", design, coef)
    mode, omega = _modes(offset, factor, events, totals)
    chol = np.linalg.cholesky(omega)
    nodes, log_weights = _gauss_hermite_2d(n_quadrature)
    # u = û + C⁻ᵀ z for every node z: solve Cᵀ x = z per study.
    shift = np.linalg.solve(np.swapaxes(chol, 1, 2)[:, None], nodes[None, :, :, None])[..., 0]
    points = mode[:, None, :] + shift
    density = _conditional_log_density(
        points, offset[:, None, :], factor, events[:, None, :], totals[:, None, :]
    )
    log_det = np.log(np.diagonal(chol, axis1=1, axis2=2)).sum(axis=1)
    per_study = special.logsumexp(density + log_weights, axis=1) - log_det - np.log(2 * np.pi)
    constant = (
        special.gammaln(totals + 1)
        - special.gammaln(events + 1)
        - special.gammaln(totals - events + 1)
    ).sum()
    return float(per_study.sum() + constant)


def _central_gradient(fun: Callable[[Array], float], x: Array, step: float = 1e-6) -> Array:
    """Central-difference gradient with relative steps."""
    grad = np.empty_like(x)
    for j in range(len(x)):
        h = step * max(1.0, abs(float(x[j])))
        up, down = x.copy(), x.copy()
        up[j] += h
        down[j] -= h
        grad[j] = (fun(up) - fun(down)) / (2 * h)
    return grad


def fit_glmm(
    events: Array,
    totals: Array,
    design: Array | None = None,
    *,
    start_coef: Array | None = None,
    start_sigma: Array | None = None,
    n_quadrature: int = 1,
    max_iter: int = 1000,
) -> Estimates:
    """Maximum-likelihood fit of the bivariate binomial GLMM.

    Parameters
    ----------
    events, totals : ndarray, shape (k, 2)
        ``(tp, fp)`` and ``(tp + fn, fp + tn)`` per study.
    design : ndarray, shape (k, 2, q), optional
        As in :func:`leptodx.meta.bivariate.fit_reitsma` (default: identity).
    start_coef, start_sigma : ndarray, optional
        Starting values, e.g. from the Reitsma fit.
    n_quadrature : int
        Gauss–Hermite nodes per dimension (1 = Laplace, as ``glmer(nAGQ = 1)``).

    Returns
    -------
    Estimates
        ``converged`` is False when the optimiser did not reach a stationary point or a fitted
        logit diverges (beyond ±15): then no estimate may be reported.
    """
    events = np.asarray(events, dtype=np.float64)
    totals = np.asarray(totals, dtype=np.float64)
    k = len(events)
    if design is None:
        design = np.broadcast_to(np.eye(2), (k, 2, 2)).copy()
    q = design.shape[2]
    if start_coef is None:
        rates = (events.sum(axis=0) + 0.5) / (totals.sum(axis=0) + 1.0)
        start_coef = np.linalg.lstsq(
            design.reshape(-1, q), np.tile(special.logit(rates), k), rcond=None
        )[0]
    sigma0 = np.eye(2) * 0.5 if start_sigma is None else start_sigma + np.eye(2) * 1e-3
    x0 = np.concatenate([np.asarray(start_coef, dtype=np.float64), cholesky_factor(sigma0)])

    def negative(x: Array) -> float:
        value = -marginal_loglik(x[:q], x[q:], events, totals, design, n_quadrature=n_quadrature)
        return value if np.isfinite(value) else np.inf

    def with_gradient(x: Array) -> tuple[float, Array]:
        return negative(x), _central_gradient(negative, x)

    res = optimize.minimize(
        with_gradient, x0, jac=True, method="BFGS", options={"gtol": 1e-9, "maxiter": max_iter}
    )
    x, grad = newton_polish(with_gradient, np.asarray(res.x, dtype=np.float64))
    value = negative(x)
    coef, theta = x[:q], x[q:]
    sigma = covariance_from_factor(theta)
    fitted = np.einsum("kaq,q->ka", design, coef)
    diverged = not np.all(np.isfinite(x)) or float(np.max(np.abs(fitted))) > LOGIT_LIMIT
    stationary = np.isfinite(value) and float(np.max(np.abs(grad))) <= GRADIENT_TOLERANCE * max(
        1.0, abs(value)
    )
    converged = bool(stationary and not diverged)
    if diverged:
        message = (
            "no finite maximum: a fitted logit exceeds ±15 (a sensitivity or false-positive "
            "rate is pushed to 0 or 1, e.g. every study has fn = 0)"
        )
    elif not stationary:
        message = f"no stationary point reached ({res.message})"
    else:
        message = "converged"
    vcov, vcov_method = _coefficient_covariance(with_gradient, x, q)
    return Estimates(coef, vcov, sigma, -value, converged, message, int(res.nit), vcov_method)


def _coefficient_covariance(
    fun: Callable[[Array], tuple[float, Array]], x: Array, q: int
) -> tuple[Array, str]:
    """Covariance of β from the finite-difference Hessian of −log L over (β, θ), as glmer's
    ``vcov()``; at a boundary where that Hessian is not positive definite, from the β block
    alone (conditional on θ), as glmer's fallback."""
    hess = numeric_hessian(lambda t: fun(t)[1], x, step=1e-4)
    try:
        np.linalg.cholesky(hess)
        return np.asarray(np.linalg.inv(hess)[:q, :q]), "observed information over β and θ"
    except np.linalg.LinAlgError:
        pass
    block = hess[:q, :q]
    try:
        np.linalg.cholesky(block)
    except np.linalg.LinAlgError:
        return np.full((q, q), np.nan), "not available (information matrix not positive definite)"
    return np.asarray(np.linalg.inv(block)), "observed information of β given θ (θ at the boundary)"
