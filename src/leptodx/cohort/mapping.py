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

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leptodx.cohort.fields import FIELDS, Kind
from leptodx.errors import InputError

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class FieldMapping:
    """Where one LeptoDx field is found in the user's file, and in which unit."""

    column: str
    unit: str | None = None
    unit_column: str | None = None
    categories: dict[str, str | int] = field(default_factory=dict)


@dataclass(frozen=True)
class CohortMapping:
    """A whole mapping: LeptoDx field → where it is found.

    Built by :func:`default_mapping`, or from a user's document by :func:`mapping_from_dict` /
    :func:`load_mapping`, which validate it (:mod:`leptodx.cohort.mapping_file`).
    """

    fields: dict[str, FieldMapping]


def mapping_from_dict(data: Any) -> CohortMapping:
    """A validated mapping from a mapping document (short forms allowed); an unknown field or
    unit is an :class:`InputError`, any other mistake a pydantic ``ValidationError``."""
    from leptodx.cohort.mapping_file import CohortMappingModel

    model = CohortMappingModel.model_validate(data)
    return CohortMapping(
        {
            name: FieldMapping(spec.column, spec.unit, spec.unit_column, dict(spec.categories))
            for name, spec in model.fields.items()
        }
    )


def load_mapping(path: Path) -> CohortMapping:
    """Read and validate a mapping YAML file."""
    from pydantic import ValidationError

    from leptodx.input_files import load_document

    data = load_document(Path(path), field="--mapping", kind="YAML mapping", as_yaml=True)
    try:
        return mapping_from_dict(data)
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
