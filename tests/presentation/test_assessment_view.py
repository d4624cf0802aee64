"""Text for people: level wording, rule certainty, labels, units and rounding (issue 13, finding 11).

Every decision row, rendered by the CLI, must read as prose: no True/None, no dict reprs, no
section signs, no snake_case codes, no /uL, no float noise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rich.console import Console

from leptodx.cli.assess_run import render_text
from leptodx.clinical.assess import assess_record
from leptodx.presentation.assessment import present
from leptodx.presentation.numbers import display_unit, format_number, format_quantity
from leptodx.reference.eano_esmo import DECISION_TABLE, Scope, all_keys, decision_lookup

CSF = {
    "leukocytes": {"value": 4, "unit": "/mm3"},
    "protein": {"value": 0.41, "unit": "g/L"},
    "glucose": {"value": 3.0, "unit": "mmol/L"},
    "lactate": {"value": 0.5, "unit": "mmol/L"},
    "albumin": {"value": 250, "unit": "mg/L"},
}


def record_for(key: tuple[Any, ...], **extra: Any) -> dict[str, Any]:
    scope, cytology, biopsy, clinical, mri, known = key
    record: dict[str, Any] = {
        "primary_tumour": "lymphoma" if scope is Scope.OUTSIDE else "breast",
        "known_cancer": known,
        **extra,
    }
    for name, value in (("cytology", cytology), ("biopsy", biopsy), ("clinical_signs", clinical), ("mri", mri)):  # fmt: skip
        if value is not None:
            record[name] = value.value
    return record


def one_key_per_row() -> dict[str, tuple[Any, ...]]:
    keys: dict[str, tuple[Any, ...]] = {}
    for key in all_keys():
        keys.setdefault(decision_lookup()[key].id, key)
    return keys


def text_of(result: dict[str, Any]) -> str:
    console = Console(record=True, width=100, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(render_text(result))
    return console.export_text()


def test_numbers_have_no_float_noise_and_units_read_as_people_write_them() -> None:
    assert format_number(409.99999999999994, 4) == "410"
    assert format_number(0.19999999999999998) == "0.2"
    assert format_number(15840.0) == "15840"
    assert display_unit("/uL") == "/µL" and display_unit("10*-3") == "× 10⁻³"
    assert format_quantity(0.41 * 1000, "mg/L", 4) == "410 mg/L"


@pytest.mark.parametrize("row_id", [row.id for row in DECISION_TABLE])
def test_every_decision_row_renders_as_readable_text(
    row_id: str, assert_readable: Callable[[str], None]
) -> None:
    key = one_key_per_row()[row_id]
    result = assess_record(record_for(key, age_years=4, csf=CSF, symptoms=["headache"]))
    text = text_of(result)
    assert_readable(text)
    assert "cytology decides" not in text
    assert "within the profile's limits" not in text


@pytest.mark.parametrize(
    ("changes", "certainty"),
    [
        ({"mri": "D-normal"}, "Reconstructed rule — high risk: check against the guideline table"),
        ({"clinical_signs": "normal", "mri": "C"}, "Reconstructed rule — medium risk: check against the guideline table"),
        ({}, "Verified rule"),
        ({"known_cancer": False}, "Reconstructed rule (risk not graded): check against the guideline table"),
        ({"mri": "not_done"}, "LeptoDx rule, not a guideline rule"),
    ],
)  # fmt: skip
def test_the_rule_certainty_is_shown_beside_the_level(
    changes: dict[str, Any], certainty: str
) -> None:
    base = {"known_cancer": True, "clinical_signs": "typical", "mri": "A", "cytology": "negative"}
    result = assess_record({**base, **changes})
    view = present(result)
    assert view.certainty == certainty
    assert view.certainty_source.startswith("source: reference pack eano-esmo.md, section EE-")
    lines = text_of(result).splitlines()
    assert certainty.split(":")[0] in " ".join(lines[1:4])  # right under the headline


def test_lack_of_evidence_headline_names_its_high_risk_rule_and_row() -> None:
    view = present(
        assess_record(
            {
                "known_cancer": True,
                "clinical_signs": "typical",
                "mri": "D-normal",
                "cytology": "negative",
            }
        )
    )
    assert view.headline == "Lack of evidence for leptomeningeal metastasis"
    assert view.certainty_short == "reconstructed rule, high risk"
    assert view.certainty_source == "source: reference pack eano-esmo.md, section EE-4, row 6"


def test_a_possibly_false_positive_cytology_qualifies_the_headline() -> None:
    """Finding 10: the qualifier is in the headline, not only in a trailing warning."""
    result = assess_record(
        {
            "known_cancer": True,
            "clinical_signs": "typical",
            "mri": "A",
            "cytology": "positive",
            "csf": {"days_since_brain_surgery": 7},
        }
    )
    assert present(result).headline == (
        "Confirmed leptomeningeal metastasis — type IA (cytology possibly false-positive)"
    )


def test_labels_replace_codes_and_nested_brackets() -> None:
    view = present(
        assess_record(
            {
                "known_cancer": True,
                "clinical_signs": "normal",
                "mri": "D-normal",
                "cytology": "not_done",
            }
        )
    )
    assert "MRI: type D, equivocal or no leptomeningeal findings (2023: D–normal)" in view.findings
    assert "CSF cytology: not done" in view.findings
    assert "Leptomeningeal biopsy: not recorded" in view.findings


def test_qalb_not_judged_and_barrier_dysfunction_said_once() -> None:
    """Finding 11: no "barrier dysfunction: None"; "albumin high" is not a second finding."""
    base = {"known_cancer": True, "clinical_signs": "typical", "mri": "A", "cytology": "negative"}
    panel = {"csf": {"albumin": {"value": 520, "unit": "mg/L"}}, "serum": {"albumin": {"value": 38, "unit": "g/L"}}}  # fmt: skip
    unjudged = present(assess_record({**base, **panel, "age_years": 4}))
    assert unjudged.qalb is not None
    assert unjudged.qalb.startswith("Albumin quotient 13.7 × 10⁻³: not judged (age outside")
    judged = present(assess_record({**base, **panel, "age_years": 58}))
    summary = " ".join(judged.csf_summary)
    assert summary.count("barrier dysfunction") == 1 and "albumin high" not in summary


def test_glucose_without_serum_reads_not_judged_without_a_simultaneous_serum_glucose() -> None:
    base = {"known_cancer": True, "clinical_signs": "typical", "mri": "A", "cytology": "negative"}
    view = present(assess_record({**base, "csf": {"glucose": {"value": 4.0, "unit": "mmol/L"}}}))
    (row,) = view.csf_rows
    assert row.status == "not judged without a simultaneous serum glucose"
    assert "does not exclude LM" in " ".join(view.csf_summary)
