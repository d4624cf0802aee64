"""Harrell bootstrap validation: rms validate (Monte-Carlo tolerance) and a slow oracle."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from sklearn.metrics import roc_auc_score

from leptodx.stats import (
    SeparationError,
    bootstrap_validate,
    lasso_procedure,
    logistic_procedure,
)
from leptodx.stats.validation import LogisticProcedure, optimism_replicate, replicate_seeds

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
    # the documented stream: replicate b of B draws from SeedSequence(seed).spawn(B)[b]
    idx = np.random.default_rng(np.random.SeedSequence(seed).spawn(1)[0]).integers(
        0, Y.size, Y.size
    )
    fit = sm.Logit(Y[idx], sm.add_constant(X[idx])).fit(disp=0, tol=1e-12)
    lp_train, lp_test = sm.add_constant(X[idx]) @ fit.params, sm.add_constant(X) @ fit.params
    auc_opt = roc_auc_score(Y[idx], lp_train) - roc_auc_score(Y, lp_test)
    slope_test = sm.Logit(Y, sm.add_constant(lp_test)).fit(disp=0, tol=1e-12).params[1]
    assert fast.optimism["auc"] == pytest.approx(auc_opt, rel=1e-9)
    assert fast.optimism["slope"] == pytest.approx(1.0 - slope_test, rel=1e-6)


@pytest.mark.parametrize("threshold", [0, 10**12])  # compiled kernel, Python path
def test_results_do_not_depend_on_threads(threshold: int, monkeypatch: pytest.MonkeyPatch) -> None:
    from leptodx.stats import validation

    monkeypatch.setattr(validation, "COMPILED_FROM", threshold)
    a = bootstrap_validate(logistic_procedure(), X, Y, n_boot=30, random_state=2, n_jobs=1)
    b = bootstrap_validate(logistic_procedure(), X, Y, n_boot=30, random_state=2, n_jobs=2)
    assert a.optimism == b.optimism


def test_lasso_selection_is_repeated_in_every_resample() -> None:
    result = bootstrap_validate(lasso_procedure(n_folds=5), X, Y, n_boot=10, random_state=3)
    assert result.n_failed == 0
    assert 0.5 < result.corrected["auc"] < result.apparent["auc"]


def _plain_logistic(x: np.ndarray, y: np.ndarray):
    """The same model as logistic_procedure() but opaque to bootstrap_validate (generic path)."""
    return LogisticProcedure()(x, y)


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run plain logistic replicates in the compiled kernel whatever the size."""
    from leptodx.stats import validation

    monkeypatch.setattr(validation, "COMPILED_FROM", 0)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.usefixtures("compiled")
def test_compiled_logistic_replicates_equal_the_generic_path(seed: int) -> None:
    fast = bootstrap_validate(logistic_procedure(), X, Y, n_boot=40, random_state=seed)
    slow = bootstrap_validate(_plain_logistic, X, Y, n_boot=40, random_state=seed)
    assert fast.n_failed == slow.n_failed
    for key in fast.optimism:
        assert fast.optimism[key] == pytest.approx(slow.optimism[key], rel=1e-9, abs=1e-11)
    assert fast.apparent == slow.apparent


def test_each_replicate_depends_only_on_its_own_stream() -> None:
    """Replicate b computed alone equals its share of the whole run (what Dask relies on)."""
    seeds = replicate_seeds(4, 12)
    y = Y.astype(float)
    alone = [optimism_replicate(_plain_logistic, X, y, seeds[b]) for b in (11, 3, 7)]
    whole = bootstrap_validate(_plain_logistic, X, Y, n_boot=12, random_state=4)
    every = np.array([optimism_replicate(_plain_logistic, X, y, s) for s in seeds])
    assert np.allclose(every[[11, 3, 7]], np.array(alone), rtol=0, atol=0)
    assert list(whole.optimism.values()) == pytest.approx(every.mean(axis=0).tolist(), rel=1e-12)


def test_a_generator_seeds_the_same_streams_as_its_seed_sequence() -> None:
    rng = np.random.default_rng(9)
    expected = np.random.SeedSequence(9).spawn(3)
    assert [s.spawn_key for s in replicate_seeds(rng, 3)] == [s.spawn_key for s in expected]
    assert [s.entropy for s in replicate_seeds(rng, 3)] == [9, 9, 9]


@pytest.mark.usefixtures("compiled")
def test_failed_resamples_are_counted_alike_on_both_paths() -> None:
    rng = np.random.default_rng(4)
    x = rng.normal(size=(40, 2))
    y = (x[:, 0] + 0.8 * rng.normal(size=40) > 1.0).astype(int)  # 10 events
    fast = bootstrap_validate(logistic_procedure(), x, y, n_boot=60, random_state=1)
    slow = bootstrap_validate(_plain_logistic, x, y, n_boot=60, random_state=1)
    assert fast.n_failed == slow.n_failed > 0  # separated resamples
    for key in fast.optimism:
        assert fast.optimism[key] == pytest.approx(slow.optimism[key], rel=1e-9, abs=1e-11)


def test_a_separated_cohort_is_refused_before_resampling() -> None:
    x = np.arange(20.0)[:, None]
    y = (x[:, 0] > 9).astype(int)
    with pytest.raises(SeparationError, match="separated"):
        bootstrap_validate(logistic_procedure(), x, y, n_boot=5, random_state=0)
