"""The shipped research examples load and pass the data-quality check."""

from pathlib import Path

from leptodx.cohort.io import is_synthetic, read_table
from leptodx.cohort.mapping import load_mapping
from leptodx.cohort.quality import map_cohort
from leptodx.models.builtin import resolve_spec

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "research"


def test_site_export_maps_cleanly_with_units_converted() -> None:
    frame = read_table(EXAMPLES / "site-cohort.csv")
    mapped = map_cohort(frame, load_mapping(EXAMPLES / "site-mapping.yaml"))
    assert mapped.invalid_rows.size == 0
    assert is_synthetic(frame)
    assert set(mapped.data["sex"].dropna()) == {"female", "male"}
    # CSF_Glc is declared mg/dL: canonical mmol/L values are in the physiological range
    assert 1.0 < mapped.data["csf_glucose"].median() < 6.0


def test_site_spec_is_a_valid_user_specification() -> None:
    spec = resolve_spec(str(EXAMPLES / "site-spec.yaml"))
    assert not spec.coefficients_available
    assert spec.predictors[-1].transform.value == "log"
