"""Finding 13: the audit chain is keyed — editing an entry and recomputing every later hash is
detected, and a cut tail is detected against an anchored head (``--expect-head``)."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import pytest
from sqlalchemy import delete, select, text, update
from typer.testing import CliRunner

from leptodx.cli import app as cli
from leptodx.store import audit
from leptodx.store.db import make_engine, session_factory, transaction, upgrade
from leptodx.store.models import AuditEntry

KEY = b"audit-key-for-the-tests-0123456789"


@pytest.fixture
def chain(tmp_path: Path):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    upgrade(url)
    sessions = session_factory(make_engine(url), audit_key=KEY)
    with transaction(sessions) as db:
        for i in range(1, 21):
            audit.record(db, actor="u", action="read", entity="patient", entity_id=i)
    return sessions


def _recompute_from(sessions, first: int, digest) -> None:  # type: ignore[no-untyped-def]
    """What an attacker with database access does after changing entry ``first``."""
    with transaction(sessions) as db:
        entries = list(db.scalars(select(AuditEntry).where(AuditEntry.id >= first).order_by(AuditEntry.id)))  # fmt: skip
        prev = db.scalar(select(AuditEntry.hash).where(AuditEntry.id == first - 1))
        for entry in entries:
            entry.prev_hash = prev
            entry.hash = digest(audit._canonical(entry))
            prev = entry.hash
        db.flush()


@pytest.mark.parametrize(
    "digest",
    [
        lambda data: hashlib.sha256(data).hexdigest(),
        lambda data: hmac.new(b"a guessed key", data, hashlib.sha256).hexdigest(),
    ],
    ids=["plain-sha256", "wrong-key"],
)
def test_editing_an_entry_and_recomputing_the_chain_is_detected(chain, digest) -> None:  # type: ignore[no-untyped-def]
    with transaction(chain) as db:
        db.execute(update(AuditEntry).where(AuditEntry.id == 10).values(actor="mallory"))
    _recompute_from(chain, 10, digest)
    with transaction(chain) as db:
        result = audit.verify(db)
    assert (result.ok, result.first_broken_id) == (False, 10)
    assert "audit key" in (result.reason or "")


def test_a_cut_tail_is_detected_against_the_anchored_head(chain) -> None:  # type: ignore[no-untyped-def]
    with transaction(chain) as db:
        anchored = audit.verify(db).head_hash
        audit.record(db, actor="u", action="read", entity="patient", entity_id=99)
    with transaction(chain) as db:
        grown = audit.verify(db, expect_head=anchored)
        assert grown.ok and grown.anchor_id == 20  # the chain may grow after anchoring
        db.execute(delete(AuditEntry).where(AuditEntry.id >= 20))
    with transaction(chain) as db:
        assert audit.verify(db).ok  # the cut chain alone looks intact …
        cut = audit.verify(db, expect_head=anchored)
    assert not cut.ok and "cut tail" in (cut.reason or "")  # … but not against the anchor


def test_cli_verify_with_expect_head(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEPTODX_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    runner.invoke(cli, ["users", "add", "alice", "--role", "clinician", "--password-stdin"], input="a-long-password\n")  # fmt: skip
    runner.invoke(cli, ["users", "add", "bob", "--role", "clinician", "--password-stdin"], input="a-long-password\n")  # fmt: skip
    ok = runner.invoke(cli, ["audit", "verify"])
    head = ok.stdout.split("head hash ")[1].split()[0].rstrip(";")
    anchored = runner.invoke(cli, ["audit", "verify", "--expect-head", head])
    assert anchored.exit_code == 0 and "anchored head found at entry 2" in anchored.stdout
    engine = make_engine(f"sqlite:///{tmp_path / 'leptodx.sqlite3'}")
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE id = 2"))
    cut = runner.invoke(cli, ["audit", "verify", "--expect-head", head])
    assert cut.exit_code == 1 and "cut tail" in cut.stderr
    bad = runner.invoke(cli, ["audit", "verify", "--expect-head", "not-a-hash"])
    assert bad.exit_code == 2


def test_a_chain_written_before_the_key_is_sealed_and_stays_checked(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'legacy.sqlite3'}"
    upgrade(url)
    sessions = session_factory(make_engine(url), audit_key=KEY)
    with transaction(sessions) as db:  # what the unkeyed release wrote
        prev = audit.GENESIS
        for i in range(1, 4):
            entry = AuditEntry(id=i, at=audit.utcnow(), actor="old", action="read", entity="patient", entity_id=str(i), detail={}, prev_hash=prev, hash="")  # fmt: skip
            entry.hash = hashlib.sha256(audit._canonical(entry)).hexdigest()
            prev = entry.hash
            db.add(entry)
    with transaction(sessions) as db:
        assert not audit.verify(db).ok  # unkeyed entries are not trusted until sealed
        assert audit.adopt_key(db)
        audit.record(db, actor="new", action="read", entity="patient", entity_id=4)
    with transaction(sessions) as db:
        result = audit.verify(db)
        assert result.ok and result.entries == 5
        db.execute(update(AuditEntry).where(AuditEntry.id == 2).values(actor="mallory"))
    _recompute_from(sessions, 2, lambda data: hashlib.sha256(data).hexdigest())
    with transaction(sessions) as db:
        assert not audit.verify(db).ok  # the seal (a keyed entry) no longer links
