"""Data scope: which team's records a user may see (one rule for the policy and the queries).

With teams enabled, a clinician sees the patients of their own team only; a user in no team sees
no team's patients (and team-less patients, e.g. those created by CDS Hooks calls, are seen only
by admins). Cohort jobs are seen by their creator, their team and admins. With teams disabled,
every user of an allowed role sees every record.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, true

from leptodx.store.models import CohortJob, Patient, User


def sees_team(user: User, team_id: int | None, *, teams_enabled: bool) -> bool:
    """May ``user`` see a record of team ``team_id``?"""
    if not teams_enabled or user.role == "admin":
        return True
    return team_id is not None and team_id == user.team_id


def may_create_team_records(user: User, *, teams_enabled: bool) -> bool:
    """A record created by a user in no team would belong to no team: only admins may."""
    return not teams_enabled or user.role == "admin" or user.team_id is not None


def patient_filter(user: User, *, teams_enabled: bool) -> ColumnElement[bool]:
    """SQL condition of :func:`sees_team` on ``patients``."""
    if not teams_enabled or user.role == "admin":
        return true()
    if user.team_id is None:
        return false()
    return Patient.team_id == user.team_id


def sees_job(user: User, job: CohortJob, *, teams_enabled: bool) -> bool:
    return job.created_by == user.id or sees_team(user, job.team_id, teams_enabled=teams_enabled)


def job_filter(user: User, *, teams_enabled: bool) -> ColumnElement[bool]:
    """SQL condition of :func:`sees_job` on ``cohort_jobs``."""
    if not teams_enabled or user.role == "admin":
        return true()
    if user.team_id is None:
        return CohortJob.created_by == user.id
    return or_(CohortJob.created_by == user.id, CohortJob.team_id == user.team_id)
