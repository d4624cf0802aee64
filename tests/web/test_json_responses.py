"""``leptodx.jsonsafe.dumps`` (orjson, used for API responses) gives the same document as the
stdlib path ``json.dumps(json_safe(x), ensure_ascii=False, allow_nan=False)`` — or the same error."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from leptodx.jsonsafe import dumps, json_safe


def _stdlib(obj: Any) -> Any:
    return json.loads(json.dumps(json_safe(obj), ensure_ascii=False, allow_nan=False))


keys = st.one_of(st.text(max_size=8), st.integers(-5, 5))  # integer keys take the json path
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),  # beyond 64 bits too
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.floats(allow_nan=True, allow_infinity=True).map(np.float64),
    st.floats(width=32, allow_nan=True).map(np.float32),
    st.integers(-(2**63), 2**63 - 1).map(np.int64),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(keys, inner, max_size=4),
        st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=4).map(np.array),
    ),
    max_leaves=20,
)


@given(documents)
def test_dumps_gives_the_document_of_the_stdlib_path(obj: Any) -> None:
    assert json.loads(dumps(obj)) == _stdlib(obj)


def test_non_finite_numbers_are_null_and_text_is_utf8() -> None:
    text = dumps({"a": float("nan"), "b": [float("inf"), np.float64("-inf")], "c": "µmol/L"})
    assert json.loads(text) == {"a": None, "b": [None, None], "c": "µmol/L"}
    assert "µ".encode() in text


@pytest.mark.parametrize("obj", [dt.date(2026, 1, 1), {"when": dt.datetime(2026, 1, 1)}, object()])
def test_what_json_refuses_is_refused(obj: Any) -> None:
    with pytest.raises(TypeError):
        dumps(obj)
