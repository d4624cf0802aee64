"""docs/interop.md shows the code tables LeptoDx actually uses (generated from the reference)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from leptodx.interop.fhir.code_tables import cancer_code_tables, procedure_code_tables

DOC = Path(__file__).resolve().parents[2] / "docs" / "interop.md"


@pytest.mark.parametrize(
    ("marker", "table"),
    [("cancer-codes", cancer_code_tables), ("procedure-codes", procedure_code_tables)],
)
def test_docs_hold_the_generated_code_tables(marker: str, table: object) -> None:
    match = re.search(rf"<!-- begin:{marker} -->\n(.*?)\n<!-- end:{marker} -->", DOC.read_text(), re.S)  # fmt: skip
    assert match is not None, f"docs/interop.md lacks the {marker} block"
    assert callable(table)
    assert match.group(1) == table(), (
        f"docs/interop.md {marker} block is out of date: replace it with "
        f"leptodx.interop.fhir.code_tables.{table.__name__}()"
    )
