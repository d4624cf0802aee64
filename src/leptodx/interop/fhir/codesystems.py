"""LeptoDx's local code systems as FHIR R4 CodeSystem resources (``leptodx fhir codesystems``)."""

from __future__ import annotations

from typing import Any

from leptodx.reference import fhir_codes as codes


def codesystem_resources() -> list[dict[str, Any]]:
    """One complete CodeSystem resource per local code system, versioned."""
    return [
        {
            "resourceType": "CodeSystem",
            "id": f"leptodx-{cs.name}",
            "url": cs.url,
            "version": codes.CODESYSTEM_VERSION,
            "name": "LeptoDx" + "".join(part.title() for part in cs.name.split("-")),
            "title": cs.title,
            "status": "active",
            "experimental": False,
            "publisher": "LeptoDx",
            "description": cs.description or cs.title,
            "caseSensitive": True,
            "content": "complete",
            "count": len(cs.concepts),
            "concept": [{"code": k, "display": v} for k, v in cs.concepts.items()],
        }
        for cs in codes.LOCAL_CODESYSTEMS
    ]
