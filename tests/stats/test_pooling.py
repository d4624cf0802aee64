"""Rubin's rules against R mice 3.15 ``pool``/``pool.scalar`` on the same imputed datasets.

Reference values: ``tests/reference_values/imputation`` (make_data.py writes the datasets with
``leptodx develop --save-imputations``; imputation.R pools them with mice).
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from leptodx import stats
from leptodx.stats.pooling import barnard_rubin_df, pool_auc, pool_estimates, pool_scalar

HERE = Path(__file__).resolve().parents[1] / "reference_values" / "imputation"
REF = json.loads((HERE / "imputation_reference.json").read_text())
PREDICTORS = [
    "skull_metastasis",
    "active_brain_metastasis",
    "progressed_extracranial_disease",
    "n_extracranial_organs",
    "n_symptoms",
]
FIELDS = (
    "estimate",
    "std_error",
    "df",
    "statistic",
    "p_value",
    "riv",
    "lambda_",
    "fmi",
    "ubar",
    "b",
    "t",
)


def _r(key: str) -> np.ndarray:
    return np.asarray(REF["lambda" if key == "lambda_" else key], dtype=float)


def _fits():
    estimates, std_errors, aucs, ses = [], [], [], []
    for i in range(1, 6):
        d = pd.read_csv(HERE / f"imputation-{i}.csv")
        model = stats.LogisticModel().fit(d[PREDICTORS].to_numpy(float), d["lm"].to_numpy(float))
        estimates.append(model.coef_)
        std_errors.append(model.se_)
        a = stats.auc_ci(
            d["lm"].to_numpy(float), model.predict_proba(d[PREDICTORS].to_numpy(float))
        )
        aucs.append(a.auc)
        ses.append(a.se)
    return np.array(estimates), np.array(std_errors), np.array(aucs), np.array(ses)


@pytest.fixture(scope="module")
def fits():
    return _fits()


def test_pooled_logistic_fits_match_mice_pool_to_1e8(fits) -> None:
    estimates, std_errors, _, _ = fits
    pooled = pool_estimates(estimates, std_errors, dfcom=REF["dfcom"])
    for field in FIELDS:
        ours = np.array([getattr(p, field) for p in pooled])
        np.testing.assert_allclose(ours, _r(field), rtol=1e-8, atol=1e-10, err_msg=field)
    np.testing.assert_allclose([p.ci[0] for p in pooled], REF["conf_low"], rtol=1e-8)
    np.testing.assert_allclose([p.ci[1] for p in pooled], REF["conf_high"], rtol=1e-8)


def test_rubins_rules_on_mice_own_completed_data_estimates_agree_to_1e12() -> None:
    estimates = np.array([r["estimate"] for r in REF["per_imputation"]])
    std_errors = np.array([r["std_error"] for r in REF["per_imputation"]])
    pooled = pool_estimates(estimates, std_errors, dfcom=REF["dfcom"])
    for field in FIELDS:
        ours = np.array([getattr(p, field) for p in pooled])
        np.testing.assert_allclose(ours, _r(field), rtol=1e-12, err_msg=field)


def test_auc_pooled_on_the_logit_scale_matches_pool_scalar(fits) -> None:
    _, _, aucs, ses = fits
    ref = REF["auc"]
    np.testing.assert_allclose(aucs, ref["auc"], rtol=1e-12)
    np.testing.assert_allclose(ses**2, ref["var"], rtol=1e-9)
    auc, ci, pooled = pool_auc(aucs, ses)
    for ours, key in (
        (pooled.estimate, "qbar"),
        (pooled.ubar, "ubar"),
        (pooled.b, "b"),
        (pooled.t, "t"),
        (pooled.df, "df"),
        (pooled.riv, "r"),
        (pooled.fmi, "fmi"),
    ):
        assert ours == pytest.approx(ref[key], rel=1e-8), key
    assert auc == pytest.approx(ref["pooled_auc"], rel=1e-9)
    np.testing.assert_allclose(ci, ref["ci"], rtol=1e-8)


def test_identical_imputations_give_zero_between_variance_and_the_floored_df() -> None:
    pooled = pool_scalar([0.5, 0.5, 0.5], [0.04, 0.04, 0.04], dfcom=100)
    assert pooled.b == 0.0
    assert pooled.t == pytest.approx(0.04)
    assert pooled.fmi == pytest.approx((0 + 2 / (pooled.df + 3)) / 1)
    # λ floored at 1e-4 as in mice::barnard.rubin
    assert pooled.df == pytest.approx(barnard_rubin_df(3, 0.0, 0.04, 100))
    assert pooled.df < 100


def test_one_imputation_is_refused_by_name() -> None:
    with pytest.raises(stats.StatsInputError, match="at least 2 imputations"):
        pool_scalar([0.1], [0.01])
