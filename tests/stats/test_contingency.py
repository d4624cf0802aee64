"""Fisher's exact and Pearson's χ² tests without ``scipy.stats`` (leptodx.stats.contingency):
R's ``fisher.test`` and ``chisq.test`` values (tests/reference_values/contingency/contingency.R),
and SciPy — bit for bit for χ², to 1e-9 for Fisher — on many random tables."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from leptodx.stats.contingency import chi_square, fisher_exact_p, sample_odds_ratio

REF = Path(__file__).parents[1] / "reference_values" / "contingency"
FISHER = list(csv.DictReader((REF / "fisher.csv").open()))
RX2 = list(csv.DictReader((REF / "chisq_rx2.csv").open()))


@pytest.mark.parametrize("row", FISHER, ids=lambda r: f"{r['a']},{r['b']},{r['c']},{r['d']}")
def test_fisher_and_chi_square_equal_r(row: dict[str, str]) -> None:
    a, b, c, d = (int(row[k]) for k in "abcd")
    assert fisher_exact_p(a, b, c, d) == pytest.approx(float(row["fisher_p"]), rel=1e-11)
    if row["yates_p"] != "NA":
        table = np.array([[a, b], [c, d]])
        yates, pearson = chi_square(table, correction=True), chi_square(table, correction=False)
        assert yates.statistic == pytest.approx(float(row["yates_stat"]), rel=1e-12, abs=1e-12)
        assert yates.p_value == pytest.approx(float(row["yates_p"]), rel=1e-12)
        assert pearson.statistic == pytest.approx(float(row["pearson_stat"]), rel=1e-12, abs=1e-12)
        assert pearson.p_value == pytest.approx(float(row["pearson_p"]), rel=1e-12)
        assert yates.df == pearson.df == 1


@pytest.mark.parametrize("row", RX2, ids=lambda r: r["table"])
def test_r_by_2_chi_square_equals_r(row: dict[str, str]) -> None:
    table = np.array([int(v) for v in row["table"].split()]).reshape(-1, 2)
    result = chi_square(table, correction=False)
    assert result.statistic == pytest.approx(float(row["stat"]), rel=1e-12)
    assert result.df == int(row["df"])
    assert result.p_value == pytest.approx(float(row["p"]), rel=1e-12)


def test_large_tables_are_closer_to_r_than_scipy_is() -> None:
    """Summing outward from the most probable table keeps the rounding error of 10⁵-count tables
    near 1e-13 (SciPy's hypergeometric is 1e-10 off R's here)."""
    row = next(r for r in FISHER if r["a"] == "278520")
    a, b, c, d = (int(row[k]) for k in "abcd")
    r_value = float(row["fisher_p"])
    ours = abs(fisher_exact_p(a, b, c, d) - r_value) / r_value
    theirs = abs(stats.fisher_exact([[a, b], [c, d]]).pvalue - r_value) / r_value
    assert ours < 1e-12 < theirs


def test_random_tables_agree_with_scipy() -> None:
    rng = np.random.default_rng(16)
    for _ in range(400):
        scale = int(rng.choice([4, 30, 300, 30000]))
        a, b, c, d = (int(v) for v in rng.integers(0, scale, 4))
        table = np.array([[a, b], [c, d]])
        reference = stats.fisher_exact(table)
        if reference.pvalue > 1e-290:
            assert fisher_exact_p(a, b, c, d) == pytest.approx(reference.pvalue, rel=1e-9)
        odds = sample_odds_ratio(a, b, c, d)
        assert odds == reference.statistic or (np.isnan(odds) and np.isnan(reference.statistic))
        if (table.sum(axis=0) > 0).all() and (table.sum(axis=1) > 0).all():
            for correction in (True, False):
                ours = chi_square(table, correction=correction)
                theirs = stats.chi2_contingency(table, correction=correction)
                assert (ours.statistic, ours.df, ours.p_value) == (
                    theirs.statistic,
                    theirs.dof,
                    theirs.pvalue,
                )
    for rows in range(3, 7):
        table = rng.integers(1, 5000, size=(rows, 2))
        ours, theirs = chi_square(table, correction=True), stats.chi2_contingency(table)
        assert (ours.statistic, ours.p_value) == (theirs.statistic, theirs.pvalue)


def test_a_zero_margin_gives_p_one() -> None:
    assert fisher_exact_p(0, 0, 3, 20) == 1.0
    assert fisher_exact_p(7, 0, 0, 0) == 1.0
    assert np.isnan(sample_odds_ratio(0, 0, 3, 20))
    assert sample_odds_ratio(5, 0, 5, 10) == np.inf


def test_importing_the_table_tests_does_not_import_scipy_stats() -> None:
    code = (
        "import json, sys\n"
        "from leptodx.stats.contingency import fisher_exact_p, chi_square\n"
        "import numpy as np\n"
        "fisher_exact_p(12, 5, 3, 20); chi_square(np.array([[1, 2], [3, 4]]), correction=True)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('scipy.stats'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []
