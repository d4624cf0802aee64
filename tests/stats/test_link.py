"""The one logistic link: expit/logit against SciPy's special functions (R plogis/qlogis)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import special

from leptodx.stats import expit, logit

finite = st.floats(-700, 700, allow_nan=False)


@given(st.lists(finite, min_size=1, max_size=50))
def test_expit_equals_scipy_to_a_few_ulp(values: list[float]) -> None:
    x = np.array(values)
    np.testing.assert_allclose(expit(x), special.expit(x), rtol=4e-16, atol=0)


@given(st.floats(1e-300, 1 - 1e-16))
def test_logit_inverts_expit(p: float) -> None:
    assert float(expit(logit(p))) == pytest.approx(p, rel=1e-12)


def test_far_tails_give_the_float_limits_without_warnings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert expit(-800.0) == 0.0 and expit(800.0) == 1.0
        assert logit(np.array([0.0, 1.0])).tolist() == [-np.inf, np.inf]


def test_scalars_stay_scalars() -> None:
    assert float(expit(0.0)) == 0.5 and float(logit(0.5)) == 0.0


def test_no_module_writes_its_own_logistic_function() -> None:
    """The link lives once in leptodx.stats.link (issue 16): no hand-written copies elsewhere."""
    import re
    from pathlib import Path

    root = Path(__file__).parents[2] / "src" / "leptodx"
    copies = re.compile(
        r"1(\.0)?\s*/\s*\(1(\.0)?\s*\+\s*np\.exp\(|np\.tanh\(0\.5|np\.log\(\w+ / \(1"
    )
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.name != "link.py" and copies.search(path.read_text())
    ]
    assert offenders == []
