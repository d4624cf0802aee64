"""The input contract of ``leptodx assess`` (JSON/YAML, API, FHIR import), as frozen dataclasses.

Required: ``known_cancer``. The three legs ``clinical_signs``, ``mri`` and ``cytology`` and
everything else are optional; what is missing is reported in the assessment (a missing leg the
level depends on gives the ``incomplete`` outcome), never guessed. Types are strict: ``"yes"``,
``1`` or ``"58"`` are not coerced, and a JSON boolean is not a number. Unknown fields are rejected
so that a misspelt key cannot be silently ignored (docs/decisions/core-input-contract.md).

Each field is declared once, with its type and constraints, in the class bodies below
(:mod:`leptodx.domain.contract`); that one table is both checked (:func:`validate_patient`) and
published (:func:`input_json_schema`, ``leptodx schema``). The contract is validated by this
code rather than pydantic so that ``leptodx assess FILE`` does not pay pydantic's start-up
(docs/decisions/core-input-validator.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from leptodx.domain import contract as c
from leptodx.domain.plausibility import check_possible
from leptodx.domain.units import Quantity
from leptodx.errors import InputError
from leptodx.reference.analytes import ANALYTE_TABLE, Analyte
from leptodx.reference.eano_esmo import (
    OUT_OF_SCOPE_PRIMARIES,
    SOLID_PRIMARIES,
    Biopsy,
    ClinicalSigns,
    Cytology,
    Mri,
)
from leptodx.reference.plausibility import PLAUSIBLE_RANGES
from leptodx.reference.symptoms import SYMPTOMS

PRIMARY_TUMOURS: tuple[str, ...] = (*SOLID_PRIMARIES, *OUT_OF_SCOPE_PRIMARIES)
LEGS: tuple[str, ...] = ("clinical_signs", "mri", "cytology")
"""The three EANO–ESMO legs (optional: a missing leg is named in ``missing``)."""
_AGE = PLAUSIBLE_RANGES["age_years"]
_VOLUME = PLAUSIBLE_RANGES["csf_volume_ml"]
_DELAY = PLAUSIBLE_RANGES["processing_delay_min"]
_LP = PLAUSIBLE_RANGES["lp_number"]


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True, kw_only=True)
class Measured:
    """A value with its unit as entered: ``{"value": 1.2, "unit": "g/L"}``."""

    value: float = c.number(required=True)
    unit: str = c.text(min_length=1, required=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class CsfPanel:
    """CSF analytes of one lumbar puncture and its pre-analytics."""

    leukocytes: Measured | None = c.nested(Measured)
    protein: Measured | None = c.nested(Measured)
    glucose: Measured | None = c.nested(Measured)
    lactate: Measured | None = c.nested(Measured)
    albumin: Measured | None = c.nested(Measured)
    volume_ml: float | None = c.number(ge=_VOLUME.low, le=_VOLUME.high)
    processing_delay_min: float | None = c.number(ge=_DELAY.low, le=_DELAY.high)
    lp_number: int | None = c.integer(ge=int(_LP.low), le=int(_LP.high))
    """Which lumbar puncture of this work-up the sample comes from (1 = first)."""
    days_since_brain_surgery: float | None = c.number(ge=0)


@dataclass(frozen=True, slots=True, kw_only=True)
class SerumPanel:
    """Serum/plasma values drawn with the lumbar puncture (for the glucose ratio and QAlb)."""

    glucose: Measured | None = c.nested(Measured)
    albumin: Measured | None = c.nested(Measured)


@dataclass(frozen=True, slots=True, kw_only=True)
class PatientInput:
    """Findings for one patient with suspected LM (``leptodx schema`` publishes this)."""

    patient_id: str | None = c.text(max_length=200)
    age_years: float | None = c.number(ge=_AGE.low, le=_AGE.high)
    sex: Sex | None = c.code(Sex)
    primary_tumour: str | None = c.text(
        vocabulary=PRIMARY_TUMOURS, refusal="one of: {codes} (see `leptodx schema`)"
    )
    known_cancer: bool = c.flag(required=True)
    clinical_signs: ClinicalSigns | None = c.code(ClinicalSigns)
    symptoms: list[str] = c.codes(
        tuple(SYMPTOMS),
        "symptom codes from: {codes} ({first!r} is not one; see `leptodx schema`)",
    )
    mri: Mri | None = c.code(Mri)
    cytology: Cytology | None = c.code(Cytology)
    biopsy: Biopsy | None = c.code(Biopsy)
    csf: CsfPanel | None = c.nested(CsfPanel)
    serum: SerumPanel | None = c.nested(SerumPanel)


def input_json_schema(*, ref_template: str = "#/$defs/{model}") -> dict[str, Any]:
    """JSON Schema of :class:`PatientInput`, generated from the same field table it is checked
    against (``presentation.schema`` adds the code labels)."""
    return c.json_schema(PatientInput, ref_template=ref_template)


def measured_quantities(patient: PatientInput) -> dict[str, Quantity]:
    """Every entered analyte in its canonical unit (rounded to the analyte's significant digits).

    Raises :class:`InputError` for an impossible value (outside the analyte table's plausible
    range); implausible values are reported by the assessment (``domain.plausibility``).
    """
    out: dict[str, Quantity] = {}
    for analyte in ANALYTE_TABLE:
        panel = getattr(patient, analyte.specimen)
        entry: Measured | None = getattr(panel, analyte.name) if panel is not None else None
        if entry is not None:
            out[analyte.field] = measured_quantity(analyte, entry)
    return out


def measured_quantity(analyte: Analyte, entry: Measured) -> Quantity:
    """One entered value in its analyte's canonical unit; :class:`InputError` when the unit is
    unknown or the value impossible (``domain.plausibility.check_possible``)."""
    quantity = Quantity.parse(
        entry.value,
        entry.unit,
        canonical_unit=analyte.canonical_unit,
        dimension=analyte.dimension,
        field=analyte.field,
        significant_digits=analyte.significant_digits,
    )
    check_possible(analyte, quantity)
    return quantity


def validate_patient(data: Any) -> PatientInput:
    """The contract's types, vocabularies and ranges (not yet units and analyte plausibility);
    raise one :class:`InputError` naming the field."""
    if not isinstance(data, Mapping):
        raise InputError("(input)", type(data).__name__, "a JSON/YAML object with the input fields")
    return c.validate(PatientInput, dict(data))


def parse_patient(data: Mapping[str, Any]) -> tuple[PatientInput, dict[str, Quantity]]:
    """Validate a record of the input contract; raise one :class:`InputError` naming the field."""
    patient = validate_patient(data)
    return patient, measured_quantities(patient)
