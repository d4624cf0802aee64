"""Read the resources an assessment needs from a FHIR R4 server (``fhirpy``).

The same queries serve ``leptodx fhir pull`` and the CDS Hooks service: they are the CDS Hooks
prefetch templates (:data:`PREFETCH`), so a server that answers prefetch answers the fallback.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl

from leptodx.errors import InputError
from leptodx.reference import fhir_codes as codes

_LAB_CODES = ",".join(f"{codes.LOINC}|{lab.code}" for lab in codes.LAB_CODES)
_FINDING_CODES = ",".join(
    f"{codes.OBSERVATION_CODES.url}|{c}" for c in (*codes.FINDING_CODES, "known-cancer")
)
PREFETCH: dict[str, str] = {
    "patient": "Patient/{{context.patientId}}",
    "labs": f"Observation?patient={{{{context.patientId}}}}&code={_LAB_CODES}",
    "findings": f"Observation?patient={{{{context.patientId}}}}&code={_FINDING_CODES}",
    "conditions": "Condition?patient={{context.patientId}}",
    "reports": "DiagnosticReport?patient={{context.patientId}}",
    "specimens": "Specimen?patient={{context.patientId}}",
    "procedures": "Procedure?patient={{context.patientId}}",
}
"""CDS Hooks prefetch templates (also the queries of ``fhir pull``)."""


def fill(template: str, patient_id: str) -> str:
    """A prefetch template with the patient id filled in."""
    return template.replace("{{context.patientId}}", patient_id)


def pull_resources(
    server: str,
    patient_id: str,
    *,
    token: str | None = None,
    keys: Iterable[str] = PREFETCH,
    timeout_s: float = 10.0,
) -> dict[str, list[dict[str, Any]]]:
    """The resources of each prefetch key, read from ``server`` (paging followed).

    The searches run concurrently (one client per search): a CDS Hooks call waits for the slowest
    search, not for their sum. The first failure is raised, naming the option to fix.
    """
    from concurrent.futures import ThreadPoolExecutor

    wanted = list(keys)
    if not wanted:
        return {}
    with ThreadPoolExecutor(max_workers=len(wanted)) as pool:
        futures = {
            key: pool.submit(
                _read, server, patient_id, fill(PREFETCH[key], patient_id), token, timeout_s
            )
            for key in wanted
        }
        return {key: future.result() for key, future in futures.items()}


def _read(
    server: str, patient_id: str, query: str, token: str | None, timeout_s: float
) -> list[dict[str, Any]]:
    """One read or search (all pages) as plain resources."""
    from fhirpy import SyncFHIRClient
    from fhirpy.base.exceptions import BaseFHIRError, ResourceNotFound

    client = SyncFHIRClient(
        server.rstrip("/"),
        authorization=f"Bearer {token}" if token else None,
        requests_config={"timeout": timeout_s},
    )
    try:
        if "?" not in query:
            kind, rid = query.split("/", 1)
            resource = client.reference(kind, rid).to_resource()
            return [resource.serialize()]  # type: ignore[no-untyped-call]  # fhirpy is untyped here
        kind, params = query.split("?", 1)
        search = client.resources(kind).search(**dict(parse_qsl(params)))
        return [r.serialize() for r in search.fetch_all()]  # type: ignore[no-untyped-call]  # fhirpy
    except ResourceNotFound:
        raise InputError("--patient", patient_id, f"a Patient id known to {server}") from None
    except BaseFHIRError as exc:
        raise InputError("--server", server, f"a FHIR server answering {query} ({exc})") from None
    except OSError as exc:  # requests' connection errors derive from OSError
        raise InputError("--server", server, f"a reachable FHIR R4 server ({exc})") from None


def as_resources(groups: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Flatten the prefetch groups into one list without duplicates (by type and id)."""
    seen: set[tuple[str, str]] = set()
    out = []
    for resources in groups.values():
        for r in resources:
            key = (str(r.get("resourceType")), str(r.get("id")))
            if r.get("id") and key in seen:
                continue
            seen.add(key)
            out.append(r)
    return out
