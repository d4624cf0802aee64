"""The assessment page reads like the CLI: level, rule certainty beside it, labels, units (issue 13)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from leptodx.store import crud
from leptodx.store.db import transaction
from leptodx.store.models import User

from .conftest import Service, auth, password

HIGH_RISK = {
    "patient_id": "W-1",
    "age_years": 4,
    "primary_tumour": "melanoma",
    "known_cancer": True,
    "clinical_signs": "typical",
    "mri": "D-normal",
    "cytology": "negative",
    "csf": {
        "leukocytes": {"value": 3, "unit": "/uL"},
        "protein": {"value": 0.41, "unit": "g/L"},
        "glucose": {"value": 3.0, "unit": "mg/dL"},
        "albumin": {"value": 300, "unit": "mg/L"},
        "lp_number": 2,
    },
    "serum": {"albumin": {"value": 40, "unit": "g/L"}, "glucose": {"value": 5.5, "unit": "mmol/L"}},
}


def _login(service: Service) -> None:
    client = service.client
    client.get("/login")
    csrf = client.cookies.get("leptodx_login_csrf")
    response = client.post(
        "/login",
        data={"username": "clin", "password": password("clin"), "csrf_token": csrf},
        follow_redirects=False,
    )
    assert response.status_code == 303


def _case(service: Service, record: dict[str, Any]) -> tuple[int, int]:
    h = auth(service, "clin")
    pid = service.client.post("/api/v1/patients", json={"external_id": "W"}, headers=h).json()["id"]
    case = service.client.post(f"/api/v1/patients/{pid}/cases", json=record, headers=h)
    assert case.status_code == 201, case.text
    return int(pid), int(case.json()["id"])


def _text(page: str) -> str:
    main = page.split('<main id="main">', 1)[1].split("</main>", 1)[0]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)))


def test_case_page_shows_the_rule_certainty_beside_the_level_and_reads_as_prose(
    service: Service, assert_readable: Callable[[str], None]
) -> None:
    _, case_id = _case(service, HIGH_RISK)
    _login(service)
    page = service.client.get(f"/cases/{case_id}")
    assert page.status_code == 200
    text = _text(page.text)
    assert "Lack of evidence for leptomeningeal metastasis" in text
    assert "Reconstructed rule — high risk: check against the guideline table" in text
    assert "410 mg/L" in text and "3 /µL" in text
    assert "not judged (age outside the profile's range)" in text  # Reiber from age 5
    assert "was it 3 mmol/L?" in text  # unit mix-up named
    assert "lumbar puncture number 2" in text  # no second-LP advice at LP 2
    assert_readable(page.text.split('<main id="main">', 1)[1].split("</main>", 1)[0])


def test_patient_and_home_pages_list_the_result_with_its_rule_certainty(
    service: Service, assert_readable: Callable[[str], None]
) -> None:
    patient_id, _ = _case(service, {**HIGH_RISK, "mri": None})
    _case(service, HIGH_RISK)
    _login(service)
    for url in (f"/patients/{patient_id}", "/"):
        page = service.client.get(url).text
        main = page.split('<main id="main">', 1)[1].split("</main>", 1)[0]
        assert_readable(main)
    text = _text(service.client.get(f"/patients/{patient_id}").text)
    assert "No EANO–ESMO level yet: MRI not recorded — LeptoDx rule, not a guideline rule" in text
    assert "MRI not recorded, cytology negative" in text
    home = _text(service.client.get("/").text)
    assert "Lack of evidence for LM — reconstructed rule, high risk" in home


def test_a_case_stored_under_contract_1_0_is_shown_re_assessed_with_a_note(
    service: Service,
) -> None:
    """Stored results are never rewritten; an old one is shown with the current rules, said so."""
    old_output = {
        "contract_version": "1.0",
        "software_version": "0.0.9",
        "eano_esmo": {"ruleset_version": "v1", "outcome": "out_of_scope", "level": None},
        "csf": {"profile": "S1-2020", "analytes": []},
    }
    record = {
        "known_cancer": False,
        "clinical_signs": "typical",
        "mri": "A",
        "cytology": "negative",
    }
    with transaction(service.client.app.state.sessions) as session:
        user = session.query(User).filter_by(username="clin").one()
        patient = crud.create_patient(session, user=user, external_id="OLD")
        case_id = crud.add_case(
            session, user=user, patient=patient, data=record, result=old_output
        ).id
    _login(service)
    text = _text(service.client.get(f"/cases/{case_id}").text)
    assert (
        "stored with output contract 1.0" in text and "re-assessed with the current rules" in text
    )
    assert "Not classifiable under the verified EANO–ESMO rules (no known cancer)" in text
