"""AUC, DeLong CI and tests against pROC 1.18 (tests/reference_values/roc) and slow oracles."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leptodx.stats import StatsInputError, auc_ci, compare_auc, compare_auc_unpaired

REF_DIR = Path(__file__).parents[1] / "reference_values" / "roc"
REF = json.loads((REF_DIR / "roc_reference.json").read_text())
DATASETS = ["ties_small", "ties_medium", "continuous", "sample_a", "sample_b"]
RTOL = 1e-8


def load(name: str) -> pd.DataFrame:
    return pd.read_csv(REF_DIR / f"{name}.csv")


def mann_whitney_auc(y: np.ndarray, s: np.ndarray) -> float:
    """O(n²) oracle: share of positive–negative pairs ranked correctly, ties counting ½."""
    pos, neg = s[y == 1], s[y == 0]
    diff = pos[:, None] - neg[None, :]
    return float(((diff > 0) + 0.5 * (diff == 0)).mean())


def delong_variance_oracle(y: np.ndarray, s: np.ndarray) -> float:
    """DeLong 1988 structural components written out pair by pair."""
    pos, neg = s[y == 1], s[y == 0]
    psi = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
    v10, v01 = psi.mean(axis=1), psi.mean(axis=0)
    return float(v10.var(ddof=1) / pos.size + v01.var(ddof=1) / neg.size)


@pytest.mark.parametrize("name", DATASETS)
def test_auc_and_delong_ci_match_proc(name: str) -> None:
    d, ref = load(name), REF[name]
    result = auc_ci(d.y, d.s1)
    assert result.auc == pytest.approx(ref["auc1"], rel=RTOL)
    assert result.se**2 == pytest.approx(ref["var1"], rel=RTOL)
    assert result.ci == pytest.approx(tuple(ref["ci1"]), rel=RTOL)
    assert auc_ci(d.y, d.s1, level=0.90).ci == pytest.approx(tuple(ref["ci1_90"]), rel=RTOL)


@pytest.mark.parametrize("name", DATASETS)
def test_paired_delong_test_matches_proc_roc_test(name: str) -> None:
    d, ref = load(name), REF[name]
    result = compare_auc(d.y, d.s1, d.s2)
    assert result.difference == pytest.approx(ref["auc1"] - ref["auc2"], rel=RTOL)
    assert result.z == pytest.approx(ref["paired_z"], rel=RTOL)
    assert result.p_value == pytest.approx(ref["paired_p"], rel=RTOL)
    assert result.ci == pytest.approx(tuple(ref["paired_ci"]), rel=RTOL)


def test_unpaired_delong_test_matches_proc() -> None:
    a, b, ref = load("sample_a"), load("sample_b"), REF["unpaired"]
    result = compare_auc_unpaired(a.y, a.s1, b.y, b.s1)
    assert result.statistic == pytest.approx(ref["statistic"], rel=RTOL)
    assert result.df == pytest.approx(ref["df"], rel=RTOL)
    assert result.p_value == pytest.approx(ref["p"], rel=RTOL)


@pytest.mark.parametrize("name", ["ties_small", "ties_medium"])
def test_fast_kernel_equals_pairwise_oracles(name: str) -> None:
    d = load(name)
    y, s = d.y.to_numpy(), d.s2.to_numpy()
    result = auc_ci(y, s)
    assert result.auc == pytest.approx(mann_whitney_auc(y, s), rel=1e-12)
    assert result.se**2 == pytest.approx(delong_variance_oracle(y, s), rel=1e-10)


def test_delong_logit_ci_stays_inside_unit_interval_and_contains_auc() -> None:
    d = load("ties_small")
    result = auc_ci(d.y, d.s1, method="delong-logit")
    assert 0 < result.ci[0] < result.auc < result.ci[1] < 1


def test_stratified_bootstrap_ci_is_seeded_and_close_to_delong() -> None:
    d = load("continuous")
    one = auc_ci(d.y, d.s1, method="bootstrap", n_boot=400, random_state=7)
    two = auc_ci(d.y, d.s1, method="bootstrap", n_boot=400, random_state=7)
    delong = auc_ci(d.y, d.s1)
    assert one.ci == two.ci
    assert one.ci == pytest.approx(delong.ci, abs=0.01)  # Monte-Carlo error at B = 400


scores = st.lists(st.integers(-5, 5), min_size=4, max_size=40)


@settings(deadline=None, max_examples=150)
@given(scores, st.data())
def test_invariants_reversal_monotone_transform_and_range(
    values: list[int], data: st.DataObject
) -> None:
    y = np.array(data.draw(st.lists(st.booleans(), min_size=len(values), max_size=len(values))))
    if y.all() or not y.any():
        return
    s = np.array(values, dtype=float)
    auc = auc_ci(y, s).auc
    assert 0.0 <= auc <= 1.0
    assert auc_ci(y, -s).auc == pytest.approx(1.0 - auc, abs=1e-12)
    assert auc_ci(y, np.exp(s / 3.0) * 10 + 2).auc == pytest.approx(auc, abs=1e-12)
    assert auc == pytest.approx(mann_whitney_auc(y.astype(int), s), abs=1e-12)


def test_large_n_has_no_overflow_and_matches_rank_formula() -> None:
    rng = np.random.default_rng(3)
    n = 2_000_000
    y = rng.random(n) < 0.5
    s = np.round(rng.normal(size=n) + 0.5 * y, 2)
    ranks = pd.Series(s).rank().to_numpy()
    n1, n0 = y.sum(), (~y).sum()
    expected = (ranks[y].sum() - n1 * (n1 + 1) / 2) / (n1 * n0)
    assert auc_ci(y, s).auc == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("y", "s", "message"),
    [
        ([0, 1, 2, 1], [0.1, 0.2, 0.3, 0.4], "outcome must be binary"),
        ([1, 1, 1], [0.1, 0.2, 0.3], "only events"),
        ([0, 1, 1], [0.1, np.nan, 0.3], "NaN or infinite"),
        ([0, 1, 1], [0.1, 0.3], "length mismatch"),
    ],
)
def test_bad_input_raises_a_named_error(y, s, message) -> None:
    with pytest.raises(StatsInputError, match=message):
        auc_ci(y, s)


def test_single_event_gives_nan_ci_with_a_named_warning() -> None:
    from leptodx.stats._validation import UndefinedStatisticWarning

    with pytest.warns(UndefinedStatisticWarning, match="at least 2 events"):
        result = auc_ci([0, 0, 1, 0], [0.1, 0.2, 0.9, 0.3])
    assert result.auc == 1.0 and np.isnan(result.se)


def searchsorted_placements(y: np.ndarray, s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Slow oracle, the previous implementation: V10, V01 in input order by binary searches."""
    pos, neg = s[y], s[~y]
    neg_sorted, pos_sorted = np.sort(neg), np.sort(pos)
    lo = np.searchsorted(neg_sorted, pos, side="left")
    hi = np.searchsorted(neg_sorted, pos, side="right")
    below = np.searchsorted(pos_sorted, neg, side="left")
    at_or_below = np.searchsorted(pos_sorted, neg, side="right")
    return (lo + hi) / (2 * neg.size), 1 - (below + at_or_below) / (2 * pos.size)


def oracle_auc_test(y: np.ndarray, s1: np.ndarray, s2: np.ndarray) -> dict[str, float]:
    a10, a01 = searchsorted_placements(y, s1)
    b10, b01 = searchsorted_placements(y, s2)
    var1 = a10.var(ddof=1) / a10.size + a01.var(ddof=1) / a01.size
    var2 = b10.var(ddof=1) / b10.size + b01.var(ddof=1) / b01.size
    cov = np.cov(a10, b10)[0, 1] / a10.size + np.cov(a01, b01)[0, 1] / a01.size
    return {"auc1": a10.mean(), "var1": var1, "se": np.sqrt(var1 + var2 - 2 * cov)}


@pytest.mark.parametrize(
    ("n", "decimals"),
    [(3_000, None), (3_000, 1), (200_000, None), (200_000, 0), (200_000, 1), (50, 0)],
)
def test_compiled_merge_equals_the_searchsorted_oracle(n: int, decimals: int | None) -> None:
    rng = np.random.default_rng(n + (decimals or 0))
    y = rng.random(n) < 0.3
    s1 = rng.normal(size=n) + 0.8 * y
    s2 = 0.6 * s1 + rng.normal(size=n)
    if decimals is not None:  # heavy ties
        s1, s2 = np.round(s1, decimals), np.round(s2, decimals)
    expected = oracle_auc_test(y, s1, s2)
    single = auc_ci(y, s1)
    paired = compare_auc(y, s1, s2)
    assert single.auc == pytest.approx(expected["auc1"], rel=1e-12)
    assert single.se**2 == pytest.approx(expected["var1"], rel=1e-12)
    assert paired.se == pytest.approx(expected["se"], rel=1e-12)


def test_delong_variance_is_the_exact_rational_rounded_once() -> None:
    """Placement counts are integers, so the variance is computed exactly and rounded once."""
    from fractions import Fraction

    rng = np.random.default_rng(11)
    y = rng.random(400) < 0.4
    s = np.round(rng.normal(size=400) + y, 1)
    pos, neg = s[y], s[~y]
    # k = 2·#(other below) + #(other tied), counted pair by pair in integers
    k_pos = (2 * (pos[:, None] > neg) + (pos[:, None] == neg)).sum(axis=1).tolist()
    k_neg = (2 * (neg[:, None] > pos) + (neg[:, None] == pos)).sum(axis=1).tolist()

    def variance(k: list[int], n_other: int) -> Fraction:
        mean = Fraction(sum(k), len(k))
        return sum((v - mean) ** 2 for v in k) / (len(k) - 1) / (2 * n_other) ** 2

    exact = variance(k_pos, neg.size) / pos.size + variance(k_neg, pos.size) / neg.size
    assert auc_ci(y, s).se == np.sqrt(float(exact))


@pytest.mark.parametrize("decimals", [None, 1])
def test_numpy_and_compiled_paths_give_identical_counts(
    decimals: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Small inputs skip numba (no load cost); the integers must be the same either way."""
    from leptodx.stats import _ranks

    rng = np.random.default_rng(5)
    y = rng.random(5_000) < 0.4
    s1 = rng.normal(size=5_000) + y
    s2 = s1 + rng.normal(size=5_000)
    if decimals is not None:
        s1, s2 = np.round(s1, decimals), np.round(s2, decimals)
    numpy_path = (auc_ci(y, s1), compare_auc(y, s1, s2))
    monkeypatch.setattr(_ranks, "COMPILED_FROM", 0)
    compiled_path = (auc_ci(y, s1), compare_auc(y, s1, s2))
    assert numpy_path == compiled_path
