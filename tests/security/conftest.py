"""A populated service for the security suite: two teams, users of every role in and out of a
team, patients/cases/events/jobs in team a, team b and in no team, one fitted model."""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from leptodx.clinical.assess import assess_record
from leptodx.models.fitted import FittedModel
from leptodx.store import crud, research
from leptodx.store.db import transaction, upgrade
from leptodx.store.followup import add_event
from leptodx.store.models import User
from leptodx.web.app import create_app
from leptodx.web.security import new_api_token
from leptodx.web.settings import Settings

ROOT = Path(__file__).parents[2]
EXAMPLE = json.loads((ROOT / "examples" / "probable_type_iia.json").read_text())
USERS = [
    ("clin_a", "clinician", "a"),
    ("clin_b", "clinician", "b"),
    ("clin_none", "clinician", None),
    ("res_a", "researcher", "a"),
    ("res_b", "researcher", "b"),
    ("adm_a", "admin", "a"),
]


def password(name: str) -> str:
    return f"{name}-password-123"


@dataclass
class World:
    """The app, a test client, API tokens per user and record ids per team (``a``/``b``/``none``)."""

    app: FastAPI
    client: TestClient
    settings: Settings
    tokens: dict[str, str]
    patients: dict[str, int] = field(default_factory=dict)
    cases: dict[str, int] = field(default_factory=dict)
    events: dict[str, int] = field(default_factory=dict)
    jobs: dict[str, int] = field(default_factory=dict)
    model_id: int = 0

    def auth(self, user: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[user]}"}


def populate(
    app: FastAPI, model: FittedModel
) -> tuple[dict[str, str], dict[str, dict[str, int]], int]:
    tokens: dict[str, str] = {}
    ids: dict[str, dict[str, int]] = {"patients": {}, "cases": {}, "events": {}, "jobs": {}}
    with transaction(app.state.sessions) as db:
        users: dict[str, User] = {}
        for name, role, team in USERS:
            users[name] = crud.create_user(
                db, username=name, password=password(name), role=role, team=team, actor="test"
            )
            token, token_hash = new_api_token()
            crud.create_token(db, user=users[name], name="test", token_hash=token_hash)
            tokens[name] = token
        owners = {"a": users["clin_a"], "b": users["clin_b"], "none": users["adm_a"]}
        for scope, owner in owners.items():
            patient = crud.create_patient(db, user=owner, external_id=f"MRN-{scope}")
            if scope == "none":
                patient.team_id = None
            case = crud.add_case(db, user=owner, patient=patient, data=EXAMPLE, result=assess_record(EXAMPLE))  # fmt: skip
            event = add_event(db, user=owner, patient=patient, data={"kind": "mri", "date": "2024-01-05", "pattern": "A"})  # fmt: skip
            ids["patients"][scope], ids["cases"][scope], ids["events"][scope] = (
                patient.id,
                case.id,
                event.id,
            )
        researchers = {"a": users["res_a"], "b": users["res_b"], "none": users["adm_a"]}
        for scope, owner in researchers.items():
            job = research.create_job(db, user=owner, kind="develop", parameters={"spec": "gao-a"})
            job.team_id = None if scope == "none" else job.team_id
            ids["jobs"][scope] = job.id
        hashed = model.sealed()
        record = research.add_fitted_model(
            db,
            user=users["res_a"],
            name=hashed.spec.name,
            content_hash=hashed.content_hash,
            document=hashed.model_dump(mode="json"),
        )
        model_id = record.id
    return tokens, ids, model_id


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    url = f"sqlite:///{tmp_path / 'sec.sqlite3'}"
    return Settings(data_dir=tmp_path, database_url=url, teams_enabled=True, **overrides)


@pytest.fixture(scope="session")
def populated(
    tmp_path_factory: pytest.TempPathFactory, site_x_model: FittedModel
) -> tuple[Path, dict[str, str], dict[str, dict[str, int]], int]:
    """The populated database and its keys, built once; each test gets a copy (argon2 hashing
    and migrations dominate the set-up time)."""
    folder = tmp_path_factory.mktemp("security-template")
    settings = make_settings(folder)
    upgrade(settings.sqlalchemy_url)
    app = create_app(settings)
    tokens, ids, model_id = populate(app, site_x_model)
    app.state.engine.dispose()
    app.state.read_engine.dispose()
    return folder, tokens, ids, model_id


@pytest.fixture
def world(
    tmp_path: Path, populated: tuple[Path, dict[str, str], dict[str, dict[str, int]], int]
) -> Iterator[World]:
    template, tokens, ids, model_id = populated
    for item in template.iterdir():
        if item.is_file():
            shutil.copy2(item, tmp_path / item.name)
    settings = make_settings(tmp_path)
    app = create_app(settings)
    with TestClient(app, base_url="https://testserver") as client:
        yield World(
            app,
            client,
            settings,
            tokens,
            ids["patients"],
            ids["cases"],
            ids["events"],
            ids["jobs"],
            model_id,
        )
    app.state.engine.dispose()
    app.state.read_engine.dispose()


def login(client: TestClient, username: str, pw: str | None = None, **headers: str) -> Any:
    """Log in through the form; returns the response (303 on success)."""
    client.get("/login")
    csrf = client.cookies.get("leptodx_login_csrf")
    return client.post(
        "/login",
        data={"username": username, "password": pw or password(username), "csrf_token": csrf},
        headers=headers,
        follow_redirects=False,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(url: str, attempts: int = 300) -> bool:
    """True once ``url``/healthz answers 200 (polled every 0.1 s), False after ``attempts``."""
    for _ in range(attempts):
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return True
        except httpx.TransportError:
            time.sleep(0.1)
    return False


@dataclass
class Live:
    url: str
    server: uvicorn.Server


@contextmanager
def serve(app: FastAPI) -> Iterator[Live]:
    """Run ``app`` with uvicorn on a free loopback port (proxy headers off, as ``leptodx serve``)."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", proxy_headers=False)  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.02)
    try:
        yield Live(f"http://127.0.0.1:{port}", server)
    finally:
        server.should_exit = True
        thread.join(10)
