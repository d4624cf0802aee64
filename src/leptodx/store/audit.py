"""Append-only, keyed hash chain of logins and of every access to patient data.

Each entry stores the hash of the previous entry and its own hash = HMAC-SHA256, under the audit
key, of the canonical JSON of (id, time, actor, action, entity, entity id, detail, previous hash).
The key is kept outside the database (``LEPTODX_AUDIT_KEY``; docs/security.md), so someone who can
write to the database can neither change an entry nor recompute the chain after a change. A cut
tail is detected against an anchored head hash (``leptodx audit verify --expect-head HASH``).

``prev_hash`` is unique, so two concurrent writers cannot fork the chain (the loser's transaction
fails and nothing of it is written).

Chains written before the key existed (plain SHA-256) stay verifiable: the first keyed entry after
them is an ``audit_key_adopted`` entry that states how many unkeyed entries precede it, so the
unkeyed prefix is sealed by a keyed entry and cannot grow or be rewritten later.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from leptodx.store.models import AuditEntry, utcnow

GENESIS = "0" * 64
AUDIT_LOCK_KEY = 7_041_977
KEY_ADOPTED = "audit_key_adopted"
MAX_ACTOR_CHARS = 64


def _timestamp(at: datetime) -> str:
    aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _canonical(entry: AuditEntry) -> bytes:
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
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(entry: AuditEntry, key: bytes) -> str:
    """HMAC-SHA256 of the entry's canonical JSON under the audit key."""
    return hmac.new(key, _canonical(entry), hashlib.sha256).hexdigest()


def _unkeyed_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(_canonical(entry)).hexdigest()


def audit_key(session: Session) -> bytes:
    """The audit key bound to the session's factory (``session_factory(..., audit_key=...)``)."""
    key = session.info.get("audit_key")
    if not isinstance(key, bytes) or not key:
        raise RuntimeError("no audit key: build sessions with session_factory(engine, audit_key=…)")
    return key


def normalise_actor(actor: str) -> str:
    """An actor name fit for the log: printable, NFC, at most 64 characters (``…`` marks a cut)."""
    clean = "".join(c if c.isprintable() else "?" for c in unicodedata.normalize("NFC", actor))
    return clean if len(clean) <= MAX_ACTOR_CHARS else clean[: MAX_ACTOR_CHARS - 1] + "…"


def _append(session: Session, key: bytes, last: AuditEntry | None, **fields: Any) -> AuditEntry:
    entry = AuditEntry(
        id=(last.id + 1) if last else 1,
        at=utcnow(),
        prev_hash=last.hash if last else GENESIS,
        hash="",
        **fields,
    )
    entry.hash = entry_hash(entry, key)
    session.add(entry)
    session.flush()
    return entry


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
    key = audit_key(session)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_LOCK_KEY})
    last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).first()
    if last is not None and not hmac.compare_digest(last.hash, entry_hash(last, key)):
        last = _adopt(session, key, last)
    return _append(
        session,
        key,
        last,
        actor=normalise_actor(actor),
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id)[:100],
        detail=detail or {},
    )


def _adopt(session: Session, key: bytes, head: AuditEntry) -> AuditEntry:
    """Seal an unkeyed chain with a keyed entry stating its length (see the module docstring)."""
    return _append(
        session,
        key,
        head,
        actor="system",
        action=KEY_ADOPTED,
        entity="audit_log",
        entity_id=None,
        detail={"unkeyed_entries": head.id},
    )


def adopt_key(session: Session) -> bool:
    """Seal an unkeyed head now (``leptodx db upgrade``); True if an entry was written."""
    key = audit_key(session)
    last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).first()
    if last is None or hmac.compare_digest(last.hash, entry_hash(last, key)):
        return False
    _adopt(session, key, last)
    return True


@dataclass(frozen=True, slots=True)
class VerifyResult:
    ok: bool
    entries: int
    first_broken_id: int | None
    reason: str | None
    head_hash: str
    anchor_id: int | None = None
    """Entry whose hash equals the expected head (``--expect-head``), if it was given and found."""


def verify(session: Session, *, expect_head: str | None = None) -> VerifyResult:
    """Walk the chain; report the first entry whose keyed hash or link does not match.

    With ``expect_head`` (a head hash anchored outside the database), the chain must still
    contain that hash: a missing anchor means the tail was cut or the chain rewritten.
    """
    key = audit_key(session)
    prev, count, unkeyed, keyed, anchor = GENESIS, 0, 0, False, None
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
        count += 1
        problem = None
        if entry.prev_hash != prev:
            problem = "link to the previous entry is broken (an entry was removed or changed)"
        elif hmac.compare_digest(entry.hash, entry_hash(entry, key)):
            if (
                not keyed
                and unkeyed
                and not (
                    entry.action == KEY_ADOPTED and entry.detail.get("unkeyed_entries") == unkeyed
                )
            ):
                problem = "unkeyed entries before this one are not sealed by the audit key"
            keyed = True
        elif not keyed and entry.hash == _unkeyed_hash(entry):
            unkeyed += 1
        else:
            problem = (
                "content does not match its keyed hash (the entry was changed, or the chain "
                "was recomputed without the audit key)"
            )
        if problem is not None:
            return VerifyResult(False, count, entry.id, problem, prev)
        prev = entry.hash
        if expect_head is not None and hmac.compare_digest(entry.hash, expect_head):
            anchor = entry.id
    if unkeyed and not keyed:
        return VerifyResult(
            False,
            count,
            1,
            f"{unkeyed} entries are not keyed yet; `leptodx db upgrade` seals them",
            prev,
        )
    if expect_head is not None and anchor is None:
        return VerifyResult(
            False,
            count,
            None,
            "the anchored head hash is not in the chain: entries after it were removed "
            "(a cut tail) or the chain was rewritten",
            prev,
        )
    return VerifyResult(True, count, None, None, prev, anchor)
