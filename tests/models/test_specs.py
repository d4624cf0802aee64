"""Model specifications: Gao A/B as published (no coefficients), user YAML specs."""

import numpy as np
import pandas as pd
import pytest

from leptodx.errors import InputError
from leptodx.models.builtin import BUILTIN_SPECS, resolve_spec


def test_gao_specs_carry_published_names_cohorts_and_aucs_but_no_coefficients() -> None:
    a, b = BUILTIN_SPECS["gao-a"], BUILTIN_SPECS["gao-b"]
    # prediction-models.md §PM-1
    assert [p.name for p in a.predictors] == [
        "skull metastasis",
        "active brain metastasis",
        "progressed extracranial disease",
        "number of extracranial organs involved",
        "number of symptoms",
    ]
    assert [p.name for p in b.predictors][5:] == ["CSF protein", "CSF glucose"]
    assert "206" in a.cohort and "152" in b.cohort
    assert (
        a.reported_performance.auc,
        a.reported_performance.ci_low,
        a.reported_performance.ci_high,
    ) == (0.812, 0.751, 0.874)
    assert (b.reported_performance.auc, b.reported_performance.comparator_auc) == (0.901, 0.800)
    assert not a.coefficients_available and not b.coefficients_available
    assert not {"coefficients", "intercept"} & set(a.model_dump())
    assert "NOT AVAILABLE" in a.notes[0]


def test_user_yaml_spec_with_unit_and_transform_encodes_columns(tmp_path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(
        "name: site-x\ntitle: Site X\nsource: {citation: own cohort}\npredictors:\n"
        "  - {name: protein, field: csf_protein, type: continuous, unit: g/L, transform: log}\n"
        "  - {name: brain, field: active_brain_metastasis, type: binary}\n"
    )
    spec = resolve_spec(str(path))
    data = pd.DataFrame({"csf_protein": [1000.0, 500.0], "active_brain_metastasis": [1.0, 0.0]})
    # 1000 mg/L = 1 g/L (csf.md §CSF-4); log(1) = 0
    np.testing.assert_allclose(spec.design_matrix(data), [[0.0, 1.0], [np.log(0.5), 0.0]])


@pytest.mark.parametrize(
    ("body", "match"),
    [
        ("predictors: [{name: x, field: tumour_size, type: binary}]", "tumour_size"),
        ("predictors: [{name: p, field: csf_protein, type: continuous}]", "needs a unit"),
        ("predictors: [{name: p, field: csf_protein, type: continuous, unit: ppm}]", "ppm"),
    ],
)
def test_invalid_user_specs_are_refused_with_the_reason(tmp_path, body, match) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(f"name: s\ntitle: s\nsource: {{citation: c}}\n{body}\n")
    with pytest.raises(InputError, match=match):
        resolve_spec(str(path))
