"""Column mapping (YAML) from a user's spreadsheet to LeptoDx cohort fields.

Example ``mapping.yaml``::

    fields:
      lm: {column: LM_diagnosis, categories: {yes: 1, no: 0}}
      age_years: Age                       # short form: just the column name
      sex: {column: Sex, categories: {F: female, M: male}}
      csf_protein: {column: Protein, unit: mg/dL}          # one unit for the column
      csf_glucose: {column: Glucose, unit_column: GlucoseUnit}  # unit per row

Without a mapping every LeptoDx field is looked up under its own name, and a quantity's unit in the
column ``<field>_unit``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from leptodx.cohort.fields import FIELDS, Kind
from leptodx.cohort.units import accepted_units
from leptodx.errors import InputError


class FieldMapping(BaseModel):
    """Where one LeptoDx field is found in the user's file, and in which unit."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    column: str
    unit: str | None = None
    unit_column: str | None = None
    categories: dict[str, str | int] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _one_unit_source(self) -> FieldMapping:
        if self.unit is not None and self.unit_column is not None:
            raise ValueError("give either 'unit' or 'unit_column', not both")
        return self


class CohortMapping(BaseModel):
    """A whole mapping file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    fields: dict[str, FieldMapping]

    @model_validator(mode="before")
    @classmethod
    def _short_forms(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("fields"), dict):
            data = dict(data)
            data["fields"] = {
                k: {"column": v} if isinstance(v, str) else v for k, v in data["fields"].items()
            }
        return data

    @model_validator(mode="after")
    def _known_fields(self) -> CohortMapping:
        for name, spec in self.fields.items():
            if name not in FIELDS:
                raise InputError(f"fields.{name}", name, f"a LeptoDx field: {', '.join(FIELDS)}")
            if FIELDS[name].kind is Kind.QUANTITY and spec.unit is not None:
                allowed = accepted_units(name)
                if spec.unit not in allowed:
                    raise InputError(f"fields.{name}.unit", spec.unit, f"one of {allowed}")
        return self


def load_mapping(path: Path) -> CohortMapping:
    """Read and validate a mapping YAML file."""
    from leptodx.input_files import load_document

    data = load_document(Path(path), field="--mapping", kind="YAML mapping", as_yaml=True)
    try:
        return CohortMapping.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'fields'}: {e['msg']}" for e in exc.errors()
        )
        raise InputError("--mapping", str(path), f"a valid mapping file ({problems})") from None


def default_mapping(frame: pd.DataFrame) -> CohortMapping:
    """Identity mapping for the LeptoDx fields present as columns (synthetic files use it)."""
    found: dict[str, FieldMapping] = {}
    for name, spec in FIELDS.items():
        if name not in frame.columns:
            continue
        unit_column = f"{name}_unit" if spec.kind is Kind.QUANTITY else None
        if unit_column is not None and unit_column not in frame.columns:
            unit_column = None
        found[name] = FieldMapping(column=name, unit_column=unit_column)
    return CohortMapping(fields=found)
