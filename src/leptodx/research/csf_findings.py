"""Abnormal-finding flags per patient for the CSF prevalence table.

Each flag is 1 (abnormal), 0 (normal) or NaN (test not done). Cytology and MRI need no limit.
Laboratory findings are judged patient by patient by the clinical core
(:func:`leptodx.clinical.csf.interpret_csf`) with the limits of a named profile, so the table uses
exactly the limits, bounds and QAlb rule of the single-patient assessment.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from leptodx.cohort.fields import TYPICAL_MRI


@dataclass(frozen=True)
class Findings:
    """Flags per finding plus the provenance of the judgements."""

    flags: dict[str, NDArray[np.float64]]
    profile: str | None
    sources: tuple[str, ...]
    warnings: tuple[str, ...]


def _category_flag(
    values: pd.Series, positive: tuple[str, ...], not_done: str
) -> NDArray[np.float64]:
    text = values.astype("string")
    flag = np.where(text.isin(positive), 1.0, 0.0)
    flag[(text.isna() | (text == not_done)).to_numpy()] = np.nan
    return flag


LAB_FIELDS = {
    "csf_leukocytes": "csf.leukocytes",
    "csf_protein": "csf.protein",
    "csf_glucose": "csf.glucose",
    "csf_lactate": "csf.lactate",
    "csf_albumin": "csf.albumin",
    "serum_albumin": "serum.albumin",
    "serum_glucose": "serum.glucose",
}
LAB_FINDINGS = {
    "leukocytes": "CSF cell count elevated",
    "protein": "CSF protein elevated",
    "lactate": "CSF lactate elevated",
    "glucose": "CSF/serum glucose ratio decreased",
}
ABNORMAL_DIRECTION = {"leukocytes": "high", "protein": "high", "lactate": "high", "glucose": "low"}
"""The direction each finding names: a high CSF glucose is not "decreased"."""


@dataclass(frozen=True)
class LabStatuses:
    """Per-patient status of each analyte ("high", "low", "normal" or None = not judged)."""

    statuses: dict[str, NDArray[np.object_]]
    qalb_flags: NDArray[np.float64]
    profile: str
    sources: tuple[str, ...]
    warnings: tuple[str, ...]


QALB_FINDING = "Blood–CSF barrier dysfunction (QAlb elevated)"


def lab_statuses(data: pd.DataFrame, profile_name: str | None) -> LabStatuses:
    """Each patient's CSF values judged by the clinical core with one named profile."""
    from leptodx.clinical.csf import get_profile, interpret_csf
    from leptodx.cohort._units import canonical_unit
    from leptodx.domain.units import Quantity

    profile = get_profile(profile_name)
    present = {f: k for f, k in LAB_FIELDS.items() if f in data.columns}
    columns = {f: data[f].to_numpy(dtype=float) for f in present}
    ages = data["age_years"].to_numpy(dtype=float) if "age_years" in data.columns else None
    n = len(data)
    statuses = {name: np.full(n, None, dtype=object) for name in LAB_FINDINGS}
    qalb = np.full(n, np.nan)
    notes: set[str] = set()
    for i in range(n):
        values = {
            key: Quantity(columns[f][i], canonical_unit(f), columns[f][i], canonical_unit(f))
            for f, key in present.items()
            if not np.isnan(columns[f][i])
        }
        if not values:
            continue
        age = None if ages is None or np.isnan(ages[i]) else float(ages[i])
        result = interpret_csf(values, age_years=age, profile=profile)
        for analyte in result.analytes:
            if analyte.name in statuses:
                statuses[analyte.name][i] = analyte.status
        if result.qalb is not None and result.qalb.flag is not None:
            qalb[i] = float(result.qalb.flag)
        notes.update(result.warnings)
    cited = [s.citation for s in profile.sources]
    cited += [lim.source.citation for lim in profile.limits.values()]
    warnings = tuple(f"{w} (some patients)" for w in sorted(notes))
    return LabStatuses(statuses, qalb, profile.name, tuple(dict.fromkeys(cited)), warnings)


def _lab_flags(data: pd.DataFrame, profile_name: str | None) -> Findings:
    """Per-patient interpretation by the clinical core; flags NaN where not judged."""
    lab = lab_statuses(data, profile_name)
    flags: dict[str, NDArray[np.float64]] = {}
    for name, finding in LAB_FINDINGS.items():
        status = lab.statuses[name]
        judged = np.array([s is not None for s in status])
        flag = np.where(status == ABNORMAL_DIRECTION[name], 1.0, 0.0)
        flags[finding] = np.where(judged, flag, np.nan)
    flags[QALB_FINDING] = lab.qalb_flags
    kept = {k: v for k, v in flags.items() if not np.isnan(v).all()}
    return Findings(kept, lab.profile, lab.sources, lab.warnings)


def abnormal_findings(data: pd.DataFrame, *, profile: str | None = None) -> Findings:
    """Flags for every finding the data allow."""
    flags: dict[str, NDArray[np.float64]] = {}
    warnings: list[str] = []
    if "cytology" in data.columns:
        flags["CSF cytology positive"] = _category_flag(data["cytology"], ("positive",), "not_done")
    if "mri" in data.columns:
        flags["MRI typical of LM (A/B/C)"] = _category_flag(data["mri"], TYPICAL_MRI, "not_done")
    sources: tuple[str, ...] = ()
    used_profile = None
    if any(c in data.columns for c in LAB_FIELDS):
        lab = _lab_flags(data, profile)
        flags.update(lab.flags)
        sources, used_profile = lab.sources, lab.profile
        warnings.extend(lab.warnings)
    return Findings(flags, used_profile, sources, tuple(warnings))
