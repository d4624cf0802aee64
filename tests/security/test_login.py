"""Findings 6, 7, 8 and 12 (passwords): login limits, timing, growth, name and password rules."""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from leptodx.store.db import transaction
from leptodx.store.models import AuditEntry, User
from leptodx.web.app import create_app

from .conftest import World, login, make_settings, serve


def _client_for(world: World, address: str) -> httpx.Client:
    """A client whose requests come from ``address`` (a TestClient cannot vary the peer)."""
    from starlette.testclient import TestClient

    return TestClient(world.app, base_url="https://testserver", client=(address, 50000))


def test_rotating_x_forwarded_for_from_an_untrusted_peer_does_not_escape_the_limit(
    world: World,
) -> None:
    limit = world.settings.login_attempts_per_minute
    codes = [
        login(
            world.client, f"nobody{i}", "wrong-password-1", **{"X-Forwarded-For": f"10.9.0.{i}"}
        ).status_code
        for i in range(limit + 3)
    ]
    assert codes[:limit] == [401] * limit and set(codes[limit:]) == {429}


def test_thirty_user_names_from_one_address_are_limited(world: World) -> None:
    codes = [login(world.client, f"user{i}", "wrong-password-1").status_code for i in range(30)]
    assert 429 in codes and codes.index(429) == world.settings.login_attempts_per_minute


def test_x_forwarded_for_is_honoured_only_from_trusted_proxies(tmp_path: Path) -> None:
    from starlette.requests import Request

    from leptodx.web.security import client_address, parse_networks

    def request(peer: str, forwarded: str) -> Request:
        scope = {"type": "http", "client": (peer, 1), "headers": [(b"x-forwarded-for", forwarded.encode())]}  # fmt: skip
        return Request(scope)

    trusted = parse_networks(["10.0.0.0/8"])
    assert client_address(request("127.0.0.1", "203.0.113.9"), trusted) == "127.0.0.1"
    assert client_address(request("10.0.0.2", "203.0.113.9"), trusted) == "203.0.113.9"
    # a client's own X-Forwarded-For comes first; the proxy appends the real peer last
    assert client_address(request("10.0.0.2", "1.1.1.1, 203.0.113.9"), trusted) == "203.0.113.9"
    assert client_address(request("10.0.0.2", "1.1.1.1, 203.0.113.9, 10.0.0.7"), trusted) == "203.0.113.9"  # fmt: skip
    assert client_address(request("127.0.0.1", "1.1.1.1"), ()) == "127.0.0.1"


def test_a_locked_account_says_so_even_with_the_right_password(world: World) -> None:
    failures = world.settings.login_failures_before_lockout
    for i in range(failures):
        with _client_for(world, f"192.0.2.{i + 1}") as client:  # spread over addresses
            assert login(client, "clin_a", "wrong-password-1").status_code == 401
    with _client_for(world, "192.0.2.200") as client:
        response = login(client, "clin_a")
    assert response.status_code == 429
    assert "locked" in response.text and "minutes" in response.text


def test_unknown_user_costs_the_same_argon2_check_as_a_wrong_password(world: World) -> None:
    def timed(username: str, address: str) -> float:
        with _client_for(world, address) as client:
            client.get("/login")
            csrf = client.cookies.get("leptodx_login_csrf")
            started = time.perf_counter()
            response = client.post("/login", data={"username": username, "password": "wrong-password-1", "csrf_token": csrf})  # fmt: skip
            assert response.status_code == 401
            return time.perf_counter() - started

    known = statistics.median(timed("clin_b", f"198.51.100.{i}") for i in range(4))
    unknown = statistics.median(timed(f"ghost{i}", f"198.51.100.{i + 50}") for i in range(4))
    assert unknown > 0.5 * known  # before the fix: 7-11 ms against 244-331 ms (~3 %)


def test_failed_logins_with_huge_user_names_do_not_grow_the_database(world: World) -> None:
    huge = "x" * 900_000  # under the 1 MiB body limit
    for i in range(3):
        with _client_for(world, f"203.0.113.{i}") as client:
            assert login(client, huge + str(i), "wrong-password-1").status_code == 401
    with transaction(world.app.state.sessions) as db:
        actors = list(
            db.scalars(select(AuditEntry.actor).where(AuditEntry.action == "login_failed"))
        )
        size = db.scalar(select(func.sum(func.length(AuditEntry.actor))))
    assert len(actors) == 3 and all(len(a) <= 64 for a in actors)
    assert size < 10_000
    with _client_for(world, "203.0.113.99") as client:
        client.get("/login")
        body = {"username": "x" * 2_000_000, "password": "p", "csrf_token": "c"}
        assert client.post("/login", data=body).status_code == 413


@pytest.mark.parametrize(
    ("username", "pw", "field"),
    [
        ("u" * 65, "long-enough-password", "username"),
        ("ok-name", "short-pw-11", "password"),
        ("bad name", "long-enough-password", "username"),
    ],
)
def test_names_and_passwords_follow_the_rules_on_the_admin_page(
    world: World, username: str, pw: str, field: str
) -> None:
    login(world.client, "adm_a")
    page = world.client.get("/admin/users")
    csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    response = world.client.post(
        "/admin/users",
        data={"username": username, "password": pw, "role": "clinician", "csrf_token": csrf},
    )
    label = {"username": "User name:", "password": "Password:"}[field]  # the form's words
    assert response.status_code == 422 and label in response.text
    with transaction(world.app.state.sessions) as db:
        assert db.scalar(select(User).where(User.username == username)) is None


def test_admin_page_audits_the_admin_as_the_actor(world: World) -> None:
    login(world.client, "adm_a")
    page = world.client.get("/admin/users")
    csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    response = world.client.post(
        "/admin/users",
        data={
            "username": "newbie",
            "password": "a-good-password",
            "role": "clinician",
            "csrf_token": csrf,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    with transaction(world.app.state.sessions) as db:
        entry = db.scalars(select(AuditEntry).where(AuditEntry.entity == "user", AuditEntry.action == "create").order_by(AuditEntry.id.desc())).first()  # fmt: skip
    assert entry is not None and entry.actor == "adm_a" and entry.detail["username"] == "newbie"


@pytest.fixture
def cli_env(world: World, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("LEPTODX_DATABASE_URL", world.settings.sqlalchemy_url)
    monkeypatch.setenv("LEPTODX_DATA_DIR", str(world.settings.data_dir))
    yield CliRunner()


def test_cli_refuses_short_passwords_and_long_names(cli_env: CliRunner) -> None:
    from leptodx.cli import app

    short = cli_env.invoke(app, ["users", "add", "ok", "--role", "clinician", "--password-stdin"], input="elevenchars\n")  # fmt: skip
    assert short.exit_code == 2 and "password" in short.stderr and "12" in short.stderr
    assert "elevenchars" not in short.stderr
    long = cli_env.invoke(app, ["users", "add", "n" * 65, "--role", "clinician", "--password-stdin"], input="long-enough-pass\n")  # fmt: skip
    assert long.exit_code == 2 and "username" in long.stderr


@pytest.mark.parametrize("days", ["0", "-1", "3651"])
def test_token_expiry_must_be_1_to_3650_days(cli_env: CliRunner, days: str) -> None:
    from leptodx.cli import app

    result = cli_env.invoke(app, ["tokens", "create", "t", "--user", "clin_a", "--days", days])
    assert result.exit_code == 2 and "--days" in result.stderr


def test_tokens_expire_by_default(cli_env: CliRunner, world: World) -> None:
    from leptodx.cli import app

    result = cli_env.invoke(app, ["tokens", "create", "t", "--user", "clin_a"])
    assert result.exit_code == 0 and "expires" in result.stderr
    token = result.stdout.strip()
    assert world.client.get("/api/v1/patients", headers={"Authorization": f"Bearer {token}"}).status_code == 200  # fmt: skip


def test_login_limits_hold_on_a_live_server_with_forwarded_headers(tmp_path: Path) -> None:
    """Against uvicorn itself (``leptodx serve`` turns uvicorn's proxy-header trust off)."""
    settings = make_settings(tmp_path)
    from leptodx.store.db import upgrade

    upgrade(settings.sqlalchemy_url)
    with serve(create_app(settings)) as live:
        codes = []
        with httpx.Client(base_url=live.url) as client:
            for i in range(settings.login_attempts_per_minute + 2):
                page = client.get("/login")
                csrf = page.cookies["leptodx_login_csrf"]
                r = client.post(
                    "/login",
                    data={"username": f"u{i}", "password": "wrong-password-1", "csrf_token": csrf},
                    headers={
                        "X-Forwarded-For": f"10.1.2.{i}",
                        "Cookie": f"leptodx_login_csrf={csrf}",
                    },
                )
                codes.append(r.status_code)
    assert codes[-1] == 429 and codes[0] == 401
