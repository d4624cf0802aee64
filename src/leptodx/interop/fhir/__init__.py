"""FHIR R4 import and export (docs/interop.md)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from leptodx.clinical.assess import assess_record
from leptodx.interop.detect import is_fhir
from leptodx.interop.fhir.codesystems import codesystem_resources
from leptodx.interop.fhir.exporter import assessment_bundle
from leptodx.interop.fhir.importer import FhirImport, read_bundle
from leptodx.interop.fhir.template import findings_bundle
from leptodx.interop.fhir.validation import bundle_problems

__all__ = [
    "FhirImport",
    "assess_import",
    "assess_input",
    "assessment_bundle",
    "bundle_problems",
    "codesystem_resources",
    "findings_bundle",
    "is_fhir",
    "read_bundle",
]


def assess_input(
    data: Mapping[str, Any] | list[Any], *, profile: str | None = None, ignore_unknown: bool = True
) -> dict[str, Any]:
    """Assess an input-contract record or FHIR resources; FHIR adds a ``fhir_import`` report."""
    if not is_fhir(data):
        return assess_record(data, profile=profile)  # type: ignore[arg-type]
    return assess_import(read_bundle(data, ignore_unknown=ignore_unknown), profile=profile)


def assess_import(imported: FhirImport, *, profile: str | None = None) -> dict[str, Any]:
    """Assess an imported record; the result carries the ``fhir_import`` report."""
    result = assess_record(imported.record, profile=profile)
    result["fhir_import"] = imported.report()
    result["warnings"] = [*imported.warnings, *result["warnings"]]
    return result
