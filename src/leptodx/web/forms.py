"""Case-entry form ↔ input contract: flat form fields in, the assess input dict out."""

from __future__ import annotations

import math
from typing import Any

from leptodx.domain.patient import PRIMARY_TUMOURS, Sex
from leptodx.domain.units import Dimension, accepted_units
from leptodx.errors import InputError
from leptodx.presentation.labels import CODED_FIELDS
from leptodx.presentation.numbers import display_unit
from leptodx.reference.analytes import ANALYTE_TABLE
from leptodx.reference.analytes import ANALYTES as ANALYTES_BY_FIELD
from leptodx.reference.eano_esmo import Biopsy, ClinicalSigns, Cytology, Mri
from leptodx.reference.symptoms import SYMPTOMS

ANALYTES: tuple[tuple[str, str, Dimension, str], ...] = tuple(
    (a.specimen, a.name, a.dimension, a.canonical_unit) for a in ANALYTE_TABLE
)
"""(panel, analyte, dimension, canonical unit) per form row, from the one analyte table."""
CSF_NUMBERS = ("volume_ml", "processing_delay_min", "lp_number", "days_since_brain_surgery")

CHOICES: dict[str, list[str]] = {
    "sex": [s.value for s in Sex],
    "primary_tumour": list(PRIMARY_TUMOURS),
    "clinical_signs": [c.value for c in ClinicalSigns],
    "mri": [m.value for m in Mri],
    "cytology": [c.value for c in Cytology],
    "biopsy": [b.value for b in Biopsy],
}


def units_for(dimension: Dimension) -> tuple[str, ...]:
    return accepted_units(dimension)


def field_units(field: str) -> tuple[str, ...]:
    """Units accepted for an analyte of the input contract, canonical first."""
    analyte = ANALYTES_BY_FIELD[field]
    others = [u for u in accepted_units(analyte.dimension) if u != analyte.canonical_unit]
    return (analyte.canonical_unit, *others)


def unit_label(unit: str) -> str:
    """How a unit option reads (``/uL`` → ``/µL``); the submitted value stays the UCUM code."""
    return display_unit(unit)


def _number(form: dict[str, str], name: str, path: str) -> float | None:
    raw = form.get(name, "").strip()
    if raw == "":
        return None
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        raise InputError(path, raw, "a number") from None
    if not math.isfinite(value):
        raise InputError(path, raw, "a finite number")
    return value


def to_input(form: dict[str, str], symptoms: list[str]) -> dict[str, Any]:
    """Build the input contract from the form; empty fields are left out (reported as missing)."""
    data: dict[str, Any] = {}
    for key in ("sex", "primary_tumour", "clinical_signs", "mri", "cytology", "biopsy"):
        if form.get(key):
            data[key] = form[key]
    if form.get("known_cancer") in ("yes", "no"):
        data["known_cancer"] = form["known_cancer"] == "yes"
    age = _number(form, "age_years", "age_years")
    if age is not None:
        data["age_years"] = age
    if form.get("patient_id"):
        data["patient_id"] = form["patient_id"]
    if symptoms:
        data["symptoms"] = [s for s in symptoms if s in SYMPTOMS] or symptoms
    for panel, analyte, _dim, _canonical in ANALYTES:
        value = _number(form, f"{panel}_{analyte}_value", f"{panel}.{analyte}.value")
        if value is not None:
            data.setdefault(panel, {})[analyte] = {
                "value": value,
                "unit": form.get(f"{panel}_{analyte}_unit", ""),
            }
    for name in CSF_NUMBERS:
        value = _number(form, name, f"csf.{name}")
        if value is not None:
            whole = name == "lp_number" and value.is_integer()  # 2.5 stays 2.5 and is refused
            data.setdefault("csf", {})[name] = int(value) if whole else value
    return data


def option_label(field: str, code: str) -> str:
    """How a choice reads in the form (the guideline's wording; the value stays the code)."""
    return CODED_FIELDS.get(field, {}).get(code, code)


def field_name(error_field: str) -> str:
    """Form field that shows an error for a contract path (``csf.protein.unit`` → select)."""
    parts = error_field.split(".")
    if len(parts) == 3 and parts[0] in ("csf", "serum"):
        return f"{parts[0]}_{parts[1]}_{'unit' if parts[2] == 'unit' else 'value'}"
    if len(parts) == 2 and parts[0] == "csf":
        return parts[1]
    return parts[0]


def from_input(record: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    """Form values and checked symptoms from an input-contract record (pre-filling the form, e.g.
    from a record read from the EHR); the inverse of :func:`to_input`."""
    from leptodx.presentation.numbers import format_number

    values: dict[str, str] = {}
    for key in ("patient_id", "sex", "primary_tumour", "clinical_signs", "mri", "cytology", "biopsy"):  # fmt: skip
        if isinstance(record.get(key), str):
            values[key] = record[key]
    if isinstance(record.get("known_cancer"), bool):
        values["known_cancer"] = "yes" if record["known_cancer"] else "no"
    if isinstance(record.get("age_years"), int | float):
        values["age_years"] = format_number(float(record["age_years"]))
    for panel, analyte, _dim, _canonical in ANALYTES:
        entry = (record.get(panel) or {}).get(analyte)
        if isinstance(entry, dict) and isinstance(entry.get("value"), int | float):
            values[f"{panel}_{analyte}_value"] = format_number(float(entry["value"]))
            values[f"{panel}_{analyte}_unit"] = str(entry.get("unit", ""))
    for name in CSF_NUMBERS:
        value = (record.get("csf") or {}).get(name)
        if isinstance(value, int | float) and not isinstance(value, bool):
            values[name] = format_number(float(value))
    return values, [s for s in record.get("symptoms", []) if s in SYMPTOMS]
