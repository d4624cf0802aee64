"""Researcher records: cohort jobs and fitted models (each write audited)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from leptodx.store import audit
from leptodx.store.models import CohortJob, FittedModelRecord, User
from leptodx.store.scope import job_filter, sees_job


def create_job(session: Session, *, user: User, kind: str, parameters: dict[str, Any]) -> CohortJob:
    job = CohortJob(
        kind=kind,
        status="queued",
        progress=0,
        parameters=parameters,
        created_by=user.id,
        team_id=user.team_id,
    )
    session.add(job)
    session.flush()
    audit.record(
        session,
        actor=user.username,
        action="create",
        entity="cohort_job",
        entity_id=job.id,
        detail=parameters,
    )
    return job


def get_job(session: Session, *, user: User, job_id: int, teams_enabled: bool) -> CohortJob | None:
    job = session.get(CohortJob, job_id)
    return job if job is not None and sees_job(user, job, teams_enabled=teams_enabled) else None


def list_jobs(
    session: Session, *, user: User, teams_enabled: bool, limit: int = 50
) -> list[CohortJob]:
    query = select(CohortJob).where(job_filter(user, teams_enabled=teams_enabled))
    return list(session.scalars(query.order_by(CohortJob.id.desc()).limit(limit)))


def add_fitted_model(
    session: Session, *, user: User, name: str, content_hash: str, document: dict[str, Any]
) -> FittedModelRecord:
    record = FittedModelRecord(
        name=name, content_hash=content_hash, document=document, uploaded_by=user.id
    )
    session.add(record)
    session.flush()
    audit.record(
        session,
        actor=user.username,
        action="create",
        entity="fitted_model",
        entity_id=record.id,
        detail={"name": name, "content_hash": content_hash},
    )
    return record
