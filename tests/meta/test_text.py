"""Numbers for people: percentages with CI, ratios without exponent notation."""

from __future__ import annotations

import pytest

from leptodx.meta.text import difference, percent, ratio, significant


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0655, "0.0655"),
        (1.0, "1.00"),
        (20.14, "20.1"),
        (99.96, "100"),
        (307.2, "307"),
        (1220.4, "1220"),
        (0.00004, "4.0e-05"),
    ],
)
def test_three_significant_digits(value: float, text: str) -> None:
    assert significant(value) == text


def test_percent_ratio_and_difference_texts() -> None:
    assert (
        percent({"estimate": 0.938, "ci_lower": 0.835, "ci_upper": 0.978}, 0.95)
        == "93.8 % (95 % CI 83.5–97.8)"
    )
    assert (
        ratio({"estimate": 307.2, "ci_lower": 77.0, "ci_upper": 1220.4}, 0.9)
        == "307 (90 % CI 77.0–1220)"
    )
    assert percent(None, 0.95) == ratio(None, 0.95) == "—"
    entry = {"estimate": -0.756, "ci_lower": -1.364, "ci_upper": -0.148, "p_value": 0.0147}
    assert difference(entry, 0.95) == "−0.76 (95 % CI −1.36 to −0.15), p = 0.015"
    assert difference({**entry, "p_value": 1e-5}, 0.95).endswith("p < 0.001")
