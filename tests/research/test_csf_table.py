"""`leptodx csf-table`: counts by a slow oracle, CIs and p-values by direct stats calls."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from leptodx import stats
from leptodx.cli import app
from leptodx.cohort.io import read_table


def test_cytology_proportions_ci_and_fisher_p_per_outcome_group(development_file) -> None:
    result = CliRunner().invoke(
        app, ["csf-table", str(development_file), "--by", "lm", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    table = json.loads(result.stdout)
    assert table["groups"] == ["0", "1"]
    row = next(r for r in table["rows"] if r["finding"] == "CSF cytology positive")
    frame = read_table(development_file)
    counts = []
    for group in (0, 1):
        sub = frame[(frame["lm"] == group) & (frame["cytology"] != "not_done")]
        k = sum(1 for value in sub["cytology"] if value == "positive")
        n = len(sub)
        cell = row["groups"][str(group)]
        assert (cell["abnormal"], cell["tested"]) == (k, n)
        direct = stats.wilson_ci(k, n)
        assert cell["ci"] == pytest.approx(list(getattr(direct, "ci", direct)), abs=1e-12)
        counts.append((k, n - k))
    assert row["test"] == "Fisher's exact"
    assert row["p_value"] == pytest.approx(stats.fisher_exact(np.array(counts)).p_value, rel=1e-9)


def test_more_than_two_groups_use_chi_square_and_report_is_written(
    development_file, tmp_path
) -> None:
    result = CliRunner().invoke(
        app,
        [
            "csf-table",
            str(development_file),
            "--by",
            "primary_tumour",
            "--out",
            str(tmp_path),
            "--no-pdf",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "χ²" in result.stdout
    html = (tmp_path / "report.html").read_text()
    assert "Wilson" in html and "SYNTHETIC DATA" in html
    assert (tmp_path / "figures" / "csf_prevalence.svg").exists()


def test_unknown_grouping_column_is_one_clear_error(development_file) -> None:
    result = CliRunner().invoke(app, ["csf-table", str(development_file), "--by", "ward"])
    assert result.exit_code == 2 and "ward" in result.output


def test_protein_elevated_follows_the_s1_limit_of_500_mg_per_l(development_file) -> None:
    # csf.md §CSF-2: S1 total protein < 500 mg/L normal, so 500 mg/L and above is elevated
    result = CliRunner().invoke(
        app,
        [
            "csf-table",
            str(development_file),
            "--by",
            "lm",
            "--profile",
            "S1-2020",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    table = json.loads(result.stdout)
    assert table["profile"] == "S1-2020"
    row = next(r for r in table["rows"] if r["finding"] == "CSF protein elevated")
    frame = read_table(development_file)
    to_mg_per_l = {"mg/L": 1.0, "mg/dL": 10.0, "g/L": 1000.0}  # csf.md §CSF-4
    for group in (0, 1):
        sub = frame[(frame["lm"] == group) & frame["csf_protein"].notna()]
        pairs = zip(sub["csf_protein"], sub["csf_protein_unit"], strict=True)
        mg_per_l = [v * to_mg_per_l[u] for v, u in pairs]
        expected = (sum(1 for v in mg_per_l if v >= 500.0), len(mg_per_l))
        cell = row["groups"][str(group)]
        assert (cell["abnormal"], cell["tested"]) == expected


def test_findings_count_only_the_direction_they_name() -> None:
    import pandas as pd

    from leptodx.research.csf_findings import abnormal_findings

    # CSF/serum glucose ratio (S1 2020: > 0.50 normal, csf.md §CSF-2); protein < 500 mg/L
    data = pd.DataFrame(
        {
            "csf_glucose": [1.5, 4.0, np.nan],
            "serum_glucose": [6.0, 6.0, np.nan],
            "csf_protein": [300.0, 900.0, 100.0],
        }
    )
    flags = abnormal_findings(data).flags
    np.testing.assert_array_equal(flags["CSF/serum glucose ratio decreased"], [1, 0, np.nan])
    np.testing.assert_array_equal(flags["CSF protein elevated"], [0, 1, 0])


def _per_patient_statuses(data, profile_name):
    """The slow oracle: ``interpret_csf`` patient by patient, as csf-table did before issue 16."""
    from leptodx.clinical.csf import get_profile, interpret_csf
    from leptodx.cohort.units import canonical_unit
    from leptodx.domain.units import Quantity
    from leptodx.research.csf_findings import LAB_FIELDS, LAB_FINDINGS

    profile = get_profile(profile_name)
    present = {f: k for f, k in LAB_FIELDS.items() if f in data.columns}
    statuses = {name: np.full(len(data), None, dtype=object) for name in LAB_FINDINGS}
    qalb = np.full(len(data), np.nan)
    notes = set()
    for i in range(len(data)):
        values = {
            key: Quantity(data[f].iloc[i], canonical_unit(f), data[f].iloc[i], canonical_unit(f))
            for f, key in present.items()
            if not np.isnan(data[f].iloc[i])
        }
        if not values:
            continue
        age = data["age_years"].iloc[i]
        result = interpret_csf(values, age_years=None if np.isnan(age) else age, profile=profile)
        for analyte in result.analytes:
            if analyte.name in statuses:
                statuses[analyte.name][i] = analyte.status
        if result.qalb is not None and result.qalb.flag is not None:
            qalb[i] = float(result.qalb.flag)
        notes.update(result.warnings)
    return statuses, qalb, tuple(f"{w} (some patients)" for w in sorted(notes))


@pytest.mark.parametrize("blocks", [1, 3], ids=["one-block", "blocks-on-threads"])
@pytest.mark.parametrize(
    "profile", ["S1-2020", "S1-2020-qalb-bands", "Holub-2007", "EBM-secondary"]
)
def test_columnar_statuses_equal_interpret_csf_patient_by_patient(
    profile, blocks, monkeypatch
) -> None:
    """Also when a large cohort is judged in blocks of rows on threads (here 3 uneven blocks,
    the edge cases of the first rows all in the first one, the warnings found in any)."""
    from leptodx.cohort.mapping import default_mapping
    from leptodx.cohort.quality import map_cohort
    from leptodx.cohort.synthetic import synthetic_cohort
    from leptodx.research import csf_findings
    from leptodx.research.csf_findings import lab_statuses

    if blocks > 1:
        cuts = [slice(0, 7), slice(7, 250), slice(250, 600)]
        monkeypatch.setattr(csf_findings, "row_blocks", lambda n: cuts)

    data = synthetic_cohort(600, seed=31)

    mapped = map_cohort(data, default_mapping(data)).data
    # boundary values and edge ages: at the limits, the bands' ends, no serum, ratio above 1
    mapped.loc[0:5, "csf_protein"] = [500.0, 499.9, 450.0, 150.0, 149.9, np.nan]
    mapped.loc[0:5, "csf_leukocytes"] = [5.0, 4.9, 3.0, 4.0, 0.0, np.nan]
    mapped.loc[6:11, "age_years"] = [15.0, 40.0, 60.0, 61.0, 4.0, np.nan]
    mapped.loc[12:13, "serum_glucose"] = [np.nan, 1.0]
    mapped.loc[14, "serum_albumin"] = np.nan
    lab = lab_statuses(mapped, profile)
    statuses, qalb, warnings = _per_patient_statuses(mapped, profile)
    assert lab.warnings == warnings
    np.testing.assert_array_equal(lab.qalb_flags, qalb)
    for name, expected in statuses.items():
        assert lab.statuses[name].tolist() == expected.tolist(), name


def test_counts_per_group_match_a_group_by_with_missing_groups_and_untested_rows() -> None:
    """The one-pass count (issue 16) against pandas group-by on random flags and groups."""
    import pandas as pd

    from leptodx.research.csf_table import prevalence_table

    rng = np.random.default_rng(16)
    n = 5000
    groups = pd.Series(rng.choice(["a", "b", "c", None], n, p=[0.4, 0.3, 0.2, 0.1]))
    flag = rng.choice([0.0, 1.0, np.nan, 2.0], n)  # 2: neither abnormal nor untested
    table = prevalence_table(groups, {"finding": flag}, by="g")
    frame = pd.DataFrame({"g": groups, "f": flag}).dropna()
    tested = frame.groupby("g")["f"].size()
    abnormal = frame[frame["f"] == 1].groupby("g")["f"].size()
    assert table.groups == ("a", "b", "c")
    for group in table.groups:
        assert table.rows[0].counts[group] == (int(abnormal[group]), int(tested[group]))


@pytest.mark.parametrize("groups", [["a", "b"], ["a", "b", "c"]], ids=["fisher", "chi-square"])
def test_findings_counted_on_threads_give_the_same_table_in_the_same_order(
    groups, monkeypatch
) -> None:
    """A large cohort counts and tests its findings on threads (issue 16): same rows, same order."""
    import pandas as pd

    from leptodx.research import csf_table

    rng = np.random.default_rng(5)
    n = 4000
    by = pd.Series(rng.choice(groups, n))
    flags = {f"finding {i}": rng.choice([0.0, 1.0, np.nan], n) for i in range(9)}
    monkeypatch.setattr(csf_table, "threads_for", lambda n_rows: 1)
    serial = csf_table.prevalence_table(by, flags, by="g")
    monkeypatch.setattr(csf_table, "threads_for", lambda n_rows: 3)
    threaded = csf_table.prevalence_table(by, flags, by="g")
    assert threaded.to_dict() == serial.to_dict()
    assert [r.finding for r in threaded.rows] == list(flags)
