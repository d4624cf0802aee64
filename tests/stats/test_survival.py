"""Kaplan–Meier, log-rank and Cox against R survival 3.5 (tests/reference_values/survival)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leptodx.stats import (
    StatsInputError,
    cox_ph,
    kaplan_meier,
    logrank_test,
    number_at_risk,
)

REF_DIR = Path(__file__).parents[1] / "reference_values" / "survival"
REF = json.loads((REF_DIR / "survival_reference.json").read_text())
TOL = 1e-6


def lung(complete: bool = False) -> pd.DataFrame:
    d = pd.read_csv(REF_DIR / "lung.csv")
    return d.dropna(subset=["ph_ecog"]) if complete else d


def small() -> pd.DataFrame:
    return pd.read_csv(REF_DIR / "ties_small.csv")


def values(seq: list[Any]) -> np.ndarray:
    """R's NA / Inf arrive as null: compare them as NaN."""
    return np.array([np.nan if v is None else v for v in seq], dtype=float)


def nan_or(value: float) -> float:
    return np.nan if value is None else value


KM_CASES = [
    ("lung", "km_all", None, False),
    ("lung", "km_sex", "sex_label", False),
    ("lung", "km_ecog", "ph_ecog", True),
    ("small", "km_type", "type", False),
]


@pytest.mark.parametrize(("dataset", "case", "group", "complete"), KM_CASES)
def test_kaplan_meier_curve_median_and_ci_match_survfit(
    dataset: str, case: str, group: str | None, complete: bool
) -> None:
    d = lung(complete) if dataset == "lung" else small()
    event = d.event if dataset == "lung" else d.status
    curves = kaplan_meier(d.time, event, None if group is None else d[group])
    refs = REF[dataset][case]
    assert [c.name for c in curves] == [r["name"] for r in refs]
    for c, r in zip(curves, refs, strict=True):
        assert (c.n, c.events) == (r["n"], r["events"])
        np.testing.assert_array_equal(c.time, r["time"])
        np.testing.assert_array_equal(c.n_risk, r["n_risk"])
        np.testing.assert_array_equal(c.n_event, r["n_event"])
        np.testing.assert_array_equal(c.n_censor, r["n_censor"])
        for mine, theirs in [
            (c.survival, r["surv"]),
            (np.where(np.isinf(c.std_err), np.nan, c.std_err), r["std_err"]),
            (c.lower, r["lower"]),
            (c.upper, r["upper"]),
        ]:
            np.testing.assert_allclose(mine, values(theirs), rtol=TOL, atol=1e-12, equal_nan=True)
        expected = [nan_or(r["median"]), nan_or(r["median_lower"]), nan_or(r["median_upper"])]
        np.testing.assert_allclose([c.median, *c.median_ci], expected, rtol=TOL, equal_nan=True)
        np.testing.assert_array_equal(number_at_risk([c], r["at"]).counts[0], r["at_risk"])


def test_small_dataset_covers_the_median_edge_cases() -> None:
    """The hand-made groups exercise each branch of R's quantile rule (values from R)."""
    by_name = {c.name: c for c in kaplan_meier(small().time, small().status, small().type)}
    ref = {r["name"]: r for r in REF["small"]["km_type"]}
    # IA: S = 5/6 · 3/5 = 0.5 (within √ε) from t = 2 to the next drop at 6 → midpoint
    assert by_name["IA"].median == ref["IA"]["median"] == 4
    # IB: the upper CI bound never falls to 0.5 → NA upper limit
    assert np.isnan(by_name["IB"].median_ci[1]) and ref["IB"]["median_upper"] is None
    # IC: S reaches 0; survfit's CI is NA there
    assert np.isnan(by_name["IC"].lower[-1]) and ref["IC"]["lower"][-1] is None
    # ID: S never ≤ 0.5 → NA median
    assert np.isnan(by_name["ID"].median) and ref["ID"]["median"] is None
    # IIA: the curve ends at exactly 0.5 → quantile.survfit averages with the last time (3);
    # print.survfit's table gives 2 here: we follow quantile.survfit
    assert by_name["IIA"].median == ref["IIA"]["median"] == 3
    assert ref["IIA"]["table_median"][0] == 2


@pytest.mark.parametrize(
    ("dataset", "case", "group", "subset"),
    [
        ("lung", "logrank_sex", "sex_label", None),
        ("lung", "logrank_ecog", "ph_ecog", None),
        ("small", "logrank_type", "type", None),
        ("small", "logrank_ia_ib", "type", ("IA", "IB")),
    ],
)
def test_logrank_matches_survdiff(
    dataset: str, case: str, group: str, subset: tuple[str, ...] | None
) -> None:
    d = lung(complete=group == "ph_ecog") if dataset == "lung" else small()
    if subset is not None:
        d = d[d[group].isin(subset)]
    event = d.event if dataset == "lung" else d.status
    res = logrank_test(d.time, event, d[group])
    ref = REF[dataset][case]
    assert res.df == ref["df"]
    assert res.chisq == pytest.approx(ref["chisq"], rel=TOL)
    assert res.p_value == pytest.approx(ref["p"], rel=TOL)
    np.testing.assert_allclose(res.observed, ref["observed"], rtol=TOL)
    np.testing.assert_allclose(res.expected, ref["expected"], rtol=TOL)


@pytest.mark.parametrize(
    ("dataset", "case", "columns"),
    [
        ("lung", "cox", ["age", "sex_label", "ph_ecog"]),
        ("small", "cox_age_sex", ["age", "sex"]),
        ("small", "cox_type", ["type"]),
    ],
)
def test_cox_efron_matches_coxph(dataset: str, case: str, columns: list[str]) -> None:
    d = lung(complete=True) if dataset == "lung" else small()
    event = d.event if dataset == "lung" else d.status
    res = cox_ph(d.time, event, {c: d[c].to_numpy() for c in columns})
    ref = REF[dataset][case]
    assert [t.term for t in res.terms] == ref["terms"]
    assert (res.n, res.events, res.ties) == (ref["n"], ref["events"], "efron")
    assert res.log_likelihood == pytest.approx(ref["loglik"][1], rel=TOL)
    for field, key in [
        ("coef", "coef"),
        ("se", "se"),
        ("hazard_ratio", "hazard_ratio"),
        ("ci_lower", "ci_lower"),
        ("ci_upper", "ci_upper"),
        ("p_value", "p_value"),
    ]:
        mine = [getattr(t, field) for t in res.terms]
        np.testing.assert_allclose(mine, ref[key], rtol=TOL, err_msg=field)


def test_cox_categorical_reference_is_the_first_sorted_level() -> None:
    res = cox_ph(small().time, small().status, {"type": small().type.to_numpy()})
    assert res.reference_levels == {"type": "IA"}
    assert [t.term for t in res.terms] == ["typeIB", "typeIC", "typeID", "typeIIA"]


def test_number_at_risk_beyond_follow_up_is_zero_and_levels_set_the_order() -> None:
    curves = kaplan_meier([1, 2, 3], [1, 0, 1], ["b", "a", "b"], levels=["b", "a"])
    assert [c.name for c in curves] == ["b", "a"]
    table = number_at_risk(curves, [0, 1.5, 2, 3, 99])
    assert table.groups == ("b", "a")
    assert table.counts.tolist() == [[2, 1, 1, 1, 0], [1, 1, 1, 0, 0]]


def test_numeric_group_labels_sort_numerically_and_print_as_integers() -> None:
    curves = kaplan_meier([1, 2, 3, 4], [1, 1, 0, 1], [10.0, 2.0, 10.0, 2.0])
    assert [c.name for c in curves] == ["2", "10"]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: kaplan_meier([1, np.nan], [1, 0]), "time: 1 value(s) are NaN"),
        (lambda: kaplan_meier([1, -2], [1, 0]), "time: 1 value(s) are negative"),
        (lambda: kaplan_meier([1, 2], [1, 2]), "event: found values 1, 2"),
        (lambda: kaplan_meier([1, 2], [1]), "length mismatch"),
        (lambda: kaplan_meier([1, 2], [1, 0], ["a", None]), "group: 1 value(s) are missing"),
        (lambda: kaplan_meier([1, 2], [1, 0], ["a", "a"], levels=["a", "b"]), "'b' have no rows"),
        (lambda: kaplan_meier([1, 2], [1, 0], ["a", "b"], levels=["a"]), "not listed"),
        (lambda: kaplan_meier([1, 2], [1, 0], level=1.5), "level: got 1.5"),
        (lambda: logrank_test([1, 2], [1, 0], ["a", "a"]), "needs at least 2 groups"),
        (lambda: logrank_test([1, 2], [0, 0], ["a", "b"]), "no events"),
        (lambda: cox_ph([1, 2, 3], [1, 0, 1], {}), "covariates: none given"),
        (lambda: cox_ph([1, 2, 3], [1, 0, 1], {"x": [1, 1, 1]}), "covariate 'x': every value"),
        (lambda: cox_ph([1, 2, 3], [1, 0, 1], {"x": [1, np.nan, 1]}), "covariate 'x'"),
        (lambda: cox_ph([1, 2, 3], [1, 0, 1], {"s": ["m", "m", "m"]}), "only one level"),
        (lambda: cox_ph([1, 2, 3], [0, 0, 0], {"x": [1, 2, 3]}), "no events"),
    ],
)
def test_bad_input_raises_a_message_naming_the_problem(call: Any, message: str) -> None:
    with pytest.raises(StatsInputError, match=None) as info:
        call()
    assert message in str(info.value)


def _cohort(n: int, *, decimals: int | None, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    group = rng.choice(["IA", "IB", "II"], n)
    x = rng.normal(size=(n, 3))
    scale = np.exp(-(x @ np.array([0.4, -0.3, 0.2]))) * np.where(group == "II", 6.0, 10.0)
    event_time, censor = rng.exponential(scale), rng.uniform(0, 30, n)
    time = np.minimum(event_time, censor)
    if decimals is not None:
        time = np.round(time, decimals)
    return {"time": time, "event": (event_time <= censor).astype(int), "group": group, "x": x}


@pytest.mark.parametrize("decimals", [None, 0, 2])  # continuous, heavy ties, moderate ties
def test_kaplan_meier_and_logrank_equal_lifelines(decimals: int | None) -> None:
    """lifelines (independent code; its KM and log-rank equal R's) as the oracle."""
    from lifelines import KaplanMeierFitter
    from lifelines.statistics import multivariate_logrank_test

    d = _cohort(20_000, decimals=decimals, seed=1)
    curves = kaplan_meier(d["time"], d["event"], d["group"])
    for curve in curves:
        mask = d["group"] == curve.name
        oracle = KaplanMeierFitter().fit(d["time"][mask], d["event"][mask])
        expected = oracle.survival_function_at_times(curve.time).to_numpy()
        np.testing.assert_allclose(curve.survival, expected, rtol=1e-12)
        assert curve.median == pytest.approx(oracle.median_survival_time_, rel=1e-12)
    ours = logrank_test(d["time"], d["event"], d["group"])
    theirs = multivariate_logrank_test(d["time"], d["group"], d["event"])
    assert ours.chisq == pytest.approx(theirs.test_statistic, rel=1e-9)


@pytest.mark.parametrize("decimals", [None, 0])
def test_cox_efron_equals_lifelines_on_a_larger_cohort(decimals: int | None) -> None:
    from lifelines import CoxPHFitter

    d = _cohort(5_000, decimals=decimals, seed=2)
    result = cox_ph(d["time"], d["event"], {f"x{i}": d["x"][:, i] for i in range(3)})
    frame = pd.DataFrame(d["x"], columns=["x0", "x1", "x2"]).assign(T=d["time"], E=d["event"])
    oracle = CoxPHFitter().fit(
        frame, "T", "E", fit_options={"precision": 1e-14, "r_precision": 0.0, "max_steps": 200}
    )
    np.testing.assert_allclose([t.coef for t in result.terms], oracle.params_, rtol=1e-9)
    np.testing.assert_allclose([t.se for t in result.terms], oracle.standard_errors_, rtol=1e-9)
    assert result.log_likelihood == pytest.approx(oracle.log_likelihood_, rel=1e-12)
    assert result.warnings == ()


def test_cox_warns_when_a_coefficient_may_be_infinite() -> None:
    """No events in one level: the likelihood is monotone in that coefficient (coxph warns)."""
    rng = np.random.default_rng(1)
    exposed = (np.arange(60) < 20).astype(float)
    time = rng.exponential(1.0, 60)
    event = np.where(exposed == 1, 0, 1)
    result = cox_ph(time, event, {"exposed": exposed, "z": rng.normal(size=60)})
    assert len(result.warnings) == 1 and result.warnings[0].startswith("exposed: ")
    assert "may be infinite" in result.warnings[0]
    assert result.terms[0].coef < -10 and np.isfinite(result.terms[1].coef)


def test_collinear_cox_covariates_are_refused_by_name() -> None:
    with pytest.raises(StatsInputError, match="collinear"):
        cox_ph([1, 2, 3, 4, 5], [1, 1, 0, 1, 1], {"a": [1, 2, 3, 4, 6], "b": [2, 4, 6, 8, 12]})


@pytest.mark.parametrize("divisor", [1.0, 7.0, 1e6])
def test_the_table_strategies_give_the_same_curves(divisor: float) -> None:
    """Whole-day times (binned), few distinct non-integers (hashed), unique times (sorted)."""
    d = _cohort(30_000, decimals=0, seed=3)
    scale = 1.0 + np.arange(d["time"].size) * 1e-9 if divisor == 1e6 else 1.0
    base = kaplan_meier(d["time"], d["event"], d["group"])
    other = kaplan_meier(d["time"] / divisor * scale, d["event"], d["group"])
    for a, b in zip(base, other, strict=True):
        if divisor != 1e6:
            np.testing.assert_array_equal(a.survival, b.survival)
            np.testing.assert_allclose(a.time / divisor, b.time, rtol=1e-15)
        assert b.events == a.events and b.n == a.n
    assert logrank_test(d["time"] / divisor * scale, d["event"], d["group"]).df == 2


def r_duplicated(values: list[float]) -> list[bool]:
    """R ``duplicated()`` written out (NaN counts as one value)."""
    seen: list[float] = []
    out = []
    for v in values:
        dup = any((np.isnan(v) and np.isnan(s)) or v == s for s in seen)
        out.append(dup)
        seen.append(v)
    return out


@settings(deadline=None, max_examples=200)
@given(st.lists(st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.7, 1.0, np.nan]), min_size=1, max_size=30))
def test_first_occurrences_match_r_duplicated(values: list[float]) -> None:
    from leptodx.stats.survival import _first_occurrences

    y = np.array([0.0, *values])
    for curve in (y, np.sort(y)):  # any order, and the monotone shape of 1 − S(t)
        assert (~_first_occurrences(curve)).tolist() == r_duplicated(curve.tolist())
