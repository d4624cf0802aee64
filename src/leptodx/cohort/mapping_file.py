"""The schema of a mapping file (pydantic), read only when a user gives ``--mapping``.

Validation turns the YAML document into :class:`leptodx.cohort.mapping.CohortMapping`; the
analyses themselves use that plain dataclass, so a command on a file without a mapping never
imports pydantic (issue 16: ≈ 0.1 s of start-up).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from leptodx.cohort.fields import FIELDS, Kind
from leptodx.cohort.units import accepted_units
from leptodx.errors import InputError


class FieldMappingModel(BaseModel):
    """Where one LeptoDx field is found in the user's file, and in which unit."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    column: str
    unit: str | None = None
    unit_column: str | None = None
    categories: dict[str, str | int] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _one_unit_source(self) -> FieldMappingModel:
        if self.unit is not None and self.unit_column is not None:
            raise ValueError("give either 'unit' or 'unit_column', not both")
        return self


class CohortMappingModel(BaseModel):
    """A whole mapping file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    fields: dict[str, FieldMappingModel]

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
    def _known_fields(self) -> CohortMappingModel:
        for name, spec in self.fields.items():
            if name not in FIELDS:
                raise InputError(f"fields.{name}", name, f"a LeptoDx field: {', '.join(FIELDS)}")
            if FIELDS[name].kind is Kind.QUANTITY and spec.unit is not None:
                allowed = accepted_units(name)
                if spec.unit not in allowed:
                    raise InputError(f"fields.{name}.unit", spec.unit, f"one of {allowed}")
        return self
