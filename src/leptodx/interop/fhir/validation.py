"""Checks of FHIR R4 resources LeptoDx produces, beyond what Python FHIR models check.

``fhirclient`` 4.x (R4 models) checks element types and required elements but accepts any code
(platform notes: ``fhir.resources`` too), so the required value-set bindings of the elements we
write, our local codes, UCUM units, the obs-6 invariant, reference resolution, the elements every
exported Observation carries (category, subject, effective time, the Device in ``device`` — R4's
``Observation.performer`` does not admit a Device) and the one-Provenance-per-resource rule are
checked here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from leptodx.interop.fhir._resources import check_structure, codings, label
from leptodx.reference import fhir_codes as codes
from leptodx.reference import units as unit_ref
from leptodx.reference.citation import Status

# Required bindings of R4 (http://hl7.org/fhir/R4/valueset-*.html) for the elements we write.
OBSERVATION_STATUS = {"registered", "preliminary", "final", "amended", "corrected", "cancelled", "entered-in-error", "unknown"}  # fmt: skip
RISK_STATUS = OBSERVATION_STATUS
BUNDLE_TYPE = {"document", "message", "transaction", "transaction-response", "batch", "batch-response", "history", "searchset", "collection"}  # fmt: skip
PROVENANCE_ENTITY_ROLE = {"derivation", "revision", "quotation", "source", "removal"}
DEVICE_NAME_TYPE = {"udi-label-name", "user-friendly-name", "patient-reported-name", "manufacturer-name", "model-name", "other"}  # fmt: skip
GENDER = {"male", "female", "other", "unknown"}
_UCUM = {*unit_ref.CELL_UNITS, *unit_ref.MASS_UNITS, *unit_ref.MOLAR_UNITS, "10*-3", "1"}
_LOCAL = {cs.url: cs for cs in codes.LOCAL_CODESYSTEMS}
_CODE_STATUS = {s.value for s in Status}


def bundle_problems(bundle: Mapping[str, Any], *, require_provenance: bool = True) -> list[str]:
    """Every problem found in a Bundle; an empty list means it passed.

    ``require_provenance``: every Observation and RiskAssessment must be the target of a
    Provenance (true for LeptoDx's assessment bundles).
    """
    problems: list[str] = []
    try:
        check_structure(bundle, where="Bundle")
    except ValueError as exc:
        problems.append(str(exc))
    if bundle.get("type") not in BUNDLE_TYPE:
        problems.append(
            f"Bundle.type {bundle.get('type')!r} is not in the R4 bundle-type value set"
        )
    entries = bundle.get("entry") or []
    full_urls = {e.get("fullUrl") for e in entries}
    kinds = {e.get("fullUrl"): (e.get("resource") or {}).get("resourceType") for e in entries}
    targets: set[str] = set()
    for i, entry in enumerate(entries):
        resource = entry.get("resource", {})
        where = label(resource, i)
        if entry.get("fullUrl", "").removeprefix("urn:uuid:") != resource.get("id"):
            problems.append(f"{where}: fullUrl {entry.get('fullUrl')} does not match the id")
        problems += [f"{where}: {p}" for p in _resource_problems(resource)]
        for ref in _references(resource):
            if ref.startswith("urn:uuid:") and ref not in full_urls:
                problems.append(f"{where}: reference {ref} does not resolve in the Bundle")
        for p in resource.get("performer", []) if resource.get("resourceType") == "Observation" else []:  # fmt: skip
            ref = str(p.get("reference"))
            if kinds.get(ref, ref.split("/")[0]) == "Device":
                problems.append(f"{where}: performer {ref} is a Device; R4 admits a Device only in Observation.device")  # fmt: skip
        if resource.get("resourceType") == "Provenance":
            targets |= {t.get("reference") for t in resource.get("target", [])}
    for entry in entries:
        kind = entry["resource"].get("resourceType")
        if (
            require_provenance
            and kind in {"Observation", "RiskAssessment"}
            and entry.get("fullUrl") not in targets
        ):
            problems.append(f"{label(entry['resource'])}: no Provenance names it as target")
    return problems


def _resource_problems(r: Mapping[str, Any]) -> list[str]:
    out: list[str] = []
    kind = r.get("resourceType")
    if kind == "Observation":
        if r.get("status") not in OBSERVATION_STATUS:
            out.append(f"status {r.get('status')!r} not in observation-status")
        has_value = any(k.startswith("value") for k in r)
        if has_value == ("dataAbsentReason" in r):
            out.append("obs-6: exactly one of value[x] and dataAbsentReason is required")
        out += [f"{k} is missing" for k in ("category", "subject", "effectiveDateTime", "device") if k not in r]  # fmt: skip
        for concept in (r.get("code"), r.get("valueCodeableConcept")):
            out += _code_problems(concept)
        for quantity in _quantities(r):
            if quantity.get("code") not in _UCUM:
                out.append(f"UCUM unit {quantity.get('code')!r} is not one LeptoDx writes")
        for comp in r.get("component", []):
            out += _code_problems(comp.get("code"))
            out += _code_problems(comp.get("valueCodeableConcept"))
    elif kind == "RiskAssessment":
        if r.get("status") not in RISK_STATUS:
            out.append(f"status {r.get('status')!r} not in observation-status")
        for p in r.get("prediction", []):
            if not 0.0 <= float(p.get("probabilityDecimal", 0.0)) <= 1.0:
                out.append("ras-2: probabilityDecimal must be in [0, 1]")
    elif kind == "Provenance":
        if not r.get("target"):
            out.append("target is required")
        out += [f"entity.role {e.get('role')!r} not in provenance-entity-role" for e in r.get("entity", []) if e.get("role") not in PROVENANCE_ENTITY_ROLE]  # fmt: skip
    elif kind == "Device":
        out += [f"deviceName.type {n.get('type')!r} not in device-nametype" for n in r.get("deviceName", []) if n.get("type") not in DEVICE_NAME_TYPE]  # fmt: skip
    elif kind == "Patient" and "gender" in r and r["gender"] not in GENDER:
        out.append(f"gender {r['gender']!r} not in administrative-gender")
    return out


def _code_problems(concept: Any) -> list[str]:
    out = []
    for system, code in codings(concept):
        if system in _LOCAL and code not in _LOCAL[system].concepts:
            out.append(f"code {code!r} is not in {system}")
        if system == codes.LOINC and code not in codes.LAB_BY_CODE:
            out.append(f"LOINC {code} is not in LeptoDx's code table")
    for coding in concept.get("coding", []) if isinstance(concept, Mapping) else []:
        statuses = [e.get("valueCode") for e in coding.get("extension", []) if e.get("url") == codes.CODE_STATUS_EXTENSION]  # fmt: skip
        if coding.get("system") == codes.LOINC and statuses != [codes.LAB_BY_CODE[coding["code"]].status.value if coding.get("code") in codes.LAB_BY_CODE else None]:  # fmt: skip
            out.append(f"LOINC {coding.get('code')}: code-status extension {statuses} does not give the code's reference-pack status")  # fmt: skip
        out += [f"code-status {s!r} is not a reference-pack status" for s in statuses if s not in _CODE_STATUS]  # fmt: skip
    return out


def _quantities(r: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    found = [r["valueQuantity"]] if "valueQuantity" in r else []
    found += [c["valueQuantity"] for c in r.get("component", []) if "valueQuantity" in c]
    for rr in r.get("referenceRange", []):
        found += [rr[k] for k in ("low", "high") if k in rr]
    return found


def _references(value: Any) -> list[str]:
    if isinstance(value, Mapping):
        out = [value["reference"]] if isinstance(value.get("reference"), str) else []
        for v in value.values():
            out += _references(v)
        return out
    if isinstance(value, list):
        return [ref for v in value for ref in _references(v)]
    return []
