"""The battery of documents the input contract's golden file was written from (issue 16).

Each entry is a document given to ``validate_patient`` (``parse_patient`` for the analytes): the
examples shipped under ``examples/``, then valid edge cases and bad inputs of every kind the
contract refuses. The golden file records what the pydantic-based contract answered for each, so
the contract's own validator must answer the same (first error, field, value, expected).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).parents[2]
BASE: dict[str, Any] = json.loads((ROOT / "examples" / "probable_type_iia.json").read_text())


def _with(path: str, value: Any, base: dict[str, Any] | None = None) -> dict[str, Any]:
    """``base`` (default: the probable IIA example) with the dotted ``path`` set to ``value``."""
    doc = json.loads(json.dumps(base if base is not None else BASE))
    *parents, last = path.split(".")
    node = doc
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value
    return doc


def _without(path: str) -> dict[str, Any]:
    doc = json.loads(json.dumps(BASE))
    *parents, last = path.split(".")
    node = doc
    for part in parents:
        node = node[part]
    del node[last]
    return doc


def examples() -> dict[str, Any]:
    """Every patient example shipped under ``examples/`` (JSON and YAML)."""
    out: dict[str, Any] = {}
    for path in sorted((ROOT / "examples").glob("*")):
        if path.suffix == ".json":
            out[f"example:{path.name}"] = json.loads(path.read_text())
        elif path.suffix in {".yaml", ".yml"}:
            out[f"example:{path.name}"] = yaml.safe_load(path.read_text())
    return out


MINIMAL = {"known_cancer": True}
NAN = float("nan")
INF = float("inf")

BATTERY: dict[str, Any] = {
    # valid edge cases
    "minimal": MINIMAL,
    "minimal-false": {"known_cancer": False},
    "all-null-optionals": {
        "known_cancer": True,
        **{
            k: None
            for k in (
                "patient_id",
                "age_years",
                "sex",
                "primary_tumour",
                "clinical_signs",
                "mri",
                "cytology",
                "biopsy",
                "csf",
                "serum",
            )
        },
    },
    "empty-panels": {"known_cancer": True, "csf": {}, "serum": {}},
    "empty-symptoms": {"known_cancer": True, "symptoms": []},
    "age-int": _with("age_years", 58),
    "age-float": _with("age_years", 58.5),
    "age-low-bound": _with("age_years", 0),
    "age-high-bound": _with("age_years", 120),
    "age-below": _with("age_years", -0.001),
    "age-above": _with("age_years", 120.5),
    "age-text": _with("age_years", "58"),
    "age-true": _with("age_years", True),
    "age-nan": _with("age_years", NAN),
    "age-inf": _with("age_years", INF),
    "age-minus-inf": _with("age_years", -INF),
    "age-list": _with("age_years", [58]),
    "volume-low-bound": _with("csf.volume_ml", 0),
    "volume-high-bound": _with("csf.volume_ml", 100),
    "volume-below": _with("csf.volume_ml", -1),
    "volume-above": _with("csf.volume_ml", 100.01),
    "volume-text": _with("csf.volume_ml", "12"),
    "volume-false": _with("csf.volume_ml", False),
    "delay-high-bound": _with("csf.processing_delay_min", 10080),
    "delay-above": _with("csf.processing_delay_min", 10081),
    "delay-below": _with("csf.processing_delay_min", -5),
    "delay-nan": _with("csf.processing_delay_min", NAN),
    "lp-1": _with("csf.lp_number", 1),
    "lp-50": _with("csf.lp_number", 50),
    "lp-0": _with("csf.lp_number", 0),
    "lp-51": _with("csf.lp_number", 51),
    "lp-float-1.0": _with("csf.lp_number", 1.0),
    "lp-float-1.5": _with("csf.lp_number", 1.5),
    "lp-text": _with("csf.lp_number", "1"),
    "lp-true": _with("csf.lp_number", True),
    "lp-null": _with("csf.lp_number", None),
    "surgery-days-0": _with("csf.days_since_brain_surgery", 0),
    "surgery-days-big": _with("csf.days_since_brain_surgery", 1e6),
    "surgery-days-negative": _with("csf.days_since_brain_surgery", -1),
    "surgery-days-inf": _with("csf.days_since_brain_surgery", INF),
    "known-cancer-yes": _with("known_cancer", "yes"),
    "known-cancer-1": _with("known_cancer", 1),
    "known-cancer-0": _with("known_cancer", 0),
    "known-cancer-text-true": _with("known_cancer", "true"),
    "known-cancer-null": _with("known_cancer", None),
    "known-cancer-missing": _without("known_cancer"),
    "empty-object": {},
    "patient-id-200": _with("patient_id", "x" * 200),
    "patient-id-201": _with("patient_id", "x" * 201),
    "patient-id-number": _with("patient_id", 17),
    "patient-id-empty": _with("patient_id", ""),
    "sex-bad": _with("sex", "f"),
    "sex-upper": _with("sex", "Female"),
    "sex-number": _with("sex", 1),
    "sex-each-other": _with("sex", "other"),
    "sex-unknown": _with("sex", "unknown"),
    "signs-bad": _with("clinical_signs", "atypical"),
    "signs-number": _with("clinical_signs", 2),
    "signs-normal": _with("clinical_signs", "normal"),
    "mri-bad": _with("mri", "E"),
    "mri-lower": _with("mri", "a"),
    "mri-d-normal": _with("mri", "D-normal"),
    "mri-not-done": _with("mri", "not_done"),
    "cytology-bad": _with("cytology", "suspicious"),
    "cytology-bool": _with("cytology", True),
    "biopsy-bad": _with("biopsy", "done"),
    "primary-bad": _with("primary_tumour", "pancreas"),
    "primary-number": _with("primary_tumour", 3),
    "primary-null": _with("primary_tumour", None),
    "primary-haem": _with("primary_tumour", "haematological"),
    "symptoms-bad": _with("symptoms", ["headache", "itch", "fever"]),
    "symptoms-text": _with("symptoms", "headache"),
    "symptoms-null": _with("symptoms", None),
    "symptoms-number-item": _with("symptoms", ["headache", 3]),
    "symptoms-tuple-like-object": _with("symptoms", {"headache": True}),
    "symptoms-duplicate": _with("symptoms", ["headache", "headache"]),
    "unknown-top": _with("age", 58),
    "unknown-csf": _with("csf.proteine", {"value": 1, "unit": "g/L"}),
    "unknown-serum": _with("serum.lactate", {"value": 1, "unit": "mmol/L"}),
    "unknown-measured": _with("csf.protein.units", "g/L"),
    "measured-missing-unit": _with("csf.protein", {"value": 98}),
    "measured-missing-value": _with("csf.protein", {"unit": "mg/dL"}),
    "measured-empty-unit": _with("csf.protein", {"value": 98, "unit": ""}),
    "measured-unit-number": _with("csf.protein", {"value": 98, "unit": 5}),
    "measured-value-text": _with("csf.protein", {"value": "98", "unit": "mg/dL"}),
    "measured-value-bool": _with("csf.protein", {"value": True, "unit": "mg/dL"}),
    "measured-value-nan": _with("csf.protein", {"value": NAN, "unit": "mg/dL"}),
    "measured-value-null": _with("csf.protein", {"value": None, "unit": "mg/dL"}),
    "measured-number": _with("csf.protein", 98),
    "measured-text": _with("csf.protein", "98 mg/dL"),
    "measured-list": _with("csf.protein", [98, "mg/dL"]),
    "measured-empty": _with("csf.protein", {}),
    "measured-unknown-unit": _with("csf.protein", {"value": 98, "unit": "furlongs"}),
    "measured-impossible": _with("csf.leukocytes", {"value": -3, "unit": "/uL"}),
    "serum-missing-unit": _with("serum.albumin", {"value": 38}),
    "csf-text": _with("csf", "none"),
    "csf-list": _with("csf", []),
    "serum-number": _with("serum", 1),
    "input-list": [BASE],
    "input-text": "known_cancer: true",
    "input-number": 3,
    "input-null": None,
    "input-bool": True,
    "several-type-then-range": {**_with("age_years", "58"), "csf": {"lp_number": 0}},
    "several-nested-first": {
        "known_cancer": "yes",
        "age_years": 500,
        "sex": "f",
        "csf": {"protein": {"value": "x"}, "lp_number": 1.5},
        "bogus": 1,
    },
    "several-missing-and-unknown": {"bogus": 1, "age_years": -1},
    "several-unknown-first-field-later": {"zzz": 1, "aaa": 2, "known_cancer": True},
    "several-in-csf": {
        "known_cancer": True,
        "csf": {"volume_ml": -1, "protein": {"value": 1}, "extra": 2},
    },
    "several-enum-order": {"known_cancer": True, "mri": "E", "sex": "f", "cytology": "x"},
    "several-measured-both-missing": _with("csf.protein", {"valu": 1}),
    "several-unknown-then-missing": {"zzz": 1},
}


def documents() -> dict[str, Any]:
    """Examples then the battery, by name."""
    return {**examples(), **BATTERY}


EVENTS: dict[str, Any] = {
    "lp-valid": {
        "date": "2024-01-02",
        "kind": "lumbar_puncture",
        "cytology": "negative",
        "csf": {"protein": {"value": 98, "unit": "mg/dL"}, "lp_number": 2, "volume_ml": 10},
    },
    "lp-csf-null": {"date": "2024-01-02", "kind": "lumbar_puncture", "csf": None},
    "lp-csf-missing-unit": {
        "date": "2024-01-02",
        "kind": "lumbar_puncture",
        "csf": {"protein": {"value": 98}},
    },
    "lp-csf-unknown": {"date": "2024-01-02", "kind": "lumbar_puncture", "csf": {"foo": 1}},
    "lp-csf-text": {"date": "2024-01-02", "kind": "lumbar_puncture", "csf": "x"},
    "lp-csf-lp-float": {"date": "2024-01-02", "kind": "lumbar_puncture", "csf": {"lp_number": 1.5}},
    "lp-csf-volume-high": {
        "date": "2024-01-02",
        "kind": "lumbar_puncture",
        "csf": {"volume_ml": 101},
    },
    "lp-csf-value-text": {
        "date": "2024-01-02",
        "kind": "lumbar_puncture",
        "csf": {"protein": {"value": "98", "unit": "mg/dL"}},
    },
    "lp-bad-date-and-csf": {"date": "2nd Jan", "kind": "lumbar_puncture", "csf": {"foo": 1}},
    "lp-csf-and-unknown": {
        "date": "2024-01-02",
        "kind": "lumbar_puncture",
        "csf": {"foo": 1},
        "bar": 2,
    },
    "lp-cytology-and-csf": {
        "date": "2024-01-02",
        "kind": "lumbar_puncture",
        "cytology": "x",
        "csf": {"foo": 1},
    },
    "lp-csf-impossible": {
        "date": "2024-01-02",
        "kind": "lumbar_puncture",
        "csf": {"leukocytes": {"value": -3, "unit": "/uL"}},
    },
    "lp-csf-nan": {"date": "2024-01-02", "kind": "lumbar_puncture", "csf": {"volume_ml": NAN}},
}
"""Follow-up events: the lumbar-puncture event reuses the contract's ``CsfPanel``."""
