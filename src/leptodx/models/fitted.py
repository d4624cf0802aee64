"""Fitted-model files: coefficients + provenance, loading with integrity check, prediction.

A fitted-model file is JSON. It holds the specification, the intercept and coefficients on the
encoded scale (unit and transform of each predictor, **chosen by the user who fitted it**, not by
the specification's authors), a summary of the training data, the metrics measured at fitting time,
the software version, the multiple-imputation settings when the model was developed on imputed
data, and a SHA-256 content hash over everything else, checked on load.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from leptodx import __version__
from leptodx.cohort import units as cohort_units
from leptodx.cohort.io import write_bytes_atomic
from leptodx.errors import InputError
from leptodx.models.spec import ModelSpec
from leptodx.stats.link import expit

FORMAT_VERSION = "1"
ENCODING_NOTE = (
    "Units, transforms and category codings of the predictors were chosen by the user who fitted "
    "this model; they are not the specification authors' definitions."
)


class PredictorSummary(BaseModel):
    """Distribution of one encoded predictor in the training data."""

    model_config = ConfigDict(frozen=True)

    name: str
    mean: float
    sd: float
    min: float
    max: float


class TrainingSummary(BaseModel):
    """What the model was fitted on."""

    model_config = ConfigDict(frozen=True)

    file: str | None
    n: int
    n_events: int
    n_excluded_missing: int
    synthetic: bool
    predictors: tuple[PredictorSummary, ...]
    linear_predictor_mean: float | None = None
    linear_predictor_sd: float | None = None


class FittedModel(BaseModel):
    """A fitted logistic model with provenance."""

    model_config = ConfigDict(frozen=True)

    format_version: str = FORMAT_VERSION
    spec: ModelSpec
    method: str
    intercept: float
    coefficients: dict[str, float]
    standard_errors: dict[str, float | None] = Field(default_factory=dict)
    encodings_chosen_by: str = "user"
    encoding_note: str = ENCODING_NOTE
    training: TrainingSummary
    metrics: dict[str, Any] = Field(default_factory=dict)
    imputation: dict[str, Any] | None = None
    """Multiple-imputation settings when the model was developed on imputed data."""
    software: dict[str, str] = Field(default_factory=lambda: {"leptodx": __version__})
    created: str = Field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    content_hash: str = ""

    def _payload(self) -> dict[str, Any]:
        # ``imputation`` joined the format later: left out when absent, older hashes stay valid
        exclude = {"content_hash"} | ({"imputation"} if self.imputation is None else set())
        return self.model_dump(mode="json", exclude=exclude)

    def compute_hash(self) -> str:
        """SHA-256 of the canonical JSON of every field but the hash itself."""
        text = json.dumps(self._payload(), sort_keys=True, separators=(",", ":"))
        return "sha256:" + hashlib.sha256(text.encode()).hexdigest()

    def sealed(self) -> FittedModel:
        """Copy with ``content_hash`` filled in."""
        return self.model_copy(update={"content_hash": self.compute_hash()})

    def save(self, path: Path) -> None:
        """Write the sealed model atomically."""
        text = self.sealed().model_dump_json(indent=2)
        write_bytes_atomic(Path(path), lambda tmp: tmp.write_text(text, encoding="utf-8"))

    @property
    def beta(self) -> NDArray[np.float64]:
        """Coefficients in specification order."""
        return np.array([self.coefficients[p.name] for p in self.spec.predictors])

    def linear_predictor(self, data: pd.DataFrame) -> NDArray[np.float64]:
        """Linear predictor for a mapped cohort (canonical columns); NaN where a predictor is."""
        return self.intercept + self.spec.design_matrix(data) @ self.beta

    def predict_proba(self, data: pd.DataFrame) -> NDArray[np.float64]:
        """Predicted risk for every row of a mapped cohort."""
        return expit(self.linear_predictor(data))

    def predict(self, record: Mapping[str, Any]) -> Prediction:
        """Risk of one patient with each predictor's contribution to the linear predictor.

        ``record`` maps cohort field names to values; a quantity is a number in the canonical
        unit or ``{"value": v, "unit": u}``.
        """
        rows: list[Contribution] = []
        warnings: list[str] = []
        summaries = {s.name: s for s in self.training.predictors}
        lp = self.intercept
        for p in self.spec.predictors:
            if record.get(p.field) is None:
                raise InputError(p.field, None, f"a value for predictor {p.name!r}")
            canonical = canonical_value(p.field, record[p.field])
            encoded = float(p.encode(np.array([canonical]))[0])
            if not np.isfinite(encoded):
                raise InputError(p.field, record[p.field], f"a value valid for {p.transform}")
            coef = self.coefficients[p.name]
            lp += coef * encoded
            rows.append(Contribution(p.name, p.field, encoded, p.unit, coef, coef * encoded))
            s = summaries.get(p.name)
            if s is not None and not s.min <= encoded <= s.max:
                warnings.append(
                    f"{p.name} = {encoded:g} is outside the training range {s.min:g}–{s.max:g}"
                )
        risk = float(expit(lp))
        return Prediction(
            risk,
            float(lp),
            self.intercept,
            tuple(rows),
            tuple(warnings),
            self.spec.name,
            self.content_hash,
        )

    def predict_columns(self, canonical: Mapping[str, NDArray[np.float64]]) -> ColumnPrediction:
        """:meth:`predict` for columns of canonical values (one per predictor field).

        The same encoding, the same order of additions to the linear predictor and the same
        link, so every row equals :meth:`predict` on that row. Rows with a missing value or a
        value the transform cannot take are marked in ``valid`` (their other outputs are NaN).
        """
        summaries = {s.name: s for s in self.training.predictors}
        n = len(next(iter(canonical.values())))
        lp = np.full(n, self.intercept)
        valid = np.ones(n, dtype=bool)
        values: dict[str, NDArray[np.float64]] = {}
        contributions: dict[str, NDArray[np.float64]] = {}
        outside: dict[str, NDArray[np.bool_]] = {}
        for p in self.spec.predictors:
            encoded = p.encode(canonical[p.field])
            valid &= np.isfinite(encoded)
            coef = self.coefficients[p.name]
            contributions[p.name] = coef * encoded
            lp = lp + contributions[p.name]
            values[p.name] = encoded
            s = summaries.get(p.name)
            with np.errstate(invalid="ignore"):
                inside = (s.min <= encoded) & (encoded <= s.max) if s is not None else True
            outside[p.name] = (
                np.asarray(~inside & valid, dtype=np.bool_)
                if s is not None
                else np.zeros(n, dtype=np.bool_)
            )
        lp = np.where(valid, lp, np.nan)
        return ColumnPrediction(expit(lp), lp, values, contributions, outside, valid)


@dataclass(frozen=True, slots=True)
class ColumnPrediction:
    """:meth:`FittedModel.predict_columns`: risk, linear predictor and per-predictor parts."""

    probability: NDArray[np.float64]
    linear_predictor: NDArray[np.float64]
    values: dict[str, NDArray[np.float64]]
    """Encoded value of each predictor (unit and transform of the model)."""
    contributions: dict[str, NDArray[np.float64]]
    outside_training: dict[str, NDArray[np.bool_]]
    """The encoded value is outside the training data's range (``predict`` warns)."""
    valid: NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Contribution:
    """One predictor's share of the linear predictor (coefficient × encoded value)."""

    predictor: str
    field: str
    value: float
    unit: str | None
    coefficient: float
    contribution: float


@dataclass(frozen=True, slots=True)
class Prediction:
    """A patient's predicted risk from a fitted model."""

    probability: float
    linear_predictor: float
    intercept: float
    contributions: tuple[Contribution, ...]
    warnings: tuple[str, ...]
    model: str
    model_hash: str
    notes: tuple[str, ...] = field(default=(ENCODING_NOTE,))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (web app, core)."""
        return {
            "probability": self.probability,
            "linear_predictor": self.linear_predictor,
            "intercept": self.intercept,
            "contributions": [
                {
                    "predictor": c.predictor,
                    "field": c.field,
                    "value": c.value,
                    "unit": c.unit,
                    "coefficient": c.coefficient,
                    "contribution": c.contribution,
                }
                for c in self.contributions
            ],
            "warnings": list(self.warnings),
            "model": self.model,
            "model_hash": self.model_hash,
            "notes": list(self.notes),
        }


def canonical_value(field_name: str, value: Any) -> float:
    """A predictor value in the field's canonical unit: a number, or ``{"value": v, "unit": u}``."""
    if isinstance(value, Mapping):
        factor = cohort_units.factor_to_canonical(field_name, str(value.get("unit", "")))
        if factor is None:
            raise InputError(
                f"{field_name}.unit",
                value.get("unit"),
                f"one of {cohort_units.accepted_units(field_name)}",
            )
        try:
            return float(value["value"]) * factor
        except (KeyError, TypeError, ValueError):
            raise InputError(f"{field_name}.value", value.get("value"), "a number") from None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise InputError(field_name, value, "a number") from None


def load_fitted(path: Path) -> FittedModel:
    """Load a fitted-model file and verify its content hash."""
    from leptodx.input_files import read_text

    text = read_text(Path(path), field="--model", kind="fitted-model JSON")
    try:
        model = FittedModel.model_validate_json(text)
    except ValidationError as exc:
        raise InputError("--model", str(path), f"a LeptoDx fitted-model file ({exc})") from None
    if model.content_hash != model.compute_hash():
        raise InputError(
            "--model", str(path), "an unmodified fitted-model file (content hash does not match)"
        )
    return model
