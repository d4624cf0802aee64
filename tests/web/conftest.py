"""Fixtures: the app on SQLite and on a throwaway PostgreSQL cluster; users of each role."""

from __future__ import annotations

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
