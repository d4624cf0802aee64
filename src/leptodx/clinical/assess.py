"""One assessment of one patient: classification, CSF interpretation, next steps, sources.

:func:`assess_record` is the single service function behind ``leptodx assess --format json``,
``POST /api/v1/assess`` and CDS Hooks; its output is the versioned JSON contract documented in
``docs/assess-json.md``. JSON carries codes; :mod:`leptodx.presentation` turns them into text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from leptodx import DECISION_SUPPORT_NOTICE, __version__
from leptodx.clinical import checks
from leptodx.clinical.csf import CsfInterpretation, Ratio, get_profile, interpret_csf
from leptodx.clinical.eano_esmo import Classification, classify
from leptodx.clinical.workup import NextStep, next_steps
from leptodx.domain.patient import LEGS, PatientInput, measured_quantities, parse_patient
from leptodx.domain.plausibility import Implausible
from leptodx.presentation.labels import rule_certainty, rule_source
from leptodx.reference import csf as csf_ref
from leptodx.reference import eano_esmo as ee_ref
from leptodx.reference.analytes import GLUCOSE_RATIO, QALB
from leptodx.reference.citation import Source

CONTRACT_VERSION = "2.0"


@dataclass(frozen=True, slots=True)
class Assessment:
    patient: PatientInput
    classification: Classification
    csf: CsfInterpretation
    implausible: Mapping[str, Implausible]
    next_steps: tuple[NextStep, ...]
    qualifiers: tuple[str, ...]
    contradictions: tuple[str, ...]
    warnings: tuple[str, ...]
    missing: tuple[str, ...]
    sources: tuple[Source, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract (field names are versioned by :data:`CONTRACT_VERSION`)."""
        c = self.classification
        row = c.row
        p = self.patient
        return {
            "contract_version": CONTRACT_VERSION,
            "software_version": __version__,
            "notice": DECISION_SUPPORT_NOTICE,
            "patient_id": p.patient_id,
            "eano_esmo": {
                "applicable": c.applicable,
                "outcome": c.outcome.value,
                "level": c.level.value if c.level else None,
                "type": c.type,
                "qualifiers": list(self.qualifiers),
                "mri_category": c.mri_category,
                "rule_status": row.rule_status.value,
                "rule_risk": row.rule_risk.value if row.rule_risk else None,
                "decision_cell": row.id,
                "rule_source": row.pack,
                "rule_text": row.wording,
                "reason": row.wording if c.level is None else None,
                "inputs": {
                    "known_cancer": p.known_cancer,
                    "primary_tumour": p.primary_tumour,
                    "clinical_signs": _code(p.clinical_signs),
                    "mri": _code(p.mri),
                    "cytology": _code(p.cytology),
                    "biopsy": _code(p.biopsy),
                    "scope": ee_ref.scope_of(p.primary_tumour).value,
                },
                "reconstructed": c.reconstructed,
                "reconstructed_cells": [row.id] if c.reconstructed else [],
                "guideline": ee_ref.GUIDELINE,
                "ruleset_version": ee_ref.RULESET_VERSION,
                "next_steps": [_step(s) for s in self.next_steps],
                "sources": [s.key for s in c.sources],
            },
            "csf": _csf_dict(self.csf, self.implausible, p.age_years),
            "contradictions": list(self.contradictions),
            "missing": list(self.missing),
            "warnings": list(self.warnings),
            "sources": [s.as_dict() for s in self.sources],
        }


def _code(value: Any) -> str | None:
    return None if value is None else str(value.value)


def _step(step: NextStep) -> dict[str, Any]:
    return {"code": step.code, "text": step.text, "sources": [s.key for s in step.sources]}


def _ratio(
    r: Ratio | None, unit: str, flag_name: str, age: float | None = None
) -> dict[str, Any] | None:
    if r is None:
        return None
    extra = {} if flag_name != "barrier_dysfunction" else {"age_years": age}
    return {
        **extra,
        "value": r.value,
        "unit": unit,
        "limit": r.limit,
        "limit_text": r.limit_text or None,
        flag_name: r.flag,
        "not_judged": r.not_judged.value if r.not_judged else None,
        "source": r.source.key,
        "source_status": r.source.status.value,
    }


def _csf_dict(
    csf: CsfInterpretation, implausible: Mapping[str, Implausible], age: float | None
) -> dict[str, Any]:
    analytes = []
    for a in csf.analytes:
        odd = implausible.get(f"csf.{a.name}")
        source = a.limit.source.key if a.limit else None
        if a.name == "albumin" and csf.qalb is not None:
            source = csf.qalb.source.key
        analytes.append(
            {
                "name": a.name,
                "value": a.quantity.value,
                "unit": a.quantity.unit,
                "canonical_value": a.quantity.canonical_value,
                "canonical_unit": a.quantity.canonical_unit,
                "limit": a.limit.text if a.limit else None,
                "limit_lower": a.limit.lower if a.limit else None,
                "limit_upper": a.limit.upper if a.limit else None,
                "limit_lower_inclusive": a.limit.lower_inclusive if a.limit else None,
                "limit_upper_inclusive": a.limit.upper_inclusive if a.limit else None,
                "status": a.status,
                "basis": a.basis.value if a.basis else None,
                "not_judged": a.not_judged.value if a.not_judged else None,
                "plausibility": _plausibility(odd),
                "suspected_unit": odd.likely_unit if odd else None,
                "source": source,
            }
        )
    s = csf.summary
    return {
        "profile": csf.profile.name,
        "profile_description": csf.profile.description,
        "analytes": analytes,
        "qalb": _ratio(csf.qalb, QALB.unit, "barrier_dysfunction", age),
        "glucose_ratio": _ratio(csf.glucose_ratio, GLUCOSE_RATIO.unit, "low"),
        "findings": {
            "lm_typical": [f.value for f in s.lm_typical],
            "other_abnormal": list(s.other_abnormal),
            "not_judged": [{"what": what, "reason": why.value} for what, why in s.not_judged],
            "judged": s.judged,
        },
        "context": {
            "boenig_2019": [_prevalence(p) for p in csf_ref.BOENIG_PAPER],
            "seed_editorial_version": [_prevalence(p) for p in csf_ref.BOENIG_EDITORIAL],
            "discrepancies": list(csf_ref.BOENIG_DISCREPANCIES),
        },
    }


def _plausibility(odd: Implausible | None) -> str:
    if odd is None:
        return "typical"
    return "suspected_unit_mixup" if odd.likely_unit is not None else "atypical"


def _prevalence(p: csf_ref.Prevalence) -> dict[str, Any]:
    return {
        "finding": p.finding,
        "solid_percent": p.solid_percent,
        "haematological_percent": p.haematological_percent,
        "source": p.source.key,
        "note": p.note or None,
    }


_OPTIONAL = (*LEGS, "age_years", "sex", "primary_tumour", "biopsy", "csf", "serum")


def _classification_warnings(patient: PatientInput, c: Classification) -> list[str]:
    out = []
    if c.level is ee_ref.Level.CONFIRMED and c.type == "I":
        out.append("Type I is given without a subtype letter: the letter needs the MRI pattern")
    if c.reconstructed:
        row = c.row
        certainty = rule_certainty(row.rule_status.value, _code(row.rule_risk))
        out.append(f"{certainty} ({rule_source(row.id, row.pack)})")
    if patient.primary_tumour is None and c.applicable:
        out.append("Primary tumour not given: the solid-tumour scope could not be checked")
    return out


def assess(patient: PatientInput, *, profile: str | None = None) -> Assessment:
    """Assess one validated patient under a CSF profile (default ``S1-2020``)."""
    chosen = get_profile(profile)
    values = measured_quantities(patient)
    implausible = checks.implausible_values(values)
    classification = classify(patient)
    csf = interpret_csf(
        values, age_years=patient.age_years, profile=chosen, implausible=implausible
    )
    steps = next_steps(patient, classification, csf)
    qualifiers = checks.qualifiers(patient)
    contradictions = checks.contradictions(patient)
    notices = [
        *qualifiers,
        *contradictions,
        *checks.plausibility_notices(implausible),
        *checks.preanalytic_notices(patient),
    ]
    warnings = [
        *(n.text for n in notices),
        *_classification_warnings(patient, classification),
        *csf.warnings,
    ]
    missing = [name for name in _OPTIONAL if getattr(patient, name) is None]
    sources: dict[str, Source] = {}
    for s in (
        *classification.sources,
        *(s for step in steps for s in step.sources),
        *(n.source for n in notices if n.source is not None),
        *_csf_sources(csf),
    ):
        sources.setdefault(s.key, s)
    return Assessment(
        patient,
        classification,
        csf,
        implausible,
        steps,
        tuple(q.code for q in qualifiers),
        tuple(n.code for n in contradictions),
        tuple(dict.fromkeys(warnings)),
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
