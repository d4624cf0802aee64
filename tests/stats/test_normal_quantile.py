"""The normal quantile is R's ``qnorm`` bit for bit (tests/reference_values/qnorm/qnorm.R),
without importing SciPy (docs/decisions/stats-normal-quantile-as-r.md)."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from leptodx.stats import critical_value, normal_quantile, wilson_ci

REFERENCE = Path(__file__).parents[1] / "reference_values" / "qnorm" / "qnorm.csv"


def _reference() -> list[tuple[float, float]]:
    with REFERENCE.open() as f:
        return [(float(r["p"]), float(r["qnorm"])) for r in csv.DictReader(f)]


def test_every_reference_quantile_is_the_same_double_as_r() -> None:
    rows = _reference()
    assert len(rows) > 300
    different = [(p, q, normal_quantile(p)) for p, q in rows if normal_quantile(p) != q]
    assert different == []


@pytest.mark.parametrize(
    ("level", "r_value"),
    [(0.95, 1.9599639845400536), (0.9, 1.6448536269514715), (0.99, 2.5758293035488999)],
)
def test_critical_value_is_r_qnorm_of_the_upper_tail(level: float, r_value: float) -> None:
    assert critical_value(level) == r_value


def test_quantile_is_symmetric_and_inverts_the_distribution_function() -> None:
    from scipy.special import ndtr

    for p in (0.01, 0.2, 0.5, 0.7, 0.999):  # 1 − p exact in binary for these
        assert normal_quantile(p) == pytest.approx(-normal_quantile(1 - p), rel=1e-12, abs=1e-15)
    for p in (1e-300, 1e-12, 0.01, 0.2, 0.5, 0.7, 0.999):
        assert float(ndtr(normal_quantile(p))) == pytest.approx(p, rel=1e-13)


def test_a_wilson_interval_imports_neither_scipy_nor_statsmodels() -> None:
    code = (
        "import sys; from leptodx.stats import wilson_ci; wilson_ci(7, 31); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'scipy', 'statsmodels'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert wilson_ci(7, 31).ci[0] < 7 / 31 < wilson_ci(7, 31).ci[1]
