"""``--save-imputations DIR``: the imputed datasets as CSV files, one per imputation.

Each ``imputation-<i>.csv`` has the analysis row number, one column per predictor **as encoded
for the model** (unit and transform of the specification; named by its cohort field) and the
outcome. ``imputations.json`` records the settings, the encodings and which cells were imputed,
so that the completed-data fits can be repeated elsewhere (e.g. R ``mice::pool``, see
``tests/reference_values/imputation``).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pandas as pd

from leptodx.cohort.io import write_bytes_atomic
from leptodx.jsonsafe import json_safe
from leptodx.models.spec import ModelSpec
from leptodx.research.analysis_data import AnalysisData
from leptodx.research.imputed import ImputedDesign


def _write_text(tmp: Path, *, text: str) -> None:
    tmp.write_text(text, encoding="utf-8")


def save_imputations(
    design: ImputedDesign, cohort: AnalysisData, spec: ModelSpec, directory: Path
) -> list[Path]:
    """Write the ``m`` imputed datasets and their description; returns the CSV paths."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    fields = [p.field for p in spec.predictors]
    paths = []
    for i, copy in enumerate(design.copies, start=1):
        frame = pd.DataFrame(copy, columns=fields)
        frame.insert(0, "row", range(1, len(frame) + 1))
        frame[spec.outcome] = design.y.astype(int)
        path = directory / f"imputation-{i}.csv"
        text = frame.to_csv(index=False, float_format="%.17g")
        write_bytes_atomic(path, functools.partial(_write_text, text=text))
        paths.append(path)
    description = {
        "file": Path(cohort.file).name,
        "synthetic": cohort.synthetic,
        "outcome": spec.outcome,
        "settings": design.to_dict(),
        "encodings": [
            {
                "field": p.field,
                "predictor": p.name,
                "type": p.type.value,
                "unit": p.unit,
                "transform": p.transform.value,
            }
            for p in spec.predictors
        ],
        "imputed_cells": {f: int(design.result.missing[:, j].sum()) for j, f in enumerate(fields)},
        "files": [p.name for p in paths],
    }
    text = json.dumps(json_safe(description), indent=2)
    write_bytes_atomic(
        directory / "imputations.json", lambda tmp: tmp.write_text(text, encoding="utf-8")
    )
    return paths
