"""Slow oracles for the fast code: dense REML likelihoods, brute-force integrals, geometry."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, optimize, special, stats

from leptodx.meta._covariance import covariance_from_factor
from leptodx.meta.bivariate import _objective, fit_reitsma
from leptodx.meta.glmm import marginal_loglik
from leptodx.meta.summary import hsroc, region, summary_point
from leptodx.meta.univariate import fit_univariate

COUNTS = np.array(  # tp, fp, fn, tn — tests/reference_values/meta/heterogeneous.csv, first 8
    [[44, 43, 8, 77], [114, 13, 2, 89], [41, 1, 20, 37], [29, 14, 1, 43],
     [78, 42, 25, 75], [22, 2, 5, 145], [106, 3, 13, 141], [76, 11, 20, 90]],
    dtype=float,
)  # fmt: skip
Y = np.column_stack([np.log(COUNTS[:, 0] / COUNTS[:, 2]), np.log(COUNTS[:, 1] / COUNTS[:, 3])])
S = np.column_stack([1 / COUNTS[:, 0] + 1 / COUNTS[:, 2], 1 / COUNTS[:, 1] + 1 / COUNTS[:, 3]])


def dense_reml(params: np.ndarray) -> float:
    """−REML log-likelihood with full 2k × 2k matrices, Σ from (log τ₁, log τ₂, atanh ρ)."""
    t1, t2, r = np.exp(params[0]), np.exp(params[1]), np.tanh(params[2])
    sigma = np.array([[t1 * t1, r * t1 * t2], [r * t1 * t2, t2 * t2]])
    k = len(Y)
    v = np.kron(np.eye(k), sigma) + np.diag(S.ravel())
    x = np.tile(np.eye(2), (k, 1))
    w = np.linalg.inv(v)
    a = x.T @ w @ x
    beta = np.linalg.solve(a, x.T @ w @ Y.ravel())
    r_ = Y.ravel() - x @ beta
    return 0.5 * (np.linalg.slogdet(v)[1] + np.linalg.slogdet(a)[1] + r_ @ w @ r_)


def test_reitsma_optimum_is_the_dense_reml_maximum() -> None:
    fit = fit_reitsma(Y, S)
    oracle = optimize.minimize(
        dense_reml, [0.0, 0.0, 0.0], method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-13, "maxiter": 20000},
    )  # fmt: skip
    t1, t2, r = np.exp(oracle.x[0]), np.exp(oracle.x[1]), np.tanh(oracle.x[2])
    assert fit.converged
    assert fit.tau2 == pytest.approx((t1 * t1, t2 * t2), abs=1e-5)
    assert fit.sigma[0, 1] / math.sqrt(fit.tau2[0] * fit.tau2[1]) == pytest.approx(r, abs=1e-5)
    theta = np.array([math.sqrt(fit.tau2[0]), 0.0, 0.0])
    theta[1] = fit.sigma[0, 1] / theta[0]
    theta[2] = math.sqrt(fit.sigma[1, 1] - theta[1] ** 2)
    dense_at_ours = dense_reml(
        np.array([0.5 * math.log(fit.tau2[0]), 0.5 * math.log(fit.tau2[1]),
                  math.atanh(fit.sigma[0, 1] / math.sqrt(fit.tau2[0] * fit.tau2[1]))])
    )  # fmt: skip
    assert dense_at_ours <= oracle.fun + 1e-10
    assert _objective(theta, Y, S, np.broadcast_to(np.eye(2), (len(Y), 2, 2)).copy())[0] == (
        pytest.approx(dense_at_ours + 0.5 * (2 * len(Y) - 2) * math.log(2 * math.pi)
                      - 0.5 * math.log(len(Y) ** 2), abs=1e-9)
    )  # fmt: skip


def test_reml_gradient_matches_finite_differences() -> None:
    design = np.broadcast_to(np.eye(2), (len(Y), 2, 2)).copy()
    theta = np.array([0.8, -0.3, 0.9])
    _, grad = _objective(theta, Y, S, design)
    numeric = optimize.approx_fprime(theta, lambda t: _objective(t, Y, S, design)[0], 1e-7)
    assert grad == pytest.approx(numeric, rel=1e-5, abs=1e-6)


def test_univariate_tau2_maximises_the_restricted_likelihood() -> None:
    y, v = Y[:, 0], S[:, 0]

    def neg(tau2: float) -> float:
        w = 1 / (v + tau2)
        mu = w @ y / w.sum()
        return 0.5 * (np.log(v + tau2).sum() + math.log(w.sum()) + w @ (y - mu) ** 2)

    oracle = optimize.minimize_scalar(
        neg, bounds=(0, 10), method="bounded", options={"xatol": 1e-12}
    )
    assert fit_univariate(y, v).tau2 == pytest.approx(oracle.x, abs=1e-7)


def test_univariate_tau2_is_zero_without_excess_heterogeneity() -> None:
    fit = fit_univariate(np.array([1.0, 1.01, 0.99]), np.array([0.5, 0.4, 0.6]))
    assert fit.tau2 == 0.0
    assert fit.i2_percent == 0.0


def brute_force_loglik(
    coef: np.ndarray, theta: np.ndarray, events: np.ndarray, totals: np.ndarray
) -> float:
    """∑ log ∫∫ p(y | b) φ(b; 0, Σ) db on a 400 × 400 Gauss–Legendre grid over ±9 SD (slow
    oracle: non-adaptive, in the original b scale, no conditional modes)."""
    sigma = covariance_from_factor(theta)
    sd = np.sqrt(np.diag(sigma))
    nodes, weights = np.polynomial.legendre.leggauss(400)
    b1, b2 = 9 * sd[0] * nodes, 9 * sd[1] * nodes
    w = np.outer(weights, weights) * 81 * sd[0] * sd[1]
    grid = np.stack(np.meshgrid(b1, b2, indexing="ij"), axis=-1)
    density = stats.multivariate_normal(np.zeros(2), sigma).pdf(grid)
    total = 0.0
    for (tp, fp), (n1, n0) in zip(events, totals, strict=True):
        likelihood = (
            stats.binom.pmf(tp, n1, special.expit(coef[0] + b1))[:, None]
            * (stats.binom.pmf(fp, n0, special.expit(coef[1] + b2))[None, :])
        )
        total += math.log(float((likelihood * density * w).sum()))
    return total


def test_adaptive_quadrature_converges_to_the_exact_marginal_likelihood() -> None:
    events = np.array([[3.0, 1.0], [9.0, 0.0], [4.0, 5.0]])
    totals = np.array([[6.0, 12.0], [10.0, 20.0], [8.0, 15.0]])
    coef, theta = np.array([0.7, -1.8]), np.array([0.9, -0.3, 0.6])
    design = np.broadcast_to(np.eye(2), (3, 2, 2)).copy()
    exact = brute_force_loglik(coef, theta, events, totals)
    aghq = marginal_loglik(coef, theta, events, totals, design, n_quadrature=15)
    laplace = marginal_loglik(coef, theta, events, totals, design, n_quadrature=1)
    assert aghq == pytest.approx(exact, abs=1e-7)
    assert abs(laplace - exact) > 1e-4  # the Laplace approximation is visibly inexact here


def test_summary_measures_are_consistent() -> None:
    mu, vcov = np.array([1.3, -2.1]), np.array([[0.04, -0.01], [-0.01, 0.03]])
    point = summary_point(mu, vcov)
    sens, spec = point.sensitivity.estimate, point.specificity.estimate
    assert sens == pytest.approx(special.expit(1.3))
    assert point.dor.estimate == pytest.approx(
        point.lr_positive.estimate / point.lr_negative.estimate
    )
    assert point.lr_positive.estimate == pytest.approx(sens / (1 - spec))
    assert point.lr_negative.estimate == pytest.approx((1 - sens) / spec)
    assert point.specificity.ci_lower < spec < point.specificity.ci_upper


def test_regions_are_chi_square_ellipses_in_logit_space() -> None:
    mu, cov = np.array([1.0, -2.0]), np.array([[0.2, -0.05], [-0.05, 0.1]])
    fpr, sens = region(mu, cov, 0.95)
    points = np.column_stack([special.logit(sens), special.logit(fpr)]) - mu
    distance = np.einsum("ni,ij,nj->n", points, np.linalg.inv(cov), points)
    assert distance == pytest.approx(np.full(len(points), stats.chi2.ppf(0.95, 2)))


@settings(max_examples=40, deadline=None)
@given(
    mu1=st.floats(-3, 4), mu2=st.floats(-5, 1), tau1=st.floats(0.1, 2), tau2=st.floats(0.1, 2),
    rho=st.floats(-0.95, 0.95),
)  # fmt: skip
def test_hsroc_curve_passes_through_the_summary_point_and_auc_is_its_integral(
    mu1: float, mu2: float, tau1: float, tau2: float, rho: float
) -> None:
    sigma = np.array([[tau1**2, rho * tau1 * tau2], [rho * tau1 * tau2, tau2**2]])
    curve = hsroc(np.array([mu1, mu2]), sigma)
    assert curve is not None
    assert curve.sensitivity(np.array([special.expit(mu2)]))[0] == pytest.approx(special.expit(mu1))
    grid = np.linspace(0, 1, 200001)[1:-1]
    auc = curve.auc()
    assert 0.0 <= auc <= 1.0
    assert auc == pytest.approx(integrate.trapezoid(curve.sensitivity(grid), grid), abs=2e-4)
    assert np.all(np.diff(curve.sensitivity(grid[::1000])) >= 0)  # increasing in FPR


def test_hsroc_is_undefined_when_a_variance_is_zero() -> None:
    assert hsroc(np.array([1.0, -2.0]), np.diag([0.0, 0.3])) is None
