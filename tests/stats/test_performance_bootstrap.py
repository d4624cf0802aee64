"""Bootstrap intervals of a fixed model's performance against an independent slow oracle
(scikit-learn AUC, statsmodels GLM recalibration, NumPy quantiles on the same resamples)."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm
from sklearn.metrics import roc_auc_score

from leptodx.scale.runner import LocalRunner
from leptodx.stats._validation import StatsInputError
from leptodx.stats.performance_bootstrap import bootstrap_performance


@pytest.fixture
def cohort() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(4)
    lp = rng.normal(-0.3, 1.2, 300)
    y = (rng.random(300) < 1 / (1 + np.exp(-(0.2 + 0.8 * lp)))).astype(float)
    return y, lp


def _oracle(y: np.ndarray, lp: np.ndarray, n_boot: int, seed: int, level: float):
    rows_by_replicate = [
        np.random.default_rng(s).integers(0, y.size, y.size)
        for s in np.random.SeedSequence(seed).spawn(n_boot)
    ]
    values = []
    for rows in rows_by_replicate:
        yb, lb = y[rows], lp[rows]
        if yb.min() == yb.max():
            continue
        fit = sm.GLM(yb, sm.add_constant(lb), family=sm.families.Binomial()).fit(tol=1e-12)
        p = 1 / (1 + np.exp(-lb))
        values.append([roc_auc_score(yb, lb), *fit.params, np.mean((p - yb) ** 2)])
    alpha = (1 - level) / 2
    return np.quantile(np.array(values), [alpha, 1 - alpha], axis=0)


def test_percentile_intervals_match_the_slow_oracle(cohort) -> None:
    y, lp = cohort
    r = bootstrap_performance(y, lp, n_boot=200, random_state=11, level=0.9)
    low, high = _oracle(y, lp, 200, 11, 0.9)
    keys = ("auc", "intercept", "slope", "brier")
    np.testing.assert_allclose([r.lower[k] for k in keys], low, rtol=1e-7)
    np.testing.assert_allclose([r.upper[k] for k in keys], high, rtol=1e-7)
    assert r.lower["auc"] < r.estimate["auc"] < r.upper["auc"]
    assert r.n_failed == 0 and "B = 200" in r.method


def test_the_same_intervals_however_the_replicates_run(cohort) -> None:
    y, lp = cohort
    alone = bootstrap_performance(y, lp, n_boot=50, random_state=3)
    threads = bootstrap_performance(
        y, lp, n_boot=50, random_state=3, replicate_map=LocalRunner(4).replicates
    )
    assert alone == threads


def test_one_class_replicates_are_counted_and_bad_input_refused() -> None:
    y = np.zeros(20)
    y[[3, 15]] = 1.0  # 2 events in 20: about 1 resample in 8 has none
    lp = np.random.default_rng(0).normal(size=20)
    r = bootstrap_performance(y, lp, n_boot=60, random_state=1)
    assert 0 < r.n_failed < 60
    with pytest.raises(StatsInputError, match="n_boot"):
        bootstrap_performance(y, lp, n_boot=0, random_state=1)
    with pytest.raises(StatsInputError, match="lp"):
        bootstrap_performance(y, lp[:3], n_boot=5, random_state=1)
    with pytest.raises(StatsInputError, match="no replicate"):
        bootstrap_performance(np.array([1.0, 0.0]), np.array([0.5, 0.1]), n_boot=3, random_state=2)
