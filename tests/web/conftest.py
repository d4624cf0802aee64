"""Fixtures: the app on SQLite and on a throwaway PostgreSQL cluster; users of each role."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from leptodx.store import crud
from leptodx.store.db import downgrade, transaction, upgrade
from leptodx.web.app import create_app
from leptodx.web.security import new_api_token
from leptodx.web.settings import Settings

PG_BIN = (
    next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None)
    if Path("/usr/lib/postgresql").is_dir()
    else None
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL cluster in a temporary directory on a loopback port, removed afterwards."""
    if PG_BIN is None:
        if os.environ.get("CI"):
            pytest.fail(
                "PostgreSQL binaries not found in /usr/lib/postgresql (scripts/install --test installs them)"
            )
        pytest.skip("PostgreSQL not installed")
    root = Path(tempfile.mkdtemp(prefix="leptodx-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    port = _free_port()
    subprocess.run(
        _as_postgres(
            [str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"]
        ),
        check=True,
        capture_output=True,
    )
    subprocess.run(
        _as_postgres(
            [
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(data),
                "-w",
                "-l",
                str(root / "log"),
                "-o",
                f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off",
                "start",
            ]
        ),
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)


def password(name: str) -> str:
    """The test users' passwords (at least 12 characters, as every path requires)."""
    return f"pw-{name}-123456"


@dataclass
class Service:
    client: TestClient
    settings: Settings
    tokens: dict[str, str]
    backend: str


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def service(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Service]:
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_url")
        downgrade(url)
    else:
        url = f"sqlite:///{tmp_path / 'test.sqlite3'}"
    settings = Settings(
        data_dir=tmp_path, database_url=url, secret_key="x" * 40, teams_enabled=True
    )
    upgrade(url)
    app = create_app(settings)
    tokens: dict[str, str] = {}
    with transaction(app.state.sessions) as session:
        for name, role, team in [
            ("clin", "clinician", "a"),
            ("clin_b", "clinician", "b"),
            ("res", "researcher", None),
            ("adm", "admin", None),
        ]:
            user = crud.create_user(
                session, username=name, password=password(name), role=role, team=team, actor="test"
            )
            token, token_hash = new_api_token()
            crud.create_token(session, user=user, name="test", token_hash=token_hash)
            tokens[name] = token
    with TestClient(app, base_url="https://testserver") as client:
        yield Service(client, settings, tokens, request.param)
    app.state.engine.dispose()
    if request.param == "postgres":
        downgrade(url)


def auth(service: Service, user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {service.tokens[user]}"}
