"""The assessment JSON contract (``assess_record`` output, stored with each case) as typed,
read-only objects for the adapters that turn it into FHIR resources and CDS Hooks cards.

An assessment crosses process boundaries as JSON (the web app stores it; the CLI reads it back);
adapters read it through :meth:`AssessmentResult.of`, never by string keys, so a renamed field
fails in one place with a clear validation error. Only the fields the adapters use are modelled;
the rest of the contract is ignored here (the JSON is unchanged).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class SourceEntry(_Part):
    """One cited source (``sources[]``)."""

    key: str
    citation: str
    url: str | None = None


class NextStepEntry(_Part):
    """One next step the guideline suggests (``eano_esmo.next_steps[]``)."""

    code: str
    text: str


class EanoEsmoResult(_Part):
    """The EANO–ESMO classification (``eano_esmo``)."""

    outcome: str
    level: str | None = None
    type: str | None = None
    rule_status: str
    rule_risk: str | None = None
    guideline: str
    ruleset_version: str
    next_steps: tuple[NextStepEntry, ...] = ()
    sources: tuple[str, ...] = ()


class AnalyteResult(_Part):
    """One CSF analyte as judged against its limit (``csf.analytes[]``)."""

    name: str
    canonical_value: float | None = None
    canonical_unit: str | None = None
    limit: str | None = None
    limit_lower: float | None = None
    limit_upper: float | None = None
    status: str | None = None
    source: str | None = None


class QalbResult(_Part):
    """The albumin quotient with its age-dependent limit (``csf.qalb``)."""

    value: float
    unit: str
    limit: float | None = None
    limit_text: str | None = None
    barrier_dysfunction: bool | None = None
    source: str | None = None


class CsfFindingsResult(_Part):
    """Which CSF findings are LM-typical (``csf.findings``)."""

    lm_typical: tuple[str, ...] = ()


class CsfResult(_Part):
    """The CSF interpretation (``csf``)."""

    profile: str
    profile_description: str
    analytes: tuple[AnalyteResult, ...] = ()
    qalb: QalbResult | None = None
    findings: CsfFindingsResult = CsfFindingsResult()


class FhirUse(_Part):
    """One value taken from a FHIR resource (``fhir_import.used[]``)."""

    field: str
    resource: str
    date: str | None = None


class FhirImportResult(_Part):
    """What an assessment from FHIR resources used (``fhir_import``)."""

    used: tuple[FhirUse, ...] = ()


class AssessmentResult(_Part):
    """The parts of one assessment that the FHIR exporter and the CDS cards read."""

    patient_id: str | int | None = None
    eano_esmo: EanoEsmoResult
    csf: CsfResult
    sources: tuple[SourceEntry, ...] = ()
    fhir_import: FhirImportResult | None = None

    @classmethod
    def of(cls, result: Mapping[str, Any]) -> AssessmentResult:
        """The typed view of an assessment's JSON (``assess_record`` output)."""
        return cls.model_validate(result)

    @property
    def fhir_used(self) -> tuple[FhirUse, ...]:
        return self.fhir_import.used if self.fhir_import is not None else ()

    def source(self, key: str | None) -> SourceEntry | None:
        """The cited source with ``key``, or None."""
        return next((s for s in self.sources if s.key == key), None)
