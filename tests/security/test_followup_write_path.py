"""Finding 5: a future-dated event is refused when written; a wrong event is marked
entered-in-error (audited, never deleted) and stops counting."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import insert, select

from leptodx.store.db import transaction
from leptodx.store.models import AuditEntry, FollowupEvent

from .conftest import World, login

MRI = {"kind": "mri", "date": "2024-03-01", "pattern": "B"}


def _followup(world: World, scope: str = "a") -> dict:  # type: ignore[type-arg]
    """The follow-up with the recorded events only (the patient's saved assessment adds its
    lumbar puncture, marked ``"source": "assessment"``)."""
    response = world.client.get(
        f"/api/v1/patients/{world.patients[scope]}/followup", headers=world.auth("clin_a")
    )
    assert response.status_code == 200, response.text
    summary = response.json()
    assert all(e.get("source") == "assessment" for e in summary["events"] if "id" not in e)
    summary["events"] = [e for e in summary["events"] if "id" in e]
    return summary  # type: ignore[no-any-return]


def test_a_future_dated_event_is_refused_at_write_time(world: World) -> None:
    for day in ("9999-12-31", (date.today() + timedelta(days=1)).isoformat()):
        response = world.client.post(
            f"/api/v1/patients/{world.patients['a']}/events",
            json={**MRI, "date": day},
            headers=world.auth("clin_a"),
        )
        assert response.status_code == 422 and response.json()["field"] == "date"
    assert [e["date"] for e in _followup(world)["events"]] == ["2024-01-05"]
    today = world.client.post(
        f"/api/v1/patients/{world.patients['a']}/events",
        json={**MRI, "date": date.today().isoformat()},
        headers=world.auth("clin_a"),
    )
    assert today.status_code == 201


def test_the_event_form_refuses_a_future_date_inline(world: World) -> None:
    login(world.client, "clin_a")
    page = f"/patients/{world.patients['a']}"
    csrf = world.client.get(page).text.split('name="csrf_token" value="')[1].split('"')[0]
    response = world.client.post(f"{page}/events", data={**MRI, "date": "9999-12-31", "csrf_token": csrf})  # fmt: skip
    assert response.status_code == 422 and "not after today" in response.text
    assert world.client.get(page).status_code == 200


def test_an_event_marked_entered_in_error_is_kept_audited_and_no_longer_counts(
    world: World,
) -> None:
    pid, eid = world.patients["a"], world.events["a"]
    url = f"/api/v1/patients/{pid}/events/{eid}/entered-in-error"
    no_reason = world.client.post(url, json={"reason": ""}, headers=world.auth("clin_a"))
    assert no_reason.status_code == 422
    marked = world.client.post(url, json={"reason": "wrong patient"}, headers=world.auth("clin_a"))
    assert marked.status_code == 200 and marked.json()["entered_in_error"] is True
    summary = _followup(world)
    assert summary["events"] == []
    assert [(e["id"], e["reason"]) for e in summary["entered_in_error"]] == [(eid, "wrong patient")]
    again = world.client.post(url, json={"reason": "twice"}, headers=world.auth("clin_a"))
    assert again.status_code == 409
    with transaction(world.app.state.sessions) as db:
        assert db.get(FollowupEvent, eid) is not None
        entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "entered_in_error")).one()
    assert entry.actor == "clin_a" and entry.detail["reason"] == "wrong patient"


def test_an_event_of_another_patient_cannot_be_marked_through_this_one(world: World) -> None:
    url = f"/api/v1/patients/{world.patients['a']}/events/{world.events['b']}/entered-in-error"
    response = world.client.post(url, json={"reason": "x"}, headers=world.auth("adm_a"))
    assert response.status_code == 404


def test_a_future_event_stored_before_the_fix_does_not_brick_the_patient(world: World) -> None:
    pid = world.patients["a"]
    with transaction(world.app.state.sessions) as db:
        legacy = db.execute(
            insert(FollowupEvent).values(
                patient_id=pid,
                kind="mri",
                date=date(9999, 12, 31),
                data={**MRI, "date": "9999-12-31"},
                created_by=1,
                created_at=FollowupEvent.created_at.default.arg(None),  # type: ignore[union-attr]
            )
        ).inserted_primary_key[0]
    assert "9999-12-31" in [e["date"] for e in _followup(world)["events"]]
    login(world.client, "clin_a")
    assert world.client.get(f"/patients/{pid}").status_code == 200
    assert world.client.get(f"/patients/{pid}/timeline.png").status_code == 200
    mark = world.client.post(
        f"/api/v1/patients/{pid}/events/{legacy}/entered-in-error",
        json={"reason": "date typed wrong"},
        headers=world.auth("clin_a"),
    )
    assert mark.status_code == 200
    assert "9999-12-31" not in [e["date"] for e in _followup(world)["events"]]


def test_the_patient_page_marks_an_event_entered_in_error(world: World) -> None:
    login(world.client, "clin_a")
    page = f"/patients/{world.patients['a']}"
    html = world.client.get(page).text
    action = f"{page}/events/{world.events['a']}/entered-in-error"
    assert f'action="{action}"' in html
    csrf = html.split('name="csrf_token" value="')[1].split('"')[0]
    response = world.client.post(action, data={"csrf_token": csrf, "reason": "typed twice"}, follow_redirects=False)  # fmt: skip
    assert response.status_code == 303
    after = world.client.get(page).text
    assert "Entered in error" in after and "typed twice" in after
    assert _followup(world)["events"] == []
