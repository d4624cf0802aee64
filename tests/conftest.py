"""Fixtures shared across test areas."""

from __future__ import annotations

import pytest

from leptodx.models.fitted import FittedModel, PredictorSummary, TrainingSummary
from leptodx.models.spec import ModelSpec


@pytest.fixture
def site_x_model() -> FittedModel:
    """A user's own two-predictor specification with illustrative coefficients (not published)."""
    spec = ModelSpec.model_validate(
        {
            "name": "site-x",
            "title": "Site X",
            "source": {"citation": "test"},
            "predictors": [
                {"name": "brain", "field": "active_brain_metastasis", "type": "binary"},
                {"name": "protein", "field": "csf_protein", "type": "continuous", "unit": "g/L"},
            ],
        }
    )
    training = TrainingSummary(
        file=None,
        n=10,
        n_events=4,
        n_excluded_missing=0,
        synthetic=True,
        predictors=(
            PredictorSummary(name="brain", mean=0.5, sd=0.5, min=0, max=1),
            PredictorSummary(name="protein", mean=1, sd=1, min=0.1, max=3),
        ),
    )
    return FittedModel(
        spec=spec,
        method="test",
        intercept=-1.0,
        coefficients={"brain": 0.5, "protein": 2.0},
        training=training,
    )
