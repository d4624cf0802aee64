"""Follow-up events of a patient: written once, never deleted; mistakes are marked
entered-in-error (audited) and stop counting, as FHIR's ``entered-in-error`` status does.

A future-dated event is refused here, at write time, so no later read of the timeline can fail
on a stored event.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from leptodx.errors import InputError
from leptodx.store import audit
from leptodx.store.models import FollowupEvent, Patient, User, utcnow

MAX_REASON_CHARS = 500


def add_event(
    session: Session,
    *,
    user: User,
    patient: Patient,
    data: dict[str, Any],
    today: date | None = None,
) -> FollowupEvent:
    """Store one validated follow-up event (``data`` as ``Event.model_dump(mode="json")``)."""
    day = date.fromisoformat(data["date"])
    limit = today or date.today()
    if day > limit:
        raise InputError("date", data["date"], f"a date not after today ({limit.isoformat()})")
    event = FollowupEvent(
        patient_id=patient.id, kind=data["kind"], date=day, data=data, created_by=user.id
    )
    session.add(event)
    session.flush()
    audit.record(
        session,
        actor=user.username,
        action="create",
        entity="followup_event",
        entity_id=event.id,
        detail={"patient_id": patient.id, "kind": event.kind},
    )
    return event


def list_events(
    session: Session, *, patient: Patient, entered_in_error: bool = False
) -> list[FollowupEvent]:
    """The patient's events by date: those that count, or (``entered_in_error=True``) those
    marked entered-in-error. Reading the patient was audited already."""
    marked = FollowupEvent.entered_in_error_at.is_not(None)
    query = select(FollowupEvent).where(
        FollowupEvent.patient_id == patient.id, marked if entered_in_error else ~marked
    )
    return list(session.scalars(query.order_by(FollowupEvent.date, FollowupEvent.id)))


def find_event(session: Session, *, patient: Patient, event_id: int) -> FollowupEvent | None:
    event = session.get(FollowupEvent, event_id)
    return event if event is not None and event.patient_id == patient.id else None


def mark_entered_in_error(
    session: Session, *, user: User, event: FollowupEvent, reason: str
) -> FollowupEvent:
    """Mark an event entered-in-error with the reason; it is kept and audited, never deleted."""
    reason = reason.strip()
    if not 1 <= len(reason) <= MAX_REASON_CHARS:
        raise InputError("reason", reason, f"a reason of 1 to {MAX_REASON_CHARS} characters")
    if event.entered_in_error_at is not None:
        raise InputError("event", event.id, "an event not already marked entered-in-error")
    event.entered_in_error_at = utcnow()
    event.entered_in_error_by = user.id
    event.entered_in_error_reason = reason
    audit.record(
        session,
        actor=user.username,
        action="entered_in_error",
        entity="followup_event",
        entity_id=event.id,
        detail={"patient_id": event.patient_id, "kind": event.kind, "reason": reason},
    )
    return event


def amend_event(
    session: Session,
    *,
    user: User,
    patient: Patient,
    event: FollowupEvent,
    data: dict[str, Any],
    reason: str,
) -> FollowupEvent:
    """Correct ``event``: store ``data`` as a new event and mark the old one entered-in-error
    ("amended by event N: reason"), both audited, in the caller's transaction."""
    if data.get("kind") != event.kind:
        raise InputError("event.kind", data.get("kind"), f"the amended event's kind ({event.kind})")
    reason = reason.strip()
    if not 1 <= len(reason) <= MAX_REASON_CHARS - 40:
        raise InputError("reason", reason, f"a reason of 1 to {MAX_REASON_CHARS - 40} characters")
    new = add_event(session, user=user, patient=patient, data=data)
    mark_entered_in_error(session, user=user, event=event, reason=f"amended by event {new.id}: {reason}")  # fmt: skip
    audit.record(
        session,
        actor=user.username,
        action="amend",
        entity="followup_event",
        entity_id=event.id,
        detail={
            "patient_id": patient.id,
            "kind": event.kind,
            "replaced_by": new.id,
            "reason": reason,
        },
    )
    return new
