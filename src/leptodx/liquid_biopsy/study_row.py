"""A centre's own ctDNA series as one study row of a diagnostic-accuracy review.

The index test is ctDNA detection (≥ 1 alteration) in the patient's index CSF or plasma sample
(the pairing rule of :mod:`leptodx.liquid_biopsy.compare`); the reference standard is the LM
diagnosis the user supplies per patient. The 2×2 counts are then a row for ``leptodx meta dta``.

Patients without a sample of the chosen type were not tested and are left out (listed in the
warnings); a tested patient without a diagnosis is an error, never a silent drop.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leptodx.errors import InputError
from leptodx.liquid_biopsy.compare import NOTICE, ComparisonResult
from leptodx.liquid_biopsy.io import SampleType
from leptodx.meta.studies import Study

DIAGNOSIS_VALUES = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}
TEST_NAMES = {SampleType.CSF: "CSF ctDNA", SampleType.PLASMA: "plasma ctDNA"}


def read_diagnoses(path: Path) -> dict[str, bool]:
    """``patient_id → LM`` from a CSV with columns ``patient_id`` and ``lm`` (yes/no, 1/0)."""
    path = Path(path)
    if not path.is_file():
        raise InputError("--diagnosis", str(path), "an existing CSV file with patient_id and lm")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        present = {h.strip().lower(): h for h in reader.fieldnames or [] if h}
        for column in ("patient_id", "lm"):
            if column not in present:
                raise InputError(
                    f"--diagnosis column {column}",
                    "missing",
                    f"columns patient_id and lm (the file has: {', '.join(present.values())})",
                )
        out: dict[str, bool] = {}
        for row_no, raw in enumerate(reader, start=2):
            patient = (raw.get(present["patient_id"]) or "").strip()
            text = (raw.get(present["lm"]) or "").strip()
            if not patient and not text:
                continue
            value = DIAGNOSIS_VALUES.get(text.lower())
            if not patient or value is None:
                field = "patient_id" if not patient else "lm"
                raise InputError(
                    f"--diagnosis row {row_no}, column {field}",
                    patient if not patient else text,
                    "a patient identifier" if not patient else "yes or no (also true/false, 1/0)",
                )
            if patient in out:
                raise InputError(
                    f"--diagnosis row {row_no}, column patient_id", patient, "each patient once"
                )
            out[patient] = value
    return out


@dataclass(frozen=True, slots=True)
class StudyExport:
    """The series as a study row, with the patients left out and why."""

    study: Study
    sample_type: SampleType
    not_tested: tuple[str, ...]
    warnings: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        s = self.study
        return {
            "study": s.name,
            "test": s.test,
            "tp": s.tp,
            "fp": s.fp,
            "fn": s.fn,
            "tn": s.tn,
            "index_test": f"ctDNA detected (≥ 1 alteration) in the index {self.sample_type.value} sample",
            "reference_standard": "LM diagnosis supplied with --diagnosis",
            "patients_not_tested": list(self.not_tested),
            "warnings": list(self.warnings),
            "notice": NOTICE,
        }


def study_row(
    result: ComparisonResult,
    diagnoses: Mapping[str, bool],
    *,
    name: str,
    sample_type: SampleType = SampleType.CSF,
) -> StudyExport:
    """2×2 counts of ctDNA detection in ``sample_type`` against the LM diagnosis."""
    missing = [p.patient_id for p in result.patients if p.patient_id not in diagnoses]
    if missing:
        raise InputError(
            "--diagnosis",
            ", ".join(missing),
            "an LM diagnosis (yes/no) for every patient in the variant table",
        )
    cells = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    tested: set[str] = set()
    for p in result.patients:
        sample = p.csf if sample_type is SampleType.CSF else p.plasma
        if sample is None:
            continue
        tested.add(p.patient_id)
        lm = diagnoses[p.patient_id]
        key = ("tp" if lm else "fp") if sample.detected else ("fn" if lm else "tn")
        cells[key] += 1
    not_tested = tuple(pid for pid in diagnoses if pid not in tested)
    warnings = (
        (
            f"{len(not_tested)} patient(s) without a {sample_type.value} sample left out "
            f"(not tested): {', '.join(not_tested)}",
        )
        if not_tested
        else ()
    )
    study = Study(
        name, cells["tp"], cells["fp"], cells["fn"], cells["tn"], test=TEST_NAMES[sample_type]
    )
    return StudyExport(study, sample_type, not_tested, warnings)
