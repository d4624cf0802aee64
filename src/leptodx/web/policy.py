"""The one authorisation policy: every route → who may call it and which records it reaches.

:data:`POLICY` is the table (docs/security.md prints it); :func:`leptodx.web.deps.authorize`, one
dependency on every route, enforces it. A route missing from the table is refused (403) and fails
the test generated from the app's route table (tests/security/test_policy_matrix.py).

Data scopes (:mod:`leptodx.store.scope`): ``patient``/``case`` — the record's team must be the
user's (admins: all; teams disabled: all); ``job`` — creator, team or admin; ``team-member`` —
creating patients needs a team when teams are enabled. Researchers reach no identified patient
data: their routes are the stateless assessment, model scoring and their own cohort analyses.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from leptodx.interop.cds_hooks.cards import SERVICE_ID
from leptodx.interop.cds_hooks.orders import ORDER_SERVICE_ID
from leptodx.store.crud import ROLES


class Access(StrEnum):
    PUBLIC = "public"
    USER = "user"
    """A logged-in user (session cookie + CSRF on unsafe methods) or an API token."""
    EHR = "ehr"
    """A registered EHR's signed JWT (CDS Hooks; checked by the route's ``EhrClaims``)."""


class Scope(StrEnum):
    NONE = "none"
    PATIENT = "patient"
    CASE = "case"
    JOB = "job"
    TEAM_MEMBER = "team-member"


ANY = frozenset(ROLES)
CLINICAL = frozenset({"clinician", "admin"})
RESEARCH = frozenset({"researcher", "admin"})
ADMIN = frozenset({"admin"})


@dataclass(frozen=True, slots=True)
class Rule:
    access: Access
    roles: frozenset[str] = frozenset()
    scope: Scope = Scope.NONE
    upload: bool = False
    """Takes a file upload (the upload size limit applies instead of the body limit)."""


PUBLIC = Rule(Access.PUBLIC)
EHR = Rule(Access.EHR)


def user(roles: frozenset[str], scope: Scope = Scope.NONE, *, upload: bool = False) -> Rule:
    return Rule(Access.USER, roles, scope, upload)


PATIENT = "/api/v1/patients/{patient_id}"
POLICY: dict[tuple[str, str], Rule] = {
    # public: health, API description, static files, CDS Hooks discovery, login
    ("GET", "/healthz"): PUBLIC,
    ("GET", "/openapi.json"): PUBLIC,
    ("GET", "/docs"): PUBLIC,
    ("GET", "/static"): PUBLIC,
    ("GET", "/cds-services"): PUBLIC,
    ("GET", "/login"): PUBLIC,
    ("POST", "/login"): PUBLIC,
    # CDS Hooks service calls: the EHR's JWT
    ("POST", f"/cds-services/{SERVICE_ID}"): EHR,
    ("POST", f"/cds-services/{SERVICE_ID}/feedback"): EHR,
    ("POST", f"/cds-services/{ORDER_SERVICE_ID}"): EHR,
    ("POST", f"/cds-services/{ORDER_SERVICE_ID}/feedback"): EHR,
    # API
    ("POST", "/api/v1/assess"): user(ANY),
    ("GET", "/api/v1/patients"): user(CLINICAL),
    ("POST", "/api/v1/patients"): user(CLINICAL, Scope.TEAM_MEMBER),
    ("GET", PATIENT): user(CLINICAL, Scope.PATIENT),
    ("PATCH", PATIENT): user(CLINICAL, Scope.PATIENT),
    ("GET", f"{PATIENT}/cases"): user(CLINICAL, Scope.PATIENT),
    ("POST", f"{PATIENT}/cases"): user(CLINICAL, Scope.PATIENT),
    ("GET", "/api/v1/cases/{case_id}"): user(CLINICAL, Scope.CASE),
    ("GET", f"{PATIENT}/followup"): user(CLINICAL, Scope.PATIENT),
    ("POST", f"{PATIENT}/events"): user(CLINICAL, Scope.PATIENT),
    ("POST", f"{PATIENT}/events/{{event_id}}/entered-in-error"): user(CLINICAL, Scope.PATIENT),
    ("POST", f"{PATIENT}/events/{{event_id}}/amend"): user(CLINICAL, Scope.PATIENT),
    ("POST", "/api/v1/models"): user(RESEARCH),
    ("POST", "/api/v1/models/{model_id}/score"): user(ANY),
    ("POST", "/api/v1/cohorts"): user(RESEARCH, upload=True),
    ("GET", "/api/v1/cohorts/{job_id}"): user(RESEARCH, Scope.JOB),
    ("GET", "/api/v1/cohorts/{job_id}/report"): user(RESEARCH, Scope.JOB),
    # pages
    ("POST", "/logout"): user(ANY),
    ("GET", "/"): user(ANY),
    ("GET", "/cases/new"): user(CLINICAL, Scope.TEAM_MEMBER),
    ("POST", "/cases/new"): user(CLINICAL, Scope.TEAM_MEMBER),
    ("POST", "/cases/check"): user(CLINICAL),
    ("GET", "/cases/{case_id}"): user(CLINICAL, Scope.CASE),
    ("GET", "/cases/{case_id}/assessment.pdf"): user(CLINICAL, Scope.CASE),
    ("GET", "/patients/{patient_id}"): user(CLINICAL, Scope.PATIENT),
    ("GET", "/patients/{patient_id}/timeline.png"): user(CLINICAL, Scope.PATIENT),
    ("POST", "/patients/{patient_id}/events"): user(CLINICAL, Scope.PATIENT),
    ("POST", "/patients/{patient_id}/events/{event_id}/entered-in-error"): user(
        CLINICAL, Scope.PATIENT
    ),
    ("POST", "/patients/{patient_id}/events/{event_id}/amend"): user(CLINICAL, Scope.PATIENT),
    ("GET", "/cohorts"): user(RESEARCH),
    ("POST", "/cohorts"): user(RESEARCH, upload=True),
    ("GET", "/research/models"): user(RESEARCH),
    ("POST", "/research/models"): user(RESEARCH, upload=True),
    ("GET", "/research/survival"): user(RESEARCH),
    ("POST", "/research/survival"): user(RESEARCH, upload=True),
    ("GET", "/admin/users"): user(ADMIN),
    ("POST", "/admin/users"): user(ADMIN),
    ("POST", "/admin/users/{user_id}/deactivate"): user(ADMIN),
    ("POST", "/admin/users/{user_id}/password"): user(ADMIN),
    ("POST", "/admin/users/{user_id}/role"): user(ADMIN),
    ("GET", "/admin/audit"): user(ADMIN),
    ("GET", "/admin/audit.csv"): user(ADMIN),
}

UPLOAD_PATHS = frozenset(path for (_, path), rule in POLICY.items() if rule.upload)


def rule_for(method: str, path: str) -> Rule | None:
    return POLICY.get(("GET" if method == "HEAD" else method, path))


def permits(role: str, method: str, path: str) -> bool:
    """May a user of ``role`` call the route (scope aside)? For showing links and buttons."""
    rule = rule_for(method, path)
    return rule is not None and (rule.access is not Access.USER or role in rule.roles)


def is_api_path(path: str) -> bool:
    """Routes answered as problem documents (the others are pages with HTML error pages)."""
    return path.startswith(("/api/", "/cds-services", "/openapi.json", "/healthz"))


def policy_markdown() -> str:
    """The policy as the Markdown table of docs/security.md (a test keeps the two equal)."""
    rows = ["| method | route | who | data scope |", "|---|---|---|---|"]
    for (method, path), rule in sorted(POLICY.items(), key=lambda item: (item[0][1], item[0][0])):
        who = {
            Access.PUBLIC: "anyone",
            Access.EHR: "registered EHR (signed JWT)",
            Access.USER: ", ".join(r for r in ROLES if r in rule.roles),
        }[rule.access]
        scope = "—" if rule.scope is Scope.NONE else rule.scope.value
        rows.append(
            f"| {method} | `{path}` | {who} | {scope}{' (upload)' if rule.upload else ''} |"
        )
    return "\n".join(rows)
