"""The login throttle's windows, on the database table (a clock the test moves)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from leptodx.store.db import make_engine, session_factory, transaction, upgrade
from leptodx.store.models import LoginAttempt
from leptodx.web.security import LoginThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def sessions(tmp_path: Path) -> sessionmaker[Session]:
    url = f"sqlite:///{tmp_path / 'throttle.sqlite3'}"
    upgrade(url)
    return session_factory(make_engine(url))


def test_per_client_limit_slides_with_the_minute(sessions: sessionmaker[Session]) -> None:
    clock = Clock()
    throttle = LoginThrottle(per_client=3, failures=5, lockout_s=900, clock=clock)
    with transaction(sessions) as db:
        assert [throttle.client_allowed(db, "10.0.0.1") for _ in range(4)] == [True, True, True, False]  # fmt: skip
        assert throttle.client_allowed(db, "10.0.0.2")  # another address has its own count
        clock.now += 60
        assert throttle.client_allowed(db, "10.0.0.1")


def test_lockout_lasts_its_window_and_a_success_clears_it(sessions: sessionmaker[Session]) -> None:
    clock = Clock()
    throttle = LoginThrottle(per_client=100, failures=2, lockout_s=900, clock=clock)
    with transaction(sessions) as db:
        throttle.failed(db, "Clin")
        assert throttle.locked_for(db, "clin") == 0
        clock.now += 100
        throttle.failed(db, "CLIN")  # user names are case-folded
        # locked until the window has passed over the older of the last 2 failures
        assert throttle.locked_for(db, "clin") == 800
        clock.now += 750
        assert throttle.locked_for(db, "clin") == pytest.approx(50)
        clock.now += 50
        assert throttle.locked_for(db, "clin") == 0
        throttle.failed(db, "clin")
        throttle.succeeded(db, "clin")
        assert throttle.locked_for(db, "clin") == 0


def test_old_attempts_are_deleted(sessions: sessionmaker[Session]) -> None:
    clock = Clock()
    throttle = LoginThrottle(per_client=100, failures=5, lockout_s=900, clock=clock)
    with transaction(sessions) as db:
        for i in range(20):
            throttle.failed(db, f"user{i}")
            assert throttle.client_allowed(db, f"10.0.0.{i}")
        clock.now += 901
        throttle.failed(db, "late")
        assert db.scalar(select(func.count()).select_from(LoginAttempt)) == 1
