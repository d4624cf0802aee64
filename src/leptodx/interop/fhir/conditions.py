"""FHIR ``Condition`` → what it says about the patient's cancer (``reference.cancer_codes``).

A Condition is read as one :class:`CancerReading`: a primary cancer (with its LeptoDx category
when the code, mCODE's histology extension or ``bodySite`` gives one), a secondary cancer (a known
cancer, primary not stated; an LM diagnosis is a secondary cancer of the meninges), a lesion that
is not an invasive cancer (in situ, uncertain behaviour), or not a cancer code. Refuted,
entered-in-error and unconfirmed Conditions and health concerns are not used; the clinical status
is kept so that an active cancer is preferred to a resolved one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from leptodx.interop.fhir._resources import codings, codings_of, effective_time
from leptodx.reference import cancer_codes as cc
from leptodx.reference import fhir_codes as codes
from leptodx.reference.cancer_codes import CancerKind
from leptodx.reference.citation import Source

_NOT_CONFIRMED = {"unconfirmed", "provisional", "differential"}
_NOT_USED = {"refuted", "entered-in-error"}
_HISTORY = {"inactive", "remission", "resolved"}
_MORPHOLOGY = re.compile(r"^(\d{4})/(\d)$")
_TOPOGRAPHY = re.compile(r"^C(\d{2})\.?(\d)?$")
_RANK = {CancerKind.PRIMARY: 3, CancerKind.GENERIC: 2, CancerKind.SECONDARY: 1}


@dataclass(frozen=True, slots=True)
class CancerReading:
    """One Condition as LeptoDx reads it."""

    resource: str
    time: datetime | None
    kind: CancerKind | None
    """None: not a cancer code LeptoDx knows."""
    primary: str | None = None
    code: str = ""
    """The code that decided, for people: ``ICD-10-CM C50.911 "Malignant neoplasm of breast"``."""
    source: Source | None = None
    lm: bool = False
    history: bool = False
    """clinicalStatus inactive, remission or resolved (still a known cancer)."""
    outside_table: bool = False
    """A recognised malignant code whose category is not in the table (primary ``other``)."""
    warnings: tuple[str, ...] = ()
    not_used: str | None = None
    """Why the Condition is not used (refuted, unconfirmed, health concern, in situ, …)."""
    unrecognised: tuple[str, ...] = field(default=())
    """Codes that are not in the table, by name (reported when no cancer is found at all)."""

    @property
    def known_cancer(self) -> bool:
        return self.not_used is None and self.kind in _RANK


def read_condition(condition: Mapping[str, Any], where: str) -> CancerReading:
    """Read a Condition (verification status, category, clinical status, code, site, histology)."""
    time = _time(condition, where)
    verification = {c for _, c in codings(condition.get("verificationStatus")) if c}
    if verification & _NOT_USED:
        return CancerReading(
            where, time, None, not_used=f"verificationStatus {_words(verification)}"
        )
    categories = {c for _, c in codings_of(condition.get("category")) if c}
    clinical = {c for _, c in codings(condition.get("clinicalStatus")) if c}
    reading = _interpret(condition, where, time)
    if reading.kind is None:
        return reading
    if verification & _NOT_CONFIRMED:
        return _replace(reading, not_used=f"verificationStatus {_words(verification)}: a cancer that is not confirmed is not a known cancer")  # fmt: skip
    if "health-concern" in categories:
        return _replace(reading, not_used="category health-concern: a concern, not a diagnosis")
    if reading.kind in (CancerKind.IN_SITU, CancerKind.UNCERTAIN):
        return _replace(reading, not_used=f"{reading.code}: {_KIND_WORDS[reading.kind]}, not an invasive cancer")  # fmt: skip
    if clinical & _HISTORY:
        return _replace(reading, history=True, warnings=(*reading.warnings, f"{where} ({reading.code}) has clinicalStatus {_words(clinical)}: counted as a history of cancer (known cancer)"))  # fmt: skip
    return reading


_KIND_WORDS = {CancerKind.IN_SITU: "in situ", CancerKind.UNCERTAIN: "uncertain behaviour"}


def _words(values: set[str]) -> str:
    return ", ".join(sorted(values))


def _replace(reading: CancerReading, **changes: Any) -> CancerReading:
    return replace(reading, **changes)


def _time(condition: Mapping[str, Any], where: str) -> datetime | None:
    for key in ("recordedDate", "onsetDateTime"):
        if key in condition:
            return effective_time({"effectiveDateTime": condition[key]}, where=f"{where}.{key}")
    return None


@dataclass(frozen=True, slots=True)
class _Context:
    """What a coding is read with: the Condition's label and date, histology and body sites."""

    where: str
    time: datetime | None
    histology: tuple[str | None, str | None] | None
    sites: list[tuple[str | None, str | None]]


def _interpret(condition: Mapping[str, Any], where: str, time: datetime | None) -> CancerReading:
    """The best reading among the Condition's codings (a pre-coordinated primary wins)."""
    profiles = set((condition.get("meta") or {}).get("profile") or [])
    histology = _histology(condition)
    sites = list(codings_of(condition.get("bodySite")))
    ctx = _Context(where, time, histology, sites)
    found: list[CancerReading] = []
    unknown: list[str] = []
    for system, code in codings(condition.get("code")):
        if not code:
            continue
        reading = _one(system, str(code).strip(), ctx)
        if reading is not None and system in (cc.ICD10, cc.ICD10CM) and _display(condition, code):
            label, dotted = reading.code.split(" ")[0], reading.code.split(" ")[1]
            reading = replace(reading, code=f"{label} {dotted}{_display(condition, code)}")
        if reading is not None:
            found.append(reading)
        elif system == cc.SNOMED:
            unknown.append(f"SNOMED CT {code}{_display(condition, code)}")
    if not found and profiles & {cc.MCODE_PRIMARY_PROFILE, cc.MCODE_SECONDARY_PROFILE}:
        shown = unknown[0] if unknown else "an uncoded cancer"
        if cc.MCODE_SECONDARY_PROFILE in profiles:
            return CancerReading(where, time, CancerKind.SECONDARY, None, shown, cc.MCODE_RULES)
        primary = _site_primary(histology, sites)
        return CancerReading(
            where, time, CancerKind.PRIMARY, primary or "other", shown, cc.MCODE_RULES,
            outside_table=primary is None,
            warnings=(f"{where}: {shown} is an mCODE primary cancer condition whose code is not in LeptoDx's cancer table; primary set to {primary or 'other'}",),
        )  # fmt: skip
    if not found:
        return CancerReading(where, time, None, unrecognised=tuple(unknown))
    return max(found, key=lambda r: (_RANK.get(r.kind, 0) if r.kind else 0, r.primary is not None and not r.outside_table))  # fmt: skip


def _display(condition: Mapping[str, Any], code: str) -> str:
    """`` "display"`` of the coding (else of the concept's text) as sent by the EHR, or ''."""
    concept = condition.get("code") or {}
    for c in concept.get("coding") or []:
        if isinstance(c, Mapping) and c.get("code") == code and c.get("display"):
            return f' "{c["display"]}"'
    return f' "{concept["text"]}"' if concept.get("text") else ""


def _one(system: str | None, code: str, ctx: _Context) -> CancerReading | None:
    if system == codes.PRIMARY_TUMOUR.url:
        if code not in codes.PRIMARY_TUMOUR.concepts:
            return None
        shown = f"LeptoDx primary-tumour {code}"
        return CancerReading(ctx.where, ctx.time, CancerKind.PRIMARY, code, shown)
    if system == cc.SNOMED:
        return _snomed(code, ctx)
    if system in (cc.ICD10, cc.ICD10CM):
        return _icd10(system, code.upper(), ctx.where, ctx.time)
    if system == cc.ICDO3:
        return _icdo3_code(code, ctx.where, ctx.time, ctx.sites)
    return None


def _snomed(code: str, ctx: _Context) -> CancerReading | None:
    where, time, histology, sites = ctx.where, ctx.time, ctx.histology, ctx.sites
    row = cc.SNOMED_DISORDERS.get(code)
    if row is None:
        return None
    shown = f'SNOMED CT {code} "{row.display}"'
    if code == "128462008" and (cc.SNOMED, cc.MENINGES.code) in sites:
        return CancerReading(where, time, CancerKind.SECONDARY, None, shown, row.source, lm=True)
    if row.kind is not CancerKind.GENERIC:
        return CancerReading(where, time, row.kind, row.primary, shown, row.source)
    kind = _histology_kind(histology) or CancerKind.PRIMARY
    primary = _site_primary(histology, sites) if kind is CancerKind.PRIMARY else None
    warnings: tuple[str, ...] = ()
    if kind is CancerKind.PRIMARY and primary is None:
        warnings = (f"{where}: {shown} gives no primary site (no bodySite or histology LeptoDx knows): the primary tumour is not set, so the guideline's scope could not be checked",)  # fmt: skip
    return CancerReading(where, time, kind, primary, shown, row.source, warnings=warnings)


def _histology(condition: Mapping[str, Any]) -> tuple[str | None, str | None] | None:
    """(system, code) of mCODE's histology-morphology-behavior extension, if any."""
    for ext in condition.get("extension") or []:
        if isinstance(ext, Mapping) and ext.get("url") == cc.MCODE_HISTOLOGY_EXTENSION:
            for pair in codings(ext.get("valueCodeableConcept")):
                return pair
    return None


def _histology_kind(histology: tuple[str | None, str | None] | None) -> CancerKind | None:
    if histology is None:
        return None
    system, code = histology
    if system == cc.SNOMED and code in cc.SNOMED_MORPHOLOGIES:
        return cc.SNOMED_MORPHOLOGIES[code].kind
    match = _MORPHOLOGY.match(str(code or "")) if system == cc.ICDO3 else None
    if match and match.group(2) in cc.ICDO3_BEHAVIOUR:
        return cc.ICDO3_BEHAVIOUR[match.group(2)][1]
    return None


def _site_primary(
    histology: tuple[str | None, str | None] | None, sites: list[tuple[str | None, str | None]]
) -> str | None:
    """Category from an ICD-O-3 histology group first (melanoma, glioma, haematological), then
    from ``bodySite`` (SNOMED CT body structure or ICD-O-3 topography)."""
    if histology is not None and histology[0] == cc.ICDO3:
        match = _MORPHOLOGY.match(str(histology[1] or ""))
        group = _histology_group(match.group(1)) if match else None
        if group is not None:
            return group.primary
    for system, code in sites:
        if system == cc.SNOMED and code in cc.SNOMED_BODY_SITES:
            return cc.SNOMED_BODY_SITES[code].primary
        if system == cc.ICDO3 and code:
            topography = _topography(code)
            if topography is not None:
                return topography
    return None


def _histology_group(histology: str) -> cc.CodeRange | None:
    return next((g for g in cc.ICDO3_HISTOLOGY if g.covers(histology)), None)


def _topography(code: str) -> str | None:
    match = _TOPOGRAPHY.match(code.strip().upper())
    if not match:
        return None
    category = f"C{match.group(1)}"
    row = next((r for r in cc.ICDO3_TOPOGRAPHY if r.covers(category)), None)
    return row.primary if row is not None else "other"


def _icdo3_code(
    code: str, where: str, time: datetime | None, sites: list[tuple[str | None, str | None]]
) -> CancerReading | None:
    """An ICD-O-3 morphology used as ``Condition.code`` (mCODE's CancerDisorderVS allows it)."""
    kind = _histology_kind((cc.ICDO3, code))
    if kind is None:
        return None
    primary = _site_primary((cc.ICDO3, code), sites) if kind is CancerKind.PRIMARY else None
    return CancerReading(where, time, kind, primary, f"ICD-O-3 {code}", cc.SEER_HISTOLOGY)


def _icd10(system: str, code: str, where: str, time: datetime | None) -> CancerReading | None:
    label = "ICD-10-CM" if system == cc.ICD10CM else "ICD-10"
    dotted = code if "." in code or len(code) <= 3 else f"{code[:3]}.{code[3:]}"
    lm = codes.LM_CONDITION_CODES.get((system, dotted))
    if lm is not None:
        source = Source("IO-2", lm[0], "interop.md §IO-2", lm[1])
        return CancerReading(where, time, CancerKind.SECONDARY, None, f'{label} {dotted} "{lm[0]}"', source, lm=True)  # fmt: skip
    category = dotted[:3]
    special = cc.C80_CODES.get((system, dotted)) or cc.C80_CODES.get((system, category))
    if special is not None:
        shown = f'{label} {dotted} "{special.display}"'
        caution = (f"{where}: {label} {dotted} is not LM-specific and is not evidence of LM",) if (system, dotted) in codes.NOT_LM_SPECIFIC else ()  # fmt: skip
        return CancerReading(where, time, special.kind, special.primary, shown, special.source, warnings=caution)  # fmt: skip
    for block in (*cc.ICD10_CATEGORIES, cc.ICD10_IN_SITU, cc.ICD10_UNCERTAIN):
        if block.covers(category):
            shown = f'{label} {dotted} "{block.display}"'
            return CancerReading(where, time, block.kind, block.primary, shown, block.source)
    if re.fullmatch(r"C[0-9][0-9A-Z]", category) and category <= "C97":
        shown = f"{label} {dotted}"
        return CancerReading(
            where, time, CancerKind.PRIMARY, "other", shown, cc.MCODE_VALUE_SETS, outside_table=True,
            warnings=(f"{where}: {shown} is a malignant neoplasm outside LeptoDx's cancer table: known cancer with primary tumour 'other'; check the primary",),
        )  # fmt: skip
    return None
