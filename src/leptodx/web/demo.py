"""Demo data for ``leptodx serve --demo``: one user per role and the shipped example patients."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from leptodx.clinical.assess import assess_record
from leptodx.store import crud
from leptodx.store.models import User

DEMO_USERS = {"clinician": "clinician", "researcher": "researcher", "admin": "admin"}
"""user name → role; the demo password is ``demo-<name>-pass`` (development mode only)."""
EXAMPLES = Path(__file__).parents[3] / "examples"


def demo_password(username: str) -> str:
    """Known to everyone: ``leptodx serve --demo`` refuses production and other databases."""
    return f"demo-{username}-pass"


def seed(session: Session) -> list[tuple[str, str, str]]:
    """Create the demo users and cases once; returns (user, role, password) for display."""
    logins = [(name, role, demo_password(name)) for name, role in DEMO_USERS.items()]
    if session.scalar(select(User).where(User.username == "clinician")) is not None:
        return logins
    from leptodx.followup.events import parse_timeline
    from leptodx.store.followup import add_event

    users = {
        name: crud.create_user(session, username=name, password=pw, role=role, actor="demo")
        for name, role, pw in logins
    }
    for path in sorted(EXAMPLES.glob("*.json")) + sorted(EXAMPLES.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text) if path.suffix == ".yaml" else json.loads(text)
        patient = crud.create_patient(
            session, user=users["clinician"], external_id=data.get("patient_id", path.stem)
        )
        crud.add_case(
            session, user=users["clinician"], patient=patient, data=data, result=assess_record(data)
        )
    for path in sorted((EXAMPLES / "followup").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        timeline = parse_timeline(data)
        patient = crud.create_patient(
            session, user=users["clinician"], external_id=timeline.patient_id or path.stem
        )
        for event in timeline.events:
            add_event(
                session,
                user=users["clinician"],
                patient=patient,
                data=event.model_dump(mode="json", exclude_none=True),
            )
    return logins
