"""Findings 1, 2 and 10: sessions are server-side rows, not signed cookies; cookie flags."""

from __future__ import annotations

from datetime import timedelta

import itsdangerous
import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from leptodx.store import crud
from leptodx.store.db import transaction
from leptodx.store.models import LoginSession

from .conftest import World, login, password


def use_cookie(world: World, value: str) -> None:
    """Send exactly this session cookie (as an attacker replaying a copy would)."""
    world.client.cookies.clear()
    world.client.cookies.set("leptodx_session", value, domain="testserver.local")


def _patients_status(world: World) -> int:
    return world.client.get("/api/v1/patients", follow_redirects=False).status_code


def test_a_cookie_forged_with_the_old_public_default_secret_is_refused(world: World) -> None:
    forged = itsdangerous.URLSafeTimedSerializer("changethis", salt="leptodx-session").dumps(
        {"uid": 1, "csrf": "x"}
    )
    use_cookie(world, forged)
    assert _patients_status(world) == 401
    created = world.client.post(
        "/api/v1/patients", json={"external_id": "FORGED"}, headers={"X-CSRF-Token": "x"}
    )
    assert created.status_code == 401


def test_logout_ends_the_session_everywhere(world: World) -> None:
    assert login(world.client, "clin_a").status_code == 303
    cookie = world.client.cookies.get("leptodx_session")
    assert cookie and _patients_status(world) == 200
    home = world.client.get("/")
    csrf = home.text.split('name="csrf_token" value="')[1].split('"')[0]
    assert world.client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303  # fmt: skip
    use_cookie(world, cookie)  # a saved copy
    assert _patients_status(world) == 401
    assert world.client.get("/", follow_redirects=False).headers["location"] == "/login"
    write = world.client.post(
        "/api/v1/patients", json={"external_id": "AFTER"}, headers={"X-CSRF-Token": csrf}
    )
    assert write.status_code == 401


def test_login_rotates_the_session_id(world: World) -> None:
    login(world.client, "clin_a")
    first = world.client.cookies.get("leptodx_session")
    login(world.client, "clin_a")
    second = world.client.cookies.get("leptodx_session")
    assert first and second and first != second
    use_cookie(world, second)
    assert _patients_status(world) == 200
    use_cookie(world, first)
    assert _patients_status(world) == 401


def _age_sessions(world: World, **columns: object) -> None:
    with transaction(world.app.state.sessions) as db:
        db.execute(update(LoginSession).values(**columns))


def test_idle_and_absolute_timeouts(world: World) -> None:
    from leptodx.store.models import utcnow

    login(world.client, "clin_a")
    idle = timedelta(minutes=world.settings.session_idle_minutes)
    _age_sessions(world, last_seen_at=utcnow() - idle + timedelta(minutes=2))
    assert _patients_status(world) == 200  # active within the idle limit (and touched again)
    _age_sessions(world, last_seen_at=utcnow() - idle - timedelta(seconds=1))
    assert _patients_status(world) == 401
    login(world.client, "clin_a")
    _age_sessions(world, expires_at=utcnow() - timedelta(seconds=1))
    assert _patients_status(world) == 401


@pytest.mark.parametrize("change", ["passwd", "role", "deactivate"])
def test_password_role_change_and_deactivation_end_sessions(
    world: World, change: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    login(world.client, "clin_a")
    assert _patients_status(world) == 200
    with transaction(world.app.state.sessions) as db:
        if change == "passwd":
            crud.set_password(db, username="clin_a", password="another-password-1", actor="t")
        elif change == "role":
            crud.set_role(db, username="clin_a", role="researcher", actor="t")
        else:
            crud.deactivate_user(db, username="clin_a", actor="t")
    assert _patients_status(world) == 401


def test_cli_user_commands_end_sessions(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from leptodx.cli import app

    monkeypatch.setenv("LEPTODX_DATABASE_URL", world.settings.sqlalchemy_url)
    monkeypatch.setenv("LEPTODX_DATA_DIR", str(world.settings.data_dir))
    login(world.client, "clin_a")
    result = CliRunner().invoke(app, ["users", "role", "clin_a", "admin"])
    assert result.exit_code == 0, result.output
    assert _patients_status(world) == 401


def test_cookies_are_httponly_samesite_and_secure_with_hsts(world: World) -> None:
    page = world.client.get("/login")
    assert "Secure" in page.headers["set-cookie"] and "HttpOnly" in page.headers["set-cookie"]
    response = login(world.client, "clin_a")
    cookie = response.headers["set-cookie"]
    assert "leptodx_session=" in cookie
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=lax" in cookie
    assert response.headers["strict-transport-security"].startswith("max-age=")


def test_the_session_table_keeps_no_usable_cookie_value(world: World) -> None:
    login(world.client, "clin_a", password("clin_a"))
    cookie = world.client.cookies.get("leptodx_session")
    with transaction(world.app.state.sessions) as db:
        rows = list(db.query(LoginSession))
    assert len(rows) == 1 and cookie not in {rows[0].id_hash, rows[0].csrf}
    assert len(cookie or "") >= 43  # 256 bits, URL-safe base64
