"""cv_glmnet's whole λ path, coefficient path and CV curve against R glmnet 4.1-6.

References: tests/reference_values/models/lasso_paths.R (inputs from make_lasso_data.py):
ridge and elastic net, a shorter path with its own ``lambda.min.ratio``, predictors on scales
from 0.01 to 100 with a constant and a binary one, and more predictors than rows.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from leptodx.stats import StatsInputError, cv_glmnet

REF_DIR = Path(__file__).parents[1] / "reference_values" / "models"
REF = json.loads((REF_DIR / "lasso_paths_reference.json").read_text())

CASES = {
    "wide_lasso": ("lasso_wide.csv", {"alpha": 1.0}),
    "wide_ridge": ("lasso_wide.csv", {"alpha": 0.0}),
    "wide_enet_short": ("lasso_wide.csv", {"alpha": 0.3, "nlambda": 50, "lambda_min_ratio": 1e-3}),
    "pgtn_lasso": ("lasso_pgtn.csv", {"alpha": 1.0}),
}


@pytest.mark.parametrize("key", CASES)
def test_path_and_cv_curve_match_cv_glmnet(key: str) -> None:
    file, options = CASES[key]
    data = pd.read_csv(REF_DIR / file)
    X = data.filter(regex=r"^x").to_numpy()
    ref = REF[key]
    result = cv_glmnet(X, data.y.to_numpy(), foldid=data.foldid.to_numpy(), **options)
    np.testing.assert_allclose(result.lambdas, ref["lambda"], rtol=1e-12, atol=0)
    np.testing.assert_allclose(result.cv_mean, ref["cvm"], rtol=1e-10, atol=0)
    np.testing.assert_allclose(result.cv_se, ref["cvsd"], rtol=1e-8, atol=0)
    assert result.lambda_min == pytest.approx(ref["lambda_min"], rel=1e-12)
    assert result.lambda_1se == pytest.approx(ref["lambda_1se"], rel=1e-12)
    np.testing.assert_allclose(result.intercepts, ref["a0"], rtol=1e-9, atol=1e-12)
    beta = np.asarray(ref["beta"])
    scale = np.abs(beta).max(axis=1, keepdims=True) + 1e-300  # per predictor (scales differ)
    np.testing.assert_allclose(result.coef_path / scale, beta / scale, rtol=0, atol=1e-9)
    assert np.array_equal(result.coef_path == 0, beta == 0)  # same predictors selected at every λ


def test_all_constant_predictors_are_refused_with_a_clear_message() -> None:
    y = np.tile([0, 1], 50)
    with pytest.raises(StatsInputError, match="every predictor is constant"):
        cv_glmnet(np.ones((100, 3)), y, n_folds=5, random_state=0)


def test_the_path_kernel_runs_without_the_gil() -> None:
    from leptodx.stats._lognet_kernel import lognet_path

    assert lognet_path.targetoptions["nogil"]  # so that folds fit in parallel on threads
