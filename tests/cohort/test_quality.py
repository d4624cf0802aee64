"""Data-quality report: each problem is found, with 1-based row numbers, nothing dropped."""

import numpy as np
import pandas as pd
import pytest

from leptodx.cohort.mapping import load_mapping, mapping_from_dict
from leptodx.cohort.quality import map_cohort
from leptodx.errors import InputError


def _problems(mapped, field):
    col = next(c for c in mapped.columns if c.field == field)
    return {p.kind: p for p in col.problems}


def _map(frame, fields):
    return map_cohort(frame, mapping_from_dict({"fields": fields}))


def test_per_column_unit_converts_with_the_pack_factors() -> None:
    # csf.md §CSF-4: 1 g/L = 100 mg/dL = 1000 mg/L; glucose 18.016 mg/dL per mmol/L
    frame = pd.DataFrame({"P": [45.0, 100.0], "G": [54.048, 72.064]})
    mapped = _map(
        frame,
        {
            "csf_protein": {"column": "P", "unit": "mg/dL"},
            "csf_glucose": {"column": "G", "unit": "mg/dL"},
        },
    )
    np.testing.assert_allclose(mapped.data["csf_protein"], [450.0, 1000.0])
    np.testing.assert_allclose(mapped.data["csf_glucose"], [3.0, 4.0])


def test_unit_column_converts_row_by_row_and_unknown_unit_is_reported() -> None:
    frame = pd.DataFrame({"P": [0.5, 50.0, 500.0, 7.0], "U": ["g/L", "mg/dL", "mg/L", "furlong"]})
    mapped = _map(frame, {"csf_protein": {"column": "P", "unit_column": "U"}})
    np.testing.assert_allclose(mapped.data["csf_protein"][:3], [500.0, 500.0, 500.0])
    problem = _problems(mapped, "csf_protein")["unknown_unit"]
    assert problem.to_dict()["rows"] == [4]
    assert mapped.invalid_rows.tolist() == [3]


def test_mg_per_dl_looking_values_in_a_mg_per_l_column_are_suspected() -> None:
    frame = pd.DataFrame({"P": [450.0, 62.0, 1200.0, 55.0]})
    mapped = _map(frame, {"csf_protein": {"column": "P", "unit": "mg/L"}})
    problem = _problems(mapped, "csf_protein")["suspected_unit_mixup"]
    assert problem.to_dict()["rows"] == [2, 4]
    assert "mg/dL" in problem.detail
    assert not problem.invalidates and mapped.invalid_rows.size == 0


def test_out_of_range_missing_not_numeric_and_unknown_category_are_each_reported() -> None:
    frame = pd.DataFrame(
        {
            "age": [50, 250, None, "old"],
            "sex": ["F", "M", "X", "F"],
            "organs": [1, 2.5, 0, 3],
            "lm": ["yes", "no", "maybe", "1"],
        }
    )
    mapped = _map(
        frame,
        {
            "age_years": "age",
            "sex": {"column": "sex", "categories": {"F": "female", "M": "male"}},
            "n_extracranial_organs": "organs",
            "lm": "lm",
        },
    )
    age = _problems(mapped, "age_years")
    assert age["out_of_range"].to_dict()["rows"] == [2]
    assert age["not_numeric"].to_dict()["rows"] == [4]
    assert next(c for c in mapped.columns if c.field == "age_years").n_missing == 1
    assert _problems(mapped, "sex")["unknown_category"].to_dict()["rows"] == [3]
    assert "'X'" in _problems(mapped, "sex")["unknown_category"].detail
    assert _problems(mapped, "n_extracranial_organs")["not_integer"].to_dict()["rows"] == [2]
    assert _problems(mapped, "lm")["not_binary"].to_dict()["rows"] == [3]
    assert mapped.data["lm"].tolist()[:2] == [1.0, 0.0]
    assert mapped.report()["invalid_rows"] == [2, 3, 4]
    assert len(mapped.data) == 4  # nothing dropped


def test_mapping_file_short_form_and_unknown_field_are_validated(tmp_path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("fields:\n  age_years: Age\n  csf_protein: {column: P, unit: mg/dL}\n")
    assert load_mapping(path).fields["age_years"].column == "Age"
    path.write_text("fields:\n  tumour_size: X\n")
    with pytest.raises(InputError, match="tumour_size"):
        load_mapping(path)


def test_quantity_without_unit_is_a_user_error() -> None:
    with pytest.raises(InputError, match="unit"):
        _map(pd.DataFrame({"P": [1.0]}), {"csf_protein": "P"})


def test_categorical_columns_map_exactly_as_text_columns() -> None:
    """Parquet dictionary columns (pandas categoricals, read by their codes) give the same data
    and the same report as the same values as text, unused categories included (issue 16)."""
    sex = ["F", None, "X", "M", "F"]
    unit = ["g/L", "mg/dL", None, "furlong", "g/L"]
    text = pd.DataFrame(
        {"sex": sex, "P": [0.5, 50.0, 1.0, 7.0, None], "U": unit, "lm": ["1", "0", "1", "0", "1"]}
    )
    categorical = text.astype(
        {
            "sex": pd.CategoricalDtype(["M", "Q", "X", "F"]),  # Q occurs in no row
            "U": pd.CategoricalDtype(["mg/dL", "g/L", "furlong", "mmol/L"]),
            "lm": "category",
        }
    )
    fields = {
        "sex": {"column": "sex", "categories": {"F": "female", "M": "male"}},
        "csf_protein": {"column": "P", "unit_column": "U"},
        "lm": "lm",
    }
    as_text, as_codes = _map(text, fields), _map(categorical, fields)
    pd.testing.assert_frame_equal(as_text.data, as_codes.data)
    report, expected = as_codes.report(), as_text.report()
    for column in (*report["columns"], *expected["columns"]):
        column.pop("dtype")  # the file's dtype, reported as read
    assert report == expected
    assert "['X']" in _problems(as_codes, "sex")["unknown_category"].detail  # not 'Q'


def test_fields_mapped_on_threads_give_the_same_data_and_report_in_mapping_order() -> None:
    """A large cohort maps its fields on threads (issue 16): same columns, same problems, same
    order, whatever the number of threads."""
    rng = np.random.default_rng(7)
    n = 5_000
    frame = pd.DataFrame(
        {
            "age": rng.choice([30.0, 55.0, 250.0, np.nan], n),
            "sex": rng.choice(["F", "M", "X", None], n),
            "P": rng.choice([450.0, 62.0, 1.0, np.nan], n),
            "U": rng.choice(["mg/L", "mg/dL", "g/L", "furlong"], n),
            "lm": rng.choice(["yes", "no", "maybe"], n),
            "organs": rng.choice([1.0, 2.5, 0.0], n),
        }
    )
    fields = {
        "age_years": "age",
        "sex": {"column": "sex", "categories": {"F": "female", "M": "male"}},
        "csf_protein": {"column": "P", "unit_column": "U"},
        "lm": "lm",
        "n_extracranial_organs": "organs",
    }
    spec = mapping_from_dict({"fields": fields})
    one = map_cohort(frame, spec, threads=1)
    assert sum(len(c.problems) for c in one.columns) >= 5  # every kind of path is exercised
    for threads in (2, 5, None):
        other = map_cohort(frame, spec, threads=threads)
        pd.testing.assert_frame_equal(one.data, other.data)
        assert other.report() == one.report()
        assert [c.field for c in other.columns] == list(fields)


def test_the_first_mistake_in_the_mapping_is_reported_whatever_the_threads() -> None:
    frame = pd.DataFrame({"P": [1.0], "G": [2.0]})
    fields = {"csf_protein": "P", "csf_glucose": {"column": "missing", "unit": "mmol/L"}}
    for threads in (1, 2):
        with pytest.raises(InputError, match=r"fields\.csf_protein"):
            map_cohort(frame, mapping_from_dict({"fields": fields}), threads=threads)
