"""Assessment (the JSON contract) → FHIR R4 Bundle; findings → FHIR input Bundle.

The assessment Bundle (type ``collection``) holds:

* an Observation for the EANO–ESMO level (``dataAbsentReason`` when there is no level) with the
  outcome, rule status and rule risk as components and a generated narrative (the same wording as
  every other channel, :mod:`leptodx.presentation`), and one for the type/subtype, coded in
  LeptoDx's local code systems (``reference.fhir_codes``);
* an Observation per interpreted CSF analyte (status code, reference range of the named profile,
  v3 interpretation H/L/N), one for QAlb and one for the CSF summary;
* a RiskAssessment when a fitted model's prediction is given;
* a Device for LeptoDx (every Observation names it in ``device``: R4's ``Observation.performer``
  does not admit a Device) and, for **each** generated resource, a Provenance naming LeptoDx, its
  version and the guideline/model sources.

Every Observation has ``category``, ``subject``, ``effectiveDateTime`` (for input read from FHIR:
the time of the findings it interprets, else the assessment time) and ``issued``; each LOINC
coding carries the code's status from the reference pack in the :data:`leptodx.reference.fhir_codes.CODE_STATUS_EXTENSION`
extension, and a CSF interpretation read from FHIR names its source Observation in ``derivedFrom``.

:func:`leptodx.interop.fhir.template.findings_bundle` writes the inverse: the resources the
importer reads.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from html import escape
from typing import Any

from leptodx import DECISION_SUPPORT_NOTICE, __version__
from leptodx.clinical.result import (
    AnalyteResult,
    AssessmentResult,
    EanoEsmoResult,
    FhirUse,
    SourceEntry,
)
from leptodx.interop.fhir._resources import utc_now
from leptodx.presentation.assessment import AssessmentView, present
from leptodx.presentation.labels import ANALYTE
from leptodx.reference import fhir_codes as codes
from leptodx.reference.analytes import ANALYTES

V3_INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
DATA_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
PROVENANCE_AGENT = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
_INTERPRETATION = {"high": ("H", "High"), "low": ("L", "Low"), "normal": ("N", "Normal")}
XHTML = "http://www.w3.org/1999/xhtml"


def new_id() -> str:
    return str(uuid.uuid4())


def local_concept(system: codes.LocalCodeSystem, code: str) -> dict[str, Any]:
    return {"coding": [{"system": system.url, "version": codes.CODESYSTEM_VERSION, "code": code, "display": system.concepts[code]}], "text": system.concepts[code]}  # fmt: skip


def observation_code(code: str) -> dict[str, Any]:
    return local_concept(codes.OBSERVATION_CODES, code)


def lab_coding(lab: codes.LabCode) -> dict[str, Any]:
    """A LOINC coding with the code's reference-pack status as an extension."""
    return {
        "extension": [{"url": codes.CODE_STATUS_EXTENSION, "valueCode": lab.status.value}],
        "system": codes.LOINC,
        "code": lab.code,
        "display": lab.display,
    }


class _Builder:
    def __init__(self, subject: str | None, now: datetime, *, findings_time: str | None) -> None:
        self.entries: list[dict[str, Any]] = []
        self.now = now.isoformat()
        self.findings_time = findings_time or self.now
        self.device: dict[str, str] | None = None
        if subject is None:
            patient_id = new_id()
            self.add({"resourceType": "Patient", "id": patient_id}, patient_id)
            subject = f"urn:uuid:{patient_id}"
        self.subject = {"reference": subject}

    def add(self, resource: dict[str, Any], rid: str | None = None) -> str:
        rid = rid or new_id()
        resource["id"] = rid
        self.entries.append({"fullUrl": f"urn:uuid:{rid}", "resource": resource})
        return f"urn:uuid:{rid}"

    def observation(self, code: dict[str, Any], **fields: Any) -> dict[str, Any]:
        category = "exam" if fields.pop("exam", False) else "laboratory"
        return {
            "resourceType": "Observation",
            "status": "final",
            "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": category, "display": category.title()}]}],
            "code": code,
            "subject": self.subject,
            "effectiveDateTime": fields.pop("effective", self.findings_time),
            "issued": self.now,
            **({"device": self.device} if self.device else {}),
            **fields,
        }  # fmt: skip

    def bundle(self) -> dict[str, Any]:
        return {
            "resourceType": "Bundle",
            "id": new_id(),
            "type": "collection",
            "timestamp": self.now,
            "entry": self.entries,
        }


def assessment_bundle(
    result: Mapping[str, Any],
    *,
    subject: str | None = None,
    prediction: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """FHIR R4 collection Bundle of one assessment (``assess_record`` output)."""
    a = AssessmentResult.of(result)
    if subject is None and a.patient_id:
        subject = f"Patient/{a.patient_id}"
    fhir_used = a.fhir_used
    b = _Builder(subject, now or utc_now(), findings_time=_newest(fhir_used, ""))
    device = b.add(
        {
            "resourceType": "Device",
            "deviceName": [{"name": "LeptoDx", "type": "manufacturer-name"}],
            "version": [{"value": __version__}],
            "note": [{"text": DECISION_SUPPORT_NOTICE}],
        }
    )
    b.device = {"reference": device, "display": f"LeptoDx {__version__}"}
    ee = a.eano_esmo
    view = present(result)
    guideline = [s for k in ee.sources if (s := a.source(k)) is not None]
    notes = [
        {"text": DECISION_SUPPORT_NOTICE},
        {"text": f"{ee.guideline}; {ee.ruleset_version}"},
        {"text": f"This result rests on a {view.certainty_short} ({view.certainty_source})." + _check(ee)},
    ]  # fmt: skip
    level = b.observation(
        observation_code("eano-esmo-level"),
        exam=True,
        method={"text": ee.ruleset_version},
        note=notes,
        text=_narrative(view),
        component=_rule_components(ee),
    )
    if ee.level:
        level["valueCodeableConcept"] = local_concept(codes.LEVEL, ee.level)
    else:
        reason = "not-applicable" if ee.outcome == "out_of_scope" else "unknown"
        level["dataAbsentReason"] = {
            "coding": [{"system": DATA_ABSENT, "code": reason}],
            "text": f"{view.headline}. {view.rule}",
        }
    made = [(b.add(level), guideline)]
    if ee.type:
        t = b.observation(
            observation_code("eano-esmo-type"),
            exam=True,
            valueCodeableConcept=local_concept(codes.LM_TYPE, ee.type),
            method={"text": ee.ruleset_version},
            note=notes[:2],
        )
        made.append((b.add(t), guideline))
    made += _csf_observations(b, a, view, fhir_used)
    if prediction is not None:
        made.append(_risk(b, prediction))
    for target, used in made:
        b.add(_provenance(target, device, used, b.now))
    return b.bundle()


def _check(ee: EanoEsmoResult) -> str:
    needs_check = ee.rule_status in {"unverified", "secondary"}
    return " Check it against the guideline table." if needs_check else ""


def _narrative(view: AssessmentView) -> dict[str, str]:
    """Generated narrative of the level Observation (the wording of every other channel)."""
    lines = [f"<p><b>{escape(view.headline)}</b></p>"]
    lines += [f"<p>{escape(view.certainty)} ({escape(view.certainty_source)})</p>"]
    lines += [f"<p>{escape(view.rule)}</p>"]
    lines += ["<ul>", *(f"<li>{escape(line)}</li>" for line in view.findings), "</ul>"]
    return {"status": "generated", "div": f'<div xmlns="{XHTML}">{"".join(lines)}</div>'}


def _rule_components(ee: EanoEsmoResult) -> list[dict[str, Any]]:
    parts = [
        ("eano-esmo-outcome", codes.OUTCOME, ee.outcome),
        ("eano-esmo-rule-status", codes.RULE_STATUS, ee.rule_status),
        ("eano-esmo-rule-risk", codes.RULE_RISK, ee.rule_risk),
    ]
    return [
        {"code": observation_code(code), "valueCodeableConcept": local_concept(system, value)}
        for code, system, value in parts
        if value is not None
    ]


def _newest(used: Sequence[FhirUse], prefix: str) -> str | None:
    """Time of the newest FHIR finding used (of fields starting with ``prefix``), or None."""
    dates = [u.date for u in used if u.date and u.field.startswith(prefix)]
    return max(dates, key=datetime.fromisoformat) if dates else None


def _source_reference(used: Sequence[FhirUse], field: str) -> list[dict[str, str]]:
    """``derivedFrom`` of an analyte read from FHIR: the EHR's Observation (``Type/id`` only)."""
    for u in used:
        if u.field == field and "[" not in u.resource:
            return [{"reference": u.resource}]
    return []


def _cited(result: AssessmentResult, key: str | None) -> list[SourceEntry]:
    source = result.source(key)
    return [] if source is None else [source]


def _csf_observations(
    b: _Builder, result: AssessmentResult, view: AssessmentView, used: Sequence[FhirUse]
) -> list[tuple[str, list[SourceEntry]]]:
    made: list[tuple[str, list[SourceEntry]]] = []
    csf = result.csf
    profile_note = {"text": f"CSF profile {csf.profile}: {csf.profile_description}"}
    sample = {"effective": _newest(used, "csf.")} if _newest(used, "csf.") else {}
    for a in csf.analytes:
        if a.status is None:
            continue
        lab = codes.LAB_BY_CODE.get(ANALYTES[f"csf.{a.name}"].loinc)
        component = []
        if lab is not None and a.canonical_value is not None and a.canonical_unit is not None:
            component.append({"code": {"coding": [lab_coding(lab)]}, "valueQuantity": quantity(a.canonical_value, a.canonical_unit)})  # fmt: skip
        derived = _source_reference(used, f"csf.{a.name}")
        code, display = _INTERPRETATION[a.status]
        obs = b.observation(
            {**observation_code("csf-interpretation"), "text": f"CSF {a.name} interpretation"},
            text=_row_narrative(view, a.name),
            valueCodeableConcept=local_concept(codes.CSF_STATUS, a.status),
            interpretation=[
                {"coding": [{"system": V3_INTERPRETATION, "code": code, "display": display}]}
            ],
            referenceRange=[_range(a)],
            component=component,
            note=[profile_note],
            **sample,
            **({"derivedFrom": derived} if derived else {}),
        )
        made.append((b.add(obs), _cited(result, a.source)))
    q = csf.qalb
    if q is not None:
        obs = b.observation(
            observation_code("qalb"),
            valueQuantity=quantity(q.value, q.unit),
            note=[{"text": view.qalb or ""}],
            **sample,
        )
        if q.limit is not None:
            obs["referenceRange"] = [{"high": quantity(q.limit, q.unit), "text": q.limit_text}]
            code, display = _INTERPRETATION["high" if q.barrier_dysfunction else "normal"]
            obs["interpretation"] = [
                {"coding": [{"system": V3_INTERPRETATION, "code": code, "display": display}]}
            ]
        made.append((b.add(obs), _cited(result, q.source)))
    if csf.analytes:
        obs = b.observation(
            observation_code("csf-summary"),
            valueString=" ".join(view.csf_summary),
            note=[profile_note],
            **sample,
        )
        made.append((b.add(obs), [s for a in csf.analytes for s in _cited(result, a.source)]))
    return made


def _row_narrative(view: AssessmentView, name: str) -> dict[str, str]:
    row = next(r for r in view.csf_rows if r.analyte == ANALYTE[name])
    text = f"CSF {row.analyte.lower()}: {row.canonical} (entered {row.entered}); limit {row.limit}; {row.status}"
    return {"status": "generated", "div": f'<div xmlns="{XHTML}"><p>{escape(text)}</p></div>'}


def quantity(value: float, unit: str) -> dict[str, Any]:
    return {"value": round(float(value), 6), "unit": unit, "system": codes.UCUM, "code": unit}


def _range(a: AnalyteResult) -> dict[str, Any]:
    out: dict[str, Any] = {"text": a.limit}
    unit = a.canonical_unit or ""
    if a.limit_lower is not None:
        out["low"] = quantity(a.limit_lower, unit)
    if a.limit_upper is not None:
        out["high"] = quantity(a.limit_upper, unit)
    return out


def _risk(b: _Builder, prediction: Mapping[str, Any]) -> tuple[str, list[SourceEntry]]:
    drivers = sorted(prediction["contributions"], key=lambda c: -abs(c["contribution"]))
    text = "; ".join(f"{c['predictor']} {c['contribution']:+.3f}" for c in drivers)
    risk = {
        "resourceType": "RiskAssessment",
        "status": "final",
        "subject": b.subject,
        "occurrenceDateTime": b.now,
        "method": {"text": f"{prediction['model']} (fitted model {prediction['model_hash']})"},
        "prediction": [{"outcome": {"text": "Leptomeningeal metastasis"}, "probabilityDecimal": round(float(prediction["probability"]), 6)}],
        "note": [{"text": f"Contributions to the linear predictor: {text}"}, *({"text": n} for n in prediction.get("notes", [])), {"text": DECISION_SUPPORT_NOTICE}],
    }  # fmt: skip
    model = SourceEntry(key=prediction["model"], citation=f"Fitted model {prediction['model']}, SHA-256 {prediction['model_hash']}")  # fmt: skip
    return b.add(risk), [model]


def _provenance(target: str, device: str, used: list[SourceEntry], now: str) -> dict[str, Any]:
    return {
        "resourceType": "Provenance",
        "target": [{"reference": target}],
        "recorded": now,
        "policy": sorted({s.url for s in used if s.url}),
        "agent": [{"type": {"coding": [{"system": PROVENANCE_AGENT, "code": "assembler"}]}, "who": {"reference": device, "display": f"LeptoDx {__version__}"}}],
        "entity": [{"role": "source", "what": {"identifier": {"system": "https://leptodx.org/sources", "value": s.key}, "display": s.citation}} for s in used],
    }  # fmt: skip
