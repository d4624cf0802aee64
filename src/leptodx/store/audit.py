"""Append-only, hash-chained audit log of logins and of every access to patient data.

Each entry stores the hash of the previous entry and its own hash = SHA-256 of the canonical JSON
of (id, time, actor, action, entity, entity id, detail, previous hash). Changing or deleting any
row breaks the chain at that row; ``prev_hash`` is unique, so two concurrent writers cannot fork
the chain (the loser's transaction fails and nothing of it is written).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from leptodx.store.models import AuditEntry, utcnow

GENESIS = "0" * 64
AUDIT_LOCK_KEY = 7_041_977


def _timestamp(at: datetime) -> str:
    aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(entry: AuditEntry) -> str:
    payload = {
        "id": entry.id,
        "at": _timestamp(entry.at),
        "actor": entry.actor,
        "action": entry.action,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "detail": entry.detail,
        "prev": entry.prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: str | int | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry in the caller's transaction (it commits or rolls back with the change).

    On PostgreSQL a transaction-scoped advisory lock serialises appends, so the head read here is
    the committed head; SQLite transactions already take the write lock at BEGIN (IMMEDIATE).
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_LOCK_KEY})
    last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).first()
    entry = AuditEntry(
        id=(last.id + 1) if last else 1,
        at=utcnow(),
        actor=actor,
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        detail=detail or {},
        prev_hash=last.hash if last else GENESIS,
        hash="",
    )
    entry.hash = entry_hash(entry)
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True, slots=True)
class VerifyResult:
    ok: bool
    entries: int
    first_broken_id: int | None
    reason: str | None
    head_hash: str


def verify(session: Session) -> VerifyResult:
    """Walk the chain; report the first entry whose hash or link does not match."""
    prev, count = GENESIS, 0
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
        count += 1
        if entry.prev_hash != prev:
            return VerifyResult(
                False,
                count,
                entry.id,
                "link to the previous entry is broken (an entry was removed or changed)",
                prev,
            )
        if entry_hash(entry) != entry.hash:
            return VerifyResult(
                False,
                count,
                entry.id,
                "content does not match its hash (the entry was changed)",
                prev,
            )
        prev = entry.hash
    return VerifyResult(True, count, None, None, prev)
