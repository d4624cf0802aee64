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


def r4b_problems(bundle: dict[str, Any]) -> list[str]:
    """Problems found by the standard's own models: ``fhir.resources`` R4B (element types,
    cardinality, required elements), plus the reference target types those models declare
    (``enum_reference_types``), which the library lists but does not enforce."""
    from fhir.resources.core.fhirabstractmodel import FHIRAbstractModel
    from fhir.resources.R4B.bundle import Bundle
    from fhir.resources.R4B.reference import Reference

    try:
        model = Bundle.parse_obj(bundle)
    except ValueError as exc:
        return [" ".join(str(exc).split())]
    types = {
        e["fullUrl"]: e["resource"]["resourceType"]
        for e in bundle.get("entry", [])
        if e.get("fullUrl")
    }
    problems: list[str] = []

    def target(ref: str) -> str | None:
        if ref in types:
            return types[ref]
        parts = ref.rstrip("/").split("/")
        return parts[-2] if len(parts) >= 2 and parts[-2][:1].isupper() else None

    def walk(node: Any, path: str) -> None:
        if isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, f"{path}[{i}]")
            return
        if not isinstance(node, FHIRAbstractModel):
            return
        for name, field in node.__fields__.items():
            value = getattr(node, name, None)
            if value is None:
                continue
            allowed = field.field_info.extra.get("enum_reference_types")
            refs = value if isinstance(value, list) else [value]
            if allowed and "Resource" not in allowed:
                for ref in refs:
                    kind = target(ref.reference) if isinstance(ref, Reference) and ref.reference else None  # fmt: skip
                    if kind is not None and kind not in allowed:
                        problems.append(f"{path}.{name}: {ref.reference} is a {kind}; R4B allows {', '.join(allowed)}")  # fmt: skip
            walk(value, f"{path}.{name}")

    walk(model, "Bundle")
    return problems
