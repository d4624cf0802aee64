"""Fixtures shared across test areas."""

from __future__ import annotations

import html
import os
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from leptodx.models.fitted import FittedModel, PredictorSummary, TrainingSummary
from leptodx.models.spec import ModelSpec


@pytest.fixture(scope="session")
def site_x_model() -> FittedModel:
    """A user's own two-predictor specification with illustrative coefficients (not published)."""
    spec = ModelSpec.model_validate(
        {
            "name": "site-x",
            "title": "Site X",
            "source": {"citation": "test"},
            "predictors": [
                {"name": "brain", "field": "active_brain_metastasis", "type": "binary"},
                {"name": "protein", "field": "csf_protein", "type": "continuous", "unit": "g/L"},
            ],
        }
    )
    training = TrainingSummary(
        file=None,
        n=10,
        n_events=4,
        n_excluded_missing=0,
        synthetic=True,
        predictors=(
            PredictorSummary(name="brain", mean=0.5, sd=0.5, min=0, max=1),
            PredictorSummary(name="protein", mean=1, sd=1, min=0.1, max=3),
        ),
    )
    return FittedModel(
        spec=spec,
        method="test",
        intercept=-1.0,
        coefficients={"brain": 0.5, "protein": 2.0},
        training=training,
    )


_NOT_FOR_PEOPLE = re.compile(
    r"\b(?:True|False|None)\b"  # Python values
    r"|§"  # section signs (sources read "source: …")
    r"|\{'|\['"  # dict and list reprs
    r"|\b[a-z]+_[a-z_]+\b"  # snake_case codes (not_done, lack_of_evidence, age_bands)
    r"|/uL\b"  # the UCUM spelling instead of /µL
    r"|\d\.\d*(?:9{5,}|0{5,}[1-9])"  # float noise (409.99999999999994, 0.30000000000000004)
)


def readability_problems(text: str) -> list[str]:
    """What in a text for people is a Python value, a code, a section sign or float noise."""
    visible = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return [m.group(0) for m in _NOT_FOR_PEOPLE.finditer(visible)]


@pytest.fixture
def assert_readable() -> Callable[[str], None]:
    """Assert that a text shown to people (CLI, web page, card, narrative) reads as prose."""

    def check(text: str) -> None:
        problems = readability_problems(text)
        assert not problems, f"not readable for people: {sorted(set(problems))}"

    return check


PG_BIN = (
    next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None)
    if Path("/usr/lib/postgresql").is_dir()
    else None
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL cluster in a temporary directory on a loopback port, removed afterwards."""
    if PG_BIN is None:
        if os.environ.get("CI"):
            pytest.fail(
                "PostgreSQL binaries not found in /usr/lib/postgresql (scripts/install --test installs them)"
            )
        pytest.skip("PostgreSQL not installed")
    root = Path(tempfile.mkdtemp(prefix="leptodx-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    port = _free_port()
    subprocess.run(
        _as_postgres(
            [str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"]
        ),
        check=True,
        capture_output=True,
    )
    subprocess.run(
        _as_postgres(
            [
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(data),
                "-w",
                "-l",
                str(root / "log"),
                "-o",
                f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off",
                "start",
            ]
        ),
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)
