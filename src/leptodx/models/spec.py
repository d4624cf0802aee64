"""Prediction-model specifications as data: predictors, types, units, transforms, source.

A specification says *what* a model uses, never its coefficients. Built-in specifications for
Gao et al. 2022 models A and B (``gao-a``, ``gao-b``) carry the published predictor names, cohort
definitions and reported AUCs, and ``coefficients_available = False``. Users write their own as
YAML::

    name: my-model
    title: Pre-LP model, site X
    outcome: lm
    predictors:
      - {name: active brain metastasis, field: active_brain_metastasis, type: binary}
      - {name: CSF protein, field: csf_protein, type: continuous, unit: mg/L, transform: log}
    source: {citation: "Own cohort 2020-2024"}
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from leptodx.cohort import units as cohort_units
from leptodx.cohort.fields import FIELDS, Kind
from leptodx.errors import InputError


class PredictorType(StrEnum):
    """How a predictor enters the model."""

    BINARY = "binary"
    COUNT = "count"
    CONTINUOUS = "continuous"


class Transform(StrEnum):
    """Transformation applied to the predictor (in its stated unit) before the linear predictor."""

    NONE = "none"
    LOG = "log"
    LOG1P = "log1p"
    SQRT = "sqrt"


_TRANSFORMS: dict[Transform, Callable[[NDArray[np.float64]], NDArray[np.float64]]] = {
    Transform.NONE: lambda x: x,
    Transform.LOG: np.log,
    Transform.LOG1P: np.log1p,
    Transform.SQRT: np.sqrt,
}


class Predictor(BaseModel):
    """One predictor: published (or user) name, cohort field, type, unit and transform."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    field: str
    type: PredictorType
    unit: str | None = None
    transform: Transform = Transform.NONE
    definition: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Predictor:
        if self.field not in FIELDS:
            raise ValueError(f"field {self.field!r} is not a LeptoDx cohort field")
        if FIELDS[self.field].kind is Kind.QUANTITY:
            if self.unit is None:
                raise ValueError(f"predictor {self.name!r} needs a unit")
            if cohort_units.factor_to_canonical(self.field, self.unit) is None:
                raise ValueError(
                    f"unit {self.unit!r} not one of {cohort_units.accepted_units(self.field)}"
                )
        return self

    def encode(self, canonical: NDArray[np.float64]) -> NDArray[np.float64]:
        """Column of the design matrix from canonical cohort values (unit, then transform)."""
        values = canonical
        if self.unit is not None:
            factor = cohort_units.factor_to_canonical(self.field, self.unit)
            assert factor is not None
            values = canonical / factor
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.asarray(_TRANSFORMS[self.transform](values), dtype=np.float64)


class SpecSource(BaseModel):
    """Where a specification comes from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    citation: str
    pack: str | None = None
    status: str | None = None
    url: str | None = None


class ReportedPerformance(BaseModel):
    """Performance as published (never used as if it were our result)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    auc: float
    ci_low: float | None = None
    ci_high: float | None = None
    comparator: str | None = None
    comparator_auc: float | None = None
    p_value: float | None = None
    note: str = ""


class ModelSpec(BaseModel):
    """A prediction-model specification (no coefficients)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    title: str
    outcome: str = "lm"
    predictors: tuple[Predictor, ...] = Field(min_length=1)
    cohort: str | None = None
    method: str | None = None
    source: SpecSource
    sources: tuple[SpecSource, ...] = ()
    reported_performance: ReportedPerformance | None = None
    coefficients_available: bool = False
    notes: tuple[str, ...] = ()

    @property
    def fields(self) -> list[str]:
        """Cohort fields the model needs."""
        return [p.field for p in self.predictors]

    def design_matrix(self, data: Any) -> NDArray[np.float64]:
        """Encoded predictors (n × p) from a mapped cohort frame with canonical columns."""
        missing = [f for f in self.fields if f not in data.columns]
        if missing:
            raise InputError("--spec", self.name, f"a cohort with the fields {missing}")
        cols = [p.encode(np.asarray(data[p.field], dtype=float)) for p in self.predictors]
        return np.column_stack(cols)


def load_spec(path: Path) -> ModelSpec:
    """Read a user YAML specification."""
    from leptodx.input_files import load_document

    path = Path(path)
    if not path.is_file():
        raise InputError("--spec", str(path), "gao-a, gao-b or an existing YAML spec file")
    data = load_document(path, field="--spec", kind="YAML specification", as_yaml=True)
    try:
        if isinstance(data, dict):
            data.setdefault("coefficients_available", False)
        return ModelSpec.model_validate(data)
    except ValidationError as exc:
        raise InputError("--spec", str(path), f"a valid model specification ({exc})") from None
