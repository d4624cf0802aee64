"""CDS Hooks over real HTTP: an EHR (httpx) calls the service (uvicorn on loopback) with signed JWTs;
the service falls back to a recorded-fixture FHIR server for what was not prefetched."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
import uvicorn
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from leptodx.interop.cds_hooks.cards import SERVICE_ID, SUMMARY_MAX
from leptodx.interop.fhir.client import PREFETCH, fill
from leptodx.store.db import upgrade
from leptodx.web.app import create_app
from leptodx.web.settings import Settings

from .fhir_server import FixtureFhirServer
from .test_fhir_pull import recorded

ISS_EC = "https://ehr.example.org/ec"
ISS_RSA = "https://ehr.example.org/rsa"


def _pem(private: Any) -> str:
    return (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


EC_KEY = ec.generate_private_key(ec.SECP384R1())
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_EC_KEY = ec.generate_private_key(ec.SECP384R1())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Ehr:
    """The calling EHR: signs JWTs and posts hook requests over HTTP."""

    base: str
    fhir: FixtureFhirServer

    @property
    def service_url(self) -> str:
        return f"{self.base}/cds-services/{SERVICE_ID}"

    def token(self, *, alg: str = "ES384", aud: str | None = None, exp_in: int = 300, jti: str | None = None, key: Any = None, iss: str | None = None) -> str:  # fmt: skip
        now = int(time.time())
        claims = {
            "iss": iss or (ISS_EC if alg == "ES384" else ISS_RSA),
            "sub": "ehr-client",
            "aud": aud or self.service_url,
            "iat": now,
            "exp": now + exp_in,
            "jti": jti or str(uuid.uuid4()),
        }
        signer = key or (EC_KEY if alg == "ES384" else RSA_KEY)
        return jwt.encode(claims, signer, algorithm=alg, headers={"kid": "k1"})

    def call(self, token: str | None, *, prefetch: dict[str, Any] | None = None, fallback: bool = True) -> httpx.Response:  # fmt: skip
        body: dict[str, Any] = {
            "hook": "patient-view",
            "hookInstance": str(uuid.uuid4()),
            "context": {"userId": "Practitioner/dr-a", "patientId": "lm-1"},
            "prefetch": prefetch or {},
        }
        if fallback:
            body["fhirServer"] = self.fhir.url
            body["fhirAuthorization"] = {"access_token": "s3cret", "token_type": "Bearer", "expires_in": 300, "scope": "patient/*.read", "subject": "leptodx"}  # fmt: skip
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.post(self.service_url, json=body, headers=headers, timeout=10)


@pytest.fixture
def ehr(tmp_path: Path) -> Iterator[Ehr]:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    jwks = {"keys": [{**json.loads(jwt.algorithms.ECAlgorithm.to_jwk(EC_KEY.public_key())), "kid": "k1", "alg": "ES384", "use": "sig"}]}  # fmt: skip
    url = f"sqlite:///{tmp_path / 'cds.sqlite3'}"
    upgrade(url)
    settings = Settings(
        data_dir=tmp_path,
        database_url=url,
        secret_key="x" * 40,
        public_url=base,
        cds_clients=[{"iss": ISS_EC, "jwks": jwks}, {"iss": ISS_RSA, "public_key": _pem(RSA_KEY)}],
    )
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))  # fmt: skip
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.02)
    with FixtureFhirServer(recorded(), token="s3cret").running() as fhir:
        yield Ehr(base, fhir)
    server.should_exit = True
    thread.join(5)


def test_discovery_lists_the_patient_view_and_order_services_with_prefetch(ehr: Ehr) -> None:
    services = httpx.get(f"{ehr.base}/cds-services").json()["services"]
    assert [(s["hook"], s["id"]) for s in services] == [
        ("patient-view", SERVICE_ID),
        ("order-select", "leptodx-order"),
        ("order-sign", "leptodx-order"),  # same id: the order-sign cards replace order-select's
    ]
    assert all(s["prefetch"] == PREFETCH for s in services)


@pytest.mark.parametrize("alg", ["ES384", "RS384"])
def test_patient_view_with_fhir_fallback_returns_a_card_within_500_ms(ehr: Ehr, alg: str) -> None:
    patient = next(r for r in recorded() if r["resourceType"] == "Patient")
    warm_up = ehr.call(ehr.token(alg=alg), prefetch={"patient": patient})  # first-call imports
    assert warm_up.status_code == 200, warm_up.text
    elapsed = []
    for _ in range(5):  # the fastest of five calls: slow calls on a loaded machine are its noise
        started = time.perf_counter()
        response = ehr.call(ehr.token(alg=alg), prefetch={"patient": patient})
        elapsed.append(time.perf_counter() - started)
        assert response.status_code == 200, response.text
    # 500 ms on an idle machine; on a shared one the bound stretches with the run queue per core
    assert min(elapsed) < 0.5 * max(1.0, os.getloadavg()[0] / (os.cpu_count() or 1))
    (card,) = response.json()["cards"]
    assert card["indicator"] == "critical"  # confirmed LM
    assert card["summary"].startswith("LeptoDx: Confirmed LM, EANO–ESMO type IA")
    assert len(card["summary"]) <= SUMMARY_MAX
    assert card["source"]["label"].startswith("EANO–ESMO guideline")
    assert "| Total protein |" in card["detail"]
    assert card["links"][0]["url"].startswith(f"{ehr.base}/cases/")
    assert not any("Patient/lm-1" in p for p in ehr.fhir.requests)  # prefetched, not re-read
    assert any(p.startswith("/fhir/Observation") for p in ehr.fhir.requests)


def test_full_prefetch_needs_no_fhir_server_and_reuses_the_case(ehr: Ehr) -> None:
    resources = recorded()

    def search(template: str) -> dict[str, Any]:
        kind = fill(template, "lm-1").split("?")[0]
        hits = [r for r in resources if r["resourceType"] == kind]
        if "code=" in template:
            codes = template.split("code=")[1].split(",")
            hits = [
                r
                for r in hits
                if any(f"{c['system']}|{c['code']}" in codes for c in r["code"]["coding"])
            ]
        return {
            "resourceType": "Bundle",
            "type": "searchset",
            "entry": [{"resource": r} for r in hits],
        }

    prefetch = {k: search(t) for k, t in PREFETCH.items() if k != "patient"}
    prefetch["patient"] = next(r for r in resources if r["resourceType"] == "Patient")
    first = ehr.call(ehr.token(), prefetch=prefetch, fallback=False)
    second = ehr.call(ehr.token(), prefetch=prefetch, fallback=False)
    assert first.status_code == second.status_code == 200, first.text
    assert ehr.fhir.requests == []
    link = [r.json()["cards"][0]["links"][0]["url"] for r in (first, second)]
    assert link[0] == link[1]


def test_missing_prefetch_without_fhir_server_is_412(ehr: Ehr) -> None:
    assert ehr.call(ehr.token(), fallback=False).status_code == 412


def test_suggestions_for_next_steps() -> None:
    from leptodx.clinical.assess import assess_record
    from leptodx.interop.cds_hooks.cards import assessment_cards

    from .conftest import example

    result = assess_record(example("probable_type_iia.json"))
    (card,) = assessment_cards(result, case_url=None, patient_id="p1")
    assert card["indicator"] == "warning"
    labels = [s["label"] for s in card.get("suggestions", [])]
    steps = {s["code"] for s in result["eano_esmo"]["next_steps"]}
    assert ("repeat_lp" in steps) == any("Repeat lumbar puncture" in x for x in labels)
    for s in card.get("suggestions", []):
        action = s["actions"][0]
        assert (
            action["resource"]["status"] == "draft" and action["resource"]["intent"] == "proposal"
        )


def _rejected(response: httpx.Response, words: str) -> None:
    assert response.status_code == 401, response.text
    assert words.lower() in response.json()["detail"].lower()
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_requests_without_a_valid_jwt_get_401(ehr: Ehr) -> None:
    _rejected(ehr.call(None), "Authorization")
    _rejected(ehr.call(ehr.token(exp_in=-120)), "expired")
    _rejected(ehr.call(ehr.token(aud="https://elsewhere/cds-services/x")), "audience")
    _rejected(ehr.call(ehr.token(key=OTHER_EC_KEY)), "Signature")
    _rejected(ehr.call(ehr.token(iss="https://rogue.example.org")), "not registered")
    hs = jwt.encode({"iss": ISS_EC, "aud": ehr.service_url, "exp": int(time.time()) + 60, "iat": int(time.time()), "jti": "x"}, "k" * 32, algorithm="HS256")  # fmt: skip
    _rejected(ehr.call(hs), "HS256")


def test_a_replayed_jwt_is_rejected(ehr: Ehr) -> None:
    token = ehr.token(jti="once")
    patient = next(r for r in recorded() if r["resourceType"] == "Patient")
    assert ehr.call(token, prefetch={"patient": patient}).status_code == 200
    _rejected(ehr.call(token, prefetch={"patient": patient}), "replayed")


def test_feedback_is_accepted_with_a_jwt_and_audited(ehr: Ehr) -> None:
    url = f"{ehr.service_url}/feedback"
    body = {"feedback": [{"card": str(uuid.uuid4()), "outcome": "overridden", "overrideReason": {"reason": {"code": "not-relevant"}}, "outcomeTimestamp": "2026-11-25T10:00:00Z"}]}  # fmt: skip
    assert httpx.post(url, json=body).status_code == 401
    ok = httpx.post(url, json=body, headers={"Authorization": f"Bearer {ehr.token(aud=url)}"})
    assert ok.status_code == 200, ok.text


def test_card_shows_rule_certainty_and_does_not_downplay_a_high_risk_reconstruction(
    assert_readable: Any,
) -> None:
    """Issue 13: a 'lack of evidence' from a high-risk reconstructed row is a warning card that
    says so beside the level; no known cancer is a warning too (not classifiable, not dismissed)."""
    from leptodx.clinical.assess import assess_record
    from leptodx.interop.cds_hooks.cards import assessment_cards

    base = {
        "known_cancer": True,
        "clinical_signs": "typical",
        "mri": "D-normal",
        "cytology": "negative",
    }
    (card,) = assessment_cards(assess_record(base), case_url=None, patient_id="p1")
    assert card["indicator"] == "warning"
    assert card["summary"].startswith(
        "LeptoDx: Lack of evidence for LM (reconstructed rule, high risk)"
    )
    assert "Reconstructed rule — high risk: check against the guideline table" in card["detail"]
    assert_readable(card["summary"] + "\n" + card["detail"])
    unknown = assess_record({**base, "mri": "A", "known_cancer": False})
    (card,) = assessment_cards(unknown, case_url=None, patient_id="p1")
    assert card["indicator"] == "warning" and "no known cancer" in card["summary"]
