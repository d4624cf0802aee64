"""Oracle: the contract's own validator and the published JSON Schema accept the same documents.

``validate_patient`` (``leptodx.domain.contract``) and the schema ``leptodx schema`` publishes are
generated from one field table; this test checks them against each other with an independent
implementation, the ``jsonschema`` library (draft 2020-12). Documents come from a seeded
generator written from the reference (codes, plausible ranges), not from that table: valid
records, then the same records mutated (a wrong JSON type, a bound crossed, an unknown field at
any level, a required field dropped, a code misspelt). Accept/reject must agree for each.

Outside the comparison, because JSON Schema cannot say it or says it differently: non-finite
numbers (not JSON) and an integral float for ``lp_number`` (JSON Schema counts ``1.0`` as an
integer; the contract wants a JSON integer) — both pinned in their own tests below.
"""

from __future__ import annotations

import copy
import random
from typing import Any

import jsonschema
import pytest

from leptodx.domain.patient import validate_patient
from leptodx.errors import InputError
from leptodx.presentation.schema import input_schema
from leptodx.reference.eano_esmo import (
    OUT_OF_SCOPE_PRIMARIES,
    SOLID_PRIMARIES,
    Biopsy,
    ClinicalSigns,
    Cytology,
    Mri,
)
from leptodx.reference.plausibility import PLAUSIBLE_RANGES
from leptodx.reference.symptoms import SYMPTOMS

VALIDATOR = jsonschema.Draft202012Validator(input_schema())
CODES: dict[str, list[str]] = {
    "sex": ["female", "male", "other", "unknown"],
    "primary_tumour": [*SOLID_PRIMARIES, *OUT_OF_SCOPE_PRIMARIES],
    "clinical_signs": [c.value for c in ClinicalSigns],
    "mri": [m.value for m in Mri],
    "cytology": [c.value for c in Cytology],
    "biopsy": [b.value for b in Biopsy],
}
RANGES = {
    "age_years": PLAUSIBLE_RANGES["age_years"],
    "csf.volume_ml": PLAUSIBLE_RANGES["csf_volume_ml"],
    "csf.processing_delay_min": PLAUSIBLE_RANGES["processing_delay_min"],
}
ANALYTES = {
    "csf": ["leukocytes", "protein", "glucose", "lactate", "albumin"],
    "serum": ["glucose", "albumin"],
}


def _number(rng: random.Random, low: float, high: float) -> float | int:
    pick = rng.random()
    if pick < 0.2:
        return rng.choice([low, high, int(low), int(high)])
    if pick < 0.5:
        return rng.randint(int(low), int(high))
    return rng.uniform(low, high)


def _measured(rng: random.Random) -> dict[str, Any]:
    return {
        "value": rng.choice([rng.uniform(0, 500), rng.randint(0, 500)]),
        "unit": rng.choice(["g/L", "mg/dL", "/uL", "x"]),
    }


def valid(rng: random.Random) -> dict[str, Any]:
    """A record the contract accepts (each optional field present about half the time)."""
    doc: dict[str, Any] = {"known_cancer": rng.random() < 0.5}
    maybe = lambda: rng.random() < 0.5  # noqa: E731
    if maybe():
        doc["patient_id"] = rng.choice(["", "p-1", "x" * rng.randint(0, 200)])
    if maybe():
        r = RANGES["age_years"]
        doc["age_years"] = _number(rng, r.low, r.high)
    for name, codes in CODES.items():
        if maybe():
            doc[name] = rng.choice([*codes, None])
    if maybe():
        doc["symptoms"] = rng.sample(list(SYMPTOMS), rng.randint(0, 4))
    if maybe():
        csf: dict[str, Any] = {}
        for name in ANALYTES["csf"]:
            if maybe():
                csf[name] = rng.choice([_measured(rng), None])
        for path in ("csf.volume_ml", "csf.processing_delay_min"):
            if maybe():
                r = RANGES[path]
                csf[path[4:]] = _number(rng, r.low, r.high)
        if maybe():
            csf["lp_number"] = rng.randint(1, 50)
        if maybe():
            csf["days_since_brain_surgery"] = rng.choice([0, rng.uniform(0, 1e5), None])
        doc["csf"] = csf
    if maybe():
        doc["serum"] = {n: _measured(rng) for n in ANALYTES["serum"] if maybe()}
    return doc


JUNK: list[Any] = [
    None,
    True,
    False,
    0,
    1,
    -1,
    1.5,
    -0.5,
    1e9,
    -1e9,
    200,
    10081,
    51,
    0.999,
    "",
    "58",
    "yes",
    "true",
    "A",
    "a",
    "female",
    "headache",
    "positive",
    "x" * 201,
    [],
    [1],
    ["headache"],
    ["headache", 3],
    ["itch"],
    {},
    {"value": 1},
    {"value": 1, "unit": ""},
    {"value": "1", "unit": "g/L"},
    {"value": 1, "unit": "g/L"},
    {"value": 1, "unit": "g/L", "x": 1},
    {"value": True, "unit": "g/L"},
]
"""Replacement values: wrong JSON types, crossed bounds, bad codes, broken nested objects."""


TYPE_SLIPS: list[Any] = [True, False, None, "1", 1.5, 1]
"""The commonest slips (a boolean or text for a number, a fraction for an integer), drawn often."""


def _junk(rng: random.Random) -> Any:
    return copy.deepcopy(rng.choice(TYPE_SLIPS if rng.random() < 0.4 else JUNK))


def _paths(doc: dict[str, Any], prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for key, value in doc.items():
        out.append((*prefix, key))
        if isinstance(value, dict):
            out += _paths(value, (*prefix, key))
    return out


def mutated(rng: random.Random) -> dict[str, Any]:
    """A valid record with one to three mutations."""
    doc = valid(rng)
    for _ in range(rng.randint(1, 3)):
        kind = rng.random()
        if kind < 0.15:  # an unknown field somewhere
            holders = [doc] + [v for p in _paths(doc) if isinstance(v := _get(doc, p), dict)]
            rng.choice(holders)[rng.choice(["age", "proteine", "units", "zzz", "lp"])] = 1
        elif kind < 0.25:  # drop a field (known_cancer or a nested required one)
            path = rng.choice(_paths(doc))
            del _get(doc, path[:-1])[path[-1]]
        elif kind < 0.4:  # a known field that was absent, with a junk value
            name = rng.choice(
                [*CODES, "age_years", "patient_id", "symptoms", "csf", "serum", "known_cancer"]
            )
            doc[name] = _junk(rng)
        else:  # replace any present value
            path = rng.choice(_paths(doc))
            _get(doc, path[:-1])[path[-1]] = _junk(rng)
    return doc


def _get(doc: dict[str, Any], path: tuple[str, ...]) -> Any:
    for part in path:
        doc = doc[part]
    return doc


def _outside_the_comparison(doc: Any) -> bool:
    lp = doc.get("csf", {}).get("lp_number") if isinstance(doc.get("csf"), dict) else None
    return isinstance(lp, float) and lp.is_integer()


def _accepted(doc: Any) -> bool:
    try:
        validate_patient(doc)
    except InputError:
        return False
    return True


@pytest.mark.parametrize("seed", range(4))
def test_validator_and_published_schema_agree(seed: int) -> None:
    rng = random.Random(seed)
    docs = [valid(rng) for _ in range(500)] + [mutated(rng) for _ in range(1000)]
    compared = accepted = 0
    for doc in docs:
        if _outside_the_comparison(doc):
            continue
        ours, theirs = _accepted(doc), VALIDATOR.is_valid(doc)
        assert ours == theirs, (doc, ours, [e.message for e in VALIDATOR.iter_errors(doc)][:3])
        compared += 1
        accepted += ours
    assert compared > 1400
    assert 0.3 < accepted / compared < 0.7  # both kinds well represented


def test_every_valid_record_is_accepted_by_both() -> None:
    rng = random.Random(99)
    for _ in range(500):
        doc = valid(rng)
        assert _accepted(doc) and VALIDATOR.is_valid(doc), doc


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")])
def test_non_finite_numbers_are_refused(value: float) -> None:
    """Not JSON, so not in the schema's vocabulary; the contract refuses them everywhere."""
    for doc in (
        {"known_cancer": True, "age_years": value},
        {"known_cancer": True, "csf": {"days_since_brain_surgery": value}},
        {"known_cancer": True, "csf": {"protein": {"value": value, "unit": "g/L"}}},
    ):
        assert not _accepted(doc)


def test_an_integral_float_is_a_json_schema_integer_but_not_a_contract_one() -> None:
    """JSON Schema counts ``1.0`` as an integer; the contract (as pydantic's strict int did)
    wants a JSON integer for ``lp_number``."""
    doc = {"known_cancer": True, "csf": {"lp_number": 1.0}}
    assert VALIDATOR.is_valid(doc)
    assert not _accepted(doc)
