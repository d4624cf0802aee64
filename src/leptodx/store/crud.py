"""Keyword-only persistence functions; every access to patient data is audited here."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from leptodx.errors import InputError
from leptodx.store import audit, login_sessions
from leptodx.store.models import ApiToken, Case, Patient, Team, User
from leptodx.store.passwords import check_password, check_username, hash_password
from leptodx.store.scope import patient_filter, sees_team

ROLES = ("clinician", "researcher", "admin")


def _role(role: str) -> str:
    if role not in ROLES:
        raise InputError("role", role, f"one of: {', '.join(ROLES)}")
    return role


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: str,
    actor: str,
    team: str | None = None,
) -> User:
    """A new active user; name and password follow :mod:`leptodx.store.passwords` on every path."""
    check_username(username)
    check_password(password)
    return _insert_user(
        session,
        username=username,
        password_hash=hash_password(password),
        role=_role(role),
        actor=actor,
        team=team,
    )


def create_service_user(session: Session, *, username: str, role: str) -> User:
    """A user that owns records written by a service (e.g. CDS Hooks) and cannot log in."""
    user = _insert_user(
        session, username=username, password_hash="!", role=_role(role), actor="system", team=None
    )
    user.active = False
    return user


def _insert_user(
    session: Session, *, username: str, password_hash: str, role: str, actor: str, team: str | None
) -> User:
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise InputError("username", username, "a name not already taken")
    team_id = get_or_create_team(session, name=team).id if team else None
    user = User(
        username=username, password_hash=password_hash, role=role, team_id=team_id, active=True
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="create",
        entity="user",
        entity_id=user.id,
        detail={"username": username, "role": role, "team": team},
    )
    return user


def _existing_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise InputError("username", username, "an existing user")
    return user


def set_password(session: Session, *, username: str, password: str, actor: str) -> User:
    """New password; every session of the user ends."""
    check_password(password)
    user = _existing_user(session, username)
    user.password_hash = hash_password(password)
    ended = login_sessions.revoke_user_sessions(session, user_id=user.id)
    audit.record(session, actor=actor, action="set_password", entity="user", entity_id=user.id, detail={"sessions_ended": ended})  # fmt: skip
    return user


def set_role(session: Session, *, username: str, role: str, actor: str) -> User:
    """New role; every session of the user ends."""
    user = _existing_user(session, username)
    old, user.role = user.role, _role(role)
    ended = login_sessions.revoke_user_sessions(session, user_id=user.id)
    audit.record(session, actor=actor, action="set_role", entity="user", entity_id=user.id, detail={"role": [old, role], "sessions_ended": ended})  # fmt: skip
    return user


def deactivate_user(session: Session, *, username: str, actor: str) -> User:
    """The user can no longer log in or use tokens; every session ends."""
    user = _existing_user(session, username)
    user.active = False
    ended = login_sessions.revoke_user_sessions(session, user_id=user.id)
    audit.record(session, actor=actor, action="deactivate", entity="user", entity_id=user.id, detail={"sessions_ended": ended})  # fmt: skip
    return user


def get_or_create_team(session: Session, *, name: str) -> Team:
    team = session.scalar(select(Team).where(Team.name == name))
    if team is None:
        team = Team(name=name)
        session.add(team)
        session.flush()
    return team


def user_by_name(session: Session, *, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username, User.active.is_(True)))


_TOKEN_USER = (
    select(User, ApiToken.expires_at)
    .join(ApiToken, ApiToken.user_id == User.id)
    .where(
        ApiToken.token_hash == bindparam("token_hash"),
        ApiToken.revoked.is_(False),
        User.active.is_(True),
    )
)
"""Built once: building a select and its cache key costs more than running it (issue 12, load)."""


def user_by_token(session: Session, *, token_hash: str) -> User | None:
    """The active user of a live (unrevoked, unexpired) token; one query on every API call, so a
    revocation or deactivation takes effect on the next request (no cache)."""
    found = session.execute(_TOKEN_USER, {"token_hash": token_hash}).first()
    if found is None:
        return None
    user, expires_at = found
    if expires_at is not None:
        expires = expires_at if expires_at.tzinfo else expires_at.replace(tzinfo=UTC)
        if expires <= datetime.now(UTC):
            return None
    return user


def create_token(
    session: Session, *, user: User, name: str, token_hash: str, expires_at: datetime | None = None
) -> ApiToken:
    token = ApiToken(
        user_id=user.id, name=name, token_hash=token_hash, expires_at=expires_at, revoked=False
    )
    session.add(token)
    session.flush()
    audit.record(
        session,
        actor=user.username,
        action="create",
        entity="api_token",
        entity_id=token.id,
        detail={"name": name},
    )
    return token


def revoke_token(session: Session, *, token_id: int, actor: str) -> None:
    token = session.get(ApiToken, token_id)
    if token is None:
        raise InputError("token_id", token_id, "an existing token id")
    token.revoked = True
    audit.record(session, actor=actor, action="revoke", entity="api_token", entity_id=token_id)


def create_patient(session: Session, *, user: User, external_id: str) -> Patient:
    patient = Patient(external_id=external_id, team_id=user.team_id, created_by=user.id)
    session.add(patient)
    session.flush()
    audit.record(
        session,
        actor=user.username,
        action="create",
        entity="patient",
        entity_id=patient.id,
        detail={"external_id": external_id},
    )
    return patient


def get_patient(
    session: Session, *, user: User, patient_id: int, teams_enabled: bool
) -> Patient | None:
    patient = session.get(Patient, patient_id)
    if patient is None or not sees_team(user, patient.team_id, teams_enabled=teams_enabled):
        return None
    audit.record(
        session, actor=user.username, action="read", entity="patient", entity_id=patient_id
    )
    return patient


def list_patients(session: Session, *, user: User, teams_enabled: bool) -> list[Patient]:
    query = select(Patient).where(patient_filter(user, teams_enabled=teams_enabled))
    patients = list(session.scalars(query.order_by(Patient.id.desc())))
    audit.record(
        session,
        actor=user.username,
        action="list",
        entity="patient",
        detail={"count": len(patients)},
    )
    return patients


def update_patient(session: Session, *, user: User, patient: Patient, external_id: str) -> Patient:
    old = patient.external_id
    patient.external_id = external_id
    audit.record(
        session,
        actor=user.username,
        action="update",
        entity="patient",
        entity_id=patient.id,
        detail={"external_id": [old, external_id]},
    )
    return patient


def add_case(
    session: Session, *, user: User, patient: Patient, data: dict[str, Any], result: dict[str, Any]
) -> Case:
    case = Case(
        patient_id=patient.id,
        input=data,
        output=result,
        profile=result["csf"]["profile"],
        ruleset_version=result["eano_esmo"]["ruleset_version"],
        software_version=result["software_version"],
        created_by=user.id,
    )
    session.add(case)
    session.flush()
    audit.record(
        session,
        actor=user.username,
        action="create",
        entity="case",
        entity_id=case.id,
        detail={"patient_id": patient.id},
    )
    return case


def get_case(session: Session, *, user: User, case_id: int, teams_enabled: bool) -> Case | None:
    case = session.get(Case, case_id)
    if case is None or not sees_team(user, case.patient.team_id, teams_enabled=teams_enabled):
        return None
    audit.record(session, actor=user.username, action="read", entity="case", entity_id=case_id)
    return case
