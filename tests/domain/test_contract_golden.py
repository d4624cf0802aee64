"""The input contract answers exactly as the committed golden files say (issue 16).

The golden files were written from the pydantic-based contract before it was replaced by the
contract's own validator (``leptodx.domain.patient``); they are the specification of that
change: for every example and every document of the battery (``contract_cases``) the same
validated record, assessment JSON or first error (field, value, expected), and byte for byte the
same published JSON Schema (``leptodx schema``) and OpenAPI request-body components.
Regenerate with ``LEPTODX_UPDATE_GOLDEN=1 pytest tests/domain/test_contract_golden.py`` and
review the diff: a change here is a change of the published contract.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from leptodx.clinical.assess import assess
from leptodx.domain.patient import parse_patient
from leptodx.errors import InputError
from leptodx.followup.events import parse_event

from .contract_cases import EVENTS, ROOT, documents

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("LEPTODX_UPDATE_GOLDEN") == "1"


def _error(exc: InputError) -> dict[str, Any]:
    return {
        "field": exc.field,
        "value": repr(exc.value),
        "expected": exc.expected,
        "message": str(exc),
    }


def _answer(doc: Any, *, assessment: bool) -> dict[str, Any]:
    try:
        patient, quantities = parse_patient(doc)
    except InputError as exc:
        return {"error": _error(exc)}
    answer: dict[str, Any] = {
        "patient": repr(patient),
        "quantities": {k: repr(v) for k, v in quantities.items()},
    }
    if assessment:  # the whole JSON contract for the shipped examples
        answer["assessment"] = assess(patient).to_dict()
    return answer


def _event_answer(doc: Any) -> dict[str, Any]:
    try:
        event = parse_event(doc, where="events[0]")
    except InputError as exc:
        return {"error": _error(exc)}
    return {"event": repr(event), "dump": event.model_dump(mode="json", exclude_none=True)}


def _check(name: str, got: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(got)
    assert got == path.read_text(), f"{name} differs from the golden file"


def _dumps(payload: Any) -> str:
    return json.dumps(payload, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def test_every_document_gives_the_golden_answer() -> None:
    got = {
        name: _answer(doc, assessment=name.startswith("example:"))
        for name, doc in documents().items()
    }
    _check("contract-answers.json", _dumps(got))


def test_lumbar_puncture_events_give_the_golden_answer() -> None:
    got = {name: _event_answer(doc) for name, doc in EVENTS.items()}
    _check("contract-events.json", _dumps(got))


def test_published_schema_is_byte_identical() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "leptodx", "schema"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    _check("input-schema.json", done.stdout)


def test_openapi_request_bodies_are_identical() -> None:
    pytest.importorskip("fastapi")
    from leptodx.web.openapi import _body_schemas

    bodies = _body_schemas()
    got = {
        "PatientInput": bodies[("post", "/api/v1/assess")][1],
        "FollowupEvent": bodies[("post", "/api/v1/patients/{patient_id}/events")][1],
    }
    _check("openapi-bodies.json", json.dumps(got, indent=2, ensure_ascii=False) + "\n")
