"""The README's run command: ``leptodx serve --demo`` starts, seeds, prints logins, answers."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from leptodx.web.demo import demo_password


def test_serve_demo_starts_with_sqlite_demo_users_and_cases(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    src = Path(__file__).parents[2] / "src"
    proc = subprocess.Popen(
        [sys.executable, "-m", "leptodx", "serve", "--demo", "--port", str(port)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"},
    )
    try:
        for _ in range(200):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=0.5).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise AssertionError("server did not start")
        client = httpx.Client(base_url=f"http://127.0.0.1:{port}", follow_redirects=True)
        login_page = client.get("/login")
        csrf = login_page.cookies["leptodx_login_csrf"]
        response = client.post(
            "/login",
            data={
                "username": "clinician",
                "password": demo_password("clinician"),
                "csrf_token": csrf,
            },
        )
        assert response.status_code == 200 and "example-probable-iia" in response.text
        assert (tmp_path / "data" / "demo" / "leptodx.sqlite3").is_file()
    finally:
        proc.terminate()
        output = proc.communicate(timeout=10)[0]
    assert f"log in as 'clinician' / '{demo_password('clinician')}'" in output
