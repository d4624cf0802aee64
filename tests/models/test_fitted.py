"""Fitted-model files: integrity hash, round trip, per-predictor contributions."""

import json

import numpy as np
import pandas as pd
import pytest

from leptodx.errors import InputError
from leptodx.models.fitted import FittedModel, load_fitted


def test_prediction_adds_up_the_contributions_of_each_predictor(site_x_model: FittedModel) -> None:
    pred = site_x_model.predict(
        {"active_brain_metastasis": 1, "csf_protein": {"value": 50, "unit": "mg/dL"}}
    )
    # 50 mg/dL = 0.5 g/L (csf.md §CSF-4); lp = -1 + 0.5·1 + 2·0.5 = 0.5
    assert [c.contribution for c in pred.contributions] == pytest.approx([0.5, 1.0])
    assert pred.linear_predictor == pytest.approx(0.5)
    assert pred.probability == pytest.approx(1 / (1 + np.exp(-0.5)))
    assert pred.to_dict()["contributions"][1]["unit"] == "g/L"


def test_prediction_warns_outside_training_range_and_refuses_missing_predictor(
    site_x_model: FittedModel,
) -> None:
    model = site_x_model
    pred = model.predict({"active_brain_metastasis": 0, "csf_protein": 9000.0})
    assert "outside the training range" in pred.warnings[0]
    with pytest.raises(InputError, match="csf_protein"):
        model.predict({"active_brain_metastasis": 0})


def test_saved_file_round_trips_and_detects_tampering(tmp_path, site_x_model: FittedModel) -> None:
    path = tmp_path / "m.json"
    site_x_model.save(path)
    loaded = load_fitted(path)
    assert loaded.content_hash.startswith("sha256:")
    frame = pd.DataFrame({"active_brain_metastasis": [1.0, 0.0], "csf_protein": [500.0, 2000.0]})
    np.testing.assert_allclose(loaded.predict_proba(frame), site_x_model.predict_proba(frame))
    data = json.loads(path.read_text())
    data["coefficients"]["brain"] = 5.0
    path.write_text(json.dumps(data))
    with pytest.raises(InputError, match="content hash"):
        load_fitted(path)
