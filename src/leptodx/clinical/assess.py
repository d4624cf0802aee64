"""One assessment of one patient: classification, CSF interpretation, next steps, sources.

:func:`assess_record` is the single service function behind ``leptodx assess --format json``,
``POST /api/v1/assess`` and CDS Hooks; its output is the versioned JSON contract documented in
``docs/assess-json.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from leptodx import DECISION_SUPPORT_NOTICE, __version__
from leptodx.clinical.csf import CsfInterpretation, Ratio, get_profile, interpret_csf
from leptodx.clinical.eano_esmo import Classification, classify
from leptodx.clinical.workup import NextStep, next_steps, preanalytic_warnings
from leptodx.domain.patient import PatientInput, measured_quantities, parse_patient
from leptodx.reference import csf as csf_ref
from leptodx.reference import eano_esmo as ee_ref
from leptodx.reference.citation import Source

CONTRACT_VERSION = "1.0"


@dataclass(frozen=True, slots=True)
class Assessment:
    patient: PatientInput
    classification: Classification
    csf: CsfInterpretation
    next_steps: tuple[NextStep, ...]
    warnings: tuple[str, ...]
    missing: tuple[str, ...]
    sources: tuple[Source, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract (field names are versioned by :data:`CONTRACT_VERSION`)."""
        c = self.classification
        return {
            "contract_version": CONTRACT_VERSION,
            "software_version": __version__,
            "notice": DECISION_SUPPORT_NOTICE,
            "patient_id": self.patient.patient_id,
            "eano_esmo": {
                "applicable": c.applicable,
                "outcome": c.outcome.value,
                "level": c.level.value if c.level else None,
                "type": c.type,
                "mri_category": c.mri_category,
                "guideline": ee_ref.GUIDELINE,
                "ruleset_version": ee_ref.RULESET_VERSION,
                "decision_cell": c.cell,
                "reason": c.reason,
                "rationale": list(c.rationale),
                "reconstructed": c.reconstructed,
                "reconstructed_cells": list(c.reconstructed_cells),
                "next_steps": [_step(s) for s in self.next_steps],
                "sources": [s.key for s in c.sources],
            },
            "csf": _csf_dict(self.csf),
            "missing": list(self.missing),
            "warnings": list(self.warnings),
            "sources": [s.as_dict() for s in self.sources],
        }


def _step(step: NextStep) -> dict[str, Any]:
    return {"code": step.code, "text": step.text, "sources": [s.key for s in step.sources]}


def _ratio(r: Ratio | None, unit: str, flag_name: str) -> dict[str, Any] | None:
    if r is None:
        return None
    return {
        "value": r.value,
        "unit": unit,
        "limit": r.limit,
        "limit_text": r.limit_text,
        flag_name: r.flag,
        "source": r.source.key,
        "source_status": r.source.status.value,
    }


def _csf_dict(csf: CsfInterpretation) -> dict[str, Any]:
    ratio = _ratio(csf.glucose_ratio, "1", "low")
    return {
        "profile": csf.profile.name,
        "profile_description": csf.profile.description,
        "analytes": [
            {
                "name": a.name,
                "value": a.quantity.value,
                "unit": a.quantity.unit,
                "canonical_value": a.quantity.canonical_value,
                "canonical_unit": a.quantity.canonical_unit,
                "limit": a.limit.text if a.limit else None,
                "limit_lower": a.limit.lower if a.limit else None,
                "limit_upper": a.limit.upper if a.limit else None,
                "status": a.status,
                "basis": a.basis,
                "source": a.limit.source.key
                if a.limit
                else (csf.qalb.source.key if csf.qalb else None),
            }
            for a in csf.analytes
        ],
        "qalb": _ratio(csf.qalb, "×10⁻³", "barrier_dysfunction"),
        "glucose_ratio": ratio,
        "summary": csf.summary,
        "context": {
            "boenig_2019": [_prevalence(p) for p in csf_ref.BOENIG_PAPER],
            "seed_editorial_version": [_prevalence(p) for p in csf_ref.BOENIG_EDITORIAL],
            "discrepancies": list(csf_ref.BOENIG_DISCREPANCIES),
        },
    }


def _prevalence(p: csf_ref.Prevalence) -> dict[str, Any]:
    return {
        "finding": p.finding,
        "solid_percent": p.solid_percent,
        "haematological_percent": p.haematological_percent,
        "source": p.source.key,
        "note": p.note or None,
    }


_OPTIONAL = ("age_years", "sex", "primary_tumour", "biopsy", "csf", "serum")


def assess(patient: PatientInput, *, profile: str | None = None) -> Assessment:
    """Assess one validated patient under a CSF profile (default ``S1-2020``)."""
    chosen = get_profile(profile)
    values = measured_quantities(patient)
    classification = classify(patient)
    csf = interpret_csf(values, age_years=patient.age_years, profile=chosen)
    steps = next_steps(patient, classification)
    preanalytic = preanalytic_warnings(patient)
    warnings = [*classification.warnings, *csf.warnings, *(text for text, _ in preanalytic)]
    if classification.reconstructed:
        warnings.append(
            "This level rests on a reconstructed (unverified) cell of the EANO–ESMO "
            f"table: {', '.join(classification.reconstructed_cells)}"
        )
    if patient.primary_tumour is None:
        warnings.append("primary_tumour not given: the solid-tumour scope could not be checked")
    missing = [name for name in _OPTIONAL if getattr(patient, name) is None]
    sources: dict[str, Source] = {}
    for s in (
        *classification.sources,
        *(s for step in steps for s in step.sources),
        *(s for _, s in preanalytic),
        *_csf_sources(csf),
    ):
        sources.setdefault(s.key, s)
    return Assessment(
        patient,
        classification,
        csf,
        steps,
        tuple(warnings),
        tuple(missing),
        tuple(sources.values()),
    )


def _csf_sources(csf: CsfInterpretation) -> list[Source]:
    out = [a.limit.source for a in csf.analytes if a.limit is not None]
    out += [r.source for r in (csf.qalb, csf.glucose_ratio) if r is not None]
    if csf.analytes:
        out += [csf_ref.BOENIG, csf_ref.SEED_EDITORIAL]
    return out


def assess_record(data: Mapping[str, Any], *, profile: str | None = None) -> dict[str, Any]:
    """Validate a record of the input contract, assess it and return the JSON contract."""
    patient, _ = parse_patient(data)
    return assess(patient, profile=profile).to_dict()
