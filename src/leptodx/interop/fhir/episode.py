"""The work-up around a CSF sample: which lumbar puncture it is, and days since brain surgery.

* ``lp_number``: lumbar punctures are completed ``Procedure``s coded as one
  (``reference.procedure_codes.LUMBAR_PUNCTURE``) and CSF ``Specimen`` collections; one per
  calendar day. Counting back from the day of the CSF sample, punctures at most
  ``LP_EPISODE_GAP_DAYS`` apart belong to the same work-up (a LeptoDx rule). Without any recorded
  puncture the number is not set: the sample's own date alone cannot tell the first from a repeat.
* ``days_since_brain_surgery``: days from the latest completed cranial-surgery ``Procedure``
  (code, words, or a surgical ``bodySite`` in the brain) on or before the day of the sample.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from leptodx.interop.fhir._resources import (
    codings,
    concept_text,
    effective_time,
    has_word,
    parse_datetime,
)
from leptodx.reference import procedure_codes as pc


@dataclass(frozen=True, slots=True)
class Event:
    """A dated procedure or specimen collection."""

    resource: str
    time: datetime

    @property
    def day(self) -> date:
        return self.time.date()


def _matches(concept: Any, table: tuple[pc.Concept, ...], words: tuple[str, ...]) -> bool:
    known = {(c.system, c.code) for c in table}
    if any(pair in known for pair in codings(concept)):
        return True
    return has_word(concept_text(concept), words)


def _performed(procedure: Mapping[str, Any], where: str) -> datetime | None:
    if "performedDateTime" in procedure:
        return parse_datetime(procedure["performedDateTime"], where=f"{where}.performedDateTime")
    period = procedure.get("performedPeriod")
    if isinstance(period, Mapping):
        key = "end" if period.get("end") else "start" if period.get("start") else None
        if key is not None:
            return parse_datetime(period[key], where=f"{where}.performedPeriod.{key}")
    return None


def is_lumbar_puncture(procedure: Mapping[str, Any]) -> bool:
    return _matches(procedure.get("code"), pc.LUMBAR_PUNCTURE, pc.LUMBAR_PUNCTURE_TEXT)


def is_cranial_surgery(procedure: Mapping[str, Any]) -> bool:
    if _matches(procedure.get("code"), pc.CRANIAL_SURGERY, pc.CRANIAL_SURGERY_TEXT):
        return True
    brain = {(c.system, c.code) for c in pc.BRAIN_SITES}
    sites = procedure.get("bodySite") or []
    return not is_lumbar_puncture(procedure) and any(
        pair in brain for site in sites for pair in codings(site)
    )


def procedure_event(procedure: Mapping[str, Any], where: str) -> Event | None:
    """A completed, dated procedure (None otherwise: not done, planned or undated)."""
    if procedure.get("status") != "completed":
        return None
    time = _performed(procedure, where)
    return Event(where, time) if time is not None else None


def csf_collection(specimen: Mapping[str, Any], where: str) -> Event | None:
    """A dated CSF specimen collection (by ``type`` or an LP ``collection.method``)."""
    collection = specimen.get("collection") or {}
    csf = _matches(specimen.get("type"), pc.CSF_SPECIMEN, pc.CSF_TEXT) or _matches(
        collection.get("method"), pc.LUMBAR_PUNCTURE, pc.LUMBAR_PUNCTURE_TEXT
    )
    if not csf:
        return None
    period = collection.get("collectedPeriod") or {}
    raw = collection.get("collectedDateTime") or period.get("start")
    if not raw:
        return None
    time = effective_time({"effectiveDateTime": raw}, where=f"{where}.collection")
    return Event(where, time) if time is not None else None


@dataclass(frozen=True, slots=True)
class LpCount:
    """Which puncture of the work-up the sample comes from, and the punctures counted."""

    number: int
    counted: tuple[str, ...]
    later: tuple[str, ...]
    """Punctures after the sample's day (results not in the record yet)."""


def lp_number(punctures: Iterable[Event], sample: datetime) -> LpCount | None:
    """Count back from the sample's day while punctures are at most the episode gap apart."""
    events = list(punctures)
    if not events:
        return None
    by_day: dict[date, list[str]] = {}
    for e in events:
        by_day.setdefault(e.day, []).append(e.resource)
    by_day.setdefault(sample.date(), [])  # the sample itself comes from a puncture
    days = sorted(d for d in by_day if d <= sample.date())
    counted = [days[-1]]
    for earlier in reversed(days[:-1]):
        if (counted[-1] - earlier).days > pc.LP_EPISODE_GAP_DAYS:
            break
        counted.append(earlier)
    later = tuple(r for d in sorted(by_day) if d > sample.date() for r in by_day[d])
    return LpCount(len(counted), tuple(r for d in sorted(counted) for r in by_day[d]), later)


def days_since_surgery(surgeries: Iterable[Event], sample: datetime) -> tuple[float, str] | None:
    """Whole days from the latest surgery on or before the sample's day, and its resource."""
    before = [e for e in surgeries if e.day <= sample.date()]
    if not before:
        return None
    latest = max(before, key=lambda e: e.time)
    return float((sample.date() - latest.day).days), latest.resource
