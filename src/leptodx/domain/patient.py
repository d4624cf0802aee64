"""The input contract of ``leptodx assess`` (JSON/YAML, API, FHIR import), as pydantic models.

Required: ``known_cancer``. The three legs ``clinical_signs``, ``mri`` and ``cytology`` and
everything else are optional; what is missing is reported in the assessment (a missing leg the
level depends on gives the ``incomplete`` outcome), never guessed. Types are strict: ``"yes"``,
``1`` or ``"58"`` are not coerced, and a JSON boolean is not a number. Unknown fields are rejected
so that a misspelt key cannot be silently ignored (docs/decisions/core-input-contract.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError, field_validator

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


def _number(*, ge: float | None = None, le: float | None = None) -> Any:
    """A strict, finite JSON number (int or float; not text, not a boolean)."""
    return Field(default=None, ge=ge, le=le, strict=True, allow_inf_nan=False)


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class Measured(BaseModel):
    """A value with its unit as entered: ``{"value": 1.2, "unit": "g/L"}``."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    value: float = Field(strict=True, allow_inf_nan=False)
    unit: str = Field(min_length=1, strict=True)


class CsfPanel(BaseModel):
    """CSF analytes of one lumbar puncture and its pre-analytics."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    leukocytes: Measured | None = None
    protein: Measured | None = None
    glucose: Measured | None = None
    lactate: Measured | None = None
    albumin: Measured | None = None
    volume_ml: float | None = _number(ge=_VOLUME.low, le=_VOLUME.high)
    processing_delay_min: float | None = _number(ge=_DELAY.low, le=_DELAY.high)
    lp_number: int | None = Field(default=None, ge=int(_LP.low), le=int(_LP.high), strict=True)
    """Which lumbar puncture of this work-up the sample comes from (1 = first)."""
    days_since_brain_surgery: float | None = _number(ge=0)


class SerumPanel(BaseModel):
    """Serum/plasma values drawn with the lumbar puncture (for the glucose ratio and QAlb)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    glucose: Measured | None = None
    albumin: Measured | None = None


class PatientInput(BaseModel):
    """Findings for one patient with suspected LM (``leptodx schema`` publishes this)."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)
    patient_id: str | None = Field(default=None, max_length=200, strict=True)
    age_years: float | None = _number(ge=_AGE.low, le=_AGE.high)
    sex: Sex | None = None
    primary_tumour: str | None = Field(
        default=None, strict=True, json_schema_extra={"enum": list(PRIMARY_TUMOURS)}
    )
    known_cancer: StrictBool
    clinical_signs: ClinicalSigns | None = None
    symptoms: list[str] = Field(
        default_factory=list, strict=True, json_schema_extra={"items": {"enum": list(SYMPTOMS)}}
    )
    mri: Mri | None = None
    cytology: Cytology | None = None
    biopsy: Biopsy | None = None
    csf: CsfPanel | None = None
    serum: SerumPanel | None = None

    @field_validator("primary_tumour")
    @classmethod
    def _known_primary(cls, value: str | None) -> str | None:
        if value is not None and value not in PRIMARY_TUMOURS:
            raise ValueError(f"one of: {', '.join(PRIMARY_TUMOURS)} (see `leptodx schema`)")
        return value

    @field_validator("symptoms")
    @classmethod
    def _known_symptoms(cls, value: list[str]) -> list[str]:
        unknown = [s for s in value if s not in SYMPTOMS]
        if unknown:
            raise ValueError(
                f"symptom codes from: {', '.join(SYMPTOMS)} ({unknown[0]!r} is not one; see "
                "`leptodx schema`)"
            )
        return value


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


_STRICT_TYPES = {
    "float_type": "a number (a JSON number, not text and not true/false)",
    "int_type": "a whole number (a JSON integer, not text and not true/false)",
    "bool_type": "true or false (a JSON boolean, not text and not a number)",
    "string_type": "text (a JSON string)",
}


def _describe(err: Mapping[str, Any]) -> InputError:
    field = ".".join(str(part) for part in err["loc"]) or "(input)"
    if err["type"] == "missing":
        return InputError(field, None, "a value: this field is required")
    if err["type"] in _STRICT_TYPES:
        return InputError(field, err.get("input"), _STRICT_TYPES[err["type"]])
    if err["type"] == "extra_forbidden":
        return InputError(
            field, err.get("input"), "no such field (check the spelling; see `leptodx schema`)"
        )
    message = str(err["msg"]).removeprefix("Value error, ").removeprefix("Input should be ")
    return InputError(field, err.get("input"), message[:1].lower() + message[1:])


def validate_patient(data: Any) -> PatientInput:
    """The contract's types, vocabularies and ranges (not yet units and analyte plausibility);
    raise one :class:`InputError` naming the field."""
    if not isinstance(data, Mapping):
        raise InputError("(input)", type(data).__name__, "a JSON/YAML object with the input fields")
    try:
        return PatientInput.model_validate(dict(data))
    except ValidationError as exc:
        raise _describe(exc.errors()[0]) from None


def parse_patient(data: Mapping[str, Any]) -> tuple[PatientInput, dict[str, Quantity]]:
    """Validate a record of the input contract; raise one :class:`InputError` naming the field."""
    patient = validate_patient(data)
    return patient, measured_quantities(patient)
