"""MICE engine: what is imputed, with which values, reproducibility and refused requests.

Bias and coverage under MAR are checked by simulation in bench/bench_imputation.py (and the
slow test tests/stats/test_imputation_simulation.py), not here.
"""

import numpy as np
import pytest

from leptodx.stats import StatsInputError
from leptodx.stats.imputation import ImputationMethod, default_methods, mice


def _data(n=300, seed=0):
    rng = np.random.default_rng(seed)
    x3 = rng.poisson(1.5, n).astype(float)
    x1 = rng.normal(0.3 * x3, 1.0)
    x2 = (rng.random(n) < 1 / (1 + np.exp(-(-0.5 + 0.6 * x1)))).astype(float)
    y = (rng.random(n) < 1 / (1 + np.exp(-(-1 + 0.8 * x1 + 0.7 * x2)))).astype(float)
    full = np.column_stack([x1, x2, x3, y])
    data = full.copy()
    data[rng.random(n) < 0.3, 0] = np.nan
    data[rng.random(n) < 0.2, 1] = np.nan
    return full, data


def test_only_missing_cells_change_and_pmm_imputes_observed_values() -> None:
    _, data = _data()
    result = mice(data, m=3, random_state=1)
    observed = ~np.isnan(data)
    for completed in result.imputations:
        assert not np.isnan(completed).any()
        np.testing.assert_array_equal(completed[observed], data[observed])
        donors = set(data[observed[:, 0], 0])
        assert set(completed[~observed[:, 0], 0]) <= donors
        assert set(np.unique(completed[:, 1])) <= {0.0, 1.0}


def test_default_methods_follow_mice_pmm_for_numbers_logreg_for_binary() -> None:
    _, data = _data()
    assert default_methods(data) == (
        ImputationMethod.PMM,
        ImputationMethod.LOGREG,
        ImputationMethod.NONE,
        ImputationMethod.NONE,
    )


def test_same_seed_same_imputations_and_chains_are_independent_of_m() -> None:
    _, data = _data()
    a = mice(data, m=3, random_state=7)
    b = mice(data, m=3, random_state=7)
    c = mice(data, m=5, random_state=7)
    for x, y, z in zip(a.imputations, b.imputations, c.imputations[:3], strict=True):
        np.testing.assert_array_equal(x, y)
        np.testing.assert_array_equal(x, z)
    d = mice(data, m=3, random_state=8)
    assert not np.array_equal(a.imputations[0], d.imputations[0])


def test_imputations_differ_between_chains() -> None:
    _, data = _data()
    result = mice(data, m=2, random_state=3)
    assert not np.array_equal(result.imputations[0], result.imputations[1])
    assert result.chain_means.shape == (2, 5, 4)


def test_imputed_mean_recovers_the_full_data_mean_under_mar() -> None:
    # missingness of x1 depends on the observed outcome: the complete-case mean is biased,
    # the imputed mean is not (the outcome is in the imputation model)
    rng = np.random.default_rng(5)
    full, _ = _data(n=4000, seed=5)
    data = full.copy()
    y = full[:, 3]
    data[rng.random(len(y)) < 0.15 + 0.45 * y, 0] = np.nan
    result = mice(data, m=5, random_state=2)
    imputed_mean = np.mean([c[:, 0].mean() for c in result.imputations])
    complete_case_mean = np.nanmean(data[:, 0])
    assert abs(imputed_mean - full[:, 0].mean()) < 0.03
    assert abs(complete_case_mean - full[:, 0].mean()) > 0.1


def test_separated_binary_column_is_imputed_with_finite_model() -> None:
    # x2 is perfectly predicted by the outcome: mice's augmentation keeps the fit finite
    rng = np.random.default_rng(4)
    y = (rng.random(200) < 0.5).astype(float)
    x2 = y.copy()
    x2[rng.random(200) < 0.2] = np.nan
    result = mice(np.column_stack([rng.normal(size=200), x2, y]), m=2, random_state=1)
    for completed in result.imputations:
        assert set(np.unique(completed[:, 1])) <= {0.0, 1.0}


def test_column_missing_in_every_row_is_refused_by_name() -> None:
    _, data = _data()
    data[:, 2] = np.nan
    with pytest.raises(StatsInputError, match="csf glucose missing in every row"):
        mice(data, m=2, random_state=1, names=["a", "b", "csf glucose", "y"])


def test_missing_values_without_a_method_are_refused() -> None:
    _, data = _data()
    methods = [
        ImputationMethod.NONE,
        ImputationMethod.LOGREG,
        ImputationMethod.NONE,
        ImputationMethod.NONE,
    ]
    with pytest.raises(StatsInputError, match="has missing values but no method"):
        mice(data, m=2, random_state=1, methods=methods)
