"""Cancer Conditions as EHRs code them (SNOMED CT, ICD-10/ICD-10-CM, ICD-O-3, mCODE patterns).

Expected categories come from the code's meaning in its source: the displays of HL7 mCODE's
value sets (ICD-10-CM), the mCODE STU3 worked example (interop.md §IO-2a, VERIFIED), the
guideline's scope (eano-esmo.md §EE-1: haematological and primary brain tumours are out of scope)
and ICD-O-3's behaviour digits (/2 in situ, /3 primary, /6 metastatic; §IO-2a).
"""

from __future__ import annotations

from typing import Any

import pytest

from leptodx.interop.fhir import assess_input, read_bundle
from leptodx.interop.fhir.conditions import read_condition
from leptodx.reference import cancer_codes as cc
from leptodx.reference.cancer_codes import CancerKind
from leptodx.reference.citation import Status
from leptodx.reference.eano_esmo import OUT_OF_SCOPE_PRIMARIES, SOLID_PRIMARIES

from .conftest import WHEN, example

MCODE = "http://hl7.org/fhir/us/mcode/StructureDefinition"
VER = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CLIN = "http://terminology.hl7.org/CodeSystem/condition-clinical"


def condition(*codings: tuple[str, str], **extra: Any) -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "id": extra.pop("id", "ca"),
        "subject": {"reference": "Patient/p"},
        "code": {"coding": [{"system": s, "code": c} for s, c in codings]},
        **extra,
    }


def read(resource: dict[str, Any]) -> tuple[CancerKind | None, str | None, bool]:
    r = read_condition(resource, "Condition/ca")
    return r.kind, r.primary, r.known_cancer


@pytest.mark.parametrize(
    ("system", "code", "kind", "primary"),
    [
        (cc.ICD10CM, "C50.912", CancerKind.PRIMARY, "breast"),
        (cc.ICD10CM, "C50912", CancerKind.PRIMARY, "breast"),  # sent without the dot
        (cc.ICD10CM, "C34.90", CancerKind.PRIMARY, "lung"),
        (cc.ICD10CM, "C43.59", CancerKind.PRIMARY, "melanoma"),
        (cc.ICD10CM, "C18.7", CancerKind.PRIMARY, "gastrointestinal"),
        (cc.ICD10CM, "C56.9", CancerKind.PRIMARY, "gynaecological"),
        (cc.ICD10CM, "C61", CancerKind.PRIMARY, "genitourinary"),
        (cc.ICD10CM, "C01", CancerKind.PRIMARY, "head_and_neck"),
        (cc.ICD10CM, "C32.0", CancerKind.PRIMARY, "head_and_neck"),
        (cc.ICD10, "C71.9", CancerKind.PRIMARY, "primary_brain"),
        (cc.ICD10CM, "C70.1", CancerKind.PRIMARY, "primary_brain"),
        (cc.ICD10CM, "C72.0", CancerKind.PRIMARY, "primary_brain"),
        (cc.ICD10CM, "C83.38", CancerKind.PRIMARY, "lymphoma"),
        (cc.ICD10CM, "C81.90", CancerKind.PRIMARY, "lymphoma"),
        (cc.ICD10CM, "C91.10", CancerKind.PRIMARY, "leukaemia"),
        (cc.ICD10CM, "C92.A0", CancerKind.PRIMARY, "leukaemia"),
        (cc.ICD10CM, "C90.00", CancerKind.PRIMARY, "haematological"),
        (cc.ICD10CM, "C96.9", CancerKind.PRIMARY, "haematological"),
        (cc.ICD10CM, "C79.51", CancerKind.SECONDARY, None),
        (cc.ICD10CM, "C77.0", CancerKind.SECONDARY, None),
        (cc.ICD10CM, "C7B.02", CancerKind.SECONDARY, None),
        (cc.ICD10CM, "C80.1", CancerKind.PRIMARY, None),
        (cc.ICD10CM, "C80.0", CancerKind.PRIMARY, None),  # CM: disseminated, primary not stated
        (cc.ICD10, "C80.0", CancerKind.PRIMARY, "unknown_primary"),  # WHO: unknown, so stated
        (cc.ICD10, "C80.9", CancerKind.PRIMARY, None),
        (cc.ICD10, "C97", CancerKind.PRIMARY, None),
        (cc.ICD10CM, "D05.12", CancerKind.IN_SITU, None),
        (cc.ICD10CM, "D03.9", CancerKind.IN_SITU, None),
        (cc.ICD10CM, "D48.62", CancerKind.UNCERTAIN, None),
        (cc.SNOMED, "254837009", CancerKind.PRIMARY, "breast"),
        (cc.SNOMED, "254637007", CancerKind.PRIMARY, "lung"),
        (cc.SNOMED, "93655004", CancerKind.PRIMARY, "melanoma"),
        (cc.SNOMED, "363406005", CancerKind.PRIMARY, "gastrointestinal"),
        (cc.SNOMED, "93727008", CancerKind.PRIMARY, "primary_brain"),
        (cc.SNOMED, "118601006", CancerKind.PRIMARY, "lymphoma"),
        (cc.SNOMED, "92814006", CancerKind.PRIMARY, "leukaemia"),
        (cc.SNOMED, "128462008", CancerKind.SECONDARY, None),
        (cc.SNOMED, "109888004", CancerKind.IN_SITU, None),
    ],
)
def test_code_gives_its_cancer_kind_and_primary(
    system: str, code: str, kind: CancerKind, primary: str | None
) -> None:
    got_kind, got_primary, known = read(condition((system, code)))
    assert (got_kind, got_primary) == (kind, primary)
    assert known == (kind in (CancerKind.PRIMARY, CancerKind.SECONDARY))


@pytest.mark.parametrize("code", ["C7A.1", "C44.91", "C40.21", "C73", "C49.A2", "C4A.9"])
def test_a_malignant_code_outside_the_table_is_known_cancer_other_with_a_warning(
    code: str,
) -> None:
    r = read_condition(condition((cc.ICD10CM, code)), "Condition/ca")
    assert (r.kind, r.primary, r.known_cancer, r.outside_table) == (
        CancerKind.PRIMARY,
        "other",
        True,
        True,
    )
    assert any(code in w and "outside" in w for w in r.warnings)


def test_non_cancer_codes_are_not_read() -> None:
    assert read(condition((cc.ICD10CM, "I10"))) == (None, None, False)
    assert read(condition((cc.ICD10CM, "Z85.3"))) == (None, None, False)  # history code (Z)
    unknown = read_condition(condition((cc.SNOMED, "38341003")), "Condition/x")
    assert unknown.kind is None and unknown.unrecognised == ("SNOMED CT 38341003",)


def test_a_pre_coordinated_code_wins_over_a_generic_one_in_the_same_condition() -> None:
    both = condition((cc.SNOMED, "363346000"), (cc.ICD10CM, "C50.911"))
    assert read(both)[:2] == (CancerKind.PRIMARY, "breast")


def test_mcode_stu3_breast_example_is_lobular_carcinoma_in_situ_not_an_invasive_cancer() -> None:
    """The VERIFIED worked example (interop.md §IO-2a): 363346000 + bodySite 80248007 + histology
    77284006 (lobular carcinoma in situ). In situ disease is not a known invasive cancer."""
    example_condition = condition(
        (cc.SNOMED, "363346000"),
        bodySite=[{"coding": [{"system": cc.SNOMED, "code": "80248007"}]}],
        extension=[
            {
                "url": cc.MCODE_HISTOLOGY_EXTENSION,
                "valueCodeableConcept": {"coding": [{"system": cc.SNOMED, "code": "77284006"}]},
            }
        ],
        category=[{"coding": [{"code": "problem-list-item"}]}],
        clinicalStatus={"coding": [{"system": CLIN, "code": "active"}]},
        verificationStatus={"coding": [{"system": VER, "code": "confirmed"}]},
    )
    reading = read_condition(example_condition, "Condition/primary-cancer-condition-breast")
    assert reading.kind is CancerKind.IN_SITU and not reading.known_cancer
    assert "not an invasive cancer" in str(reading.not_used)
    without_histology = {k: v for k, v in example_condition.items() if k != "extension"}
    assert read(without_histology)[:2] == (CancerKind.PRIMARY, "breast")


def _icdo3(morphology: str, site: str | None, code: tuple[str, str] = (cc.SNOMED, "363346000")) -> dict[str, Any]:  # fmt: skip
    extra: dict[str, Any] = {
        "extension": [
            {
                "url": cc.MCODE_HISTOLOGY_EXTENSION,
                "valueCodeableConcept": {"coding": [{"system": cc.ICDO3, "code": morphology}]},
            }
        ]
    }
    if site is not None:
        extra["bodySite"] = [{"coding": [{"system": cc.ICDO3, "code": site}]}]
    return condition(code, **extra)


@pytest.mark.parametrize(
    ("morphology", "site", "kind", "primary"),
    [
        ("8140/3", "C34.1", CancerKind.PRIMARY, "lung"),  # adenocarcinoma, upper lobe
        ("8500/3", "C50.4", CancerKind.PRIMARY, "breast"),  # ductal carcinoma
        ("8720/3", "C69.3", CancerKind.PRIMARY, "melanoma"),  # choroidal (uveal) melanoma
        ("8720/3", "C44.5", CancerKind.PRIMARY, "melanoma"),
        ("9440/3", "C71.9", CancerKind.PRIMARY, "primary_brain"),  # glioblastoma
        ("9440/3", None, CancerKind.PRIMARY, "primary_brain"),
        ("9680/3", "C77.2", CancerKind.PRIMARY, "lymphoma"),  # diffuse large B-cell lymphoma
        ("9861/3", "C42.1", CancerKind.PRIMARY, "leukaemia"),  # acute myeloid leukaemia
        ("9732/3", "C42.1", CancerKind.PRIMARY, "haematological"),  # multiple myeloma
        ("8140/3", "C80.9", CancerKind.PRIMARY, "unknown_primary"),
        ("8140/3", "C40.0", CancerKind.PRIMARY, "other"),
        ("8500/6", "C50.4", CancerKind.SECONDARY, None),
        ("8500/2", "C50.4", CancerKind.IN_SITU, None),
        ("8442/1", "C56.9", CancerKind.UNCERTAIN, None),
    ],
)
def test_icd_o_3_behaviour_decides_the_kind_and_histology_or_site_the_primary(
    morphology: str, site: str | None, kind: CancerKind, primary: str | None
) -> None:
    assert read(_icdo3(morphology, site))[:2] == (kind, primary)


def test_an_icd_o_3_morphology_as_the_condition_code_is_read_with_its_site() -> None:
    resource = condition(
        (cc.ICDO3, "8140/3"), bodySite=[{"coding": [{"system": cc.ICDO3, "code": "C50.9"}]}]
    )
    assert read(resource)[:2] == (CancerKind.PRIMARY, "breast")


def test_lm_diagnosis_is_128462008_with_the_meninges_as_body_site() -> None:
    meninges = [{"coding": [{"system": cc.SNOMED, "code": "1231004"}]}]
    lm = read_condition(condition((cc.SNOMED, "128462008"), bodySite=meninges), "Condition/lm")
    assert lm.lm and lm.known_cancer and lm.primary is None
    assert not read_condition(condition((cc.SNOMED, "128462008")), "Condition/m").lm
    assert read_condition(condition((cc.ICD10CM, "C79.32")), "Condition/lm").lm


def test_unknown_snomed_code_in_an_mcode_primary_cancer_condition_is_other_with_its_name() -> None:
    resource = condition(
        (cc.SNOMED, "1234567"), meta={"profile": [f"{MCODE}/mcode-primary-cancer-condition"]}
    )
    resource["code"]["coding"][0]["display"] = "Rare carcinoma of somewhere"
    r = read_condition(resource, "Condition/ca")
    assert (r.kind, r.primary, r.known_cancer) == (CancerKind.PRIMARY, "other", True)
    assert any("1234567" in w and "Rare carcinoma of somewhere" in w for w in r.warnings)


@pytest.mark.parametrize(
    ("field", "value", "used"),
    [
        ("verificationStatus", "refuted", False),
        ("verificationStatus", "entered-in-error", False),
        ("verificationStatus", "provisional", False),
        ("verificationStatus", "unconfirmed", False),
        ("verificationStatus", "differential", False),
        ("verificationStatus", "confirmed", True),
        ("clinicalStatus", "resolved", True),
        ("clinicalStatus", "remission", True),
        ("clinicalStatus", "active", True),
    ],
)
def test_verification_status_decides_use_and_a_resolved_cancer_is_still_history(
    field: str, value: str, used: bool
) -> None:
    system = VER if field == "verificationStatus" else CLIN
    r = read_condition(
        condition((cc.ICD10CM, "C50.911"), **{field: {"coding": [{"system": system, "code": value}]}}),
        "Condition/ca",
    )  # fmt: skip
    assert r.known_cancer is used
    assert r.history is (value in {"resolved", "remission"})


def test_a_health_concern_is_not_a_diagnosis() -> None:
    concern = condition(
        (cc.SNOMED, "254837009"),
        category=[
            {
                "coding": [
                    {
                        "system": "http://hl7.org/fhir/us/core/CodeSystem/condition-category",
                        "code": "health-concern",
                    }
                ]
            }
        ],
    )
    r = read_condition(concern, "Condition/ca")
    assert not r.known_cancer and "health-concern" in str(r.not_used)


def _bundle_without_primary(*conditions: dict[str, Any]) -> dict[str, Any]:
    from leptodx.interop.fhir import findings_bundle

    record = {k: v for k, v in example("probable_type_iia.json").items() if k != "primary_tumour"}
    b = findings_bundle(record, when=WHEN)
    b["entry"] = [e for e in b["entry"] if "known-cancer" not in str(e)]
    subject = next(e["resource"]["id"] for e in b["entry"] if e["resource"]["resourceType"] == "Patient")  # fmt: skip
    for c in conditions:
        b["entry"].append({"resource": {**c, "subject": {"reference": f"Patient/{subject}"}}})
    return b


def test_haematological_and_primary_brain_codes_give_the_out_of_scope_outcome() -> None:
    for code in ("C83.38", "C71.9"):
        result = assess_input(_bundle_without_primary(condition((cc.ICD10CM, code))))
        assert result["eano_esmo"]["outcome"] == "out_of_scope"


def test_an_active_cancer_is_preferred_to_a_newer_resolved_one() -> None:
    resolved = condition(
        (cc.ICD10CM, "C50.911"),
        id="old",
        recordedDate="2026-01-01",
        clinicalStatus={"coding": [{"system": CLIN, "code": "resolved"}]},
    )
    active = condition((cc.ICD10CM, "C83.38"), id="new", recordedDate="2020-01-01")
    imported = read_bundle(_bundle_without_primary(resolved, active))
    assert imported.record["primary_tumour"] == "lymphoma"
    assert any("outside the solid-tumour guideline" in w for w in imported.warnings)


def test_in_situ_only_is_not_a_known_cancer_and_says_why() -> None:
    from leptodx.errors import InputError

    with pytest.raises(InputError) as info:
        read_bundle(_bundle_without_primary(condition((cc.ICD10CM, "D05.12"))))
    assert info.value.field == "known_cancer"


def test_unrecognised_snomed_conditions_are_named_when_no_cancer_is_found() -> None:
    from leptodx.errors import InputError

    other = condition((cc.SNOMED, "1234567"))
    other["code"]["coding"][0]["display"] = "Carcinoma of an unusual site"
    with pytest.raises(InputError) as info:
        read_bundle(_bundle_without_primary(other))
    assert info.value.field == "known_cancer"
    assert "SNOMED CT 1234567" in info.value.expected
    assert "Carcinoma of an unusual site" in info.value.expected


def test_every_table_row_has_a_known_category_and_a_cited_status() -> None:
    allowed = {*SOLID_PRIMARIES, *OUT_OF_SCOPE_PRIMARIES, None}
    rows = [
        *cc.SNOMED_DISORDERS.values(),
        *cc.SNOMED_BODY_SITES.values(),
        *cc.SNOMED_MORPHOLOGIES.values(),
        *cc.C80_CODES.values(),
        *cc.ICD10_CATEGORIES,
        *cc.ICDO3_TOPOGRAPHY,
        *cc.ICDO3_HISTOLOGY,
    ]
    for row in rows:
        assert row.primary in allowed, row
        assert row.status in set(Status), row
        assert row.source.pack, row
    assert cc.SNOMED_DISORDERS["363346000"].status is Status.VERIFIED  # interop.md §IO-2a
    assert cc.SNOMED_BODY_SITES["80248007"].status is Status.VERIFIED  # the worked example


def test_every_haematological_and_cns_category_is_out_of_scope_and_c77_c79_never_primary() -> None:
    for n in range(81, 97):
        assert read(condition((cc.ICD10CM, f"C{n}.0")))[1] in OUT_OF_SCOPE_PRIMARIES, n
    for n in (70, 71, 72):
        assert read(condition((cc.ICD10, f"C{n}.9")))[1] == "primary_brain"
    for n in (77, 78, 79):
        assert read(condition((cc.ICD10CM, f"C{n}.9")))[:2] == (CancerKind.SECONDARY, None)
    for histology in range(9590, 9990):
        group = next((g for g in cc.ICDO3_HISTOLOGY if g.covers(str(histology))), None)
        assert group is not None and group.primary in OUT_OF_SCOPE_PRIMARIES, histology
