"""Browser sessions kept server-side (table ``login_sessions``).

The cookie carries a random 256-bit id; the table keeps only HMAC-SHA256(session secret, id), so
neither a database reader nor a forger without the secret can make a valid cookie. A session ends
at logout, after ``idle`` without a request, ``absolute`` after login, and when its user's
password or role changes or the user is deactivated (:func:`revoke_user_sessions`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from leptodx.store.models import LoginSession, User, utcnow

TOUCH_EVERY = timedelta(seconds=60)
"""``last_seen_at`` is written at most once a minute (idle timeouts are exact to a minute)."""


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def id_hash(token: str, key: bytes) -> str:
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()


def start(
    db: Session, *, user: User, key: bytes, absolute: timedelta, client: str | None
) -> tuple[str, LoginSession]:
    """A new session for ``user``: the cookie value (shown once) and its row."""
    token = secrets.token_urlsafe(32)  # 256 bits
    now = utcnow()
    row = LoginSession(
        id_hash=id_hash(token, key),
        user_id=user.id,
        csrf=secrets.token_urlsafe(32),
        created_at=now,
        last_seen_at=now,
        expires_at=now + absolute,
        revoked_at=None,
        client=(client or "")[:64] or None,
    )
    db.add(row)
    db.execute(  # keep the table small: forget sessions that ended more than a day ago
        delete(LoginSession).where(
            or_(
                LoginSession.expires_at < now - timedelta(days=1),
                LoginSession.revoked_at < now - timedelta(days=1),
            )
        )
    )
    db.flush()
    return token, row


def find(db: Session, *, token: str, key: bytes, idle: timedelta) -> LoginSession | None:
    """The live session of a cookie value, or None (unknown, revoked, idle or expired)."""
    if not token or len(token) > 100:
        return None
    row = db.get(LoginSession, id_hash(token, key))
    if row is None or row.revoked_at is not None:
        return None
    now = utcnow()
    if _aware(row.expires_at) <= now or _aware(row.last_seen_at) + idle <= now:
        return None
    return row


def needs_touch(row: LoginSession) -> bool:
    return _aware(row.last_seen_at) + TOUCH_EVERY <= utcnow()


def touch(db: Session, *, id_hash_: str) -> None:
    db.execute(
        update(LoginSession).where(LoginSession.id_hash == id_hash_).values(last_seen_at=utcnow())
    )


def revoke(db: Session, *, token: str, key: bytes) -> None:
    db.execute(
        update(LoginSession)
        .where(LoginSession.id_hash == id_hash(token, key), LoginSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def revoke_user_sessions(db: Session, *, user_id: int) -> int:
    """End every session of a user; the number ended."""
    result = db.execute(
        update(LoginSession)
        .where(LoginSession.user_id == user_id, LoginSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def live_count(db: Session, *, user_id: int) -> int:
    now = utcnow()
    rows = db.scalars(
        select(LoginSession).where(
            LoginSession.user_id == user_id,
            LoginSession.revoked_at.is_(None),
            LoginSession.expires_at > now,
        )
    )
    return len(list(rows))
