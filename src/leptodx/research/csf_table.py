"""``leptodx csf-table``: Bönig-style proportions of abnormal CSF findings per group.

For each finding, the proportion abnormal among patients with that test in each group, with a
Wilson confidence interval, and a test of equal proportions across groups: Fisher's exact test
for two groups, Pearson's χ² test for more (:mod:`leptodx.stats.contingency`, as R ``fisher.test``
and ``chisq.test``; Bönig et al. 2019, ``csf.md §CSF-5``). A finding is
"abnormal" according to the clinical core's CSF limits of a named profile; the profile is
recorded in the result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from leptodx import stats
from leptodx.cores import threads_for
from leptodx.stats.contingency import chi_square, fisher_exact_p


@dataclass(frozen=True)
class FindingRow:
    """One finding across groups."""

    finding: str
    counts: dict[str, tuple[int, int]]
    proportions: dict[str, float]
    cis: dict[str, tuple[float, float]]
    test: str
    p_value: float | None

    def to_dict(self) -> dict[str, Any]:
        """JSON of the row: per group abnormal, tested, proportion and CI; the test and p."""
        return {
            "finding": self.finding,
            "groups": {
                g: {
                    "abnormal": k,
                    "tested": n,
                    "proportion": self.proportions[g],
                    "ci": self.cis[g],
                }
                for g, (k, n) in self.counts.items()
            },
            "test": self.test,
            "p_value": self.p_value,
        }


@dataclass(frozen=True)
class PrevalenceTable:
    """The whole table with its provenance (the findings' sources and warnings, and whether
    the cohort is synthetic)."""

    by: str
    groups: tuple[str, ...]
    rows: tuple[FindingRow, ...]
    profile: str | None
    level: float
    sources: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    synthetic: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON of ``leptodx csf-table`` (docs/research.md)."""
        return {
            "by": self.by,
            "groups": list(self.groups),
            "profile": self.profile,
            "level": self.level,
            "rows": [r.to_dict() for r in self.rows],
            "sources": list(self.sources),
            "warnings": list(self.warnings),
            "synthetic": self.synthetic,
        }


def _wilson(k: int, n: int, level: float) -> tuple[float, float]:
    if n == 0:
        return (float("nan"), float("nan"))
    lo, hi = stats.wilson_ci(k, n, level=level).ci
    return float(lo), float(hi)


def _test(table: NDArray[np.int64]) -> tuple[str, float | None]:
    """Fisher (2 groups) or χ² (more) on the groups × (abnormal, normal) table."""
    table = table[table.sum(axis=1) > 0]
    if table.shape[0] < 2 or (table.sum(axis=0) == 0).any():
        return ("not computed (a group or a column is empty)", None)
    if table.shape[0] == 2:
        (a, b), (c, d) = table.tolist()
        return ("Fisher's exact", fisher_exact_p(a, b, c, d))
    # R's chisq.test without continuity correction (docs/decisions/research-csf-table-tests.md)
    result = chi_square(table, correction=False)
    return (f"Pearson χ² ({table.shape[0] - 1} df)", result.p_value)


def _label(value: object) -> str:
    """A group label as text; a whole number (e.g. an outcome 0/1 read as float) without ".0"."""
    if isinstance(value, float | np.floating) and value == np.round(value):
        return str(int(value))
    return str(value)


def _group_codes(groups: pd.Series) -> tuple[NDArray[np.intp], list[str]]:
    """Each row's group as an index into the sorted labels (-1: no group).

    Labels are made once per distinct value; whole numbers lose their ".0" only when every
    value of a numeric column is whole (as before issue 16: row-wise text would take seconds).
    """
    codes, uniques = pd.factorize(groups)
    distinct = np.asarray(uniques, dtype=object)
    whole = pd.api.types.is_numeric_dtype(groups.dtype) and all(
        float(v) == np.round(float(v)) for v in distinct
    )
    text = [_label(float(v)) if whole else str(v) for v in distinct]
    labels = sorted(set(text))
    position = np.array([labels.index(t) for t in text] + [-1], dtype=np.intp)
    return position[codes], labels


def prevalence_table(
    groups: pd.Series,
    flags: Mapping[str, NDArray[np.float64]],
    *,
    by: str,
    level: float = 0.95,
    profile: str | None = None,
    sources: Sequence[str] = (),
    warnings: Sequence[str] = (),
    synthetic: bool = False,
) -> PrevalenceTable:
    """Proportion abnormal (flag 1) among those tested (flag not NaN) per group, with tests;
    ``sources``, ``warnings`` and ``synthetic`` are the provenance carried into the result."""
    g, labels = _group_codes(groups)
    # one count per finding: row → 3 × group (no group: the extra last one) + 0 normal,
    # 1 abnormal, 2 not tested
    cell = 3 * np.where(g >= 0, g, len(labels))

    def row(item: tuple[str, NDArray[np.float64]]) -> FindingRow:
        finding, flag = item
        flag = np.asarray(flag, dtype=float)
        state = np.where(np.isnan(flag), 2, flag == 1)
        per_group = np.bincount(cell + state, minlength=3 * len(labels) + 3).reshape(-1, 3)
        n_abnormal = per_group[:-1, 1]
        n_tested = per_group[:-1, 0] + n_abnormal
        counts, props, cis = {}, {}, {}
        table = []
        for i, label in enumerate(labels):
            k, n = int(n_abnormal[i]), int(n_tested[i])
            counts[label] = (k, n)
            props[label] = k / n if n else float("nan")
            cis[label] = _wilson(k, n, level)
            table.append((k, n - k))
        test, p = _test(np.array(table, dtype=np.int64))
        return FindingRow(finding, counts, props, cis, test, p)

    items = list(flags.items())
    threads = threads_for(g.size)
    if threads == 1 or len(items) < 2:
        rows = [row(item) for item in items]
    else:  # findings are independent: counted and tested on threads, kept in order; the first
        # one here, so the tests' modules are imported on this thread, never on two at once
        from concurrent.futures import ThreadPoolExecutor

        first = row(items[0])
        with ThreadPoolExecutor(threads, thread_name_prefix="csf-table") as pool:
            rows = [first, *pool.map(row, items[1:])]
    return PrevalenceTable(
        by, tuple(labels), tuple(rows), profile, level, tuple(sources), tuple(warnings), synthetic
    )
