"""Amending a follow-up event, seen by an attacker: wrong role, a session without the CSRF
token, another team's patient or an event of another patient — nothing changes."""

from __future__ import annotations

from sqlalchemy import select

from leptodx.store.models import FollowupEvent

from .conftest import World, login

BODY = {"event": {"kind": "mri", "date": "2024-01-05", "pattern": "B"}, "reason": "x"}
FORM = {"date": "2024-01-05", "pattern": "B", "reason": "x"}


def _unchanged(world: World) -> None:
    with world.app.state.read_sessions() as db:
        rows = list(db.scalars(select(FollowupEvent)))
    assert all(r.entered_in_error_at is None for r in rows)
    assert len(rows) == 3


def test_amend_api_refuses_wrong_role_other_team_and_foreign_event(world: World) -> None:
    a, b = world.patients["a"], world.patients["b"]
    api = "/api/v1/patients/{}/events/{}/amend"
    assert world.client.post(api.format(a, world.events["a"]), json=BODY, headers=world.auth("res_a")).status_code == 403  # fmt: skip
    assert world.client.post(api.format(b, world.events["b"]), json=BODY, headers=world.auth("clin_a")).status_code == 404  # fmt: skip
    assert world.client.post(api.format(a, world.events["b"]), json=BODY, headers=world.auth("clin_a")).status_code == 404  # fmt: skip
    assert world.client.post(api.format(a, world.events["a"]), json=BODY).status_code == 401
    _unchanged(world)


def test_amend_form_needs_the_csrf_token_and_the_patients_team(world: World) -> None:
    login(world.client, "clin_a")
    a, b = world.patients["a"], world.patients["b"]
    page = world.client.get(f"/patients/{a}?amend={world.events['a']}").text
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    url = "/patients/{}/events/{}/amend"
    assert world.client.post(url.format(a, world.events["a"]), data=FORM).status_code == 403
    assert world.client.post(url.format(a, world.events["a"]), json=BODY["event"]).status_code == 403  # fmt: skip
    assert world.client.post(url.format(b, world.events["b"]), data={**FORM, "csrf_token": csrf}).status_code == 404  # fmt: skip
    assert world.client.post(url.format(a, world.events["b"]), data={**FORM, "csrf_token": csrf}).status_code == 404  # fmt: skip
    assert world.client.get(f"/patients/{b}?amend={world.events['b']}").status_code == 404
    foreign = world.client.get(f"/patients/{a}?amend={world.events['b']}").text
    assert 'id="amend-form"' not in foreign  # another patient's event is never put into a form
    _unchanged(world)


def test_timeline_figure_of_another_team_is_not_served_whatever_the_key(world: World) -> None:
    login(world.client, "clin_b")
    page = world.client.get(f"/patients/{world.patients['b']}").text
    key = page.split("timeline.png?v=")[1].split('"')[0]
    login(world.client, "clin_a")
    response = world.client.get(f"/patients/{world.patients['b']}/timeline.png?v={key}")
    assert response.status_code == 404 and b"PNG" not in response.content


def test_amend_query_out_of_range_is_refused_not_a_crash(world: World) -> None:
    login(world.client, "clin_a")
    page = f"/patients/{world.patients['a']}"
    for bad in ("99999999999999999999", "-1", "abc"):
        response = world.client.get(f"{page}?amend={bad}")
        assert response.status_code == 422, bad
        assert response.headers["content-type"].startswith("text/html")
    assert world.client.get(f"{page}?amend=999999").status_code == 200  # no such event: no form
