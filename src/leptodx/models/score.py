"""Published points scores as specifications: items, categories, points, stages and cut-offs.

Unlike a :class:`~leptodx.models.spec.ModelSpec` (predictor list, coefficients fitted by the user),
a points score is complete as published and is validated as is. The built-in score is Pan et al.
2018 (``pan2018``, :mod:`leptodx.reference.pan2018`). Scoring a cohort goes through a mapping from
LeptoDx's fields to the score's categories; a mapping the source does not give is marked
reconstructed, and every result carries that mark.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from leptodx.reference import pan2018 as ref
from leptodx.reference.citation import Source, Status

Array = NDArray[np.float64]
BIOCHEMISTRY = {"protein": "high", "glucose": "low"}
"""Abnormal CSF biochemistry in the LeptoDx mapping: protein above or glucose below the limits."""


@dataclass(frozen=True)
class PointsScore:
    """A published additive score (specification and the LeptoDx mapping used to apply it)."""

    name: str
    title: str
    items: tuple[ref.Item, ...]
    cut_offs: tuple[ref.CutOff, ...]
    stages: dict[int, str]
    mapping: tuple[ref.MappingRule, ...]
    maximum: int
    source: Source
    sources: tuple[Source, ...]
    notes: tuple[str, ...]
    fields: tuple[str, ...]

    @property
    def reconstructed(self) -> bool:
        """True: applying the score to LeptoDx data uses a reconstructed mapping."""
        return any(s.status is Status.RECONSTRUCTED for s in self.sources)

    def points(self, item: ref.Item, label: str) -> int:
        """Points of the category ``label`` of ``item``."""
        return next(c.points for c in item.categories if c.label == label)

    def item_points(
        self, data: pd.DataFrame, *, csf_profile: str | None = None
    ) -> dict[str, Array]:
        """Points per item and patient (NaN where the input for the item is missing)."""
        out: dict[str, Array] = {}
        for item in self.items:
            if item.key == "csf_biochemistry":
                out[item.key] = self._biochemistry(data, item, csf_profile)
                continue
            rules = [r for r in self.mapping if r.item == item.key]
            column = rules[0].field
            values = (
                _as_text(data[column]) if column in data.columns else pd.Series([pd.NA] * len(data))
            )
            points = np.full(len(data), np.nan)
            for rule in rules:
                points[(values == rule.value).to_numpy(dtype=bool)] = self.points(
                    item, rule.category
                )
            out[item.key] = points
        return out

    def _biochemistry(self, data: pd.DataFrame, item: ref.Item, profile: str | None) -> Array:
        from leptodx.research.csf_findings import lab_statuses

        if not any(f in data.columns for f in ("csf_protein", "csf_glucose")):
            return np.full(len(data), np.nan)
        statuses = lab_statuses(data, profile).statuses
        judged = np.zeros(len(data), dtype=bool)
        abnormal = np.zeros(len(data), dtype=bool)
        for analyte, direction in BIOCHEMISTRY.items():
            status = statuses[analyte]
            judged |= np.array([s is not None for s in status])
            abnormal |= status == direction
        points = np.where(abnormal, self.points(item, "abnormal"), self.points(item, "normal"))
        return np.where(judged, points, np.nan).astype(np.float64)

    def stage_scores(
        self, data: pd.DataFrame, *, csf_profile: str | None = None
    ) -> dict[int, Array]:
        """Score of each stage (sum of its items; NaN when one of them is missing)."""
        items = self.item_points(data, csf_profile=csf_profile)
        out = {}
        for stage in self.stages:
            used = [items[i.key] for i in self.items if i.stage <= stage]
            out[stage] = np.sum(np.column_stack(used), axis=1)
        return out

    def describe(self) -> dict[str, Any]:
        """JSON-ready specification with statuses (for results files and the API)."""
        return {
            "name": self.name,
            "title": self.title,
            "items": [
                {
                    "key": i.key,
                    "name": i.name,
                    "stage": i.stage,
                    "categories": [
                        {
                            "label": c.label,
                            "points": c.points,
                            "definition": c.definition_status.value,
                        }
                        for c in i.categories
                    ],
                    "note": i.note,
                }
                for i in self.items
            ],
            "cut_offs": [
                {"stage": c.stage, "at_least": c.at_least, "meaning": c.meaning}
                for c in self.cut_offs
            ],
            "maximum": self.maximum,
            "mapping": [
                {
                    "item": r.item,
                    "field": r.field,
                    "value": r.value,
                    "category": r.category,
                    "status": Status.RECONSTRUCTED.value,
                    "risk": r.risk,
                    "note": r.note,
                }
                for r in self.mapping
            ],
            "sources": [s.as_dict() for s in self.sources],
            "notes": list(self.notes),
        }


def _as_text(values: pd.Series) -> pd.Series:
    """Category values as text; numbers 0/1 as "0"/"1"."""
    if pd.api.types.is_numeric_dtype(values):
        return values.map(lambda v: pd.NA if pd.isna(v) else str(int(v)))
    return values.astype("string")


PAN_2018_SCORE = PointsScore(
    name="pan2018",
    title="Pan et al. 2018 additive diagnostic score for LM (two stages)",
    items=ref.ITEMS,
    cut_offs=ref.CUT_OFFS,
    stages=ref.STAGES,
    mapping=ref.MAPPING,
    maximum=ref.MAXIMUM_SCORE,
    source=ref.PAN_2018,
    sources=(ref.PAN_2018, ref.MAPPING_SOURCE, ref.DERIVED_MAXIMUM),
    notes=(
        "Items, points and cut-offs: Pan et al. 2018, Table 3 (VERIFIED).",
        "Definitions of suggestive/diagnostic imaging features and of abnormal CSF biochemistry "
        "are NOT AVAILABLE; LeptoDx maps its inputs to these categories (RECONSTRUCTED).",
        ref.EXCLUSIONS,
        f"Independent validation: {ref.INDEPENDENT_VALIDATION}.",
        f"Not scored: {ref.NOT_SCORED}.",
    ),
    fields=("known_cancer", "clinical_signs", "mri", "cytology", "csf_protein", "csf_glucose"),
)
