"""Reliability: 30 concurrent writers, the server killed with SIGKILL mid-write, on SQLite and on
PostgreSQL. Afterwards every acknowledged write is present, the database's own integrity check is
clean, the audit chain verifies and the database takes writes again. Only the server runs in a
separate process (forked, so it starts without importing everything again; it is the one killed);
set-up and checks use the store directly."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from leptodx.store import audit, crud
from leptodx.store.db import downgrade, make_engine, session_factory, transaction, upgrade
from leptodx.store.models import Patient
from leptodx.web.keys import load_keys
from leptodx.web.security import new_api_token
from leptodx.web.settings import Settings

from .conftest import free_port, wait_healthy

WRITERS = 30


def _prepare(url: str, data: Path) -> tuple[sessionmaker[Session], str]:
    """Schema, a clinician and an API token; the sessions carry the deployment's audit key."""
    upgrade(url)
    sessions = session_factory(make_engine(url), audit_key=load_keys(_settings(url, data)).audit)
    token, token_hash = new_api_token()
    with transaction(sessions) as db:
        user = crud.create_user(db, username="writer", password="writer-password-1", role="clinician", actor="test")  # fmt: skip
        crud.create_token(db, user=user, name="crash", token_hash=token_hash)
    return sessions, token


def _settings(url: str, data: Path) -> Settings:
    return Settings(database_url=url, data_dir=data)


def _serve(url: str, data: str, port: int) -> None:
    """The server process: what ``leptodx serve`` runs, on this database."""
    import uvicorn

    from leptodx.web.app import create_app

    app = create_app(_settings(url, Path(data)))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="error", proxy_headers=False)


class Server:
    def __init__(self, url: str, data: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        context = multiprocessing.get_context("fork")
        self.proc = context.Process(target=_serve, args=(url, str(data), self.port), daemon=True)
        self.proc.start()
        if wait_healthy(self.url):
            return
        self.proc.kill()
        raise AssertionError("server did not start")

    def kill9(self) -> None:
        assert self.proc.pid is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.join(timeout=10)


def _writer(url: str, token: str, index: int, acked: list[str], stop: threading.Event) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, headers=headers, timeout=5) as client:
        n = 0
        while not stop.is_set():
            name = f"W{index}-{n}"
            try:
                response = client.post("/api/v1/patients", json={"external_id": name})
            except httpx.HTTPError:
                return  # the server died mid-request: this write was never acknowledged
            if response.status_code == 201:
                acked.append(response.json()["external_id"])
            n += 1


def _crash_run(url: str, data: Path) -> list[str]:
    sessions, token = _prepare(url, data)
    sessions.kw["bind"].dispose()  # no open connection crosses the fork
    server = Server(url, data)
    acked: list[str] = []
    stop = threading.Event()
    threads = [
        threading.Thread(target=_writer, args=(server.url, token, i, acked, stop))
        for i in range(WRITERS)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    while len(acked) < 150 and time.monotonic() < deadline:
        time.sleep(0.05)
    server.kill9()  # mid-write: 30 requests are in flight
    stop.set()
    for thread in threads:
        thread.join(timeout=10)
    assert len(acked) >= 150, len(acked)
    # afterwards: present, intact, verifiable, writable
    with transaction(sessions) as db:
        stored = set(db.scalars(select(Patient.external_id)))
        if url.startswith("sqlite"):
            assert db.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        else:
            db.execute(text("CREATE EXTENSION IF NOT EXISTS amcheck"))
            indexes = db.scalars(
                text(
                    "SELECT c.oid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam WHERE a.amname = 'btree' AND c.relnamespace = 'public'::regnamespace"
                )
            ).all()
            for oid in indexes:
                db.execute(text("SELECT bt_index_check(:oid, true)"), {"oid": oid})
        check = audit.verify(db)
        assert check.ok, check.reason
        writer = crud.user_by_name(db, username="writer")
        assert writer is not None
        crud.create_patient(db, user=writer, external_id="after-the-crash")
    missing = set(acked) - stored
    assert not missing, f"{len(missing)} acknowledged writes lost"
    sessions.kw["bind"].dispose()
    return acked


@pytest.fixture
def pg_url(postgres_url: str) -> Iterator[str]:
    downgrade(postgres_url)
    yield postgres_url
    downgrade(postgres_url)


@pytest.mark.slow
def test_sqlite_loses_no_acknowledged_write_under_kill_9(tmp_path: Path) -> None:
    _crash_run(f"sqlite:///{tmp_path / 'crash.sqlite3'}", tmp_path)


@pytest.mark.slow
@pytest.mark.postgres
def test_postgres_loses_no_acknowledged_write_under_kill_9(pg_url: str, tmp_path: Path) -> None:
    _crash_run(pg_url, tmp_path)
