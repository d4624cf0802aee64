"""Unit conversions against hand-computed values (``csf.md §CSF-4``)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leptodx.domain.units import (
    Dimension,
    accepted_units,
    convert,
    round_significant,
    round_significant_array,
)
from leptodx.errors import InputError


@pytest.mark.parametrize(
    ("value", "unit", "to", "dimension", "expected"),
    [
        (90.08, "mg/dL", "mmol/L", Dimension.GLUCOSE, 5.0),  # 90.08 / 18.016
        (18.016, "mg/dL", "mmol/L", Dimension.GLUCOSE, 1.0),
        (1.0, "mmol/L", "mg/dL", Dimension.LACTATE, 9.008),
        (27.024, "mg/dL", "mmol/L", Dimension.LACTATE, 3.0),
        (1.2, "g/L", "mg/L", Dimension.MASS, 1200.0),
        (45.0, "mg/dL", "mg/L", Dimension.MASS, 450.0),
        (4.1, "g/dL", "g/L", Dimension.MASS, 41.0),
        (12.0, "10*6/L", "/uL", Dimension.CELLS, 12.0),
        (7.0, "/mm3", "/uL", Dimension.CELLS, 7.0),
    ],
)
def test_conversion_matches_hand_computed_value(value, unit, to, dimension, expected) -> None:
    assert convert(value, unit, to=to, dimension=dimension) == pytest.approx(expected, rel=1e-12)


def test_rounded_factor_is_not_used_at_a_boundary() -> None:
    # 40 mg/dL is 2.2202 mmol/L with 18.016 and 2.2222 with a rounded 18.
    assert convert(40.0, "mg/dL", to="mmol/L", dimension=Dimension.GLUCOSE) == pytest.approx(
        40 / 18.016
    )


@pytest.mark.parametrize("spelling", ["/µL", "/ul", "cells/uL", "/mm³", "10^6/L"])
def test_common_cell_spellings_are_accepted(spelling: str) -> None:
    assert convert(3.0, spelling, to="/uL", dimension=Dimension.CELLS) == 3.0


def test_unknown_unit_names_field_and_accepted_units() -> None:
    with pytest.raises(
        InputError, match=r"csf\.protein\.unit: got 'mg/kg'; expected .*mg/L, mg/dL"
    ):
        convert(1.0, "mg/kg", to="mg/L", dimension=Dimension.MASS, field="csf.protein.unit")


@settings(deadline=None)
@given(
    st.floats(min_value=1e-3, max_value=1e5),
    st.sampled_from(list(Dimension)),
    st.data(),
)
def test_round_trip_is_identity(value: float, dimension: Dimension, data: st.DataObject) -> None:
    units = accepted_units(dimension)
    a, b = data.draw(st.sampled_from(units)), data.draw(st.sampled_from(units))
    there = convert(value, a, to=b, dimension=dimension)
    assert convert(there, b, to=a, dimension=dimension) == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (0.41 * 1000, 4, 410.0),  # 409.99999999999994: the reported float artefact
        (1.1 / 5.5, 3, 0.2),  # 0.19999999999999998
        (41 / 18.016 / 5.6, 3, 0.406),
        (15843.0, 4, 15840.0),
        (0.0, 4, 0.0),
    ],
)
def test_round_significant_removes_float_noise(value: float, digits: int, expected: float) -> None:
    assert round_significant(value, digits) == expected


@settings(deadline=None)
@given(
    st.lists(st.floats(min_value=1e-6, max_value=1e6), min_size=1, max_size=20),
    st.integers(min_value=1, max_value=6),
)
def test_round_significant_is_the_same_per_value_and_per_column(
    values: list[float], digits: int
) -> None:
    """The per-record and the columnar path give identical numbers (issue 17 relies on it)."""
    column = round_significant_array(values, digits)
    assert [round_significant(v, digits) for v in values] == column.tolist()
    for v, r in zip(values, column, strict=True):
        assert float(f"{r:.{digits}g}") == r  # at most `digits` significant digits, no noise
        assert abs(r - v) <= 0.5 * 10 ** (math.floor(math.log10(v)) - digits + 1) * (1 + 1e-9)


def test_round_significant_equals_the_column_at_powers_of_ten_and_halfway_values() -> None:
    """The scalar path takes its own branch: check it where rounding is most fragile."""
    powers = [10.0**k for k in range(-9, 10)]
    edges = [math.nextafter(p, 0.0) for p in powers] + [math.nextafter(p, math.inf) for p in powers]
    halves = [k + 0.5 for k in range(0, 200)] + [(k + 0.5) / 1000 for k in range(0, 200)]
    values = powers + edges + halves + [-v for v in powers + halves] + [0.0, math.inf, -math.inf]
    for digits in (1, 2, 3, 4, 6):
        column = round_significant_array(values, digits).tolist()
        assert [round_significant(v, digits) for v in values] == column


def test_round_significant_equals_the_column_at_the_ends_of_the_double_range() -> None:
    """Below about 1e-305 the power of ten overflows: both paths keep the value as it is."""
    values = [5e-324, 1e-310, 2.5e-306, 1e-300, 1.7e308, -1e-310]
    for digits in (1, 3, 6):
        column = round_significant_array(values, digits).tolist()
        assert [round_significant(v, digits) for v in values] == column
    assert round_significant(1e-310, 3) == 1e-310


def test_round_significant_equals_the_column_at_every_power_of_two_and_ten() -> None:
    """The column finds the decimal exponent from the binary one: check it at every binary
    exponent's edges and at every power of ten of the double range, with NaN among them."""
    twos = [2.0**k for k in range(-1074, 1024)]
    tens = [float(f"1e{k}") for k in range(-323, 309)]
    values = twos + tens + [math.nextafter(v, 0.0) for v in twos + tens]
    values += [math.nextafter(v, math.inf) for v in twos + tens if v < 1e308]
    for digits in (1, 3, 15, 17):
        column = round_significant_array([*values, math.nan], digits).tolist()
        assert [round_significant(v, digits) for v in values] == column[:-1]
        assert math.isnan(column[-1])
