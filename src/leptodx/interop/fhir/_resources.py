"""Small readers for FHIR R4 JSON: labels, codings, dates, references, structural validation."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from typing import Any

from leptodx.errors import InputError


def label(resource: Mapping[str, Any], position: int | None = None) -> str:
    """``Observation/abc`` (or ``Observation[entry 3]`` without an id) for error messages."""
    kind = resource.get("resourceType", "resource")
    if resource.get("id"):
        return f"{kind}/{resource['id']}"
    return f"{kind}[entry {position}]" if position is not None else str(kind)


def codings(concept: Any) -> Iterator[tuple[str | None, str | None]]:
    """(system, code) pairs of a CodeableConcept."""
    if isinstance(concept, Mapping):
        for c in concept.get("coding") or []:
            if isinstance(c, Mapping):
                yield c.get("system"), c.get("code")


def codings_of(value: Any) -> Iterator[tuple[str | None, str | None]]:
    """Codings of a CodeableConcept or of a list of them (``category``, ``bodySite``)."""
    for concept in value if isinstance(value, list) else [value]:
        yield from codings(concept)


def has_word(text: str, words: tuple[str, ...]) -> bool:
    """Does ``text`` contain one of ``words`` as whole words (case-insensitive)?"""
    return any(re.search(rf"\b{re.escape(w)}\b", text, re.IGNORECASE) for w in words)


def concept_text(concept: Any) -> str:
    """A CodeableConcept's ``text`` and its codings' displays, joined (for recognising words)."""
    if not isinstance(concept, Mapping):
        return ""
    parts = [str(concept.get("text") or "")]
    parts += [str(c.get("display") or "") for c in concept.get("coding") or [] if isinstance(c, Mapping)]  # fmt: skip
    return " ".join(p for p in parts if p)


def parse_datetime(value: Any, *, where: str) -> datetime:
    """A FHIR date/dateTime/instant (partial dates allowed) as an aware datetime (UTC if no zone)."""
    if not isinstance(value, str) or not value:
        raise InputError(
            where, value, "a FHIR date or dateTime (YYYY, YYYY-MM, YYYY-MM-DD[Thh:mm…])"
        )
    text = value.replace("Z", "+00:00")
    try:
        if len(text) == 4:
            moment = datetime(int(text), 1, 1)
        elif len(text) == 7:
            moment = datetime(int(text[:4]), int(text[5:7]), 1)
        else:
            moment = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(
            where, value, "a FHIR date or dateTime (e.g. 2026-03-01T09:30:00Z)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def effective_time(resource: Mapping[str, Any], *, where: str) -> datetime | None:
    """When an Observation/DiagnosticReport applies: effective[x], else issued; None if neither."""
    for key in ("effectiveDateTime", "effectiveInstant"):
        if key in resource:
            return parse_datetime(resource[key], where=f"{where}.{key}")
    period = resource.get("effectivePeriod")
    if isinstance(period, Mapping) and (period.get("end") or period.get("start")):
        key = "end" if period.get("end") else "start"
        return parse_datetime(period[key], where=f"{where}.effectivePeriod.{key}")
    if "issued" in resource:
        return parse_datetime(resource["issued"], where=f"{where}.issued")
    return None


def age_in_years(birth: str, on: date, *, where: str) -> tuple[float, bool]:
    """Completed years between a FHIR birthDate and ``on``; second item: year-precision only."""
    born = parse_datetime(birth, where=where).date()
    years = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    if years < 0:
        raise InputError(where, birth, f"a birth date before the assessment date {on.isoformat()}")
    return float(years), len(birth) < 10


def reference_id(reference: Any) -> str | None:
    """The id part of ``Patient/123`` or a full URL / ``urn:uuid:``; None if absent."""
    if not isinstance(reference, Mapping) or not isinstance(reference.get("reference"), str):
        return None
    return str(reference["reference"]).rstrip("/").rsplit("/", 1)[-1].removeprefix("urn:uuid:")


def check_structure(resource: Mapping[str, Any], *, where: str) -> None:
    """Structural R4 check with the ``fhirclient`` models (types and required elements)."""
    from fhirclient.models import fhirelementfactory
    from fhirclient.models.fhirabstractbase import FHIRValidationError

    try:
        fhirelementfactory.FHIRElementFactory.instantiate(resource["resourceType"], dict(resource))
    except FHIRValidationError as exc:
        detail = " ".join(str(exc).split())
        raise InputError(
            where, resource.get("resourceType"), f"a valid FHIR R4 resource: {detail}"
        ) from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InputError(
            where, resource.get("resourceType"), f"a valid FHIR R4 resource ({exc})"
        ) from None


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)
