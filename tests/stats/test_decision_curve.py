"""Decision curves against the definition evaluated threshold by threshold (Vickers 2006)."""

from __future__ import annotations

import numpy as np
import pytest

from leptodx.stats import StatsInputError, decision_curve


def slow_net_benefit(y: np.ndarray, p: np.ndarray, t: float) -> float:
    treat = p >= t
    n = y.size
    return (treat & (y == 1)).sum() / n - (treat & (y == 0)).sum() / n * t / (1 - t)


@pytest.fixture
def cohort() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(11)
    y = (rng.random(800) < 0.3).astype(int)
    p = np.clip(np.round(0.3 + 0.25 * (y - 0.3) + rng.normal(0, 0.15, 800), 2), 0.01, 0.99)
    q = np.clip(p + rng.normal(0, 0.1, 800), 0.0, 1.0)
    return y, p, q


def test_net_benefit_matches_definition_at_every_threshold(cohort) -> None:
    y, p, q = cohort
    t = np.arange(0.05, 0.96, 0.05)
    curve = decision_curve(y, {"model": p, "other": q}, t)
    for i, ti in enumerate(t):
        assert curve.net_benefit["model"][i] == pytest.approx(slow_net_benefit(y, p, ti), abs=1e-14)
        assert curve.net_benefit["other"][i] == pytest.approx(slow_net_benefit(y, q, ti), abs=1e-14)
        assert curve.net_benefit["all"][i] == pytest.approx(
            slow_net_benefit(y, np.ones_like(p), ti), abs=1e-14
        )
    assert np.all(curve.net_benefit["none"] == 0.0)


def test_interventions_avoided_and_standardized_net_benefit(cohort) -> None:
    y, p, _ = cohort
    t = np.array([0.1, 0.2, 0.4])
    curve = decision_curve(y, {"model": p}, t)
    odds = t / (1 - t)
    expected = (curve.net_benefit["model"] - curve.net_benefit["all"]) / odds * 100
    assert curve.interventions_avoided_per_100["model"] == pytest.approx(expected)
    assert curve.standardized_net_benefit["model"] == pytest.approx(
        curve.net_benefit["model"] / y.mean()
    )


def test_bootstrap_band_is_seeded_and_brackets_the_estimate(cohort) -> None:
    y, p, _ = cohort
    t = np.array([0.1, 0.3])
    a = decision_curve(y, {"m": p}, t, n_boot=200, random_state=5)
    b = decision_curve(y, {"m": p}, t, n_boot=200, random_state=5)
    low, high = a.bands["m"]
    assert np.array_equal(low, b.bands["m"][0])
    assert np.all(low <= a.net_benefit["m"]) and np.all(a.net_benefit["m"] <= high)


@pytest.mark.parametrize("t", [[0.0, 0.2], [0.5, 1.0]])
def test_threshold_of_zero_or_one_is_refused(cohort, t) -> None:
    y, p, _ = cohort
    with pytest.raises(StatsInputError, match="strictly between 0 and 1"):
        decision_curve(y, {"m": p}, t)


def test_probabilities_outside_unit_interval_are_refused(cohort) -> None:
    y, p, _ = cohort
    with pytest.raises(StatsInputError, match=r"outside \[0, 1\]"):
        decision_curve(y, {"m": p * 3}, [0.2])
