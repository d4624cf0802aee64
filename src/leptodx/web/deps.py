"""Request dependencies: settings, database session, and :func:`authorize` — the one dependency
that enforces :data:`leptodx.web.policy.POLICY` on every route (authentication, CSRF, role, data
scope, id range). Handlers receive the user through :data:`CurrentUser` and check nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from leptodx.store import crud, login_sessions
from leptodx.store.db import transaction
from leptodx.store.models import Case, CohortJob, Patient, User
from leptodx.store.scope import may_create_team_records, sees_job, sees_team
from leptodx.web.csrf import check_csrf
from leptodx.web.policy import Access, Rule, Scope, is_api_path, rule_for
from leptodx.web.security import hash_token
from leptodx.web.settings import Settings

SESSION_COOKIE = "leptodx_session"
MAX_ID = 2**63 - 1
"""Largest id a database row can have (64-bit signed); larger ids are simply not found."""


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the user (detached, all columns loaded) and how they authenticated."""

    user: User
    via: str  # "token" or "session"
    csrf: str = ""
    stale_session: str = ""
    """The session's id hash when its last-seen time is due to be written."""


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def get_db(request: Request) -> Iterator[Session]:
    """A session per request; handlers commit what they change, anything else is rolled back."""
    session = request.app.state.sessions()
    try:
        yield session
    finally:
        session.rollback()
        session.close()


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_db)]


def _not_authenticated(request: Request, detail: str) -> HTTPException:
    if is_api_path(request.url.path):
        return HTTPException(401, detail, headers={"WWW-Authenticate": "Bearer"})
    return HTTPException(303, headers={"Location": "/login"})


def _authenticate(request: Request, settings: Settings) -> Principal:
    """The caller of a bearer token or session cookie (looked up on the read-only engine, so the
    check never takes the SQLite write lock; a session's last-seen time is written once a minute,
    by :func:`authorize`, in the threadpool)."""
    state = request.app.state
    header = request.headers.get("authorization", "")
    with state.read_sessions() as lookup:
        if header[:7].lower() == "bearer ":
            user = crud.user_by_token(lookup, token_hash=hash_token(header[7:].strip()))
            if user is None:
                raise HTTPException(
                    401,
                    "invalid, expired or revoked API token",
                    headers={"WWW-Authenticate": "Bearer"},
                )
            return Principal(user, "token")
        token = request.cookies.get(SESSION_COOKIE, "")
        row = login_sessions.find(
            lookup,
            token=token,
            key=state.keys.session,
            idle=timedelta(minutes=settings.session_idle_minutes),
        )
        found = lookup.get(User, row.user_id) if row else None
        if row is None or found is None or not found.active:
            raise _not_authenticated(request, "log in or send 'Authorization: Bearer <token>'")
        stale = row.id_hash if login_sessions.needs_touch(row) else ""
        principal = Principal(found, "session", row.csrf, stale)
    return principal


def session_principal(request: Request) -> Principal | None:
    """The browser session's principal on a public page (e.g. ``/docs``), or None."""
    if not request.cookies.get(SESSION_COOKIE):
        return None
    try:
        return _authenticate(request, request.app.state.settings)
    except HTTPException:
        return None


def _touch(request: Request, id_hash: str) -> None:
    with transaction(request.app.state.sessions) as db:
        login_sessions.touch(db, id_hash_=id_hash)


def _path_ids(request: Request) -> dict[str, int]:
    """Every ``*_id`` path parameter as an int; anything else is a record that does not exist."""
    ids: dict[str, int] = {}
    for name, raw in request.path_params.items():
        if not name.endswith("_id"):
            continue
        text = str(raw)
        value = int(text) if text.isascii() and text.isdigit() and len(text) <= 19 else 0
        if not 1 <= value <= MAX_ID:
            raise HTTPException(404, f"{name.removesuffix('_id')} {text[:30]} not found")
        ids[name] = value
    return ids


def _check_scope(request: Request, rule: Rule, user: User, settings: Settings) -> None:
    ids = _path_ids(request)
    teams = settings.teams_enabled
    if rule.scope is Scope.TEAM_MEMBER and not may_create_team_records(user, teams_enabled=teams):
        raise HTTPException(
            403, "you are in no team, so records you create would belong to none: ask an admin"
        )
    if rule.scope not in (Scope.PATIENT, Scope.CASE, Scope.JOB):
        return
    with request.app.state.read_sessions() as lookup:
        if rule.scope is Scope.PATIENT:
            patient = lookup.get(Patient, ids["patient_id"])
            visible = patient is not None and sees_team(user, patient.team_id, teams_enabled=teams)
            what = f"patient {ids['patient_id']}"
        elif rule.scope is Scope.CASE:
            case = lookup.get(Case, ids["case_id"])
            visible = case is not None and sees_team(user, case.patient.team_id, teams_enabled=teams)  # fmt: skip
            what = f"case {ids['case_id']}"
        else:
            job = lookup.get(CohortJob, ids["job_id"])
            visible = job is not None and sees_job(user, job, teams_enabled=teams)
            what = f"cohort job {ids['job_id']}"
    if not visible:
        raise HTTPException(404, f"{what} not found")


async def authorize(request: Request) -> Principal | None:
    """Enforce the route's policy rule; the caller's :class:`Principal` (None on public routes)."""
    route = request.scope.get("route")
    rule = rule_for(request.method, getattr(route, "path", ""))
    if rule is None:
        raise HTTPException(403, "this route has no access rule (leptodx.web.policy)")
    if rule.access is not Access.USER:
        return None
    settings: Settings = request.app.state.settings
    principal = _authenticate(request, settings)
    if principal.stale_session:  # a write may wait for SQLite's lock: never on the event loop
        await run_in_threadpool(_touch, request, principal.stale_session)
    await check_csrf(request, principal)
    if principal.user.role not in rule.roles:
        raise HTTPException(
            403,
            f"this needs the role {' or '.join(sorted(rule.roles))}; you are {principal.user.role}",
        )
    _check_scope(request, rule, principal.user, settings)
    request.state.principal = principal
    return principal


PrincipalDep = Annotated[Principal | None, Depends(authorize)]


async def current_user(principal: PrincipalDep) -> User:
    """The authorised user of a route whose rule needs one."""
    if principal is None:  # a public route asked for a user: a wiring mistake, refuse
        raise HTTPException(403, "this route has no user")
    return principal.user


CurrentUser = Annotated[User, Depends(current_user)]
