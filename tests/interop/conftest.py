"""Shared FHIR fixtures: findings bundles built from the example patients."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from leptodx.interop.fhir import findings_bundle

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
WHEN = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def example(name: str) -> dict[str, Any]:
    return json.loads((EXAMPLES / name).read_text())


@pytest.fixture
def record() -> dict[str, Any]:
    return example("probable_type_iia.json")


@pytest.fixture
def bundle(record: dict[str, Any]) -> dict[str, Any]:
    return findings_bundle(record, when=WHEN)


def resources(bundle: dict[str, Any], kind: str, code: str | None = None) -> list[dict[str, Any]]:
    """The bundle's resources of a type (and with a coding code)."""
    out = []
    for e in bundle["entry"]:
        r = e["resource"]
        if r["resourceType"] != kind:
            continue
        if code is None or any(c.get("code") == code for c in r.get("code", {}).get("coding", [])):
            out.append(r)
    return out


def added(bundle: dict[str, Any], resource: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(bundle)
    out["entry"].append({"resource": resource})
    return out
