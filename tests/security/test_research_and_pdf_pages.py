"""Attacker's view of the routes issue 15 added: the fitted-model page, the report view/PDF and
the assessment PDF. Who may call them is in the policy matrix (test_policy_matrix.py); here:
other teams' jobs, missing CSRF, oversized or hostile model files, script in a model's name,
and the sandbox on a report shown in the browser."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select

from leptodx.models.fitted import FittedModel
from leptodx.store.db import transaction
from leptodx.store.models import CohortJob, FittedModelRecord

from .conftest import World, login


def _models(world: World) -> int:
    with transaction(world.app.state.sessions) as db:
        return int(db.scalar(select(func.count()).select_from(FittedModelRecord)) or 0)


def _finish(world: World, team: str, model: FittedModel, folder: Path) -> int:
    """Mark the team's job done with a report folder holding ``model.json`` and a report."""
    folder.mkdir(parents=True)
    (folder / "model.json").write_text(json.dumps(model.sealed().model_dump(mode="json")))
    (folder / "report.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><title>r</title></head><body>'
        "<p>report</p><script>document.title='x'</script></body></html>"
    )
    with transaction(world.app.state.sessions) as db:
        job = db.get(CohortJob, world.jobs[team])
        assert job is not None
        job.status, job.result_path = "done", str(folder)
    return world.jobs[team]


def test_another_teams_finished_job_cannot_be_taken_as_a_model(
    world: World, site_x_model: FittedModel, tmp_path: Path
) -> None:
    job_a = _finish(world, "a", site_x_model, tmp_path / "a")
    before = _models(world)
    stolen = world.client.post(
        "/research/models", data={"job_id": str(job_a)}, headers=world.auth("res_b")
    )
    assert stolen.status_code == 422 and "a finished cohort job of yours" in stolen.text
    assert _models(world) == before
    page = world.client.get("/research/models", headers=world.auth("res_b")).text
    assert f'<option value="{job_a}">' not in page  # not even offered
    own = world.client.post(
        "/research/models",
        data={"job_id": str(job_a)},
        headers=world.auth("res_a"),
        follow_redirects=False,
    )
    assert own.status_code == 303 and _models(world) == before + 1


def test_model_upload_with_a_session_cookie_needs_the_csrf_token(world: World) -> None:
    assert login(world.client, "res_a").status_code == 303
    before = _models(world)
    response = world.client.post(
        "/research/models", files={"file": ("m.json", b"{}", "application/json")}
    )
    assert response.status_code == 403 and _models(world) == before


def test_oversized_and_hostile_model_files_are_refused_without_storing(world: World) -> None:
    before = _models(world)
    for content in (
        b"[" * 100_000 + b"]" * 100_000,  # deep nesting
        b'{"a": "' + b"x" * (5 * 1024 * 1024) + b'"}',  # over the model size limit
        b'{"spec": "\\ud800"}',  # lone surrogate
        b"\xff\xfe\x00",
    ):
        response = world.client.post(
            "/research/models",
            files={"file": ("m.json", content, "application/json")},
            headers=world.auth("res_a"),
        )
        assert response.status_code == 422, (content[:20], response.status_code)
    assert _models(world) == before


def test_a_models_name_is_shown_as_text_not_markup(world: World, site_x_model: FittedModel) -> None:
    spec = site_x_model.spec.model_copy(update={"name": "<script>alert(1)</script>"})
    hostile = site_x_model.model_copy(update={"spec": spec}).sealed()
    stored = world.client.post(
        "/research/models",
        files={"file": ("m.json", hostile.model_dump_json().encode(), "application/json")},
        headers=world.auth("res_a"),
        follow_redirects=False,
    )
    assert stored.status_code == 303
    page = world.client.get("/research/models", headers=world.auth("res_a")).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    case = world.client.get(f"/cases/{world.cases['a']}", headers=world.auth("clin_a")).text
    assert "<script>alert(1)</script>" not in case


def test_a_report_shown_in_the_browser_is_sandboxed(
    world: World, site_x_model: FittedModel, tmp_path: Path
) -> None:
    job = _finish(world, "a", site_x_model, tmp_path / "r")
    view = world.client.get(
        f"/api/v1/cohorts/{job}/report?download=false", headers=world.auth("res_a")
    )
    assert view.status_code == 200
    policy = [p.strip() for p in view.headers["content-security-policy"].split(";")]
    assert "sandbox" in policy and "default-src 'none'" in policy
    assert not any(p.startswith("script-src") for p in policy)
    other = world.client.get(
        f"/api/v1/cohorts/{job}/report?file=report.pdf", headers=world.auth("res_b")
    )
    assert other.status_code == 404 and b"%PDF" not in other.content
    assert not (tmp_path / "r" / "report.pdf").exists()  # nothing rendered for the attacker


def test_assessment_pdf_of_another_team_is_404_and_never_rendered(world: World) -> None:
    response = world.client.get(
        f"/cases/{world.cases['b']}/assessment.pdf", headers=world.auth("clin_a")
    )
    assert response.status_code == 404 and not response.content.startswith(b"%PDF")
    assert "MRN-b" not in response.text
