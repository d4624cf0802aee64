"""Proportions and 2×2 tests against base R (tests/reference_values/roc/roc_reference.json)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from leptodx.stats import (
    StatsInputError,
    chi_square_test,
    clopper_pearson_ci,
    fisher_exact,
    mcnemar_exact,
    wilson_ci,
)

REF = json.loads(
    (Path(__file__).parents[1] / "reference_values" / "roc" / "roc_reference.json").read_text()
)


@pytest.mark.parametrize("case", REF["proportions"], ids=lambda c: f"{c['events']}/{c['n']}")
def test_wilson_and_exact_intervals_match_r(case: dict) -> None:
    assert wilson_ci(case["events"], case["n"]).ci == pytest.approx(
        tuple(case["wilson"]), rel=1e-8, abs=1e-12
    )
    assert clopper_pearson_ci(case["events"], case["n"]).ci == pytest.approx(
        tuple(case["exact"]), rel=1e-8, abs=1e-12
    )


@pytest.mark.parametrize("case", REF["tables"], ids=lambda c: str(c["table"]))
def test_fisher_and_chi_square_match_r(case: dict) -> None:
    table = np.array(case["table"]).reshape(2, 2)
    assert fisher_exact(table).p_value == pytest.approx(case["fisher_p"], rel=1e-8)
    yates = chi_square_test(table)
    assert yates.statistic == pytest.approx(case["chisq_yates"], rel=1e-8)
    assert yates.p_value == pytest.approx(case["chisq_yates_p"], rel=1e-8)
    assert chi_square_test(table, correction=False).p_value == pytest.approx(
        case["chisq_p"], rel=1e-8
    )


@pytest.mark.parametrize("case", REF["mcnemar"], ids=lambda c: f"{c['b']}-{c['c']}")
def test_exact_mcnemar_matches_binom_test(case: dict) -> None:
    assert mcnemar_exact(case["b"], case["c"]).p_value == pytest.approx(case["p"], rel=1e-8)


def test_impossible_counts_are_rejected() -> None:
    with pytest.raises(StatsInputError, match="0 ≤ events ≤ n"):
        wilson_ci(5, 3)
    with pytest.raises(StatsInputError, match="2×2 table"):
        fisher_exact([[1, 2, 3]])
