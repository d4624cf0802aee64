"""Finding 11: body limit (413 problem document), row/size caps on uploads checked before
reading, echoed values cut."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from .conftest import EXAMPLE, World, login

MIB = 1024 * 1024


@pytest.fixture(scope="module")
def twenty_million_rows(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A small Parquet file whose metadata declares 20 000 000 rows (one constant column)."""
    path = tmp_path_factory.mktemp("parquet") / "big.parquet"
    pq.write_table(pa.table({"time": np.zeros(20_000_000, dtype=np.int8)}), path, compression="zstd")  # fmt: skip
    data = path.read_bytes()
    assert len(data) < 1 * MIB
    return data


def test_a_50_mb_json_body_is_refused_before_it_is_read(world: World) -> None:
    body = b'{"padding": "' + b"x" * (50 * MIB) + b'"}'
    started = time.perf_counter()
    response = world.client.post(
        "/api/v1/assess",
        content=body,
        headers={**world.auth("clin_a"), "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["status"] == 413
    assert time.perf_counter() - started < 30  # generous: nothing was parsed


def test_a_streamed_body_without_length_is_cut_at_the_limit(world: World) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"patient_id": "'
        for _ in range(3):
            yield b"y" * MIB
        yield b'"}'

    response = world.client.post(
        "/api/v1/assess",
        content=chunks(),
        headers={**world.auth("clin_a"), "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["title"] == "Content too large"


def test_an_oversized_form_on_a_page_gets_an_html_413(world: World) -> None:
    login(world.client, "clin_a")
    response = world.client.post("/cases/check", data={"patient_id": "z" * (2 * MIB)})
    assert response.status_code == 413 and "text/html" in response.headers["content-type"]


def test_a_long_value_is_echoed_cut(world: World) -> None:
    long_id = "p" * 500_000
    response = world.client.post(
        "/api/v1/assess", json={**EXAMPLE, "cytology": long_id}, headers=world.auth("clin_a")
    )
    assert response.status_code == 422
    assert len(response.content) < 5_000
    assert "(500002 characters)" in response.json()["value"]


@pytest.mark.parametrize("route", ["/research/survival", "/api/v1/cohorts"])
def test_a_tiny_parquet_with_20_million_rows_is_refused_fast(
    world: World, twenty_million_rows: bytes, route: str
) -> None:
    files = {"file": ("big.parquet", twenty_million_rows, "application/octet-stream")}
    data = {"time": "time", "event": "event"} if route.startswith("/research") else {}
    headers = world.auth("res_a")
    if route.startswith("/research"):
        login(world.client, "res_a")
        page = world.client.get("/research/survival")
        data["csrf_token"] = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        headers = {}
    started = time.perf_counter()
    response = world.client.post(route, files=files, data=data, headers=headers)
    elapsed = time.perf_counter() - started
    assert response.status_code == 422
    assert "at most 1,000,000 rows (it has 20,000,000)" in response.text
    assert elapsed < 5.0  # generous guard; before the fix the page ran 8.8 s


def test_csv_uploads_have_a_row_cap(world: World, tmp_path: Path) -> None:
    world.app.state.settings.max_upload_rows = 100
    rows = "\n".join(f"{i},1" for i in range(101))
    response = world.client.post(
        "/api/v1/cohorts",
        files={"file": ("c.csv", f"time,event\n{rows}\n".encode())},
        headers=world.auth("res_a"),
    )
    assert response.status_code == 422 and response.json()["field"] == "file"
    assert "at most 100 rows" in response.json()["detail"]
    assert not (world.settings.data_dir / "jobs" / "4").exists()  # nothing queued or kept


def test_uploads_above_the_upload_limit_are_413(world: World) -> None:
    limit = world.settings.max_upload_bytes
    response = world.client.post(
        "/api/v1/cohorts",
        content=b"0" * 16,
        headers={
            **world.auth("res_a"),
            "Content-Type": "multipart/form-data; boundary=x",
            "Content-Length": str(limit + 1),
        },
    )
    assert response.status_code == 413
