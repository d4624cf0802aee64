"""FHIR R4 Bundle (or a list of resources) → the input contract of the clinical core.

Mapping (docs/interop.md):

* ``Patient`` → ``patient_id``, ``sex``, ``age_years`` (completed years at the assessment date:
  the newest finding's date, else today);
* ``Observation`` coded in LOINC (``reference.fhir_codes.LAB_CODES``) with a UCUM
  ``valueQuantity`` → ``csf.*`` / ``serum.*``; the most recent value per analyte is used and every
  choice (and what it superseded) is reported;
* ``Observation`` (or ``DiagnosticReport.conclusionCode``) coded in LeptoDx's local code systems →
  clinical signs, MRI pattern, cytology, biopsy, symptoms, known cancer;
* ``Condition`` → known cancer and primary tumour; an LM diagnosis is reported, never used as a leg.

Strict by default: an Observation whose code LeptoDx does not know is an error naming the resource
id (``ignore_unknown=True`` lists it as ignored instead, as the CDS Hooks service does).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from leptodx.domain.patient import parse_patient
from leptodx.domain.units import normalise_unit
from leptodx.errors import InputError
from leptodx.interop.fhir._resources import (
    age_in_years,
    check_structure,
    codings,
    effective_time,
    label,
    reference_id,
    utc_now,
)
from leptodx.presentation.labels import INPUT_FIELDS
from leptodx.reference import fhir_codes as codes
from leptodx.reference.analytes import ANALYTES
from leptodx.reference.eano_esmo import OUT_OF_SCOPE_PRIMARIES

_SKIPPED_STATUS = {"entered-in-error", "cancelled", "registered"}
_SEX = {"female": "female", "male": "male", "other": "other", "unknown": "unknown"}
_LOCAL_SYSTEMS = {cs.url: cs for cs in codes.LOCAL_CODESYSTEMS}


@dataclass(frozen=True, slots=True)
class Choice:
    """Which resource gave a field, when, and which older values it superseded."""

    field: str
    resource: str
    time: datetime | None
    value: Any
    unit: str | None = None
    code: str | None = None
    superseded: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "resource": self.resource,
            "date": self.time.isoformat() if self.time else None,
            "value": self.value,
            "unit": self.unit,
            "code": self.code,
            "superseded": list(self.superseded),
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

    def report(self) -> dict[str, Any]:
        """The ``fhir_import`` section of the assessment JSON."""
        return {
            "reference_date": self.reference_date.isoformat(),
            "used": [c.as_dict() for c in self.choices],
            "ignored": list(self.ignored),
            "warnings": list(self.warnings),
            "code_systems_version": codes.CODESYSTEM_VERSION,
        }


@dataclass(slots=True)
class _Candidate:
    field: str
    resource: str
    time: datetime | None
    value: Any
    unit: str | None = None
    code: str | None = None


def is_fhir(data: Any) -> bool:
    """True for a FHIR Bundle or a JSON list of FHIR resources."""
    if isinstance(data, Mapping):
        return data.get("resourceType") == "Bundle"
    return (
        isinstance(data, list)
        and bool(data)
        and all(isinstance(r, Mapping) and "resourceType" in r for r in data)
    )


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


def read_bundle(
    data: Any, *, ignore_unknown: bool = False, today: date | None = None
) -> FhirImport:
    """Build the input-contract record from FHIR resources (see the module docstring)."""
    reader = _Reader(ignore_unknown=ignore_unknown)
    for position, resource in resources_of(data):
        reader.add(resource, position)
    return reader.finish(today or utc_now().date())


class _Reader:
    def __init__(self, *, ignore_unknown: bool) -> None:
        self.ignore_unknown = ignore_unknown
        self.patients: list[tuple[str, dict[str, Any]]] = []
        self.candidates: list[_Candidate] = []
        self.conditions: list[tuple[str, datetime | None, str | None, bool]] = []
        """(resource, date, primary category or None, primary read through ICD-10)"""
        self.ignored: list[str] = []
        self.warnings: list[str] = []
        self.subjects: list[tuple[str, str]] = []
        self.specimens: dict[str, tuple[str, dict[str, Any]]] = {}
        self.specimen_of: dict[str, str] = {}

    # --- per resource ---------------------------------------------------------------------
    def add(self, resource: dict[str, Any], position: int) -> None:
        where = label(resource, position)
        kind = resource.get("resourceType")
        if kind == "Specimen":
            check_structure(resource, where=where)
            self.specimens[str(resource.get("id"))] = (where, resource)
            return
        if kind not in {"Patient", "Observation", "Condition", "DiagnosticReport"}:
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
        elif resource.get("status") in _SKIPPED_STATUS:
            self.ignored.append(f"{where} (status {resource['status']})")
        elif kind == "Observation":
            self._observation(resource, where)
        else:
            self._report(resource, where)

    def _unknown(self, where: str, what: str, expected: str) -> None:
        if not self.ignore_unknown:
            raise InputError(where, what, expected)
        self.ignored.append(f"{where} ({what}: not used by LeptoDx)")

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
            "--ignore-unknown lists such resources as ignored)",
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
        self.candidates.append(
            _Candidate(lab.field, where, time, float(quantity["value"]), code, f"LOINC {lab.code}")
        )
        specimen = reference_id(obs.get("specimen"))
        if specimen is not None and lab.field.startswith("csf."):
            self.specimen_of[where] = specimen

    def _finding(self, obs: dict[str, Any], where: str, time: datetime | None, code: str) -> None:
        if code == "known-cancer":
            value = obs.get("valueBoolean")
            if not isinstance(value, bool):
                raise InputError(f"{where}.valueBoolean", value, "true or false (known cancer)")
            self.candidates.append(_Candidate("known_cancer", where, time, value, code=code))
            return
        if code not in codes.FINDING_CODES:
            self._unknown(
                where,
                f"{codes.OBSERVATION_CODES.url}|{code}",
                f"one of the input codes {', '.join(codes.FINDING_CODES)}, or known-cancer",
            )
            return
        target, system = codes.FINDING_CODES[code]
        self.candidates.append(
            _Candidate(
                target,
                where,
                time,
                self._local_value(
                    obs.get("valueCodeableConcept"), system, f"{where}.valueCodeableConcept"
                ),
                code=code,
            )
        )

    def _report(self, report: dict[str, Any], where: str) -> None:
        time = effective_time(report, where=where)
        found = False
        for concept in report.get("conclusionCode") or []:
            for system, _code in codings(concept):
                for obs_code, (target, cs) in codes.FINDING_CODES.items():
                    if system == cs.url and target in {"mri", "cytology", "biopsy"}:
                        value = self._local_value(concept, cs, f"{where}.conclusionCode")
                        self.candidates.append(
                            _Candidate(target, where, time, value, code=obs_code)
                        )
                        found = True
        if not found:
            self.ignored.append(f"{where} (no LeptoDx conclusionCode)")

    @staticmethod
    def _local_value(concept: Any, system: codes.LocalCodeSystem, where: str) -> str:
        for s, c in codings(concept):
            if s == system.url:
                if c in system.concepts:
                    return str(c)
                raise InputError(where, c, f"a code of {system.url}: {', '.join(system.concepts)}")
        raise InputError(where, concept, f"a valueCodeableConcept with a code of {system.url}")

    def _condition(self, condition: dict[str, Any], where: str) -> None:
        verification = {c for _, c in codings(condition.get("verificationStatus"))}
        if verification & {"refuted", "entered-in-error"}:
            self.ignored.append(f"{where} (verificationStatus {', '.join(sorted(verification))})")
            return
        time = None
        for key in ("recordedDate", "onsetDateTime"):
            if key in condition:
                time = effective_time({"effectiveDateTime": condition[key]}, where=f"{where}.{key}")
                break
        used = False
        for system, code in codings(condition.get("code")):
            if code is None:
                continue
            if (system, code) in codes.LM_CONDITION_CODES:
                display = codes.LM_CONDITION_CODES[(system, code)][0]
                self.warnings.append(
                    f"{where} records an LM-related diagnosis ({code}: {display}); LeptoDx "
                    "assesses the findings independently of recorded diagnoses"
                )
                self.conditions.append((where, time, None, False))
                return
            if (system, code) in codes.NOT_LM_SPECIFIC:
                self.warnings.append(
                    f"{where}: {code} is not LM-specific and is not evidence of LM"
                )
            primary = self._primary(system, code)
            if primary is not None:
                via_icd = system in {codes.ICD10, codes.ICD10CM}
                self.conditions.append((where, time, primary or None, via_icd))
                used = True
                break
        if not used:
            self.ignored.append(f"{where} (condition not used by LeptoDx)")

    @staticmethod
    def _primary(system: str | None, code: str) -> str | None:
        """Primary category ('' = a cancer with no primary category), None if not a cancer code."""
        if system == codes.PRIMARY_TUMOUR.url:
            return code if code in codes.PRIMARY_TUMOUR.concepts else None
        if system in {codes.ICD10, codes.ICD10CM} and code[:1] == "C" and code[1:3].isdigit():
            category = codes.ICD10_PRIMARY_CATEGORIES.get(code[:3])
            return category if category is not None and not code.startswith("C80.0") else ""
        return None

    # --- assembly -------------------------------------------------------------------------
    def finish(self, today: date) -> FhirImport:
        record: dict[str, Any] = {}
        choices: list[Choice] = []
        patient_id = self._patient(record)
        self._check_subjects(patient_id)
        by_field: dict[str, list[_Candidate]] = {}
        for cand in self.candidates:
            by_field.setdefault(cand.field, []).append(cand)
        resource_of: dict[str, str] = {}
        for name, cands in by_field.items():
            if name == "symptoms":
                record["symptoms"] = sorted({c.value for c in cands})
                choices += [
                    Choice("symptoms", c.resource, c.time, c.value, code=c.code) for c in cands
                ]
                continue
            chosen = self._newest(name, cands)
            rest = tuple(c.resource for c in cands if c is not chosen)
            choices.append(
                Choice(
                    name, chosen.resource, chosen.time, chosen.value, chosen.unit, chosen.code, rest
                )
            )
            resource_of[name] = chosen.resource
            if "." in name:
                panel, analyte = name.split(".")
                record.setdefault(panel, {})[analyte] = {"value": chosen.value, "unit": chosen.unit}
            else:
                record[name] = chosen.value
        self._specimen(record, choices)
        self._cancer(record, choices)
        self._lp_dates(choices)
        dates = [c.time for c in choices if c.time is not None]
        on = max(dates).date() if dates else today
        if "birthDate" in self._patient_resource:
            age, coarse = age_in_years(
                self._patient_resource["birthDate"], on, where=f"{self._patient_label}.birthDate"
            )
            record["age_years"] = age
            if coarse:
                self.warnings.append("birthDate is not a full date: age may be off by one year")
        for leg in ("clinical_signs", "mri", "cytology"):
            if leg not in record:
                self.warnings.append(
                    f"No {INPUT_FIELDS[leg]} found in the FHIR resources, so no level can be given "
                    f"yet; code it as {_MISSING_HINT[leg]}"
                )
        self._validate(record, resource_of)
        return FhirImport(
            record, tuple(choices), tuple(self.ignored), tuple(self.warnings), on, resource_of
        )

    def _specimen(self, record: dict[str, Any], choices: list[Choice]) -> None:
        """CSF volume and processing delay from the Specimen of the newest CSF result."""
        csf = [c for c in choices if c.field.startswith("csf.") and c.resource in self.specimen_of]
        if not csf:
            return
        newest = max(csf, key=lambda c: c.time or datetime.min)
        sid = self.specimen_of[newest.resource]
        if sid not in self.specimens:
            self.warnings.append(f"{newest.resource} refers to Specimen/{sid}, not in the bundle")
            return
        where, specimen = self.specimens[sid]
        collection = specimen.get("collection") or {}
        volume = collection.get("quantity")
        panel = record.setdefault("csf", {})
        if isinstance(volume, Mapping) and "value" in volume:
            if (volume.get("code") or volume.get("unit")) != "mL":
                raise InputError(f"{where}.collection.quantity.unit", volume.get("unit"), "mL")
            panel["volume_ml"] = float(volume["value"])
            choices.append(Choice("csf.volume_ml", where, None, panel["volume_ml"], "mL"))
        if collection.get("collectedDateTime") and specimen.get("receivedTime"):
            start = effective_time(
                {"effectiveDateTime": collection["collectedDateTime"]},
                where=f"{where}.collection.collectedDateTime",
            )
            end = effective_time(
                {"effectiveDateTime": specimen["receivedTime"]}, where=f"{where}.receivedTime"
            )
            assert start is not None and end is not None
            if end < start:
                raise InputError(
                    f"{where}.receivedTime",
                    specimen["receivedTime"],
                    f"a time after collection ({collection['collectedDateTime']})",
                )
            panel["processing_delay_min"] = (end - start).total_seconds() / 60.0
            choices.append(
                Choice("csf.processing_delay_min", where, end, panel["processing_delay_min"], "min")
            )

    def _patient(self, record: dict[str, Any]) -> str | None:
        ids = {p.get("id") for _, p in self.patients}
        if len(ids) > 1:
            raise InputError(
                "Bundle",
                ", ".join(w for w, _ in self.patients),
                "resources of one patient (several Patient resources found)",
            )
        self._patient_label, self._patient_resource = (
            self.patients[0] if self.patients else ("Patient", {})
        )
        p = self._patient_resource
        if p.get("id"):
            record["patient_id"] = str(p["id"])
        if p.get("gender") in _SEX:
            record["sex"] = _SEX[p["gender"]]
        return p.get("id")

    def _check_subjects(self, patient_id: str | None) -> None:
        subjects = {s for _, s in self.subjects}
        if patient_id is None and len(subjects) > 1:
            raise InputError("subject", ", ".join(sorted(subjects)), "resources of one patient")
        for where, subject in self.subjects:
            if patient_id is not None and subject != patient_id:
                raise InputError(
                    f"{where}.subject",
                    subject,
                    f"a reference to the bundle's patient Patient/{patient_id}",
                )
        if patient_id is None and subjects:
            self._patient_resource = {}
            self.warnings.append(
                "no Patient resource: patient id taken from the subject references"
            )

    def _newest(self, name: str, cands: list[_Candidate]) -> _Candidate:
        undated = [c for c in cands if c.time is None]
        if undated and len(cands) > 1:
            raise InputError(
                undated[0].resource,
                "no effective date",
                f"an effectiveDateTime or issued date to choose the most recent {name} among {len(cands)} results",
            )
        cands_sorted = sorted(cands, key=lambda c: c.time or datetime.min, reverse=True)
        newest = cands_sorted[0]
        same = [c for c in cands_sorted[1:] if c.time == newest.time and c.value != newest.value]
        if same:
            self.warnings.append(
                f"{name}: {newest.resource} and {same[0].resource} have the same date and different "
                f"values; {newest.resource} was used"
            )
        return newest

    def _cancer(self, record: dict[str, Any], choices: list[Choice]) -> None:
        primaries = [(w, t, p) for w, t, p, _ in self.conditions if p]
        via_icd = any(icd for *_, p, icd in self.conditions if p)
        if "known_cancer" not in record and self.conditions:
            record["known_cancer"] = True
            where = [w for w, *_ in self.conditions]
            choices.append(
                Choice("known_cancer", where[0], None, True, superseded=tuple(where[1:]))
            )
        if not primaries:
            return
        primaries.sort(key=lambda x: x[1] or datetime.min, reverse=True)
        kinds = {p for *_, p in primaries}
        where, time, primary = primaries[0]
        record["primary_tumour"] = primary
        choices.append(
            Choice(
                "primary_tumour",
                where,
                time,
                primary,
                superseded=tuple(w for w, *_ in primaries[1:]),
            )
        )
        if len(kinds) > 1:
            self.warnings.append(
                f"several primary cancers are recorded ({', '.join(sorted(kinds))}); the most recent "
                f"({primary}, {where}) was used — check the scope"
                + (
                    " (one is outside the solid-tumour guideline)"
                    if kinds & set(OUT_OF_SCOPE_PRIMARIES)
                    else ""
                )
            )
        if via_icd:
            self.warnings.append(
                "primary tumour read from an ICD-10 category: the category mapping is reconstructed "
                f"({codes.ICD10_PRIMARY_SOURCE.key}), check it"
            )

    def _lp_dates(self, choices: list[Choice]) -> None:
        csf_days = {c.time.date() for c in choices if c.field.startswith("csf.") and c.time}
        serum_days = {c.time.date() for c in choices if c.field.startswith("serum.") and c.time}
        if len(csf_days) > 1:
            self.warnings.append(
                "the most recent CSF values come from different days "
                f"({', '.join(sorted(d.isoformat() for d in csf_days))}): check they belong together"
            )
        if serum_days and csf_days and serum_days != csf_days:
            self.warnings.append(
                "serum values were not drawn on the day of the CSF values: ratios (QAlb, glucose) "
                "assume paired samples"
            )

    def _validate(self, record: dict[str, Any], resource_of: Mapping[str, str]) -> None:
        try:
            parse_patient(record)
        except InputError as exc:
            head = exc.field.split(".value")[0]
            if head in resource_of:
                raise InputError(
                    f"{resource_of[head]} ({exc.field})", exc.value, exc.expected
                ) from None
            if (
                exc.field in {"known_cancer", "clinical_signs", "mri", "cytology"}
                and exc.value is None
            ):
                raise InputError(exc.field, None, _MISSING_HINT[exc.field]) from None
            raise


_MISSING_HINT = {
    "known_cancer": "a Condition for the primary cancer (ICD-10 C00–C97 or a primary-tumour code) "
    "or an Observation known-cancer (valueBoolean)",
    "clinical_signs": f"an Observation {codes.OBSERVATION_CODES.url}|clinical-signs",
    "mri": f"an Observation {codes.OBSERVATION_CODES.url}|mri-pattern or a DiagnosticReport "
    f"conclusionCode from {codes.MRI_PATTERN.url}",
    "cytology": f"an Observation {codes.OBSERVATION_CODES.url}|csf-cytology or a DiagnosticReport "
    f"conclusionCode from {codes.CYTOLOGY.url}",
}


def subject_reference(resources: Sequence[Mapping[str, Any]]) -> str | None:
    """``Patient/<id>`` of the patient the resources belong to (for the export's subject)."""
    for r in resources:
        if r.get("resourceType") == "Patient" and r.get("id"):
            return f"Patient/{r['id']}"
    return None
