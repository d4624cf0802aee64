"""Log-in attempts counted in the database (table ``login_attempts``), shared by every server
process: the login limits of :class:`leptodx.web.security.LoginThrottle` hold whatever number
of processes serve the application (docs/decisions/web-workers.md).

Counting and adding run in one write transaction: SQLite takes its write lock at ``BEGIN
IMMEDIATE``; PostgreSQL takes a transaction-scoped advisory lock — so two processes cannot both
see "one attempt left".
"""

from __future__ import annotations

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from leptodx.store.models import LoginAttempt

CLIENT, ACCOUNT = "client", "account"
LOCK_KEY = 7_041_978
"""PostgreSQL advisory lock serialising the throttle's count-then-add (the audit chain uses
:data:`leptodx.store.audit.AUDIT_LOCK_KEY`)."""


def serialise(db: Session) -> None:
    """Hold the throttle lock until ``db`` commits (PostgreSQL; SQLite holds its write lock)."""
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})


def times(db: Session, *, kind: str, key: str, since: float) -> list[float]:
    """When ``key`` made attempts of ``kind`` after ``since`` (oldest first)."""
    return list(
        db.scalars(
            select(LoginAttempt.at)
            .where(LoginAttempt.kind == kind, LoginAttempt.key == key, LoginAttempt.at > since)
            .order_by(LoginAttempt.at)
        )
    )


def add(db: Session, *, kind: str, key: str, at: float, forget_before: float) -> None:
    """Count one attempt; attempts older than ``forget_before`` (no window reaches them) go."""
    db.execute(delete(LoginAttempt).where(LoginAttempt.at < forget_before))
    db.add(LoginAttempt(kind=kind, key=key[:100], at=at))
    db.flush()


def clear(db: Session, *, kind: str, key: str) -> None:
    db.execute(delete(LoginAttempt).where(LoginAttempt.kind == kind, LoginAttempt.key == key))
