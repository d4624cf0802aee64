"""The contract classes: Python types match the field table, records pickle and round-trip."""

from __future__ import annotations

import dataclasses
import json
import pickle
import typing
from enum import Enum
from pathlib import Path

import pytest

from leptodx.domain import contract, patient
from leptodx.domain.patient import CsfPanel, Measured, PatientInput, SerumPanel, validate_patient
from leptodx.errors import InputError

EXAMPLE = json.loads(
    (Path(__file__).parents[2] / "examples" / "probable_type_iia.json").read_text()
)
KIND_OF_TYPE = {float: "number", int: "integer", str: "text", bool: "flag"}


@pytest.mark.parametrize("model", [Measured, CsfPanel, SerumPanel, PatientInput])
def test_annotations_say_what_the_field_table_checks(model: type) -> None:
    hints = typing.get_type_hints(model, vars(patient))
    for name, spec in contract.specs(model):
        args = [a for a in typing.get_args(hints[name]) if a is not type(None)] or [hints[name]]
        (python_type,) = args
        if spec.kind == "code":
            assert python_type is spec.enum and issubclass(python_type, Enum)
        elif spec.kind == "nested":
            assert python_type is spec.model
        elif spec.kind == "codes":
            assert hints[name] == list[str]
        else:
            assert KIND_OF_TYPE[python_type] == spec.kind, name
        assert (type(None) in typing.get_args(hints[name])) == spec.nullable, name


def test_records_are_frozen_slotted_and_keyword_only() -> None:
    record = validate_patient(EXAMPLE)
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.age_years = 3.0  # type: ignore[misc]
    assert not hasattr(record, "__dict__")
    with pytest.raises(TypeError):
        Measured(1.0, "g/L")  # type: ignore[misc]


def test_a_record_pickles_as_it_crosses_to_dask_workers() -> None:
    record = validate_patient(EXAMPLE)
    assert pickle.loads(pickle.dumps(record)) == record


def test_dump_gives_back_the_document() -> None:
    record = validate_patient(EXAMPLE)
    assert validate_patient(contract.dump(record)) == record
    dumped = contract.dump(record, exclude_none=True)
    assert dumped["mri"] == "A" and dumped["csf"]["protein"] == {"value": 98.0, "unit": "mg/dL"}
    assert (
        "leukocytes"
        not in contract.dump(
            validate_patient({"known_cancer": True, "csf": {}}), exclude_none=True
        )["csf"]
    )


def test_an_instance_is_taken_as_it_is() -> None:
    panel = CsfPanel(lp_number=2)
    assert validate_patient({"known_cancer": True, "csf": panel}).csf is panel


def test_bounds_are_shown_as_pydantic_showed_them() -> None:
    assert [contract.shown_number(b) for b in (120.0, 0.0, 50, 0.5, 1e20, 2.5e-7)] == [
        "120",
        "0",
        "50",
        "0.5",
        "100000000000000000000",
        "0.00000025",
    ]


def test_keys_must_be_text() -> None:
    with pytest.raises(InputError, match="keys should be strings"):
        validate_patient({"known_cancer": True, 1: 2})
