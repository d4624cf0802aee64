"""Axis ticks: R's pretty() (reference values from R 4.2.2) and odds-ratio ticks."""

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leptodx.reports.ticks import pretty, ratio_ticks

REFERENCE = json.loads(
    (
        Path(__file__).parents[1] / "reference_values" / "pretty" / "pretty_reference.json"
    ).read_text()
)


@pytest.mark.parametrize(
    "case", REFERENCE["cases"], ids=lambda c: f"[{c['low']},{c['high']}]n={c['n']}"
)
def test_pretty_gives_the_ticks_of_r(case) -> None:
    ticks = pretty(case["low"], case["high"], case["n"])
    np.testing.assert_allclose(ticks, case["ticks"], rtol=1e-13, atol=1e-300)


def test_pretty_refuses_a_reversed_or_infinite_range() -> None:
    with pytest.raises(ValueError, match="expected finite low ≤ high"):
        pretty(2, 1)
    with pytest.raises(ValueError, match="expected finite"):
        pretty(0, float("inf"))


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (0.3, 6.5, [0.25, 0.5, 1, 2, 4, 8]),  # the doublings of the issue
        (1.1, 3.2, [1, 2, 4]),  # 1 is always on the axis
        (0.15, 9, [0.125, 0.25, 0.5, 1, 2, 4, 8, 16]),
        (0.15, 20, [0.1, 0.2, 0.5, 1, 2, 5, 10, 20]),
        (0.02, 40, [0.01, 0.1, 1, 10, 100]),
        (0.001, 5000, [0.001, 0.01, 0.1, 1, 10, 100, 1000, 10000]),
        (0.92, 1.18, [0.9, 0.95, 1, 1.05, 1.1, 1.15, 1.2]),
        (1.0, 1.0, [1.0]),
    ],
)
def test_ratio_ticks_cover_the_data_and_one_with_round_values(low, high, expected) -> None:
    ticks = ratio_ticks(low, high)
    assert ticks.tolist() == pytest.approx(expected)


def test_ratio_ticks_never_exceed_the_maximum_count_when_a_coarser_ladder_exists() -> None:
    for high in (3.0, 30.0, 300.0, 3e4, 3e6, 1e12):
        ticks = ratio_ticks(1 / high, high)
        assert 3 <= ticks.size <= 8
        assert ticks.min() <= 1 / high and ticks.max() >= high
        assert 1.0 in ticks.tolist()


@settings(max_examples=300, deadline=None)
@given(
    low=st.floats(-1e6, 1e6, allow_nan=False),
    width=st.floats(1e-3, 1e6, allow_nan=False),
    n=st.integers(2, 10),
)
def test_pretty_ticks_cover_the_range_with_one_round_step(low, width, n) -> None:
    high = low + width
    ticks = pretty(low, high, n)
    steps = np.diff(ticks)
    step = (ticks[-1] - ticks[0]) / steps.size
    # R zaps |tick| < 1e-14 step to 0 and allows 1e-10 step of slack (rounding_eps)
    assert ticks[0] <= low + 1e-10 * step and ticks[-1] >= high - 1e-10 * step
    np.testing.assert_allclose(steps, step, atol=1e-12 * np.abs(ticks).max())
    mantissa = step / 10 ** np.floor(np.log10(step) + 1e-12)
    assert min(abs(mantissa - m) for m in (1, 2, 5, 10)) < 1e-6
    assert n // 3 <= steps.size <= 2 * n + 2
