"""A live server with the demo data and a Chromium page (Debian's /usr/bin/chromium) for browser
tests; helpers to log in."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI

from leptodx.store.db import transaction, upgrade
from leptodx.web.app import create_app
from leptodx.web.demo import demo_password, seed
from leptodx.web.settings import Settings

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextmanager
def live_demo(folder: Path) -> Iterator[tuple[str, FastAPI]]:
    """The app with the demo users and patients, served on a free loopback port."""
    settings = Settings(data_dir=folder, secret_key="b" * 40)
    upgrade(settings.sqlalchemy_url)
    app = create_app(settings)
    with transaction(app.state.sessions) as session:
        seed(session)
    with serve(app) as url:
        yield url, app


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """``app`` served by uvicorn in a thread on a free loopback port; its URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.engine.dispose()
        app.state.read_engine.dispose()


@contextmanager
def chromium() -> Iterator[Any]:
    """A Playwright browser on Debian's Chromium (skips, or fails on CI, when it is missing)."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("/usr/bin/chromium missing (scripts/install --test installs it)")
        pytest.skip("Chromium not installed")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def log_in(page: Any, base_url: str, username: str) -> None:
    """Log in through the form as a demo user (in the page's own browser context)."""
    page.goto(f"{base_url}/login")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(demo_password(username))
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base_url}/")
