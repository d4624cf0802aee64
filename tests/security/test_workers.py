"""Several server processes on one database (``leptodx serve --workers N``, or two servers):
the login limits are counted in the database, so they hold across processes
(docs/decisions/web-workers.md)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from .conftest import free_port, wait_healthy

PASSWORD = "right-password-12"


def _env(data: Path) -> dict[str, str]:
    return {
        **os.environ,
        "LEPTODX_DATA_DIR": str(data),
        "LEPTODX_ENVIRONMENT": "development",
        "LEPTODX_LOGIN_ATTEMPTS_PER_MINUTE": "6",
        "LEPTODX_LOGIN_FAILURES_BEFORE_LOCKOUT": "2",
    }


def _cli(env: dict[str, str], *args: str, stdin: str = "") -> str:
    done = subprocess.run(
        [sys.executable, "-m", "leptodx", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.strip()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    env = _env(tmp_path)
    _cli(env, "db", "upgrade")
    _cli(env, "users", "add", "clin", "--role", "clinician", "--password-stdin", stdin=PASSWORD + "\n")  # fmt: skip
    return env


@contextmanager
def _server(env: dict[str, str], *extra: str) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "leptodx", "serve", "--port", str(port), *extra],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        assert wait_healthy(url, attempts=600), "the server did not start"
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def _login(url: str, username: str, password: str) -> httpx.Response:
    with httpx.Client(base_url=url) as client:
        csrf = client.get("/login").cookies["leptodx_login_csrf"]
        return client.post(
            "/login",
            data={"username": username, "password": password, "csrf_token": csrf},
            headers={"Cookie": f"leptodx_login_csrf={csrf}"},
        )


def test_login_limits_count_across_two_server_processes(env: dict[str, str]) -> None:
    with _server(env) as a, _server(env) as b:
        assert _login(a, "clin", "wrong-password-1").status_code == 401
        assert _login(b, "clin", "wrong-password-2").status_code == 401
        locked = _login(a, "clin", PASSWORD)  # 2 failures, one on each process: locked on both
        assert locked.status_code == 429 and "locked" in locked.text
        assert _login(b, "clin", PASSWORD).status_code == 429
        codes = [_login(url, "nobody", "wrong-password-3").status_code for url in (a, b)]
        assert codes == [401, 401]  # attempts 5 and 6 of 6 a minute from this address
        refused = _login(a, "nobody", "wrong-password-3")
        assert refused.status_code == 429 and "from your address" in refused.text
        assert _login(b, "nobody", "wrong-password-3").status_code == 429


def test_serve_with_two_workers_answers_the_api(env: dict[str, str]) -> None:
    token = _cli(env, "tokens", "create", "t", "--user", "clin")
    record = (Path(__file__).parents[2] / "examples" / "probable_type_iia.json").read_text()
    with _server(env, "--workers", "2") as url:
        for _ in range(8):  # new connections, served by either process
            response = httpx.post(
                f"{url}/api/v1/assess",
                content=record,
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
            assert response.status_code == 200 and response.json()["contract_version"]


def test_the_demo_runs_one_process(env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "leptodx", "serve", "--demo", "--workers", "2"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "--workers" in done.stderr
