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


# Closed-form 2×2 algebra: with L = [[a, 0], [b, c]] and D = diag(w₁, w₂),
#   η = offset + L u = (o₁ + a u₁, o₂ + b u₁ + c u₂),   Lᵀ g = (a g₁ + b g₂, c g₂),
#   Ω = Lᵀ D L + I = [[a² w₁ + b² w₂ + 1, b c w₂], [b c w₂, c² w₂ + 1]].
# Parameters broadcast against (B, k) or (B, k, m) arrays; the last axis of u, η is the outcome.


def _eta(offset: Array, theta: Array, u: Array) -> Array:
    """``η = offset + L u`` (``theta`` columns a, b, c shaped to broadcast against ``u[..., 0]``)."""
    a, b, c = theta
    return np.stack(
        [offset[..., 0] + a * u[..., 0], offset[..., 1] + b * u[..., 0] + c * u[..., 1]], axis=-1
    )


def _log_density(eta: Array, u: Array, y: Array, n: Array) -> Array:
    """``Σ_j [y η − n log(1 + e^η)] − ½‖u‖²`` over the last axis."""
    value = (y * eta - n * np.logaddexp(0.0, eta)).sum(axis=-1) - 0.5 * (u * u).sum(axis=-1)
    return np.asarray(value, dtype=np.float64)


def _omega(theta: Array, weight: Array) -> tuple[Array, Array, Array]:
    """Entries (Ω₁₁, Ω₁₂, Ω₂₂) of ``Lᵀ D L + I``."""
    a, b, c = theta
    w1, w2 = weight[..., 0], weight[..., 1]
    return a * a * w1 + b * b * w2 + 1.0, b * c * w2, c * c * w2 + 1.0


def _modes(offset: Array, theta: Array, y: Array, n: Array) -> tuple[Array, Array]:
    """Conditional modes ``û`` (B, k, 2) and the entries of ``Ω`` at them, by damped Newton
    (the conditional log-density is strictly concave)."""
    a, b, c = theta
    u = np.zeros(offset.shape)
    value = _log_density(_eta(offset, theta, u), u, y, n)
    for _ in range(100):
        p = special.expit(_eta(offset, theta, u))
        g = y - n * p
        g1 = a * g[..., 0] + b * g[..., 1] - u[..., 0]
        g2 = c * g[..., 1] - u[..., 1]
        o11, o12, o22 = _omega(theta, n * p * (1.0 - p))
        det = o11 * o22 - o12 * o12
        step = np.stack([(o22 * g1 - o12 * g2) / det, (o11 * g2 - o12 * g1) / det], axis=-1)
        scale = np.ones(u.shape[:-1])
        for _ in range(30):
            trial = u + scale[..., None] * step
            trial_value = _log_density(_eta(offset, theta, trial), trial, y, n)
            worse = trial_value < value - 1e-12 * np.abs(value)
            if not worse.any():
                break
            scale = np.where(worse, scale / 2, scale)
        u, value = trial, trial_value
        if float(np.max(np.abs(scale[..., None] * step))) < 1e-10:
            break
    p = special.expit(_eta(offset, theta, u))
    return u, np.stack(_omega(theta, n * p * (1.0 - p)), axis=-1)


def _marginal_logliks(
    params: Array, events: Array, totals: Array, design: Array, n_quadrature: int
) -> Array:
    """Approximate marginal log-likelihoods for a batch of parameter vectors (B, q + 3)."""
    q = design.shape[2]
    theta = params[:, q:].T[:, :, None]  # a, b, c each (B, 1)
    offset = np.einsum("kaq,bq->bka", design, params[:, :q])
    mode, omega = _modes(offset, theta, events, totals)
    # Ω = C Cᵀ (C lower triangular); nodes u = û + C⁻ᵀ z, i.e. solve Cᵀ x = z.
    c11 = np.sqrt(omega[..., 0])
    c21 = omega[..., 1] / c11
    c22 = np.sqrt(omega[..., 2] - c21 * c21)
    nodes, log_weights = _gauss_hermite_2d(n_quadrature)
    x2 = nodes[:, 1] / c22[..., None]
    x1 = (nodes[:, 0] - c21[..., None] * x2) / c11[..., None]
    points = mode[:, :, None, :] + np.stack([x1, x2], axis=-1)
    eta = _eta(offset[:, :, None, :], theta[..., None], points)
    density = _log_density(eta, points, events[:, None, :], totals[:, None, :])
    log_det = np.log(c11) + np.log(c22)
    per_study = special.logsumexp(density + log_weights, axis=2) - log_det - np.log(2 * np.pi)
    constant = (
        special.gammaln(totals + 1)
        - special.gammaln(events + 1)
        - special.gammaln(totals - events + 1)
    ).sum()
    return np.asarray(per_study.sum(axis=1) + constant, dtype=np.float64)


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
    params = np.concatenate([coef, theta])[None, :]
    events = np.asarray(events, dtype=np.float64)
    totals = np.asarray(totals, dtype=np.float64)
    return float(_marginal_logliks(params, events, totals, design, n_quadrature)[0])


def _steps(x: Array, relative: float) -> Array:
    return relative * np.maximum(1.0, np.abs(x))


def _gradient(batch: Callable[[Array], Array], x: Array) -> tuple[float, Array]:
    """Value and central-difference gradient, all points evaluated in one batch."""
    h = _steps(x, 1e-6)
    shifts = np.diag(h)
    values = batch(np.vstack([x[None, :], x + shifts, x - shifts]))
    p = len(x)
    return float(values[0]), (values[1 : p + 1] - values[p + 1 :]) / (2 * h)


def _hessian(batch: Callable[[Array], Array], x: Array) -> Array:
    """Central second differences ``[f(++) − f(+−) − f(−+) + f(−−)] / 4 h_i h_j`` in one batch."""
    h = _steps(x, 1e-4)
    p = len(x)
    signs = ((1, 1), (1, -1), (-1, 1), (-1, -1))
    points = np.array(
        [
            x + si * h[i] * np.eye(p)[i] + sj * h[j] * np.eye(p)[j]
            for i in range(p)
            for j in range(p)
            for si, sj in signs
        ]
    )
    f = batch(points).reshape(p, p, 4)
    hess = (f[..., 0] - f[..., 1] - f[..., 2] + f[..., 3]) / (4 * np.outer(h, h))
    return np.asarray(0.5 * (hess + hess.T), dtype=np.float64)


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

    def batch(points: Array) -> Array:
        values = -_marginal_logliks(points, events, totals, design, n_quadrature)
        return np.where(np.isfinite(values), values, np.inf)

    res = optimize.minimize(
        lambda x: _gradient(batch, x),
        x0,
        jac=True,
        method="BFGS",
        options={"gtol": 1e-9, "maxiter": max_iter},
    )
    x, grad = newton_polish(
        lambda t: _gradient(batch, t),
        np.asarray(res.x, dtype=np.float64),
        hessian=lambda t: _hessian(batch, t),
    )
    value = float(batch(x[None, :])[0])
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
    vcov, vcov_method = _coefficient_covariance(_hessian(batch, x), q)
    return Estimates(coef, vcov, sigma, -value, converged, message, int(res.nit), vcov_method)


def _coefficient_covariance(hess: Array, q: int) -> tuple[Array, str]:
    """Covariance of β from the finite-difference Hessian of −log L over (β, θ), as glmer's
    ``vcov()``; at a boundary where that Hessian is not positive definite, from the β block
    alone (conditional on θ), as glmer's fallback."""
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
