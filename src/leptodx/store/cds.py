"""Persistence for the CDS Hooks service: JWT replay store and the service's own user."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from leptodx.store import audit, crud
from leptodx.store.models import Case, CdsTokenUse, Patient, User

SERVICE_USER = "cds-hooks"


def remember_jti(factory: sessionmaker[Session], iss: str, jti: str, expires: datetime) -> bool:
    """Store a token id; False if it was already stored (atomic: primary key on iss + jti)."""
    with factory() as session:
        session.execute(delete(CdsTokenUse).where(CdsTokenUse.expires_at < datetime.now(UTC)))
        session.add(CdsTokenUse(iss=iss, jti=jti, expires_at=expires))
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            return False
    return True


def service_user(session: Session) -> User:
    """The user that owns cases created from CDS Hooks calls (cannot log in)."""
    user = session.scalar(select(User).where(User.username == SERVICE_USER))
    if user is None:
        user = crud.create_service_user(session, username=SERVICE_USER, role="clinician")
    return user


def case_for_call(
    session: Session, *, external_id: str, data: dict[str, Any], result: dict[str, Any], iss: str
) -> Case:
    """The case of this assessment: reused when the patient's newest case has the same input."""
    user = service_user(session)
    patient = session.scalar(
        select(Patient).where(Patient.external_id == external_id).order_by(Patient.id)
    )
    if patient is None:
        patient = crud.create_patient(session, user=user, external_id=external_id)
    newest = patient.cases[-1] if patient.cases else None
    if (
        newest is not None
        and newest.input == data
        and newest.software_version == result["software_version"]
    ):
        audit.record(session, actor=f"cds:{iss}", action="read", entity="case", entity_id=newest.id)
        return newest
    return crud.add_case(session, user=user, patient=patient, data=data, result=result)


def record_feedback(session: Session, *, iss: str, service: str, feedback: list[Any]) -> None:
    """CDS Hooks feedback (card accepted / overridden) in the audit log."""
    for item in feedback:
        audit.record(
            session,
            actor=f"cds:{iss}",
            action="feedback",
            entity="cds_card",
            entity_id=str(item.get("card", ""))[:100],
            detail={
                "service": service,
                **{
                    k: item.get(k)
                    for k in (
                        "outcome",
                        "acceptedSuggestions",
                        "overrideReason",
                        "outcomeTimestamp",
                    )
                    if k in item
                },
            },
        )
