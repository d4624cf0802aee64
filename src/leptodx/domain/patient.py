"""The input contract of ``leptodx assess`` (JSON/YAML, API, FHIR import), as pydantic models.

Required: ``known_cancer``, ``clinical_signs``, ``mri``, ``cytology``. Everything else is optional;
what is missing is reported in the assessment, never guessed. Unknown fields are rejected so that
a misspelt key cannot be silently ignored (docs/decisions/core-input-contract.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from leptodx.domain.units import Dimension, Quantity
from leptodx.errors import InputError
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
_AGE = PLAUSIBLE_RANGES["age_years"]
_VOLUME = PLAUSIBLE_RANGES["csf_volume_ml"]
_DELAY = PLAUSIBLE_RANGES["processing_delay_min"]
_LP = PLAUSIBLE_RANGES["lp_number"]


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class Measured(BaseModel):
    """A value with its unit as entered: ``{"value": 1.2, "unit": "g/L"}``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    value: float = Field(allow_inf_nan=False)
    unit: str = Field(min_length=1)


class CsfPanel(BaseModel):
    """CSF analytes of one lumbar puncture and its pre-analytics."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    leukocytes: Measured | None = None
    protein: Measured | None = None
    glucose: Measured | None = None
    lactate: Measured | None = None
    albumin: Measured | None = None
    volume_ml: float | None = Field(
        default=None, ge=_VOLUME.low, le=_VOLUME.high, allow_inf_nan=False
    )
    processing_delay_min: float | None = Field(
        default=None, ge=_DELAY.low, le=_DELAY.high, allow_inf_nan=False
    )
    lp_number: int | None = Field(default=None, ge=int(_LP.low), le=int(_LP.high))
    days_since_brain_surgery: float | None = Field(default=None, ge=0, allow_inf_nan=False)


class SerumPanel(BaseModel):
    """Serum/plasma values drawn with the lumbar puncture (for the glucose ratio and QAlb)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    glucose: Measured | None = None
    albumin: Measured | None = None


class PatientInput(BaseModel):
    """Findings for one patient with suspected LM (``leptodx schema`` publishes this)."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)
    patient_id: str | None = Field(default=None, max_length=200)
    age_years: float | None = Field(default=None, ge=_AGE.low, le=_AGE.high, allow_inf_nan=False)
    sex: Sex | None = None
    primary_tumour: str | None = None
    known_cancer: bool
    clinical_signs: ClinicalSigns
    symptoms: list[str] = Field(default_factory=list)
    mri: Mri
    cytology: Cytology
    biopsy: Biopsy | None = None
    csf: CsfPanel | None = None
    serum: SerumPanel | None = None

    @field_validator("primary_tumour")
    @classmethod
    def _known_primary(cls, value: str | None) -> str | None:
        if value is not None and value not in PRIMARY_TUMOURS:
            raise ValueError(f"expected one of: {', '.join(PRIMARY_TUMOURS)}")
        return value

    @field_validator("symptoms")
    @classmethod
    def _known_symptoms(cls, value: list[str]) -> list[str]:
        unknown = [s for s in value if s not in SYMPTOMS]
        if unknown:
            raise ValueError(
                f"unknown symptom {unknown[0]!r}; expected any of: {', '.join(SYMPTOMS)}"
            )
        return value


# field path -> (dimension, canonical unit, plausibility key)
ANALYTES: dict[str, tuple[Dimension, str, str]] = {
    "csf.leukocytes": (Dimension.CELLS, "/uL", "csf_leukocytes"),
    "csf.protein": (Dimension.MASS, "mg/L", "csf_protein"),
    "csf.glucose": (Dimension.GLUCOSE, "mmol/L", "csf_glucose"),
    "csf.lactate": (Dimension.LACTATE, "mmol/L", "csf_lactate"),
    "csf.albumin": (Dimension.MASS, "mg/L", "csf_albumin"),
    "serum.glucose": (Dimension.GLUCOSE, "mmol/L", "serum_glucose"),
    "serum.albumin": (Dimension.MASS, "g/L", "serum_albumin"),
}


def measured_quantities(patient: PatientInput) -> dict[str, Quantity]:
    """Every entered analyte converted to its canonical unit and checked for plausibility."""
    out: dict[str, Quantity] = {}
    for path, (dimension, canonical, key) in ANALYTES.items():
        panel_name, analyte = path.split(".")
        panel = getattr(patient, panel_name)
        entry: Measured | None = getattr(panel, analyte) if panel is not None else None
        if entry is None:
            continue
        quantity = Quantity.parse(
            entry.value, entry.unit, canonical_unit=canonical, dimension=dimension, field=path
        )
        bounds = PLAUSIBLE_RANGES[key]
        if not bounds.low <= quantity.canonical_value <= bounds.high:
            raise InputError(
                f"{path}.value",
                f"{entry.value} {entry.unit}",
                f"a plausible value between {bounds.low:g} and {bounds.high:g} {bounds.unit}",
            )
        out[path] = quantity
    return out


def _describe(err: Mapping[str, Any]) -> InputError:
    field = ".".join(str(part) for part in err["loc"]) or "(input)"
    if err["type"] == "missing":
        return InputError(field, None, "a value: this field is required")
    if err["type"] == "extra_forbidden":
        return InputError(
            field, err.get("input"), "no such field (check the spelling; see `leptodx schema`)"
        )
    message = str(err["msg"]).removeprefix("Value error, ").removeprefix("Input should be ")
    return InputError(field, err.get("input"), message[:1].lower() + message[1:])


def parse_patient(data: Mapping[str, Any]) -> tuple[PatientInput, dict[str, Quantity]]:
    """Validate a record of the input contract; raise one :class:`InputError` naming the field."""
    if not isinstance(data, Mapping):
        raise InputError("(input)", type(data).__name__, "a JSON/YAML object with the input fields")
    try:
        patient = PatientInput.model_validate(dict(data))
    except ValidationError as exc:
        raise _describe(exc.errors()[0]) from None
    return patient, measured_quantities(patient)
