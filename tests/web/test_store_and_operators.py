"""Migrations on both databases, audit tamper detection, operator CLI, production settings."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import inspect, text
from typer.testing import CliRunner

from leptodx.cli import app
from leptodx.store import audit
from leptodx.store.db import downgrade, make_engine, session_factory, transaction, upgrade
from leptodx.web.settings import Environment, Settings

TABLES = {
    "users",
    "teams",
    "api_tokens",
    "patients",
    "cases",
    "fitted_models",
    "cohort_jobs",
    "audit_log",
}


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_migrations_up_and_down(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url = (
        request.getfixturevalue("postgres_url")
        if backend == "postgres"
        else f"sqlite:///{tmp_path / 'm.sqlite3'}"
    )
    downgrade(url)
    upgrade(url)
    engine = make_engine(url)
    assert set(inspect(engine).get_table_names()) >= TABLES
    downgrade(url)
    assert not TABLES & set(inspect(engine).get_table_names())
    engine.dispose()


def _chain(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    upgrade(url)
    sessions = session_factory(make_engine(url), audit_key=b"k" * 32)
    with transaction(sessions) as session:
        for i in range(5):
            audit.record(session, actor="u", action="read", entity="patient", entity_id=i)
    return url, sessions


def test_changing_an_audit_row_is_detected_at_that_row(tmp_path: Path) -> None:
    _, sessions = _chain(tmp_path)
    with transaction(sessions) as session:
        session.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE id = 3"))
    with transaction(sessions) as session:
        result = audit.verify(session)
    assert (result.ok, result.first_broken_id) == (False, 3)
    assert "changed" in result.reason


def test_removing_an_audit_row_is_detected_at_the_next_row(tmp_path: Path) -> None:
    _, sessions = _chain(tmp_path)
    with transaction(sessions) as session:
        session.execute(text("DELETE FROM audit_log WHERE id = 2"))
    with transaction(sessions) as session:
        result = audit.verify(session)
    assert (result.ok, result.first_broken_id) == (False, 3)


def test_operator_cli_users_tokens_and_audit_verify(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEPTODX_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("LEPTODX_ENVIRONMENT", "development")
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    added = runner.invoke(
        app,
        ["users", "add", "alice", "--role", "clinician", "--password-stdin"],
        input="s3cret-password\n",
    )
    assert added.exit_code == 0, added.output
    bad_role = runner.invoke(
        app,
        ["users", "add", "bob", "--role", "boss", "--password-stdin"],
        input="s3cret-password\n",
    )
    assert bad_role.exit_code == 2 and "role: got 'boss'" in bad_role.stderr
    token = runner.invoke(app, ["tokens", "create", "script", "--user", "alice"])
    assert token.exit_code == 0 and token.stdout.strip().startswith("ldx_")
    assert runner.invoke(app, ["audit", "verify"]).exit_code == 0
    engine = make_engine(f"sqlite:///{tmp_path / 'leptodx.sqlite3'}")
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET detail = '{}' WHERE id = 1"))
    broken = runner.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1 and "BROKEN at entry 1" in broken.stderr


def test_production_refuses_a_missing_or_short_secret() -> None:
    audit_key = secrets.token_urlsafe(48)
    with pytest.raises(ValidationError, match="LEPTODX_SECRET_KEY"):
        Settings(environment=Environment.PRODUCTION, audit_key=audit_key)
    with pytest.raises(ValidationError, match="at least 32"):
        Settings(environment=Environment.PRODUCTION, secret_key="short", audit_key=audit_key)
    good = secrets.token_urlsafe(48)
    settings = Settings(environment=Environment.PRODUCTION, secret_key=good, audit_key=audit_key)
    assert settings.secret_key is not None and settings.secret_key.get_secret_value() == good
