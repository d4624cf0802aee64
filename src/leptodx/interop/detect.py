"""Is a parsed document FHIR? A check light enough for every ``leptodx assess`` (no FHIR imports)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def is_fhir(data: Any) -> bool:
    """True for a FHIR Bundle or a JSON list of FHIR resources."""
    if isinstance(data, Mapping):
        return data.get("resourceType") == "Bundle"
    return (
        isinstance(data, list)
        and bool(data)
        and all(isinstance(r, Mapping) and "resourceType" in r for r in data)
    )
