"""Candidates read from FHIR → one input-contract record with the import report.

Choices: the most recent value per field (CSF analytes, findings); the serum value nearest in time
to the CSF draw, used only within ``SERUM_PAIRING_MAX_HOURS``; the CSF volume and delay from the
Specimen of the newest CSF result; ``lp_number`` and ``days_since_brain_surgery`` from Procedures
and Specimens around the CSF draw (:mod:`.episode`); known cancer and primary tumour from the
Conditions (an active cancer before a resolved one, then the newest).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from leptodx.domain.patient import parse_patient
from leptodx.errors import InputError
from leptodx.interop.fhir import episode
from leptodx.interop.fhir._resources import age_in_years, effective_time
from leptodx.interop.fhir.conditions import CancerReading
from leptodx.interop.fhir.importer import Candidate, Choice, FhirImport, Reader
from leptodx.presentation.labels import INPUT_FIELDS, PRIMARY_TUMOUR
from leptodx.presentation.numbers import format_number
from leptodx.reference import fhir_codes as codes
from leptodx.reference import procedure_codes as pc
from leptodx.reference.cancer_codes import CancerKind
from leptodx.reference.citation import Status
from leptodx.reference.eano_esmo import OUT_OF_SCOPE_PRIMARIES

_SEX = {"female": "female", "male": "male", "other": "other", "unknown": "unknown"}


def assemble(reader: Reader, today: date) -> FhirImport:
    """The record, every choice made, what was ignored and the warnings (module docstring)."""
    return _Assembly(reader).build(today)


class _Assembly:
    def __init__(self, reader: Reader) -> None:
        self.r = reader
        self.record: dict[str, Any] = {}
        self.choices: list[Choice] = []
        self.resource_of: dict[str, str] = {}
        self.warnings = reader.warnings

    def build(self, today: date) -> FhirImport:
        patient_id = self._patient()
        self._check_subjects(patient_id)
        by_field: dict[str, list[Candidate]] = {}
        for cand in self.r.candidates:
            by_field.setdefault(cand.field, []).append(cand)
        for name, cands in by_field.items():
            if name == "symptoms":
                self.record["symptoms"] = sorted({c.value for c in cands})
                self.choices += [Choice("symptoms", c.resource, c.time, c.value, code=c.code) for c in cands]  # fmt: skip
            elif not name.startswith("serum."):
                self._use(name, _newest(name, cands, self.warnings), cands)
        draw = self._csf_draw()
        for name, cands in by_field.items():
            if name.startswith("serum."):
                self._serum(name, cands, draw)
        self._specimen()
        self._episode(draw)
        self._cancer()
        dates = [c.time for c in self.choices if c.time is not None]
        on = max(dates).date() if dates else today
        self._age(on)
        self._legs()
        self._validate()
        return FhirImport(
            self.record,
            tuple(self.choices),
            tuple(self.r.ignored),
            tuple(self.warnings),
            on,
            self.resource_of,
            tuple(self.r.not_coded),
        )

    # --- values ---------------------------------------------------------------------------
    def _use(self, name: str, chosen: Candidate, cands: list[Candidate], note: str | None = None) -> None:  # fmt: skip
        rest = tuple(c.resource for c in cands if c is not chosen)
        self.choices.append(Choice(name, chosen.resource, chosen.time, chosen.value, chosen.unit, chosen.code, rest, chosen.code_status, note))  # fmt: skip
        self.resource_of[name] = chosen.resource
        if "." in name:
            panel, analyte = name.split(".")
            self.record.setdefault(panel, {})[analyte] = {
                "value": chosen.value,
                "unit": chosen.unit,
            }
        else:
            self.record[name] = chosen.value

    def _csf_draw(self) -> datetime | None:
        """When the chosen CSF sample was drawn (its newest analyte; else the cytology's date)."""
        times = [c.time for c in self.choices if c.field.startswith("csf.") and c.time]
        days = sorted({t.date().isoformat() for t in times})
        if len(days) > 1:
            self.warnings.append(
                f"the most recent CSF values come from different days ({', '.join(days)}): check "
                "they belong together"
            )
        if times:
            return max(times)
        cytology = next((c for c in self.choices if c.field == "cytology" and c.time), None)
        return cytology.time if cytology is not None else None

    def _serum(self, name: str, cands: list[Candidate], draw: datetime | None) -> None:
        """The serum sample nearest to the CSF draw, within the pairing window."""
        what = INPUT_FIELDS["serum"].removesuffix(" values") + " " + name.split(".")[1]
        dated = [c for c in cands if c.time is not None]
        if draw is None or not dated:
            chosen = _newest(name, cands, self.warnings)
            if draw is not None:
                self.warnings.append(f"{what} ({chosen.resource}) has no date: its pairing with the CSF draw cannot be checked")  # fmt: skip
            self._use(name, chosen, cands)
            return
        hours = {id(c): abs((c.time - draw).total_seconds()) / 3600 for c in dated}  # type: ignore[operator]
        chosen = min(dated, key=lambda c: (hours[id(c)], -(c.time.timestamp())))  # type: ignore[union-attr]
        gap = hours[id(chosen)]
        if gap > pc.SERUM_PAIRING_MAX_HOURS:
            self.r.ignored.append(f"{chosen.resource} (nearest {what}, {format_number(gap, 3)} hours from the CSF draw)")  # fmt: skip
            self.warnings.append(
                f"{what}: the nearest sample ({chosen.resource}) was drawn {_span(gap)} from the "
                f"CSF draw, more than {pc.SERUM_PAIRING_MAX_HOURS:g} hours (a LeptoDx rule): not "
                "paired, so the ratio built from it is not computed"
            )
            return
        note = f"paired with the CSF draw: {_span(gap)} apart (nearest sample within {pc.SERUM_PAIRING_MAX_HOURS:g} hours)"  # fmt: skip
        self._use(name, chosen, cands, note)

    def _specimen(self) -> None:
        """CSF volume and processing delay from the Specimen of the newest CSF result."""
        csf = [c for c in self.choices if c.field.startswith("csf.") and c.resource in self.r.specimen_of]  # fmt: skip
        if not csf:
            return
        newest = max(csf, key=lambda c: c.time or datetime.min)
        sid = self.r.specimen_of[newest.resource]
        if sid not in self.r.specimens:
            self.warnings.append(f"{newest.resource} refers to Specimen/{sid}, not in the bundle")
            return
        where, specimen = self.r.specimens[sid]
        collection = specimen.get("collection") or {}
        volume = collection.get("quantity")
        panel = self.record.setdefault("csf", {})
        if isinstance(volume, Mapping) and "value" in volume:
            if (volume.get("code") or volume.get("unit")) != "mL":
                raise InputError(f"{where}.collection.quantity.unit", volume.get("unit"), "mL")
            panel["volume_ml"] = float(volume["value"])
            self.choices.append(Choice("csf.volume_ml", where, None, panel["volume_ml"], "mL"))
        if collection.get("collectedDateTime") and specimen.get("receivedTime"):
            start = effective_time({"effectiveDateTime": collection["collectedDateTime"]}, where=f"{where}.collection.collectedDateTime")  # fmt: skip
            end = effective_time({"effectiveDateTime": specimen["receivedTime"]}, where=f"{where}.receivedTime")  # fmt: skip
            assert start is not None and end is not None
            if end < start:
                raise InputError(f"{where}.receivedTime", specimen["receivedTime"], f"a time after collection ({collection['collectedDateTime']})")  # fmt: skip
            panel["processing_delay_min"] = (end - start).total_seconds() / 60.0
            self.choices.append(Choice("csf.processing_delay_min", where, start, panel["processing_delay_min"], "min"))  # fmt: skip

    def _episode(self, draw: datetime | None) -> None:
        """``lp_number`` and ``days_since_brain_surgery`` for the CSF sample's day."""
        if draw is None:
            return
        count = episode.lp_number(self.r.punctures, draw)
        if count is not None:
            rule = f"lumbar punctures at most {pc.LP_EPISODE_GAP_DAYS:g} days apart count as one work-up (a LeptoDx rule)"  # fmt: skip
            self.record.setdefault("csf", {})["lp_number"] = count.number
            self.choices.append(Choice("csf.lp_number", ", ".join(count.counted) or "the CSF sample", draw, count.number, note=rule))  # fmt: skip
            if count.later:
                self.warnings.append(f"a lumbar puncture after the CSF sample used ({', '.join(count.later)}) has no CSF results in the record")  # fmt: skip
        surgery = episode.days_since_surgery(self.r.surgeries, draw)
        if surgery is not None:
            days, resource = surgery
            self.record.setdefault("csf", {})["days_since_brain_surgery"] = days
            self.choices.append(Choice("csf.days_since_brain_surgery", resource, draw, days, "d", note="days from the latest brain surgery to the CSF sample"))  # fmt: skip

    # --- cancer ---------------------------------------------------------------------------
    def _cancer(self) -> None:
        readings = [r for r in self.r.cancers if r.known_cancer]
        for reading in readings:
            self.warnings.extend(reading.warnings)
            if reading.lm:
                self.warnings.append(f"{reading.resource} records an LM-related diagnosis ({reading.code}); LeptoDx assesses the findings independently of recorded diagnoses")  # fmt: skip
            elif reading.kind is CancerKind.SECONDARY:
                self.warnings.append(f"{reading.resource} records a secondary (metastatic) malignant neoplasm ({reading.code}): counted as a known cancer; it does not state the primary tumour")  # fmt: skip
        if "known_cancer" not in self.record and readings:
            self.record["known_cancer"] = True
            first = readings[0]
            self.choices.append(Choice("known_cancer", first.resource, first.time, True, code=first.code, superseded=tuple(r.resource for r in readings[1:]), code_status=_status(first), code_source=first.source))  # fmt: skip
        if not readings:
            self._no_cancer_found()
            return
        with_primary = [r for r in readings if r.primary is not None]
        if not with_primary:
            self.warnings.append("the recorded cancer gives no primary tumour category: the guideline's scope (solid tumour, not haematological or primary brain) could not be checked")  # fmt: skip
            return
        with_primary.sort(key=lambda r: (not r.history, r.time or datetime.min), reverse=True)
        chosen = with_primary[0]
        self.record["primary_tumour"] = chosen.primary
        self.resource_of["primary_tumour"] = chosen.resource
        self.choices.append(Choice("primary_tumour", chosen.resource, chosen.time, chosen.primary, code=chosen.code, superseded=tuple(r.resource for r in with_primary[1:]), code_status=_status(chosen), code_source=chosen.source))  # fmt: skip
        kinds = {r.primary for r in with_primary if r.primary}
        if len(kinds) > 1:
            outside = " (one is outside the solid-tumour guideline)" if kinds & set(OUT_OF_SCOPE_PRIMARIES) else ""  # fmt: skip
            self.warnings.append(f"several primary cancers are recorded ({', '.join(PRIMARY_TUMOUR[k] for k in sorted(kinds))}); {'the active' if not chosen.history else 'the most recent'} one ({PRIMARY_TUMOUR[chosen.primary or '']}, {chosen.resource}) was used — check the scope{outside}")  # fmt: skip
        if _status(chosen) == Status.RECONSTRUCTED.value:
            self.warnings.append(f"primary tumour read from {chosen.code}: this code was not found in a terminology source (reconstructed), check it")  # fmt: skip

    def _no_cancer_found(self) -> None:
        not_invasive = [r for r in self.r.cancers if r.kind is not None and r.not_used]
        for r in not_invasive:
            self.warnings.append(f"{r.resource} is not counted as a known cancer: {r.not_used}")
        names = [f"{r.resource} ({code})" for r in self.r.cancers for code in r.unrecognised]
        if names and "known_cancer" not in self.record:
            self.warnings.append(f"no cancer code LeptoDx knows was found; these Conditions are not in LeptoDx's cancer table: {'; '.join(names)}")  # fmt: skip

    # --- patient --------------------------------------------------------------------------
    def _patient(self) -> str | None:
        ids = {p.get("id") for _, p in self.r.patients}
        if len(ids) > 1:
            raise InputError("Bundle", ", ".join(w for w, _ in self.r.patients), "resources of one patient (several Patient resources found)")  # fmt: skip
        self.patient_label, self.patient = self.r.patients[0] if self.r.patients else ("Patient", {})  # fmt: skip
        if self.patient.get("id"):
            self.record["patient_id"] = str(self.patient["id"])
        if self.patient.get("gender") in _SEX:
            self.record["sex"] = _SEX[self.patient["gender"]]
        return self.patient.get("id")

    def _check_subjects(self, patient_id: str | None) -> None:
        subjects = {s for _, s in self.r.subjects}
        if patient_id is None and len(subjects) > 1:
            raise InputError("subject", ", ".join(sorted(subjects)), "resources of one patient")
        for where, subject in self.r.subjects:
            if patient_id is not None and subject != patient_id:
                raise InputError(f"{where}.subject", subject, f"a reference to the bundle's patient Patient/{patient_id}")  # fmt: skip
        if patient_id is None and subjects:
            self.patient = {}
            self.warnings.append("no Patient resource: patient id taken from the subject references")  # fmt: skip

    def _age(self, on: date) -> None:
        if "birthDate" in self.patient:
            age, coarse = age_in_years(self.patient["birthDate"], on, where=f"{self.patient_label}.birthDate")  # fmt: skip
            self.record["age_years"] = age
            if coarse:
                self.warnings.append("birthDate is not a full date: age may be off by one year")

    def _legs(self) -> None:
        coded = {n.field for n in self.r.not_coded}
        for n in self.r.not_coded:
            if n.field not in self.record:
                self.warnings.append(f"{INPUT_FIELDS[n.field]} report {n.resource} ({n.title}{', ' + n.time.date().isoformat() if n.time else ''}) is present but not coded: LeptoDx does not read findings from text; enter the {INPUT_FIELDS[n.field]} result")  # fmt: skip
        if self.record.get("primary_tumour") in OUT_OF_SCOPE_PRIMARIES:
            return  # no level outside the guideline's scope, whatever the legs
        for leg in ("clinical_signs", "mri", "cytology"):
            if leg not in self.record and leg not in coded:
                self.warnings.append(f"No {INPUT_FIELDS[leg]} found in the FHIR resources, so no level can be given yet; code it as {MISSING_HINT[leg]}")  # fmt: skip

    def _validate(self) -> None:
        try:
            parse_patient(self.record)
        except InputError as exc:
            head = exc.field.split(".value")[0]
            if head in self.resource_of:
                raise InputError(f"{self.resource_of[head]} ({exc.field})", exc.value, exc.expected) from None  # fmt: skip
            if exc.field in MISSING_HINT and exc.value is None:
                names = [
                    f"{r.resource} ({code})" for r in self.r.cancers for code in r.unrecognised
                ]
                unknown = f"; these Conditions are not in LeptoDx's cancer table: {'; '.join(names)}" if names and exc.field == "known_cancer" else ""  # fmt: skip
                raise InputError(exc.field, None, MISSING_HINT[exc.field] + unknown) from None
            raise


def _newest(name: str, cands: list[Candidate], warnings: list[str]) -> Candidate:
    undated = [c for c in cands if c.time is None]
    if undated and len(cands) > 1:
        raise InputError(undated[0].resource, "no effective date", f"an effectiveDateTime or issued date to choose the most recent {name} among {len(cands)} results")  # fmt: skip
    ordered = sorted(cands, key=lambda c: c.time or datetime.min, reverse=True)
    newest = ordered[0]
    same = [c for c in ordered[1:] if c.time == newest.time and c.value != newest.value]
    if same:
        warnings.append(f"{name}: {newest.resource} and {same[0].resource} have the same date and different values; {newest.resource} was used")  # fmt: skip
    return newest


def _span(hours: float) -> str:
    if hours < 48:
        return f"{format_number(hours, 2)} hours"
    return f"{format_number(hours / 24, 2)} days"


def _status(reading: CancerReading) -> str | None:
    return reading.source.status.value if reading.source is not None else None


MISSING_HINT = {
    "known_cancer": "a Condition for the primary cancer (SNOMED CT, ICD-10 or ICD-10-CM C00–C97, ICD-O-3, or a LeptoDx primary-tumour code; see docs/interop.md) or an Observation known-cancer (valueBoolean)",
    "clinical_signs": f"an Observation {codes.OBSERVATION_CODES.url}|clinical-signs",
    "mri": f"an Observation {codes.OBSERVATION_CODES.url}|mri-pattern or a DiagnosticReport conclusionCode from {codes.MRI_PATTERN.url}",
    "cytology": f"an Observation {codes.OBSERVATION_CODES.url}|csf-cytology or a DiagnosticReport conclusionCode from {codes.CYTOLOGY.url}",
}  # fmt: skip
