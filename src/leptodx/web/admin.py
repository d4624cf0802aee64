"""Administration pages: users (add, deactivate, reset password, change role) and the audit log
(filter by user, action and date; CSV export).

Every change is audited with the acting admin (:mod:`leptodx.store.crud`) and ends the user's
sessions; API tokens stop working with deactivation, and each request re-reads the user's role,
so a changed role applies to tokens at once. An admin cannot deactivate or demote themselves
(another admin must), so the last admin cannot lock everyone out.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from leptodx.errors import InputError
from leptodx.store import audit, crud
from leptodx.store.models import AuditEntry, Team, User
from leptodx.web.deps import CurrentUser, SessionDep
from leptodx.web.messages import readable
from leptodx.web.templating import render

router = APIRouter(include_in_schema=False)
SHOWN_ENTRIES = 200
EXPORT_MAX_ROWS = 1_000_000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
"""Cell starts that spreadsheets run as a formula (OWASP "CSV injection")."""


def _users_page(request: Request, db: Session, *, error: str | None = None, done: str | None = None) -> HTMLResponse:  # fmt: skip
    teams = {t.id: t.name for t in db.scalars(select(Team))}
    return render(
        request,
        "admin_users.html",
        422 if error else 200,
        users=list(db.scalars(select(User).where(User.password_hash != "!").order_by(User.id))),
        teams=teams,
        roles=crud.ROLES,
        error=error,
        done=done,
    )


@router.get("/admin/users")
def admin_users(request: Request, user: CurrentUser, db: SessionDep, done: str = "") -> HTMLResponse:  # fmt: skip
    return _users_page(request, db, done=DONE.get(done))


DONE = {
    "added": "User added.",
    "deactivated": "User deactivated: their sessions ended and their API tokens stopped working.",
    "password": "Password reset: the user's sessions ended; give them the new password in person.",
    "role": "Role changed: the user's sessions ended; API tokens carry the new role at once.",
}


@router.post("/admin/users")
def admin_add_user(
    request: Request,
    user: CurrentUser,
    db: SessionDep,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=2000)],
    role: Annotated[str, Form(max_length=50)],
    team: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    try:
        crud.create_user(
            db,
            username=username,
            password=password,
            role=role,
            team=team.strip()[:100] or None,
            actor=user.username,
        )
    except InputError as exc:
        db.rollback()
        return _users_page(request, db, error=readable(exc))
    db.commit()
    return RedirectResponse("/admin/users?done=added", status_code=303)


def _target(db: Session, actor: User, user_id: int, what: str) -> User:
    target = db.get(User, user_id)
    if target is None or target.password_hash == "!":  # service users are not managed here
        raise HTTPException(404, f"user {user_id} not found")
    if target.id == actor.id and what != "password":
        raise InputError("user", target.username, f"another admin to {what} your own account")
    return target


def _change(request: Request, db: Session, action: str, change: Any) -> Response:
    try:
        change()
    except InputError as exc:
        db.rollback()
        return _users_page(request, db, error=readable(exc))
    db.commit()
    return RedirectResponse(f"/admin/users?done={action}", status_code=303)


@router.post("/admin/users/{user_id}/deactivate")
def admin_deactivate(user_id: int, request: Request, user: CurrentUser, db: SessionDep) -> Response:  # fmt: skip
    def change() -> None:
        target = _target(db, user, user_id, "deactivate")
        crud.deactivate_user(db, username=target.username, actor=user.username)

    return _change(request, db, "deactivated", change)


@router.post("/admin/users/{user_id}/password")
def admin_reset_password(user_id: int, request: Request, user: CurrentUser, db: SessionDep, password: Annotated[str, Form(max_length=2000)]) -> Response:  # fmt: skip
    def change() -> None:
        target = _target(db, user, user_id, "password")
        crud.set_password(db, username=target.username, password=password, actor=user.username)

    return _change(request, db, "password", change)


@router.post("/admin/users/{user_id}/role")
def admin_change_role(user_id: int, request: Request, user: CurrentUser, db: SessionDep, role: Annotated[str, Form(max_length=50)]) -> Response:  # fmt: skip
    def change() -> None:
        target = _target(db, user, user_id, "change the role of")
        if target.role == role:
            raise InputError("role", role, f"a role other than the current one ({target.role})")
        crud.set_role(db, username=target.username, role=role, actor=user.username)

    return _change(request, db, "role", change)


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """The audit log filter of the page and the CSV export (all parts optional)."""

    actor: str = ""
    action: str = ""
    start: date | None = None
    end: date | None = None

    @classmethod
    def parse(cls, actor: str, action: str, start: str, end: str) -> AuditFilter:
        def day(name: str, text: str) -> date | None:
            if not text.strip():
                return None
            try:
                return date.fromisoformat(text.strip())
            except ValueError:
                raise InputError(name, text[:40], "a date YYYY-MM-DD") from None

        found = cls(actor.strip()[:100], action.strip()[:50], day("from", start), day("to", end))
        if found.start and found.end and found.end < found.start:
            raise InputError("to", end, f"a date not before {found.start.isoformat()}")
        return found

    def query(self) -> Select[AuditEntry]:
        query = select(AuditEntry)
        if self.actor:
            query = query.where(AuditEntry.actor == self.actor)
        if self.action:
            query = query.where(AuditEntry.action == self.action)
        if self.start:
            query = query.where(AuditEntry.at >= datetime.combine(self.start, time(), UTC))
        if self.end:
            end = datetime.combine(self.end + timedelta(days=1), time(), UTC)
            query = query.where(AuditEntry.at < end)
        return query

    def params(self) -> dict[str, str]:
        return {
            "actor": self.actor,
            "action": self.action,
            "from": self.start.isoformat() if self.start else "",
            "to": self.end.isoformat() if self.end else "",
        }


def _filter(request: Request) -> AuditFilter:
    q = request.query_params
    return AuditFilter.parse(q.get("actor", ""), q.get("action", ""), q.get("from", ""), q.get("to", ""))  # fmt: skip


def detail_text(detail: dict[str, Any]) -> str:
    """An entry's detail as short ``key: value`` phrases."""
    parts = []
    for key, value in detail.items():
        if isinstance(value, list) and len(value) == 2:
            shown = f"{value[0]} → {value[1]}"
        elif isinstance(value, dict | list):
            shown = json.dumps(value, ensure_ascii=False)
        else:
            shown = "—" if value is None else str(value)
        parts.append(f"{key.replace('_', ' ')}: {shown}")
    return "; ".join(parts)


@router.get("/admin/audit")
def admin_audit(request: Request, user: CurrentUser, db: SessionDep) -> HTMLResponse:
    actions = list(db.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))
    actors = list(db.scalars(select(AuditEntry.actor).distinct().order_by(AuditEntry.actor)))
    error, found = None, AuditFilter()
    try:
        found = _filter(request)
    except InputError as exc:
        error = readable(exc)
    query = found.query()
    total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    entries = list(db.scalars(query.order_by(AuditEntry.id.desc()).limit(SHOWN_ENTRIES)))
    return render(
        request,
        "admin_audit.html",
        422 if error else 200,
        entries=entries,
        total=total,
        shown=SHOWN_ENTRIES,
        check=audit.verify(db),
        actions=actions,
        actors=actors,
        filter=found.params(),
        error=error,
        detail_text=detail_text,
    )


def safe_cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text: a leading ``=``, ``+``, ``-``, ``@``, tab or line
    break is escaped with a single quote (OWASP, "CSV Injection")."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _csv_rows(db: Session, query: Select[AuditEntry]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    header = ["id", "time_utc", "actor", "action", "entity", "entity_id", "detail", "hash"]
    writer.writerow(header)
    for entry in db.scalars(query.order_by(AuditEntry.id).limit(EXPORT_MAX_ROWS)):
        at = entry.at if entry.at.tzinfo else entry.at.replace(tzinfo=UTC)
        writer.writerow(
            safe_cell(v)
            for v in (
                entry.id,
                at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                entry.actor,
                entry.action,
                entry.entity,
                entry.entity_id,
                json.dumps(entry.detail, ensure_ascii=False, sort_keys=True),
                entry.hash,
            )
        )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


@router.get("/admin/audit.csv")
def admin_audit_csv(request: Request, user: CurrentUser, db: SessionDep) -> Response:
    """The filtered audit log as CSV (UTF-8 with BOM for spreadsheets); the export is audited."""
    found = _filter(request)
    audit.record(
        db,
        actor=user.username,
        action="export",
        entity="audit_log",
        detail={k: v for k, v in found.params().items() if v},
    )
    db.commit()
    body = "\ufeff" + "".join(_csv_rows(db, found.query()))
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="leptodx-audit-{stamp}.csv"'},
    )
