"""Abnormal-finding flags per patient for the CSF prevalence table.

Each flag is 1 (abnormal), 0 (normal) or NaN (test not done). Cytology and MRI need no limit.
Laboratory findings are judged by the clinical core's columnar engine
(:func:`leptodx.clinical.columnar.interpret_columns`) with the limits of a named profile: every
patient at once, with exactly the limits, bounds and QAlb rule of the single-patient
:func:`leptodx.clinical.csf.interpret_csf` (tests compare the two patient by patient).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from leptodx.cohort.fields import TYPICAL_MRI
from leptodx.jsonsafe import fields_json

if TYPE_CHECKING:
    from leptodx.reference.csf import Profile


@dataclass(frozen=True)
class Findings:
    """Flags per finding plus the provenance of the judgements."""

    flags: dict[str, NDArray[np.float64]]
    profile: str | None
    sources: tuple[str, ...]
    warnings: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON of the flags per finding (1 abnormal, 0 normal, null not tested) and provenance."""
        return fields_json(self)


def _category_flag(
    values: pd.Series, positive: tuple[str, ...], not_done: str
) -> NDArray[np.float64]:
    codes, uniques = pd.factorize(values)  # judged once per distinct value
    text = [str(u) for u in uniques]
    per_value = [1.0 if t in positive else np.nan if t == not_done else 0.0 for t in text]
    flags: NDArray[np.float64] = np.array([*per_value, np.nan])[codes]  # code -1 → last: NaN
    return flags


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
    """Per-patient status of each analyte as codes (``labels[codes[i]]``, -1 = not judged)."""

    codes: dict[str, tuple[NDArray[np.int16], tuple[str, ...]]]
    qalb_flags: NDArray[np.float64]
    profile: str
    sources: tuple[str, ...]
    warnings: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON of the codes, labels, Qalb flags and provenance."""
        return fields_json(self)

    @property
    def statuses(self) -> dict[str, NDArray[np.object_]]:
        """Each analyte's status as text: "high", "low", "normal" or None (not judged)."""
        return {
            name: np.array([*labels, None], dtype=object)[codes]
            for name, (codes, labels) in self.codes.items()
        }


QALB_FINDING = "Blood–CSF barrier dysfunction (QAlb elevated)"


def lab_statuses(data: pd.DataFrame, profile_name: str | None) -> LabStatuses:
    """Each patient's CSF values judged by the clinical core with one named profile.

    Every patient at once by the columnar engine
    (:func:`leptodx.clinical.columnar.interpret_columns`: the limits, bounds, QAlb rule and
    rounding of the single-patient :func:`~leptodx.clinical.csf.interpret_csf`; values already
    canonical, no unit suspicion, as the per-patient interpretation here always had it). Rows
    are independent, so a large cohort is judged in blocks of rows on threads (:func:`row_blocks`;
    NumPy releases the interpreter lock for whole columns) and the blocks are joined in order.
    """
    from leptodx.clinical.csf import get_profile

    profile = get_profile(profile_name)
    n = len(data)
    values = {
        key: data[f].to_numpy(dtype=float) if f in data.columns else np.full(n, np.nan)
        for f, key in LAB_FIELDS.items()
    }
    ages = (
        data["age_years"].to_numpy(dtype=float)
        if "age_years" in data.columns
        else np.full(n, np.nan)
    )
    blocks = row_blocks(n)
    if len(blocks) == 1:
        parts = [_judge(values, ages, profile)]
    else:  # rows are judged independently: blocks of rows on threads, joined in order
        from concurrent.futures import ThreadPoolExecutor

        # the engine's modules imported here, not on two threads at once
        import leptodx.clinical.columnar
        import leptodx.domain.columns  # noqa: F401

        def judge(rows: slice) -> _Judged:
            return _judge({k: v[rows] for k, v in values.items()}, ages[rows], profile)

        with ThreadPoolExecutor(len(blocks), thread_name_prefix="csf-findings") as pool:
            parts = list(pool.map(judge, blocks))
    codes = {
        name: (np.concatenate([p.codes[name][0] for p in parts]), parts[0].codes[name][1])
        for name in LAB_FINDINGS
    }
    qalb = np.concatenate([p.qalb_flags for p in parts])
    cited = [s.citation for s in profile.sources]
    cited += [lim.source.citation for lim in profile.limits.values()]
    found = set().union(*(p.warnings for p in parts))
    warnings = tuple(f"{w} (some patients)" for w in sorted(found))
    return LabStatuses(codes, qalb, profile.name, tuple(dict.fromkeys(cited)), warnings)


def row_blocks(n: int) -> list[slice]:
    """``n`` rows as one block, or as one block per core for a large cohort."""
    from leptodx.cores import threads_for

    k = threads_for(n)
    bounds = [n * i // k for i in range(k + 1)]
    return [slice(bounds[i], bounds[i + 1]) for i in range(k)]


@dataclass(frozen=True)
class _Judged:
    codes: dict[str, tuple[NDArray[np.int16], tuple[str, ...]]]
    qalb_flags: NDArray[np.float64]
    warnings: set[str]


def _judge(
    values: dict[str, NDArray[np.float64]], ages: NDArray[np.float64], profile: Profile
) -> _Judged:
    """One block of rows through the clinical core's columnar engine."""
    from leptodx.clinical.columnar import Coded, Flag, interpret_columns
    from leptodx.cohort.units import canonical_unit
    from leptodx.domain.columns import Labelled, MeasuredColumns, PatientColumns

    n = ages.size
    units = {
        key: Labelled(np.zeros(n, np.int32), (canonical_unit(f),)) for f, key in LAB_FIELDS.items()
    }
    columns = PatientColumns(
        np.full(n, None, dtype=object),
        np.zeros(n, dtype=bool),
        {},
        {"age_years": ages},
        values,
        units,
        np.zeros(n, dtype=np.int64),
    )
    as_entered = MeasuredColumns(
        values,
        {k: np.ones(n, dtype=bool) for k in values},
        {k: np.full(n, -1, dtype=np.int8) for k in values},
        np.zeros(n, dtype=bool),
    )
    out = interpret_columns(columns, as_entered, profile=profile)
    codes = {}
    for name in LAB_FINDINGS:
        status = out[f"csf_{name}_status"]
        assert isinstance(status, Coded)
        codes[name] = (status.codes, status.labels)
    barrier = out["barrier_dysfunction"]
    assert isinstance(barrier, Flag)
    qalb = np.where(barrier.known, barrier.value.astype(float), np.nan)
    return _Judged(codes, qalb, _warnings(values, out))


def _lab_flags(data: pd.DataFrame, profile_name: str | None) -> Findings:
    """Per-patient interpretation by the clinical core; flags NaN where not judged."""
    lab = lab_statuses(data, profile_name)
    flags: dict[str, NDArray[np.float64]] = {}
    for name, finding in LAB_FINDINGS.items():
        codes, labels = lab.codes[name]
        # 1 for the direction the finding names, 0 for another status, NaN (code -1) not judged
        per_code = [1.0 if label == ABNORMAL_DIRECTION[name] else 0.0 for label in labels]
        flags[finding] = np.array([*per_code, np.nan]).take(codes)
    flags[QALB_FINDING] = lab.qalb_flags
    kept = {k: v for k, v in flags.items() if not np.isnan(v).all()}
    return Findings(kept, lab.profile, lab.sources, lab.warnings)


def _warnings(values: dict[str, NDArray[np.float64]], out: dict[str, Any]) -> set[str]:
    """Every warning some patient's interpretation gives (``interpret_csf``'s texts)."""
    from leptodx.clinical.csf import NotJudged, warning_texts
    from leptodx.reference.analytes import GLUCOSE_RATIO

    ratio, qalb, reasons = out["glucose_ratio"], out["qalb"], out["qalb_not_judged"]
    typical = GLUCOSE_RATIO.typical
    above: NDArray[np.float64] | list[float] = (
        np.unique(ratio[~np.isnan(ratio) & ~typical.contains(ratio)]) if typical else []
    )
    none = {
        "glucose_without_ratio": False,
        "albumin_without_qalb": False,
        "qalb_not_judged": None,
        "ratio_above_typical": None,
    }
    found: list[dict[str, Any]] = []
    if (~np.isnan(values["csf.glucose"]) & np.isnan(ratio)).any():
        found.append({**none, "glucose_without_ratio": True})
    if (~np.isnan(values["csf.albumin"]) & np.isnan(qalb)).any():
        found.append({**none, "albumin_without_qalb": True})
    for reason in (NotJudged.AGE_NOT_GIVEN, NotJudged.AGE_OUTSIDE_PROFILE):
        if (reasons.codes == reasons.labels.index(reason.value)).any():
            found.append({**none, "qalb_not_judged": reason})
    found += [{**none, "ratio_above_typical": float(v)} for v in above]
    return {text for conditions in found for text in warning_texts(**conditions)}


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
