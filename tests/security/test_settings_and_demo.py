"""Findings 1, 9 and 10: no default secret in any mode; production refuses weak settings without
printing them; ``serve --demo`` stays a loopback development toy."""

from __future__ import annotations

import secrets
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from leptodx.cli import app as cli
from leptodx.web.app import create_app
from leptodx.web.keys import AUDIT_KEY_FILE, SESSION_KEY_FILE, load_keys
from leptodx.web.settings import ConfigError, Environment, Settings, load_settings

GOOD = secrets.token_urlsafe(48)


def test_development_generates_private_keys_once_beside_the_database(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "db")
    first = load_keys(settings)
    for name in (SESSION_KEY_FILE, AUDIT_KEY_FILE):
        path = tmp_path / "db" / name
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert len(path.read_text().strip()) >= 64
    assert load_keys(settings) == first  # kept, not regenerated
    assert first.session != first.audit
    assert first.session != b"changethis"


def test_a_key_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    load_keys(settings)
    (tmp_path / SESSION_KEY_FILE).chmod(0o644)
    with pytest.raises(ConfigError, match="chmod 600"):
        load_keys(settings)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"audit_key": GOOD}, "LEPTODX_SECRET_KEY"),
        ({"secret_key": "short-secret", "audit_key": GOOD}, "too short"),
        ({"secret_key": "a" * 32, "audit_key": GOOD}, "entropy"),
        ({"secret_key": "ab" * 40, "audit_key": GOOD}, "entropy"),
        ({"secret_key": GOOD}, "LEPTODX_AUDIT_KEY"),
        ({"secret_key": GOOD, "audit_key": "b" * 40}, "entropy"),
        ({"secret_key": GOOD, "audit_key": GOOD, "cookie_secure": False}, "COOKIE_SECURE"),
    ],
)
def test_production_refuses_weak_settings_without_printing_them(
    overrides: dict[str, object], message: str
) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        load_settings(environment=Environment.PRODUCTION, **overrides)
    for value in overrides.values():
        if isinstance(value, str):
            assert value not in str(caught.value)


def test_development_serves_loopback_only() -> None:
    with pytest.raises(ConfigError, match="loopback"):
        load_settings(environment=Environment.DEVELOPMENT, host="0.0.0.0")
    assert load_settings(host="::1").host == "::1"


def test_cookie_secure_may_be_dropped_only_in_development(tmp_path: Path) -> None:
    dev = create_app(Settings(data_dir=tmp_path, cookie_secure=False))
    assert dev.state.settings.cookie_secure is False
    with pytest.raises(ConfigError):
        load_settings(environment="production", secret_key=GOOD, audit_key=GOOD, cookie_secure=False)  # fmt: skip


def test_serve_in_production_with_a_weak_secret_exits_2_without_printing_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    weak = "a" * 40
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LEPTODX_ENVIRONMENT", "production")
    monkeypatch.setenv("LEPTODX_SECRET_KEY", weak)
    monkeypatch.setenv("LEPTODX_AUDIT_KEY", GOOD)
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 2, result.output
    assert "LEPTODX_SECRET_KEY" in result.stderr and "entropy" in result.stderr
    assert weak not in result.output and GOOD not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize(
    "env",
    [
        {"LEPTODX_ENVIRONMENT": "production"},
        {"LEPTODX_DATABASE_URL": "sqlite:////tmp/somewhere-else.sqlite3"},
        {"LEPTODX_DATABASE_URL": "postgresql://leptodx@db/leptodx"},
    ],
)
def test_serve_demo_refuses_production_and_foreign_databases(
    env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(cli, ["serve", "--demo"])
    assert result.exit_code == 2, result.output
    assert "serve --demo" in result.stderr
    assert not (tmp_path / "data" / "demo" / "leptodx.sqlite3").exists()


def test_serve_refuses_a_public_interface_in_development(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2 and "loopback" in result.stderr
