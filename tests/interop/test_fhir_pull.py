"""`leptodx fhir pull` against a recorded-fixture FHIR server on loopback (fhirpy client)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from leptodx.cli import app
from leptodx.errors import InputError
from leptodx.interop.fhir.client import as_resources, pull_resources

from .fhir_server import FixtureFhirServer

FIXTURE = Path(__file__).parent / "fixtures" / "ehr-patient-lm-1.json"
runner = CliRunner()


def recorded() -> list[dict[str, Any]]:
    return [e["resource"] for e in json.loads(FIXTURE.read_text())["entry"]]


@pytest.fixture
def server() -> Iterator[FixtureFhirServer]:
    with FixtureFhirServer(recorded(), token="s3cret").running() as s:
        yield s


def test_pull_reads_every_needed_resource_following_pages(server: FixtureFhirServer) -> None:
    groups = pull_resources(server.url, "lm-1", token="s3cret")
    assert [r["id"] for r in groups["patient"]] == ["lm-1"]
    assert len(groups["labs"]) == 11  # three pages of 4
    assert any("_page=2" in path for path in server.requests)
    ids = {r["id"] for r in as_resources(groups)}
    assert "hr" not in ids  # the heart rate is not asked for
    assert {"mri-neuraxis", "breast-ca", "lp2-cyto"} <= ids


def test_cli_pull_assesses_the_patient(server: FixtureFhirServer, tmp_path: Path) -> None:
    saved = tmp_path / "pulled.json"
    out = runner.invoke(
        app,
        [
            *("fhir", "pull", "--server", server.url, "--patient", "lm-1", "--token", "s3cret"),
            *("--format", "json", "--save", str(saved)),
        ],
    )
    assert out.exit_code == 0, out.output
    result = json.loads(out.stdout)
    assert (result["eano_esmo"]["level"], result["eano_esmo"]["type"]) == ("confirmed", "IA")
    used = {u["field"]: u for u in result["fhir_import"]["used"]}
    assert used["csf.protein"]["resource"] == "Observation/lp2-prot"
    assert used["csf.protein"]["superseded"] == ["Observation/lp1-prot"]
    assert used["cytology"]["value"] == "positive"
    assert used["csf.volume_ml"]["value"] == 11.0
    assert used["csf.processing_delay_min"]["value"] == 25.0
    assert json.loads(saved.read_text())["resourceType"] == "Bundle"


def test_unknown_patient_names_the_option(server: FixtureFhirServer) -> None:
    with pytest.raises(InputError) as info:
        pull_resources(server.url, "nobody", token="s3cret")
    assert info.value.field == "--patient"


def test_wrong_token_and_unreachable_server_are_clear_errors(server: FixtureFhirServer) -> None:
    out = runner.invoke(app, ["fhir", "pull", "--server", server.url, "--patient", "lm-1"])
    assert out.exit_code == 2 and "--server" in out.output
    out = runner.invoke(app, ["fhir", "pull", "--server", "http://127.0.0.1:9", "--patient", "x"])
    assert out.exit_code == 2 and "reachable" in out.output and "Traceback" not in out.output
