"""The CDS Hooks services over HTTP with realistic extracts: patient-view, the order service
(order-select / order-sign), CORS for browser-based clients, and the order cards' model support.

The EHR (httpx) calls the service (uvicorn on loopback) with signed JWTs; the service reads the
patient from the recorded-fixture FHIR server (tests/interop/fixtures/ehr, see
test_ehr_records.py for what each extract holds).
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
import uvicorn

from leptodx.interop.cds_hooks.cards import SERVICE_ID, SUMMARY_MAX
from leptodx.interop.cds_hooks.orders import ORDER_SERVICE_ID
from leptodx.models.fitted import FittedModel, PredictorSummary, TrainingSummary
from leptodx.models.spec import ModelSpec
from leptodx.store.db import upgrade
from leptodx.web.app import create_app
from leptodx.web.settings import Settings

from .fhir_server import FixtureFhirServer
from .test_cds_hooks import EC_KEY, ISS_EC, _free_port
from .test_ehr_records import NAMES, patient_id, resources

SANDBOX = "https://sandbox.cds-hooks.org"
LP_ORDER = {
    "resourceType": "ServiceRequest",
    "id": "lp-order",
    "status": "draft",
    "intent": "order",
    "code": {
        "coding": [
            {"system": "http://snomed.info/sct", "code": "277762005", "display": "Lumbar puncture"}
        ]
    },
}
MRI_ORDER = {
    "resourceType": "ServiceRequest",
    "id": "mri-order",
    "status": "draft",
    "intent": "order",
    "code": {"text": "MRI brain and whole spine with and without contrast"},
}
KNEE_XRAY = {
    "resourceType": "ServiceRequest",
    "id": "knee",
    "status": "draft",
    "intent": "order",
    "code": {"text": "X-ray of the left knee"},
}


def site_model() -> FittedModel:
    """A site's own one-predictor model (illustrative coefficients, not published ones)."""
    spec = ModelSpec.model_validate(
        {
            "name": "site-protein",
            "title": "Site model on CSF protein",
            "source": {"citation": "test"},
            "predictors": [
                {"name": "protein", "field": "csf_protein", "type": "continuous", "unit": "g/L"}
            ],
        }
    )
    training = TrainingSummary(
        file=None,
        n=200,
        n_events=50,
        n_excluded_missing=0,
        synthetic=False,
        predictors=(PredictorSummary(name="protein", mean=0.8, sd=0.5, min=0.1, max=4.0),),
    )
    return FittedModel(
        spec=spec,
        method="test",
        intercept=-3.0,
        coefficients={"protein": 2.0},
        training=training,
    ).sealed()


def validation_results(model: FittedModel) -> dict[str, Any]:
    """A local validation's results.json (decision curve on a 5 % grid, values chosen here)."""
    return {
        "model_hash": model.content_hash,
        "auc": {"auc": 0.78, "ci": [0.71, 0.85], "se": 0.035},
        "synthetic": False,
        "decision_curve": {
            "thresholds": [0.05, 0.1, 0.15, 0.2, 0.25, 0.3],
            "net_benefit": {
                "model": [0.21, 0.18, 0.15, 0.12, 0.10, 0.05],
                "all": [0.21, 0.17, 0.12, 0.06, 0.0, -0.07],
                "none": [0.0] * 6,
            },
        },
    }


@dataclass
class Service:
    base: str
    fhir: FixtureFhirServer

    def token(self, url: str) -> str:
        now = int(time.time())
        claims = {"iss": ISS_EC, "aud": url, "iat": now, "exp": now + 300, "jti": str(uuid.uuid4())}  # fmt: skip
        return jwt.encode(claims, EC_KEY, algorithm="ES384", headers={"kid": "k1"})

    def call(self, service: str, hook: str, patient: str, context: dict[str, Any] | None = None, origin: str | None = None) -> httpx.Response:  # fmt: skip
        url = f"{self.base}/cds-services/{service}"
        body = {
            "hook": hook,
            "hookInstance": str(uuid.uuid4()),
            "context": {"userId": "Practitioner/dr-a", "patientId": patient, **(context or {})},
            "fhirServer": self.fhir.url,
            "fhirAuthorization": {
                "access_token": "t0ken",
                "token_type": "Bearer",
                "expires_in": 300,
                "scope": "patient/*.read",
                "subject": "leptodx",
            },
        }
        headers = {"Authorization": f"Bearer {self.token(url)}"}
        if origin:
            headers["Origin"] = origin
        return httpx.post(url, json=body, headers=headers, timeout=10)


def _start(settings: Settings) -> Callable[[], None]:
    port = int(settings.public_url.rsplit(":", 1)[1])
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))  # fmt: skip
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(250):
        if server.started:
            break
        time.sleep(0.02)

    def stop() -> None:
        server.should_exit = True
        thread.join(5)

    return stop


@pytest.fixture
def make_service(tmp_path: Path) -> Iterator[Callable[..., Service]]:
    stops: list[Callable[[], None]] = []
    servers: list[Any] = []

    def make(name: str, **extra: Any) -> Service:
        base = f"http://127.0.0.1:{_free_port()}"
        url = f"sqlite:///{tmp_path / f'cds-{len(stops)}.sqlite3'}"
        upgrade(url)
        jwks = {"keys": [{**json.loads(jwt.algorithms.ECAlgorithm.to_jwk(EC_KEY.public_key())), "kid": "k1", "alg": "ES384", "use": "sig"}]}  # fmt: skip
        settings = Settings(data_dir=tmp_path, database_url=url, secret_key="x" * 40, public_url=base, cds_clients=[{"iss": ISS_EC, "jwks": jwks}], **extra)  # fmt: skip
        stops.append(_start(settings))
        fhir = FixtureFhirServer(resources(name), token="t0ken")
        context = fhir.running()
        context.__enter__()
        servers.append(context)
        return Service(base, fhir)

    yield make
    for stop in stops:
        stop()
    for context in servers:
        context.__exit__(None, None, None)


EXPECTED_SUMMARY = {
    "uscore-lab-only-breast.json": "LeptoDx: No EANO–ESMO level yet: clinical signs (neurological examination), MRI, CSF cytology not recorded",
    "mcode-narrative-mri-lung.json": "LeptoDx: No EANO–ESMO level yet: MRI not recorded",
    "uscore-icd10cm-melanoma-coded.json": "LeptoDx: Confirmed LM, EANO–ESMO type IA",
    "uscore-haematological-lymphoma.json": "LeptoDx: No EANO–ESMO level: lymphoma is outside the guideline",
}


@pytest.mark.parametrize("name", NAMES)
def test_patient_view_card_for_each_extract(
    name: str, make_service: Callable[..., Service], assert_readable: Any
) -> None:
    service = make_service(name)
    response = service.call(SERVICE_ID, "patient-view", patient_id(name))
    assert response.status_code == 200, response.text
    (card,) = response.json()["cards"]
    assert card["summary"].startswith(EXPECTED_SUMMARY[name])
    assert len(card["summary"]) <= SUMMARY_MAX
    assert_readable(card["summary"] + "\n" + card["detail"])
    labels = {link["label"]: link["url"] for link in card["links"]}
    case_url = labels["Open the assessment in LeptoDx"]
    assert case_url.startswith(f"{service.base}/cases/")
    form = "Add the missing findings in LeptoDx (pre-filled form)"
    incomplete = name in {"uscore-lab-only-breast.json", "mcode-narrative-mri-lung.json"}
    assert (form in labels) is incomplete
    if incomplete:
        case_id = case_url.rsplit("/", 1)[1]
        assert labels[form] == f"{service.base}/cases/new?from_case={case_id}"
        assert "| Total protein |" in card["detail"]  # the CSF is interpreted all the same
    if name == "mcode-narrative-mri-lung.json":
        assert "present but not coded" in card["detail"]


def test_order_select_for_a_lumbar_puncture_states_the_level_and_what_the_result_can_change(
    make_service: Callable[..., Service], assert_readable: Any
) -> None:
    name = "mcode-narrative-mri-lung.json"
    service = make_service(name)
    context = {
        "selections": ["ServiceRequest/mri-order"],
        "draftOrders": {
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [{"resource": LP_ORDER}, {"resource": MRI_ORDER}],
        },
    }
    response = service.call(ORDER_SERVICE_ID, "order-select", patient_id(name), context)
    assert response.status_code == 200, response.text
    (card,) = response.json()["cards"]  # only the selected order
    assert card["indicator"] == "info" and "overrideReasons" not in card
    assert "suggestions" not in card
    assert card["summary"].startswith("LeptoDx: MRI of the neuraxis can change the EANO–ESMO outcome")  # fmt: skip
    detail = card["detail"]
    # typical signs, negative cytology, known cancer: MRI A/B/C → probable (EE-4 row 2, verified);
    # MRI D → lack of evidence (row 6, reconstructed, high risk)
    assert "| MRI type A — typical findings of linear LM | Probable LM, type IIA | Verified rule |" in detail  # fmt: skip
    assert "Lack of evidence for LM | Reconstructed rule — high risk" in detail
    assert "The order is not blocked" in detail
    assert_readable(card["summary"] + "\n" + detail)


def test_order_sign_covers_every_draft_order_and_a_positive_cytology_confirms(
    make_service: Callable[..., Service],
) -> None:
    name = "uscore-lab-only-breast.json"
    service = make_service(name)
    context = {"draftOrders": {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": LP_ORDER}, {"resource": KNEE_XRAY}]}}  # fmt: skip
    response = service.call(ORDER_SERVICE_ID, "order-sign", patient_id(name), context)
    (card,) = response.json()["cards"]  # the knee X-ray gets none
    assert card["summary"].startswith("LeptoDx: Lumbar puncture can change the EANO–ESMO outcome")
    # cytology positive confirms LM whatever else is missing (EE-4 row 1): type I without letter
    assert "| Cytology positive (tumour cells present) | Confirmed LM, type I | Verified rule |" in card["detail"]  # fmt: skip
    assert "The record shows 2 lumbar punctures in this work-up." in card["detail"]
    links = [link["label"] for link in card["links"]]
    assert "Add the missing findings in LeptoDx (pre-filled form)" in links


def test_an_order_that_cannot_change_the_outcome_says_so(
    make_service: Callable[..., Service],
) -> None:
    name = "uscore-haematological-lymphoma.json"
    service = make_service(name)
    context = {"draftOrders": {"resourceType": "Bundle", "entry": [{"resource": LP_ORDER}]}}
    (card,) = service.call(ORDER_SERVICE_ID, "order-sign", patient_id(name), context).json()["cards"]  # fmt: skip
    assert "cannot change the EANO–ESMO outcome" in card["summary"]


def test_no_lp_or_mri_order_gives_no_card(make_service: Callable[..., Service]) -> None:
    name = "uscore-lab-only-breast.json"
    service = make_service(name)
    context = {"selections": ["ServiceRequest/knee"], "draftOrders": {"resourceType": "Bundle", "entry": [{"resource": KNEE_XRAY}]}}  # fmt: skip
    response = service.call(ORDER_SERVICE_ID, "order-select", patient_id(name), context)
    assert response.status_code == 200 and response.json() == {"cards": []}
    assert service.fhir.requests == []  # nothing to say, nothing read
    wrong = service.call(ORDER_SERVICE_ID, "patient-view", patient_id(name), context)
    assert wrong.status_code == 400


def _model_files(tmp_path: Path, results: dict[str, Any] | None = None) -> dict[str, Any]:
    model = site_model()
    model_file = tmp_path / "model.json"
    model.save(model_file)
    validation = tmp_path / "results.json"
    validation.write_text(json.dumps(results or validation_results(model)))
    return {"cds_model_file": model_file, "cds_model_validation_file": validation}


def test_order_card_shows_the_model_risk_against_the_sites_threshold(
    make_service: Callable[..., Service], tmp_path: Path
) -> None:
    name = "uscore-lab-only-breast.json"
    service = make_service(name, cds_decision_threshold=0.25, **_model_files(tmp_path))
    context = {"draftOrders": {"resourceType": "Bundle", "entry": [{"resource": LP_ORDER}]}}
    (card,) = service.call(ORDER_SERVICE_ID, "order-sign", patient_id(name), context).json()["cards"]  # fmt: skip
    # protein 81 mg/dL = 0.81 g/L: logit = -3 + 2 × 0.81 = -1.38; 1/(1 + e^1.38) = 0.201
    assert "Model risk (site-protein): **20.1 %**, below the site's decision threshold of 25 %." in card["detail"]  # fmt: skip
    assert "net benefit 0.1 vs 0 when treating all and 0 when treating none" in card["detail"]
    assert "AUC 0.78" in card["detail"]
    assert card["indicator"] == "info"


def test_a_model_without_net_benefit_at_the_threshold_is_not_shown(
    make_service: Callable[..., Service], tmp_path: Path
) -> None:
    name = "uscore-lab-only-breast.json"
    service = make_service(name, cds_decision_threshold=0.05, **_model_files(tmp_path))
    context = {"draftOrders": {"resourceType": "Bundle", "entry": [{"resource": LP_ORDER}]}}
    (card,) = service.call(ORDER_SERVICE_ID, "order-sign", patient_id(name), context).json()["cards"]  # fmt: skip
    assert "showed no net benefit in local validation" in card["detail"]
    assert "Model risk (site-protein): **" not in card["detail"]


def test_model_settings_are_checked_at_start_up(tmp_path: Path) -> None:
    from leptodx.errors import InputError

    files = _model_files(tmp_path)
    base = {"data_dir": tmp_path, "database_url": f"sqlite:///{tmp_path / 'x.sqlite3'}", "secret_key": "x" * 40}  # fmt: skip
    upgrade(base["database_url"])
    with pytest.raises(InputError, match="threshold of the validated decision curve"):
        create_app(Settings(**base, cds_decision_threshold=0.12, **files))
    other = validation_results(site_model())
    other["model_hash"] = "sha256:" + "0" * 64
    with pytest.raises(InputError, match="the validation of this model"):
        create_app(Settings(**base, cds_decision_threshold=0.25, **_model_files(tmp_path, other)))  # fmt: skip
    with pytest.raises(ValueError, match="go together"):
        Settings(**base, cds_model_file=files["cds_model_file"])


def test_cors_preflight_and_calls_from_an_allowed_browser_origin(
    make_service: Callable[..., Service],
) -> None:
    name = "uscore-icd10cm-melanoma-coded.json"
    service = make_service(name, cds_allowed_origins=[SANDBOX])
    url = f"{service.base}/cds-services/{SERVICE_ID}"
    preflight = httpx.options(url, headers={"Origin": SANDBOX, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type"})  # fmt: skip
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == SANDBOX
    allowed = {h.strip().lower() for h in preflight.headers["access-control-allow-headers"].split(",")}  # fmt: skip
    assert {"authorization", "content-type"} <= allowed
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "access-control-allow-credentials" not in preflight.headers
    refused = httpx.options(url, headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})  # fmt: skip
    assert refused.status_code == 400 and "access-control-allow-origin" not in refused.headers
    call = service.call(SERVICE_ID, "patient-view", patient_id(name), origin=SANDBOX)
    assert call.status_code == 200 and call.headers["access-control-allow-origin"] == SANDBOX
    discovery = httpx.get(f"{service.base}/cds-services", headers={"Origin": SANDBOX})
    assert discovery.headers["access-control-allow-origin"] == SANDBOX
    elsewhere = httpx.get(f"{service.base}/healthz", headers={"Origin": SANDBOX})
    assert "access-control-allow-origin" not in elsewhere.headers  # only /cds-services


def test_no_cors_by_default_and_wildcards_are_refused(
    make_service: Callable[..., Service], tmp_path: Path
) -> None:
    service = make_service("uscore-icd10cm-melanoma-coded.json")
    response = httpx.get(f"{service.base}/cds-services", headers={"Origin": SANDBOX})
    assert "access-control-allow-origin" not in response.headers
    for bad in ("*", "https://sandbox.cds-hooks.org/", "https://*.example.org", "sandbox.cds-hooks.org"):  # fmt: skip
        with pytest.raises(ValueError, match="not an origin"):
            Settings(data_dir=tmp_path, cds_allowed_origins=[bad])
