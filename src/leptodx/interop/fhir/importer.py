"""FHIR R4 Bundle (or a list of resources) → the input contract of the clinical core.

Mapping (docs/interop.md):

* ``Patient`` → ``patient_id``, ``sex``, ``age_years`` (completed years at the assessment date:
  the newest finding's date, else today);
* ``Observation`` coded in LOINC (``reference.fhir_codes.LAB_CODES``) with a UCUM
  ``valueQuantity`` → ``csf.*`` / ``serum.*``: the most recent CSF value per analyte, the serum
  value nearest in time to the CSF draw; every choice (and what it superseded) is reported;
* ``Observation`` (or ``DiagnosticReport.conclusionCode``) coded in LeptoDx's local code systems →
  clinical signs, MRI pattern, cytology, biopsy, symptoms, known cancer; an MRI or cytology report
  with only narrative text is reported as "present but not coded";
* ``Condition`` → known cancer and primary tumour (:mod:`.conditions`); an LM diagnosis is
  reported, never used as a leg;
* ``Procedure`` and ``Specimen`` → ``csf.lp_number``, ``csf.days_since_brain_surgery``, the CSF
  volume and processing delay (:mod:`.episode`).

Strict by default: an Observation whose code LeptoDx does not know is an error naming the resource
id (``ignore_unknown=True`` lists it as ignored instead, as the CDS Hooks service does).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from leptodx.domain.units import normalise_unit
from leptodx.errors import InputError
from leptodx.interop.fhir import episode, reports
from leptodx.interop.fhir._resources import (
    check_structure,
    codings,
    effective_time,
    label,
    reference_id,
    utc_now,
)
from leptodx.interop.fhir.conditions import CancerReading, read_condition
from leptodx.reference import fhir_codes as codes
from leptodx.reference.analytes import ANALYTES
from leptodx.reference.citation import Source

_SKIPPED_STATUS = {"entered-in-error", "cancelled", "registered"}
_USED_TYPES = {"Patient", "Observation", "Condition", "DiagnosticReport", "Procedure", "Specimen"}


@dataclass(frozen=True, slots=True)
class Choice:
    """Which resource gave a field, when, and which other values it was preferred to."""

    field: str
    resource: str
    time: datetime | None
    value: Any
    unit: str | None = None
    code: str | None = None
    superseded: tuple[str, ...] = ()
    code_status: str | None = None
    """Status of the code that was read (reference pack marks: verified, secondary, …)."""
    note: str | None = None
    code_source: Source | None = None
    """Where the code's meaning was seen (cancer codes)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "resource": self.resource,
            "date": self.time.isoformat() if self.time else None,
            "value": self.value,
            "unit": self.unit,
            "code": self.code,
            "code_status": self.code_status,
            "code_source": self.code_source.key if self.code_source else None,
            "superseded": list(self.superseded),
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class FhirImport:
    """The input-contract record built from FHIR, with the import report."""

    record: dict[str, Any]
    choices: tuple[Choice, ...]
    ignored: tuple[str, ...]
    warnings: tuple[str, ...]
    reference_date: date
    resource_of: dict[str, str] = field(default_factory=dict)
    not_coded: tuple[reports.NotCoded, ...] = ()

    def report(self) -> dict[str, Any]:
        """The ``fhir_import`` section of the assessment JSON."""
        sources = {c.code_source.key: c.code_source for c in self.choices if c.code_source}
        return {
            "reference_date": self.reference_date.isoformat(),
            "used": [c.as_dict() for c in self.choices],
            "code_sources": [s.as_dict() for s in sources.values()],
            "ignored": list(self.ignored),
            "present_not_coded": [n.as_dict() for n in self.not_coded],
            "warnings": list(self.warnings),
            "code_systems_version": codes.CODESYSTEM_VERSION,
        }


@dataclass(slots=True)
class Candidate:
    field: str
    resource: str
    time: datetime | None
    value: Any
    unit: str | None = None
    code: str | None = None
    code_status: str | None = None


def resources_of(data: Any) -> list[tuple[int, dict[str, Any]]]:
    """(position, resource) of a Bundle's entries or of a list of resources."""
    if isinstance(data, Mapping) and data.get("resourceType") == "Bundle":
        entries = data.get("entry") or []
        if not isinstance(entries, list):
            raise InputError("Bundle.entry", type(entries).__name__, "a list of entries")
        out = []
        for i, entry in enumerate(entries):
            resource = entry.get("resource") if isinstance(entry, Mapping) else None
            if not isinstance(resource, Mapping) or "resourceType" not in resource:
                raise InputError(
                    f"Bundle.entry[{i}]", entry, "an entry with a resource and its resourceType"
                )
            out.append((i, dict(resource)))
        return out
    if isinstance(data, list):
        return [(i, dict(r)) for i, r in enumerate(data)]
    raise InputError("(input)", type(data).__name__, "a FHIR Bundle or a list of FHIR resources")


def read_bundle(data: Any, *, ignore_unknown: bool = True, today: date | None = None) -> FhirImport:
    """Build the input-contract record from FHIR resources (see the module docstring)."""
    from leptodx.interop.fhir.assembly import assemble

    reader = Reader(ignore_unknown=ignore_unknown)
    for position, resource in resources_of(data):
        reader.add(resource, position)
    return assemble(reader, today or utc_now().date())


class Reader:
    """Reads resources one by one into candidates; :func:`.assembly.assemble` builds the record."""

    def __init__(self, *, ignore_unknown: bool) -> None:
        self.ignore_unknown = ignore_unknown
        self.patients: list[tuple[str, dict[str, Any]]] = []
        self.candidates: list[Candidate] = []
        self.cancers: list[CancerReading] = []
        self.ignored: list[str] = []
        self.warnings: list[str] = []
        self.subjects: list[tuple[str, str]] = []
        self.specimens: dict[str, tuple[str, dict[str, Any]]] = {}
        self.specimen_of: dict[str, str] = {}
        self.punctures: list[episode.Event] = []
        self.surgeries: list[episode.Event] = []
        self.not_coded: list[reports.NotCoded] = []

    # --- per resource ---------------------------------------------------------------------
    def add(self, resource: dict[str, Any], position: int) -> None:
        where = label(resource, position)
        kind = resource.get("resourceType")
        if kind not in _USED_TYPES:
            self.ignored.append(f"{where} (resource type not used)")
            return
        check_structure(resource, where=where)
        if kind == "Patient":
            self.patients.append((where, resource))
            return
        subject = reference_id(resource.get("subject"))
        if subject is not None:
            self.subjects.append((where, subject))
        if kind == "Condition":
            self._condition(resource, where)
        elif kind == "Specimen":
            self._specimen(resource, where)
        elif resource.get("status") in _SKIPPED_STATUS:
            self.ignored.append(f"{where} (status {resource['status']})")
        elif kind == "Procedure":
            self._procedure(resource, where)
        elif kind == "Observation":
            self._observation(resource, where)
        else:
            self._report(resource, where)

    def _unknown(
        self, where: str, what: str, expected: str, resource: dict[str, Any] | None = None
    ) -> None:
        if not self.ignore_unknown:
            raise InputError(where, what, expected)
        self.ignored.append(f"{where} ({what}: not used by LeptoDx)")
        if resource is not None and _looks_like_csf(resource):
            self.warnings.append(
                f"{where} looks like a CSF result but its code ({what}) is not one LeptoDx reads: "
                "it was not used; map it to a LOINC code in docs/interop.md"
            )

    def _observation(self, obs: dict[str, Any], where: str) -> None:
        time = effective_time(obs, where=where)
        pairs = list(codings(obs.get("code")))
        if obs.get("status") == "preliminary":
            self.warnings.append(f"{where} is preliminary")
        for system, code in pairs:
            if system == codes.LOINC and code in codes.LAB_BY_CODE:
                self._lab(obs, where, time, codes.LAB_BY_CODE[code])
                return
            if system == codes.LOINC and code == codes.QALB_RATIO_LOINC.code:
                self.ignored.append(
                    f"{where} (LOINC 1756-6 albumin ratio, ×100 scale: LeptoDx computes QAlb "
                    "×10⁻³ from CSF and serum albumin)"
                )
                return
            if system == codes.OBSERVATION_CODES.url:
                self._finding(obs, where, time, str(code))
                return
        shown = ", ".join(f"{s}|{c}" for s, c in pairs) or "no coding"
        self._unknown(
            where,
            shown,
            "an Observation coded in LOINC (CSF leukocytes 26465-5/806-0/805-2/58470-6, protein "
            "2880-3, glucose 2342-4/14744-7, lactate 2520-5, albumin 1746-7; serum glucose 2345-7, "
            f"albumin 1751-7) or in {codes.OBSERVATION_CODES.url} (see docs/interop.md; "
            "without --strict-codes such resources are listed as ignored)",
            obs,
        )

    def _lab(
        self, obs: dict[str, Any], where: str, time: datetime | None, lab: codes.LabCode
    ) -> None:
        quantity = obs.get("valueQuantity")
        if not isinstance(quantity, Mapping) or not isinstance(quantity.get("value"), int | float):
            raise InputError(
                f"{where}.valueQuantity",
                quantity,
                f"a numeric value with a UCUM unit for {lab.display}",
            )
        if quantity.get("comparator"):
            raise InputError(
                f"{where}.valueQuantity.comparator",
                f"{quantity['comparator']} {quantity['value']}",
                "an exact value (a censored result such as '<5' cannot be used; enter it by hand)",
            )
        unit = quantity.get("code") if quantity.get("system") == codes.UCUM else None
        unit = unit or quantity.get("unit") or quantity.get("code")
        if not unit:
            raise InputError(f"{where}.valueQuantity.unit", None, f"a UCUM unit for {lab.display}")
        dimension = ANALYTES[lab.field].dimension
        code = normalise_unit(str(unit), dimension, field=f"{where}.valueQuantity.unit")
        value = float(quantity["value"])
        self.candidates.append(
            Candidate(lab.field, where, time, value, code, f"LOINC {lab.code}", lab.status.value)
        )
        specimen = reference_id(obs.get("specimen"))
        if specimen is not None and lab.field.startswith("csf."):
            self.specimen_of[where] = specimen

    def _finding(self, obs: dict[str, Any], where: str, time: datetime | None, code: str) -> None:
        if code == "known-cancer":
            value = obs.get("valueBoolean")
            if not isinstance(value, bool):
                raise InputError(f"{where}.valueBoolean", value, "true or false (known cancer)")
            self.candidates.append(Candidate("known_cancer", where, time, value, code=code))
            return
        if code not in codes.FINDING_CODES:
            self._unknown(
                where,
                f"{codes.OBSERVATION_CODES.url}|{code}",
                f"one of the input codes {', '.join(codes.FINDING_CODES)}, or known-cancer",
            )
            return
        target, system = codes.FINDING_CODES[code]
        value = _local_value(
            obs.get("valueCodeableConcept"), system, f"{where}.valueCodeableConcept"
        )
        self.candidates.append(Candidate(target, where, time, value, code=code))

    def _report(self, report: dict[str, Any], where: str) -> None:
        time = effective_time(report, where=where)
        if report.get("status") == "preliminary":
            self.warnings.append(f"{where} is preliminary")
        found = False
        for concept in report.get("conclusionCode") or []:
            for system, _code in codings(concept):
                for obs_code, (target, cs) in codes.FINDING_CODES.items():
                    if system == cs.url and target in {"mri", "cytology", "biopsy"}:
                        value = _local_value(concept, cs, f"{where}.conclusionCode")
                        self.candidates.append(Candidate(target, where, time, value, code=obs_code))
                        found = True
        if found:
            return
        narrative = reports.not_coded(report, where, time)
        if narrative is not None:
            self.not_coded.append(narrative)
            self.ignored.append(f"{where} ({narrative.field} report with narrative text only)")
        else:
            self.ignored.append(f"{where} (no LeptoDx conclusionCode)")

    def _condition(self, condition: dict[str, Any], where: str) -> None:
        reading = read_condition(condition, where)
        if reading.not_used is not None:
            self.ignored.append(f"{where} ({reading.not_used})")
        elif reading.kind is None:
            self.ignored.append(f"{where} (condition not used by LeptoDx)")
        if reading.kind is not None or reading.unrecognised:
            self.cancers.append(reading)

    def _procedure(self, procedure: dict[str, Any], where: str) -> None:
        lp = episode.is_lumbar_puncture(procedure)
        surgery = not lp and episode.is_cranial_surgery(procedure)
        if not (lp or surgery):
            self.ignored.append(f"{where} (procedure not used by LeptoDx)")
            return
        event = episode.procedure_event(procedure, where)
        what = "lumbar puncture" if lp else "brain surgery"
        if event is None:
            self.ignored.append(f"{where} ({what} not completed or without a date)")
            return
        (self.punctures if lp else self.surgeries).append(event)

    def _specimen(self, specimen: dict[str, Any], where: str) -> None:
        self.specimens[str(specimen.get("id"))] = (where, specimen)
        if specimen.get("status") == "entered-in-error":
            self.ignored.append(f"{where} (status entered-in-error)")
            return
        collection = episode.csf_collection(specimen, where)
        if collection is not None:
            self.punctures.append(collection)


def _local_value(concept: Any, system: codes.LocalCodeSystem, where: str) -> str:
    for s, c in codings(concept):
        if s == system.url:
            if c in system.concepts:
                return str(c)
            raise InputError(where, c, f"a code of {system.url}: {', '.join(system.concepts)}")
    raise InputError(where, concept, f"a valueCodeableConcept with a code of {system.url}")


_CSF_WORDS = ("csf", "cerebrospinal", "liquor")


def _looks_like_csf(resource: dict[str, Any]) -> bool:
    """Whether an Observation's code text, displays or specimen name CSF (a mapping gap to report)."""
    code = resource.get("code") or {}
    texts = [str(code.get("text", ""))]
    texts += [str(c.get("display", "")) for c in code.get("coding") or [] if isinstance(c, dict)]
    specimen = resource.get("specimen") or {}
    texts.append(str(specimen.get("display", "")) if isinstance(specimen, dict) else "")
    words = " ".join(texts).lower()
    return any(w in words for w in _CSF_WORDS)
