"""One rule engine, two speeds: the columnar engine equals ``assess`` on every record.

The oracle is the per-record path (``parse_patient`` + ``assess``, read back by
``batch.per_record``); the columnar engine runs through ``batch assess``'s JSON Lines partition
function. Values must be identical (no tolerance), errors must carry ``assess``'s message.
Categorical inputs are enumerated exhaustively (every decision-table key, missing legs
included); CSF values are drawn at random, at every profile limit and range bound (in every
accepted unit) and missing.
"""

from __future__ import annotations

import json
import math
import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leptodx.batch.assess_partition import AssessSettings, assess_lines
from leptodx.batch.per_record import assess_one
from leptodx.domain.units import accepted_units, convert
from leptodx.errors import InputError
from leptodx.reference import eano_esmo as ee
from leptodx.reference.analytes import ANALYTE_TABLE
from leptodx.reference.csf import PROFILES, QALB_LIMITS
from leptodx.reference.symptoms import SYMPTOMS


def _canonical_bounds(field: str) -> set[float]:
    """Every limit and range bound that applies to an analyte, in its canonical unit."""
    analyte = next(a for a in ANALYTE_TABLE if a.field == field)
    bounds = {analyte.plausible.low, analyte.plausible.high}
    bounds |= {analyte.typical.low, analyte.typical.high}
    name = field.split(".")[1]
    for profile in PROFILES.values():
        for key, limit in profile.limits.items():
            if key.value == name and field.startswith("csf."):
                bounds |= {b for b in (limit.lower, limit.upper) if b is not None}
    return bounds


def _entered(field: str) -> list[tuple[float, str]]:
    """(value, unit) pairs that land on, just below and just above each bound."""
    analyte = next(a for a in ANALYTE_TABLE if a.field == field)
    out = []
    for bound in sorted(_canonical_bounds(field)):
        for unit in accepted_units(analyte.dimension):
            value = convert(bound, analyte.canonical_unit, to=unit, dimension=analyte.dimension)
            for v in (value, math.nextafter(value, -math.inf), math.nextafter(value, math.inf)):
                out.append((v, unit))
            out.append((round(value * 1.0001, 6), unit))
            out.append((round(value * 0.9999, 6), unit))
    return out


BOUNDARIES = {a.field: _entered(a.field) for a in ANALYTE_TABLE}
SPELLINGS = {"/uL": ["/µL", "cells/uL", "/mm³"], "mg/L": ["mg/l"], "mmol/L": ["mmol/l"]}
AGES = sorted(
    {0.0, 4.0, 120.0}
    | {
        b
        for pieces in QALB_LIMITS.values()
        for p in pieces
        for b in (p.ages.low, p.ages.high)
        if b is not None
    }
)


def _measured(rng: random.Random, field: str) -> dict[str, Any] | None:
    analyte = next(a for a in ANALYTE_TABLE if a.field == field)
    draw = rng.random()
    if draw < 0.2:
        return None
    if draw < 0.55:
        value, unit = rng.choice(BOUNDARIES[field])
    elif draw < 0.97:
        unit = rng.choice(accepted_units(analyte.dimension))
        value = rng.choice([rng.uniform(0, analyte.typical.high), rng.lognormvariate(1, 3)])
    else:
        value, unit = rng.choice([(-1.0, analyte.canonical_unit), (1.0, "mg/kg")])
    unit = rng.choice([unit, *SPELLINGS.get(unit, [])])
    return {"value": value, "unit": unit}


def _panels(rng: random.Random) -> dict[str, Any]:
    record: dict[str, Any] = {}
    if rng.random() < 0.8:
        record["age_years"] = rng.choice([*AGES, rng.uniform(0, 120), rng.choice(AGES) + 1e-9])
    if rng.random() < 0.3:
        record["symptoms"] = rng.sample(sorted(SYMPTOMS), rng.randint(1, 3))
    if rng.random() < 0.9:
        csf: dict[str, Any] = {}
        for a in ANALYTE_TABLE:
            if a.specimen == "csf" and (m := _measured(rng, a.field)) is not None:
                csf[a.name] = m
        for key, choices in (
            ("volume_ml", [2.0, 5.0, 4.999, 10.0, 10.001, 15.0]),
            ("processing_delay_min", [10.0, 30.0, 30.001, 240.0]),
            ("days_since_brain_surgery", [0.0, 13.999, 14.0, 30.0]),
            ("lp_number", [1, 2]),
        ):
            if rng.random() < 0.4:
                csf[key] = rng.choice(choices)
        record["csf"] = csf
    if rng.random() < 0.85:
        serum = {}
        for a in ANALYTE_TABLE:
            if a.specimen == "serum" and (m := _measured(rng, a.field)) is not None:
                serum[a.name] = m
        record["serum"] = serum
    return record


PRIMARY_FOR_SCOPE = {
    ee.Scope.SOLID_TUMOUR: [None, "breast", "unknown_primary", "melanoma"],
    ee.Scope.OUTSIDE: ["lymphoma", "primary_brain", "leukaemia", "haematological"],
}


def _record(key: ee.DecisionKey, rng: random.Random) -> dict[str, Any]:
    scope, cytology, biopsy, clinical, mri, known = key
    record: dict[str, Any] = {"known_cancer": known, **_panels(rng)}
    primary = rng.choice(PRIMARY_FOR_SCOPE[scope])
    for name, value in (
        ("primary_tumour", primary),
        ("cytology", cytology),
        ("biopsy", biopsy),
        ("clinical_signs", clinical),
        ("mri", mri),
    ):
        if value is not None:
            record[name] = str(value)
    if rng.random() < 0.5:
        record["patient_id"] = f"p{rng.randint(0, 10**6)}"
    return record


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def assert_engines_agree(records: list[Any], profile: str) -> set[str]:
    """Compare both engines row by row; returns the outcomes seen."""
    lines = [json.dumps(r).encode() for r in records]
    result = assess_lines(lines, 0, AssessSettings(profile))
    rows = {r["row"]: r for r in result.table.to_pylist()}
    errors = {row: (field, message) for row, field, message in result.errors}
    assert len(rows) + len(errors) == len(records) == result.n_rows
    for i, record in enumerate(records):
        try:
            expected = assess_one(record, profile=profile)
        except InputError as exc:
            assert errors.get(i) == (exc.field, str(exc)), record
            continue
        got = rows[i]
        assert got["patient_id"] == record.get("patient_id")
        assert got["profile"] == profile
        different = {k: (v, got[k]) for k, v in expected.items() if not _same(v, got[k])}
        assert not different, (record, different)
    return {r["outcome"] for r in rows.values()}


@pytest.mark.parametrize("profile", list(PROFILES))
def test_every_categorical_combination_agrees_with_assess(profile: str) -> None:
    seed = list(PROFILES).index(profile)
    rng = random.Random(seed)
    keys = list(ee.all_keys())
    if profile != "S1-2020":  # every key once under the default profile, a share under the others
        keys = rng.sample(keys, 200)
    outcomes = assert_engines_agree([_record(key, rng) for key in keys], profile)
    assert outcomes == {o.value for o in ee.Outcome}  # incomplete and not classifiable included


@st.composite
def records(draw: st.DrawFn) -> Any:
    rng = random.Random(draw(st.integers(0, 2**32)))
    key = draw(st.sampled_from(list(ee.all_keys())))
    record = _record(key, rng)
    spoil = draw(st.sampled_from(["none"] * 8 + ["text_age", "extra", "bool_value", "list"]))
    if spoil == "text_age":
        record["age_years"] = "58"
    elif spoil == "extra":
        record["sexe"] = "female"
    elif spoil == "bool_value":
        record.setdefault("csf", {})["protein"] = {"value": True, "unit": "mg/L"}
    elif spoil == "list":
        return [record]
    return record


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(records(), min_size=1, max_size=30), st.sampled_from(list(PROFILES)))
def test_random_records_agree_with_assess(batch: list[Any], profile: str) -> None:
    assert_engines_agree(batch, profile)


def test_boundary_values_reach_both_sides_of_every_limit() -> None:
    # the generator is only useful if boundary values are judged differently on either side
    statuses = set()
    for value in (4.999, 5.0):
        record = {"known_cancer": True, "csf": {"leukocytes": {"value": value, "unit": "/uL"}}}
        statuses.add(assess_one(record, profile="S1-2020")["csf_leukocytes_status"])
    assert statuses == {"normal", "high"}  # S1: < 5 /µL normal (csf.md §CSF-2)
