"""Admin actions on users (deactivate, reset password, change role) and the audit log filter and
CSV export: what they do, who may do them, and how sessions and tokens follow."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from leptodx.store import audit
from leptodx.store.db import transaction
from leptodx.store.models import AuditEntry, User

from .conftest import World, login, password


def _csrf(world: World, page: str = "/admin/users") -> str:
    text = world.client.get(page).text
    return text.split('name="csrf_token" value="')[1].split('"')[0]


def _user_id(world: World, name: str) -> int:
    with world.app.state.read_sessions() as db:
        return int(db.scalar(select(User.id).where(User.username == name)))


def _last(world: World, action: str) -> AuditEntry:
    with world.app.state.read_sessions() as db:
        entry = db.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id.desc())
        ).first()
        assert entry is not None
        return entry


def test_deactivating_a_user_ends_their_sessions_and_tokens_and_is_audited(world: World) -> None:
    victim = world.client.__class__(world.app, base_url="https://testserver")
    assert login(victim, "clin_b").status_code == 303
    assert victim.get("/").status_code == 200
    login(world.client, "adm_a")
    uid = _user_id(world, "clin_b")
    response = world.client.post(
        f"/admin/users/{uid}/deactivate", data={"csrf_token": _csrf(world)}, follow_redirects=False
    )
    assert response.status_code == 303
    assert "deactivated" in world.client.get(response.headers["location"]).text
    assert victim.get("/", follow_redirects=False).headers["location"] == "/login"
    assert world.client.get("/api/v1/patients", headers=world.auth("clin_b")).status_code == 401
    assert login(victim, "clin_b").status_code == 401
    entry = _last(world, "deactivate")
    assert entry.actor == "adm_a" and entry.entity_id == str(uid)
    assert entry.detail["sessions_ended"] == 1


def test_role_change_ends_sessions_and_tokens_carry_the_new_role_at_once(world: World) -> None:
    assert world.client.get("/api/v1/patients", headers=world.auth("clin_b")).status_code == 200
    login(world.client, "adm_a")
    uid = _user_id(world, "clin_b")
    data = {"csrf_token": _csrf(world), "role": "researcher"}
    assert world.client.post(f"/admin/users/{uid}/role", data=data, follow_redirects=False).status_code == 303  # fmt: skip
    assert world.client.get("/api/v1/patients", headers=world.auth("clin_b")).status_code == 403
    entry = _last(world, "set_role")
    assert entry.actor == "adm_a" and entry.detail["role"] == ["clinician", "researcher"]


def test_password_reset_ends_sessions_and_the_new_password_works(world: World) -> None:
    victim = world.client.__class__(world.app, base_url="https://testserver")
    login(victim, "res_b")
    login(world.client, "adm_a")
    uid = _user_id(world, "res_b")
    data = {"csrf_token": _csrf(world), "password": "a-brand-new-password"}
    assert world.client.post(f"/admin/users/{uid}/password", data=data, follow_redirects=False).status_code == 303  # fmt: skip
    assert victim.get("/", follow_redirects=False).status_code == 303
    assert login(victim, "res_b").status_code == 401
    assert login(victim, "res_b", "a-brand-new-password").status_code == 303
    assert _last(world, "set_password").actor == "adm_a"


def test_a_short_password_is_refused_in_words_and_nothing_changes(world: World) -> None:
    login(world.client, "adm_a")
    uid = _user_id(world, "res_b")
    data = {"csrf_token": _csrf(world), "password": "short"}
    response = world.client.post(f"/admin/users/{uid}/password", data=data)
    assert response.status_code == 422
    assert "Password: expected 12 to 1024 characters" in response.text
    assert 'id="error-summary"' in response.text
    assert login(world.client.__class__(world.app, base_url="https://testserver"), "res_b").status_code == 303  # fmt: skip


def test_an_admin_cannot_deactivate_or_demote_themselves(world: World) -> None:
    login(world.client, "adm_a")
    uid = _user_id(world, "adm_a")
    for action, extra in (("deactivate", {}), ("role", {"role": "clinician"})):
        data = {"csrf_token": _csrf(world), **extra}
        response = world.client.post(f"/admin/users/{uid}/{action}", data=data)
        assert response.status_code == 422 and "another admin" in response.text
    with world.app.state.read_sessions() as db:
        me = db.get(User, uid)
        assert me is not None and me.active and me.role == "admin"


@pytest.mark.parametrize("action", ["deactivate", "role", "password"])
def test_admin_actions_need_the_admin_role_and_the_csrf_token(world: World, action: str) -> None:
    uid = _user_id(world, "res_b")
    body = {"role": "admin", "password": "an-attackers-password"}
    for user in ("clin_a", "res_a"):  # wrong role, by token
        r = world.client.post(f"/admin/users/{uid}/{action}", data=body, headers=world.auth(user))
        assert r.status_code == 403
    login(world.client, "adm_a")  # right role, session without the CSRF token
    r = world.client.post(f"/admin/users/{uid}/{action}", data=body)
    assert r.status_code == 403 and "CSRF" in r.text
    r = world.client.post(f"/admin/users/{uid}/{action}", data={**body, "csrf_token": "forged"})
    assert r.status_code == 403
    with world.app.state.read_sessions() as db:
        target = db.get(User, uid)
        assert target is not None and target.active and target.role == "researcher"
    assert login(world.client, "res_b", password("res_b")).status_code == 303


def test_unknown_or_service_users_are_not_found(world: World) -> None:
    login(world.client, "adm_a")
    data = {"csrf_token": _csrf(world)}
    assert world.client.post("/admin/users/999999/deactivate", data=data).status_code == 404
    assert world.client.post("/admin/users/0/deactivate", data=data).status_code == 404


def test_audit_log_filters_by_user_action_and_date(world: World) -> None:
    login(world.client, "adm_a")
    page = world.client.get("/admin/audit", params={"actor": "clin_a", "action": "create"})
    assert page.status_code == 200
    rows = page.text.split('<table id="audit">')[1]
    assert "clin_a" in rows and "adm_a</td>" not in rows and "login" not in rows
    future = world.client.get("/admin/audit", params={"from": "2999-01-01"})
    assert "No entries match." in future.text
    bad = world.client.get("/admin/audit", params={"from": "yesterday"})
    assert bad.status_code == 422 and "a date YYYY-MM-DD" in bad.text
    reversed_ = world.client.get("/admin/audit", params={"from": "2024-02-01", "to": "2024-01-01"})
    assert reversed_.status_code == 422


def test_audit_csv_export_is_filtered_injection_safe_and_audited(world: World) -> None:
    with transaction(world.app.state.sessions) as db:
        audit.record(db, actor="=HYPERLINK(\"http://x\")", action="login_failed", entity="user", detail={"client": "+1"})  # fmt: skip
    login(world.client, "adm_a")
    response = world.client.get("/admin/audit.csv", params={"action": "login_failed"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert rows[0][:4] == ["id", "time_utc", "actor", "action"]
    assert {r[3] for r in rows[1:]} == {"login_failed"}
    actors = [r[2] for r in rows[1:]]
    assert '\'=HYPERLINK("http://x")' in actors
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows[1:] for cell in r)
    export = _last(world, "export")
    assert export.actor == "adm_a" and export.detail == {"action": "login_failed"}
    for user in ("clin_a", "res_a"):
        assert world.client.get("/admin/audit.csv", headers=world.auth(user)).status_code == 403
