"""Logistic regression, calibration and cv.glmnet against R (tests/reference_values/models)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import optimize

from leptodx.stats import (
    LogisticModel,
    SeparationError,
    StatsInputError,
    calibration,
    calibration_curve,
    cv_glmnet,
    likelihood_ratio_test,
)

REF_DIR = Path(__file__).parents[1] / "reference_values" / "models"
REF = json.loads((REF_DIR / "models_reference.json").read_text())
DATA = pd.read_csv(REF_DIR / "models.csv")
X = DATA[[f"x{i}" for i in range(1, 7)]].to_numpy()
Y = DATA.y.to_numpy()


def test_logistic_estimates_match_glm_at_full_convergence() -> None:
    model = LogisticModel().fit(X, Y)
    ref = REF["logistic"]
    summary = model.summary()
    assert [c.estimate for c in summary] == pytest.approx(ref["estimate"], rel=1e-8)
    assert [c.se for c in summary] == pytest.approx(ref["se"], rel=1e-8)
    assert [c.z for c in summary] == pytest.approx(ref["z"], rel=1e-8)
    assert [c.p_value for c in summary] == pytest.approx(ref["p"], rel=1e-7)
    assert model.deviance_ == pytest.approx(ref["deviance"], rel=1e-10)


def test_likelihood_ratio_test_matches_anova() -> None:
    full = LogisticModel().fit(X, Y)
    reduced = LogisticModel().fit(X[:, :2], Y)
    result = likelihood_ratio_test(full, reduced)
    ref = REF["lr_test"]
    assert (result.statistic, result.df) == (pytest.approx(ref["statistic"], rel=1e-8), ref["df"])
    assert result.p_value == pytest.approx(ref["p"], rel=1e-7)


def test_firth_estimates_maximise_the_penalised_likelihood() -> None:
    """Independent oracle: scipy's BFGS on ℓ(β) + ½ log|I(β)| (Firth 1993)."""
    x = np.column_stack([DATA.x1, (DATA.y * 2.5 + DATA.x2 * 0.1)])
    design = np.column_stack([np.ones(len(Y)), x])

    def neg_penalised(beta: np.ndarray) -> float:
        eta = design @ beta
        p = 1 / (1 + np.exp(-eta))
        info = design.T @ (design * (p * (1 - p))[:, None])
        return -(np.sum(Y * eta - np.logaddexp(0, eta)) + 0.5 * np.linalg.slogdet(info)[1])

    oracle = optimize.minimize(neg_penalised, np.zeros(3), method="BFGS", options={"gtol": 1e-10}).x
    with pytest.raises(SeparationError, match="separated by x2"):
        LogisticModel().fit(x, Y, feature_names=["x1", "x2"])
    firth = LogisticModel(firth=True).fit(x, Y, feature_names=["x1", "x2"])
    assert firth.coef_ == pytest.approx(oracle, rel=1e-5)


def test_collinear_predictors_are_named_as_a_problem() -> None:
    with pytest.raises(StatsInputError, match="collinear"):
        LogisticModel().fit(np.column_stack([X[:, 0], 2 * X[:, 0]]), Y)


def test_calibration_statistics_match_r() -> None:
    ref = REF["calibration"]
    result = calibration(Y, DATA.p)
    assert result.intercept == pytest.approx(ref["intercept"], rel=1e-8)
    assert result.slope == pytest.approx(ref["slope"], rel=1e-8)
    assert result.brier == pytest.approx(ref["brier"], rel=1e-10)
    for key in ("ici", "e50", "e90", "emax"):
        assert getattr(result, key) == pytest.approx(ref[key], rel=1e-4)
    half = 1.959963984540054 * ref["slope_se"]
    assert result.slope_ci == pytest.approx((ref["slope"] - half, ref["slope"] + half), rel=1e-7)


def test_calibration_curve_band_contains_the_curve() -> None:
    curve = calibration_curve(Y, DATA.p, n_points=25)
    assert np.all(curve.lower <= curve.observed + 1e-12) and np.all(
        curve.observed <= curve.upper + 1e-12
    )
    assert curve.predicted[0] == pytest.approx(DATA.p.min())


def test_probability_of_exactly_one_is_refused_for_calibration() -> None:
    p = DATA.p.to_numpy().copy()
    p[0] = 1.0
    with pytest.raises(StatsInputError, match="exactly 0 or 1"):
        calibration(Y, p)


@pytest.mark.parametrize(("key", "alpha"), [("cv_lasso", 1.0), ("cv_enet", 0.5)])
def test_cv_glmnet_matches_r_with_the_same_folds(key: str, alpha: float) -> None:
    ref = REF[key]
    result = cv_glmnet(X, Y, alpha=alpha, foldid=DATA.foldid)
    assert result.lambdas == pytest.approx(ref["lambda"], rel=1e-12)
    assert result.cv_mean == pytest.approx(ref["cvm"], rel=1e-12)
    assert result.cv_se == pytest.approx(ref["cvsd"], rel=1e-11)
    assert result.lambda_min == pytest.approx(ref["lambda_min"], rel=1e-10)
    assert result.lambda_1se == pytest.approx(ref["lambda_1se"], rel=1e-10)
    assert list(result.coef("lambda_min").values()) == pytest.approx(ref["coef_min"], abs=1e-12)
    assert list(result.coef("lambda_1se").values()) == pytest.approx(ref["coef_1se"], abs=1e-12)


def test_fewer_events_than_folds_is_refused() -> None:
    y = np.zeros(100, dtype=int)
    y[:4] = 1
    with pytest.raises(StatsInputError, match="fewer than the 10 folds"):
        cv_glmnet(np.random.default_rng(0).normal(size=(100, 3)), y, n_folds=10, random_state=0)


def test_calibration_curve_on_a_large_cohort_uses_an_approximate_band() -> None:
    rng = np.random.default_rng(8)
    n = 60_000
    p = rng.uniform(0.02, 0.98, n)
    y = (rng.random(n) < p).astype(int)
    curve = calibration_curve(y, p, n_points=20)
    assert curve.band_method.startswith("approximate")
    assert np.all(curve.upper - curve.lower < 0.1)
    assert (
        np.max(np.abs(curve.observed - curve.predicted)) < 0.05
    )  # well calibrated by construction


def test_cv_glmnet_gives_the_same_result_on_one_or_several_threads() -> None:
    one = cv_glmnet(X, Y, foldid=DATA.foldid, n_jobs=1)
    three = cv_glmnet(X, Y, foldid=DATA.foldid, n_jobs=3)
    np.testing.assert_array_equal(one.cv_mean, three.cv_mean)
    np.testing.assert_array_equal(one.coef_path, three.coef_path)
