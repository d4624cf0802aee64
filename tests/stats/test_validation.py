"""Harrell bootstrap validation: rms validate (Monte-Carlo tolerance) and a slow oracle."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from sklearn.metrics import roc_auc_score

from leptodx.stats import bootstrap_validate, lasso_procedure, logistic_procedure

REF_DIR = Path(__file__).parents[1] / "reference_values" / "models"
RMS = json.loads((REF_DIR / "validate_reference.json").read_text())
DATA = pd.read_csv(REF_DIR / "models.csv")
X = DATA[[f"x{i}" for i in range(1, 7)]].to_numpy()
Y = DATA.y.to_numpy()


@pytest.fixture(scope="module")
def result():
    return bootstrap_validate(logistic_procedure(), X, Y, n_boot=800, random_state=11)


def test_apparent_indices_equal_rms(result) -> None:
    assert result.apparent["auc"] == pytest.approx((RMS["apparent"]["Dxy"] + 1) / 2, rel=1e-10)
    assert result.apparent["brier"] == pytest.approx(RMS["apparent"]["B"], rel=1e-10)
    assert result.apparent["slope"] == pytest.approx(1.0, abs=1e-9)
    assert result.apparent["intercept"] == pytest.approx(0.0, abs=1e-9)


def test_optimism_agrees_with_rms_within_monte_carlo_error(result) -> None:
    # rms B = 4000; here B = 800: tolerances are several Monte-Carlo SEs of each index
    assert result.optimism["auc"] == pytest.approx(RMS["optimism"]["Dxy"] / 2, abs=0.003)
    assert result.optimism["slope"] == pytest.approx(RMS["optimism"]["Slope"], abs=0.012)
    assert result.optimism["brier"] == pytest.approx(RMS["optimism"]["B"], abs=0.0015)
    assert result.optimism["intercept"] == pytest.approx(RMS["optimism"]["Intercept"], abs=0.02)


def test_one_resample_equals_a_slow_statsmodels_oracle() -> None:
    seed = 5
    fast = bootstrap_validate(logistic_procedure(), X, Y, n_boot=1, random_state=seed)
    idx = np.random.default_rng(seed).integers(0, Y.size, size=(1, Y.size))[0]
    fit = sm.Logit(Y[idx], sm.add_constant(X[idx])).fit(disp=0, tol=1e-12)
    lp_train, lp_test = sm.add_constant(X[idx]) @ fit.params, sm.add_constant(X) @ fit.params
    auc_opt = roc_auc_score(Y[idx], lp_train) - roc_auc_score(Y, lp_test)
    slope_test = sm.Logit(Y, sm.add_constant(lp_test)).fit(disp=0, tol=1e-12).params[1]
    assert fast.optimism["auc"] == pytest.approx(auc_opt, rel=1e-9)
    assert fast.optimism["slope"] == pytest.approx(1.0 - slope_test, rel=1e-6)


def test_results_do_not_depend_on_threads() -> None:
    a = bootstrap_validate(logistic_procedure(), X, Y, n_boot=30, random_state=2, n_jobs=1)
    b = bootstrap_validate(logistic_procedure(), X, Y, n_boot=30, random_state=2, n_jobs=2)
    assert a.optimism == b.optimism


def test_lasso_selection_is_repeated_in_every_resample() -> None:
    result = bootstrap_validate(lasso_procedure(n_folds=5), X, Y, n_boot=10, random_state=3)
    assert result.n_failed == 0
    assert 0.5 < result.corrected["auc"] < result.apparent["auc"]
